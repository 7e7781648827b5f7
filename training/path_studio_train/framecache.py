"""Every frame of a LeRobot dataset decoded once, resized to the model's input side and kept as a
uint8 `.npy` next to the data (`<root>/cache/frames-<size>.npy`), memory-mapped on later runs.

Training then reads frames by index instead of running ffmpeg and the resize per sample: a
policy step is the network's compute only. The resize is the studio's (bilinear, half-pixel
centres, rounded to bytes), the same arithmetic as `images.resize_bilinear` per frame."""
import os

import numpy as np

CHUNK = 256  # frames resized at once (bounded memory: CHUNK x 256 x 256 x 3 floats)


def resize_bilinear_batch(frames: np.ndarray, size: int) -> np.ndarray:
    """uint8 [N,H,W,3] -> uint8 [N,size,size,3]; `images.resize_bilinear` on a batch, then rounded."""
    _, h, w, _ = frames.shape
    ys = np.clip((np.arange(size, dtype=np.float64) + 0.5) * (h / size) - 0.5, 0, h - 1)
    xs = np.clip((np.arange(size, dtype=np.float64) + 0.5) * (w / size) - 0.5, 0, w - 1)
    y0 = np.floor(ys).astype(np.int64); x0 = np.floor(xs).astype(np.int64)
    y1 = np.minimum(y0 + 1, h - 1); x1 = np.minimum(x0 + 1, w - 1)
    wy = (ys - y0).astype(np.float32)[:, None, None]; wx = (xs - x0).astype(np.float32)[None, :, None]
    # Gather the rows and columns in bytes first: only size² pixels per frame are ever converted.
    r0, r1 = frames[:, y0], frames[:, y1]
    f = lambda a: a.astype(np.float32)  # noqa: E731
    top = f(r0[:, :, x0]) * (1 - wx) + f(r0[:, :, x1]) * wx
    bot = f(r1[:, :, x0]) * (1 - wx) + f(r1[:, :, x1]) * wx
    return np.clip(np.rint(top * (1 - wy) + bot * wy), 0, 255).astype(np.uint8)


def cache_file(root: str, size: int) -> str:
    return os.path.join(root, "cache", f"frames-{size}.npy")


def cached_frames(root: str, size: int, total: int, decode) -> np.ndarray:
    """The dataset's `total` frames at size² (uint8 [total,size,size,3], memory-mapped).
    `decode()` yields full-size frames in global index order; it runs only when no cache matches."""
    path = cache_file(root, size)
    if os.path.exists(path):
        frames = np.load(path, mmap_mode="r")
        if frames.shape == (total, size, size, 3):
            return frames
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.partial.npy"  # two trainers building at once never share a file
    out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint8, shape=(total, size, size, 3))
    n, buf = 0, []

    def flush():
        nonlocal n, buf
        if buf:
            out[n: n + len(buf)] = resize_bilinear_batch(np.stack(buf), size)
            n += len(buf)
            buf = []

    for rgb in decode():
        if n + len(buf) >= total:
            break
        buf.append(rgb)
        if len(buf) == CHUNK:
            flush()
    flush()
    if n != total:
        raise ValueError(f"{root}: the video holds {n} frames but the data has {total} rows")
    out.flush()
    del out
    os.replace(tmp, path)  # only a complete cache ever carries the final name
    return np.load(path, mmap_mode="r")
