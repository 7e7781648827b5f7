"""Image preprocessing shared with the studio (src/inference/preprocess.ts): bilinear resize with
half-pixel centres, and HAMSTER's path drawing (its released code uses OpenCV; so do we)."""
import functools

import cv2
import numpy as np

from .paths import Path, resample  # noqa: F401


_JET = {
    "red": [(0, 0, 0), (0.35, 0, 0), (0.66, 1, 1), (0.89, 1, 1), (1, 0.5, 0.5)],
    "green": [(0, 0, 0), (0.125, 0, 0), (0.375, 1, 1), (0.64, 1, 1), (0.91, 0, 0), (1, 0, 0)],
    "blue": [(0, 0.5, 0.5), (0.11, 1, 1), (0.34, 1, 1), (0.65, 0, 0), (1, 0, 0)],
}


def _lut(seg, n=256):
    x = [s[0] * (n - 1) for s in seg]
    lut = [0.0] * n
    lut[0], lut[-1] = seg[0][2], seg[-1][1]
    for i in range(1, n - 1):
        xind = (n - 1) * (i * (1 / (n - 1)))
        ind = 0
        while x[ind] < xind:
            ind += 1
        d = (xind - x[ind - 1]) / (x[ind] - x[ind - 1])
        lut[i] = d * (seg[ind][1] - seg[ind - 1][2]) + seg[ind - 1][2]
    return [min(1.0, max(0.0, v)) for v in lut]


@functools.lru_cache(maxsize=8)
def jet_colors(n: int) -> list:
    """matplotlib's jet as HAMSTER calls it (src/core/jet.ts): n RGB byte triples, start dark blue."""
    tables = [_lut(_JET[c]) for c in ("red", "green", "blue")]
    out = []
    for i in range(n):
        v = 0.0 if n == 1 else (1.0 if i == n - 1 else i * (1 / (n - 1)))
        idx = min(int(v * 256), 255)
        out.append(tuple(int(t[idx] * 255) for t in tables))
    return out


def resize_bilinear(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    """uint8 HxWx3 -> float32 height x width x 3 (0..255), bilinear, pixel centres at +0.5, edges clamped.
    Written out (not cv2.resize) so that the TypeScript side can do exactly the same arithmetic."""
    h, w = rgb.shape[:2]
    src = rgb.astype(np.float32)
    ys = np.clip((np.arange(height, dtype=np.float64) + 0.5) * (h / height) - 0.5, 0, h - 1)
    xs = np.clip((np.arange(width, dtype=np.float64) + 0.5) * (w / width) - 0.5, 0, w - 1)
    y0 = np.floor(ys).astype(np.int64); x0 = np.floor(xs).astype(np.int64)
    y1 = np.minimum(y0 + 1, h - 1); x1 = np.minimum(x0 + 1, w - 1)
    wy = (ys - y0).astype(np.float32)[:, None, None]; wx = (xs - x0).astype(np.float32)[None, :, None]
    top = src[y0][:, x0] * (1 - wx) + src[y0][:, x1] * wx
    bot = src[y1][:, x0] * (1 - wx) + src[y1][:, x1] * wx
    return top * (1 - wy) + bot * wy


def draw_path(canvas: np.ndarray, path: Path) -> np.ndarray:
    """HAMSTER's `draw_lines_on_image_cv(..., draw_action=True)` on an RGB uint8 array, in place."""
    h, w = canvas.shape[:2]
    s = max(min(w, h) / 512, 1)
    thick, radius = max(1, int(2 * s)), int(7 * s)
    pts = path.points
    before = None
    for i, (x, y, closed) in enumerate(pts):
        if i == 0 or closed != pts[i - 1][2]:
            cv2.circle(canvas, (int(x * w), int(y * h)), radius, (0, 0, 255) if closed else (255, 0, 0), thick)
        before = closed
    del before
    pix = []
    for x, y, _ in pts:
        p = (int(x * w), int(y * h))
        if not pix or pix[-1] != p:
            pix.append(p)
    if len(pix) < 2:
        return canvas
    arr = np.array(pix, dtype=np.float32)
    seg = np.linalg.norm(np.diff(arr, axis=0), axis=1)
    cum = np.concatenate([[0], np.cumsum(seg)])
    at = np.linspace(0, cum[-1], 100)
    track = []
    for a in at:
        i = min(np.searchsorted(cum, a, side="left"), len(cum) - 1)
        i = max(i, 1)
        t = (a - cum[i - 1]) / (cum[i] - cum[i - 1])
        p = (1 - t) * arr[i - 1] + t * arr[i]
        track.append((int(p[0]), int(p[1])))
    colors = jet_colors(100)
    for i in range(99):
        cv2.line(canvas, track[i], track[i + 1], colors[i], thick)
    return canvas


def policy_input(rgb: np.ndarray, path, mode: str, size: int) -> np.ndarray:
    """The low-level policy's image: resized to size², then the path drawn at that size
    (`overlay`: on the image, 3 channels; `concat`: image + path on black, 6 channels; `none`: image).
    Returns float32 CxHxW in 0..1."""
    img = np.ascontiguousarray(np.clip(np.rint(resize_bilinear(rgb, size, size)), 0, 255).astype(np.uint8))
    if mode == "overlay":
        img = draw_path(img.copy(), path)
        chans = [img]
    elif mode == "concat":
        chans = [img, draw_path(np.zeros(img.shape, dtype=np.uint8), path)]
    else:
        chans = [img]
    return np.concatenate(chans, axis=2).transpose(2, 0, 1).astype(np.float32) / 255.0
