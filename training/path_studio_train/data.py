"""Training samples built from episodes (LeRobot) or a HAMSTER/VILA export."""
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

from .images import draw_path, resize_bilinear
from .paths import Path, resample_keeping_events
from .textenc import HASHED_BOW_RGB_V1, HASHED_BOW_V1, encode_instruction, rotate_colour_slots


def planner_image(rgb: np.ndarray, size: int, mean, std) -> np.ndarray:
    """uint8 HxWx3 -> float32 3xHxW normalized, as the studio's preprocessing does."""
    x = resize_bilinear(rgb, size, size) / 255.0
    return ((x - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)).transpose(2, 0, 1).astype(np.float32)


def planner_target(path: Path, k: int):
    r = resample_keeping_events(path, k).points
    return np.array([[p[0], p[1]] for p in r], dtype=np.float32), np.array([1.0 if p[2] else 0.0 for p in r], dtype=np.float32)


def made_up_word(rng) -> str:
    return "".join(chr(97 + int(c)) for c in rng.integers(0, 26, size=int(rng.integers(3, 8))))


def perturb_words(text: str, rng, replace: float) -> str:
    """Word noise for the planner's instructions: each word becomes a made-up one with probability
    `replace`, and half the time a made-up word is inserted somewhere. A bag-of-words planner
    otherwise meets its first unfamiliar word (a new verb: "hit the green button") at test time and
    is thrown by it; trained with noise it learns to find the object by the words it knows."""
    words = [made_up_word(rng) if rng.random() < replace else w for w in text.split()]
    if rng.random() < 0.5:
        words.insert(int(rng.integers(0, len(words) + 1)), made_up_word(rng))
    return " ".join(words)


def hue_rotation(theta: float) -> np.ndarray:
    """3x3: RGB rotated by `theta` about the grey axis (Rodrigues), which keeps greys grey."""
    u = np.full(3, 1 / np.sqrt(3))
    cross = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return (np.cos(theta) * np.eye(3) + np.sin(theta) * cross + (1 - np.cos(theta)) * np.outer(u, u)).astype(np.float32)


class PlannerSet(torch.utils.data.Dataset):
    """(image, text, points, gripper, path) from (rgb, instruction, path) triples. With `augment`,
    shifted images; with `word_noise` > 0, instructions with made-up words (`perturb_words`); with
    `hue` > 0 and the `hashed-bow-rgb-v1` encoding, that share of the samples has the image's and
    the instruction's colours rotated by the same random hue (see `__getitem__`)."""

    def __init__(self, triples, size, k, text_dim, mean, std, augment=False, seed=0, word_noise=0.0,
                 text_encoding=HASHED_BOW_V1, hue=0.0):
        if hue > 0 and text_encoding != HASHED_BOW_RGB_V1:
            raise ValueError(f"hue augmentation needs the {HASHED_BOW_RGB_V1} text encoding (colour words as colours)")
        self.text_encoding = text_encoding
        self.items = []
        for rgb, instruction, path in triples:
            pts, grip = planner_target(path, k)
            self.items.append((planner_image(rgb, size, mean, std), self.encode(instruction, text_dim), pts, grip))
        self.paths = [t[2] for t in triples]
        self.instructions = [t[1] for t in triples]
        self.augment, self.size, self.text_dim, self.word_noise, self.hue = augment, size, text_dim, word_noise, hue
        self.mean, self.std = np.array(mean, np.float32).reshape(3, 1, 1), np.array(std, np.float32).reshape(3, 1, 1)
        self.rng = np.random.default_rng(seed)

    def encode(self, instruction, dim):
        return encode_instruction(self.text_encoding, instruction, dim)

    def rotate_hue(self, img, text):
        """The same hue rotation on the pixels and on the instruction's colours: "purple" is a
        colour the sim never shows in training, but a rotated red cube with the rotated red in its
        instruction teaches the planner to find any colour it is told, not the seven it saw."""
        m = hue_rotation(self.rng.uniform(0, 2 * np.pi))
        rgb = np.clip(img * self.std + self.mean, 0, 1)
        img = (np.clip(np.einsum("ij,jhw->ihw", m, rgb), 0, 1) - self.mean) / self.std
        return img, rotate_colour_slots(text, m)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        img, text, pts, grip = self.items[i]
        if self.augment:
            # Shift the scene a few pixels (and the path with it) and jitter brightness; never hue,
            # which carries the colour words of the instruction.
            dx, dy = self.rng.integers(-6, 7, size=2)
            img = np.roll(img, (int(dy), int(dx)), axis=(1, 2))
            pts = pts + np.array([dx, dy], dtype=np.float32) / self.size
            img = img * self.rng.uniform(0.85, 1.15) + self.rng.uniform(-0.2, 0.2)
            if self.word_noise > 0:
                text = self.encode(perturb_words(self.instructions[i], self.rng, self.word_noise), self.text_dim)
            if self.hue > 0 and self.rng.random() < self.hue:
                img, text = self.rotate_hue(img, text)
        return torch.from_numpy(np.ascontiguousarray(img, dtype=np.float32)), torch.from_numpy(text), torch.from_numpy(pts), torch.from_numpy(grip)


def action_chunks(actions: np.ndarray, chunk: int) -> np.ndarray:
    """[N,A] -> [N,chunk,A]: the next `chunk` actions from each frame; past the end the arm holds
    still and keeps its gripper."""
    hold = actions[-1:].copy()
    hold[:, :3] = 0
    padded = np.concatenate([actions, np.repeat(hold, chunk - 1, axis=0)], axis=0)
    return np.stack([padded[t: t + chunk] for t in range(len(actions))]).astype(np.float32)


class PolicySet:
    """Every frame of every episode: (image with the episode's path drawn per `mode`, state, [text],
    action chunk[, path points, path gripper]), built a batch at a time with array operations.

    The path is fixed per episode, so it is drawn once per episode on black at the input size;
    `overlay` then copies the drawn pixels over the frame. That equals drawing on the frame
    (`images.policy_input`: HAMSTER's lines and circles are opaque and never black), which the
    tests check. Frames are expected at the input size already (`load_dataset(frame_size=...)`)."""

    def __init__(self, episodes, mode, size, chunk, text_dim=0, text_encoding=HASHED_BOW_V1, hue=0.0, path_points=0):
        if hue > 0 and (not text_dim or text_encoding != HASHED_BOW_RGB_V1):
            raise ValueError(f"hue augmentation needs an instruction in the {HASHED_BOW_RGB_V1} text encoding (colour words as colours)")
        self.episodes, self.mode, self.size, self.chunk, self.text_dim = episodes, mode, size, chunk, text_dim
        self.hue = hue
        self.ep_of = np.concatenate([np.full(len(e.frames), i, dtype=np.int64) for i, e in enumerate(episodes)])
        self.t_of = np.concatenate([np.arange(len(e.frames), dtype=np.int64) for e in episodes])
        self.states = np.concatenate([e.states[: len(e.frames)] for e in episodes]).astype(np.float32)
        self.actions = np.concatenate([action_chunks(e.actions, chunk)[: len(e.frames)] for e in episodes])
        self.paths = [e.path for e in episodes]
        self.texts = np.stack([encode_instruction(text_encoding, e.instruction, text_dim) for e in episodes]) if text_dim else None
        # With `path_points`, each batch also carries its episodes' paths as the planner's target
        # (train.py --path-aux); the ±2 px shift augmentation is not applied to them.
        self.path_targets = None
        if path_points:
            targets = [planner_target(p, path_points) for p in self.paths]
            self.path_targets = (np.stack([t[0] for t in targets]), np.stack([t[1] for t in targets]))
        self.layers = None
        if mode in ("overlay", "concat"):
            self.layers = np.stack([draw_path(np.zeros((size, size, 3), np.uint8), p) for p in self.paths])
            self.masks = self.layers.any(axis=3, keepdims=True)

    def __len__(self):
        return len(self.ep_of)

    def frame(self, e, t) -> np.ndarray:
        f = self.episodes[e].frames[t]
        if f.shape[:2] != (self.size, self.size):
            raise ValueError(f"frame is {f.shape[1]}x{f.shape[0]}, the policy input is {self.size}²: load with frame_size={self.size}")
        return f

    def batch(self, idx, rng=None):
        """Tensors for the frames `idx`; with `rng`, light augmentation (see `augment`)."""
        idx = np.asarray(idx)
        eps = self.ep_of[idx]
        img = np.stack([self.frame(e, t) for e, t in zip(eps, self.t_of[idx])]).astype(np.float32)
        texts = self.texts[eps] if self.texts is not None else None
        if rng is not None:
            img = jitter_colours(img, rng)
            if self.hue > 0:
                img, texts = self.rotate_hues(img, texts, rng)
        if self.mode == "overlay":
            img = np.where(self.masks[eps], self.layers[eps], img)
        elif self.mode == "concat":
            img = np.concatenate([img, self.layers[eps].astype(np.float32)], axis=3)
        if rng is not None:
            img = shift(img, rng)
        img = np.ascontiguousarray(img.transpose(0, 3, 1, 2), dtype=np.float32) / np.float32(255)
        text = torch.from_numpy(texts) if texts is not None else torch.zeros(len(idx), 0)
        out = (torch.from_numpy(img.astype(np.float32)), torch.from_numpy(self.states[idx]), text, torch.from_numpy(self.actions[idx]))
        if self.path_targets is not None:
            out += (torch.from_numpy(self.path_targets[0][eps]), torch.from_numpy(self.path_targets[1][eps]))
        return out

    def rotate_hues(self, img, texts, rng):
        """The planner's colour augmentation (PlannerSet.rotate_hue) for an instruction-conditioned
        policy: a `hue` share of the frames has its pixels and its instruction's colours rotated by
        the same random hue, so the flat baseline learns colour words as the planner does."""
        img, texts = img.copy(), texts.copy()
        for i in np.flatnonzero(rng.random(len(img)) < self.hue):
            m = hue_rotation(rng.uniform(0, 2 * np.pi))
            img[i] = np.clip(np.einsum("ij,hwj->hwi", m, img[i]), 0, 255)
            texts[i] = rotate_colour_slots(texts[i], m)
        return img, texts

    def __getitem__(self, i):
        return tuple(x[0] for x in self.batch([i]))


def jitter_colours(img: np.ndarray, rng, strength=0.15) -> np.ndarray:
    """Brightness, contrast and a small per-channel gain per image (float 0..255, [B,H,W,C]): the
    held-out scenes have unseen colours and table tints; hue stays, it carries colour words."""
    b = len(img)
    f32 = np.float32
    gain = (rng.uniform(1 - strength, 1 + strength, (b, 1, 1, 1)) * rng.uniform(1 - strength / 3, 1 + strength / 3, (b, 1, 1, img.shape[3]))).astype(f32)
    mean = img.mean(axis=(1, 2, 3), keepdims=True, dtype=f32)
    contrast = rng.uniform(1 - strength, 1 + strength, (b, 1, 1, 1)).astype(f32)
    offset = rng.uniform(-10, 10, (b, 1, 1, 1)).astype(f32)
    out = (img - mean) * contrast
    out += mean * gain + offset
    return np.clip(out, 0, 255, out=out)


def shift(img: np.ndarray, rng, max_px=2) -> np.ndarray:
    """Moves each image (and the path drawn on it) by up to `max_px` pixels, edges replicated:
    the camera pose varies a little between scenes."""
    h, w = img.shape[1:3]
    out = np.empty_like(img)
    for i, (dy, dx) in enumerate(rng.integers(-max_px, max_px + 1, size=(len(img), 2))):
        ys = np.clip(np.arange(h) - dy, 0, h - 1)
        xs = np.clip(np.arange(w) - dx, 0, w - 1)
        out[i] = img[i][ys][:, xs]
    return out


class Batches:
    """Random batches of a PolicySet, one pass per iteration (what `fit` loops over)."""

    def __init__(self, ds: PolicySet, batch: int, seed=0, augment=True):
        self.ds, self.batch = ds, batch
        self.rng = np.random.default_rng(seed)
        self.augment = augment

    def __len__(self):
        return max(1, len(self.ds) // self.batch)

    def __iter__(self):
        """Batches are built one ahead in a thread (numpy releases the GIL), beside the optimiser step."""
        order = self.rng.permutation(len(self.ds))
        make = lambda i: self.ds.batch(order[i * self.batch: (i + 1) * self.batch], self.rng if self.augment else None)  # noqa: E731
        with ThreadPoolExecutor(max_workers=1) as pool:
            ahead = pool.submit(make, 0)
            for i in range(len(self)):
                batch = ahead.result()
                if i + 1 < len(self):
                    ahead = pool.submit(make, i + 1)
                yield batch


def downsize(size):
    """A frame_fn for lerobot.load_dataset: keep frames at `size`² (uint8) to save memory."""
    return lambda rgb: np.clip(np.rint(resize_bilinear(rgb, size, size)), 0, 255).astype(np.uint8)
