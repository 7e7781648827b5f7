"""Training samples built from episodes (LeRobot) or a HAMSTER/VILA export."""
import numpy as np
import torch

from .images import policy_input, resize_bilinear
from .paths import Path, resample
from .textenc import encode_text


def planner_image(rgb: np.ndarray, size: int, mean, std) -> np.ndarray:
    """uint8 HxWx3 -> float32 3xHxW normalized, as the studio's preprocessing does."""
    x = resize_bilinear(rgb, size, size) / 255.0
    return ((x - np.array(mean, dtype=np.float32)) / np.array(std, dtype=np.float32)).transpose(2, 0, 1).astype(np.float32)


def planner_target(path: Path, k: int):
    r = resample(path, k).points
    return np.array([[p[0], p[1]] for p in r], dtype=np.float32), np.array([1.0 if p[2] else 0.0 for p in r], dtype=np.float32)


class PlannerSet(torch.utils.data.Dataset):
    """(image, text, points, gripper, path) from (rgb, instruction, path) triples."""

    def __init__(self, triples, size, k, text_dim, mean, std, augment=False, seed=0):
        self.items = []
        for rgb, instruction, path in triples:
            pts, grip = planner_target(path, k)
            self.items.append((planner_image(rgb, size, mean, std), encode_text(instruction, text_dim), pts, grip))
        self.paths = [t[2] for t in triples]
        self.instructions = [t[1] for t in triples]
        self.augment, self.size = augment, size
        self.rng = np.random.default_rng(seed)

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
        return torch.from_numpy(np.ascontiguousarray(img, dtype=np.float32)), torch.from_numpy(text), torch.from_numpy(pts), torch.from_numpy(grip)


class PolicySet(torch.utils.data.Dataset):
    """Every frame of every episode: (image with the episode's path drawn per `mode`, state, [text], action chunk)."""

    def __init__(self, episodes, mode, size, chunk, text_dim=0):
        self.index = [(e, t) for e in range(len(episodes)) for t in range(len(episodes[e].frames))]
        self.episodes, self.mode, self.size, self.chunk, self.text_dim = episodes, mode, size, chunk, text_dim
        self.paths = [e.path for e in episodes]
        self.texts = [encode_text(e.instruction, text_dim) if text_dim else None for e in episodes]

    def __len__(self):
        return len(self.index)

    def __getitem__(self, i):
        e, t = self.index[i]
        ep = self.episodes[e]
        img = policy_input(ep.frames[t], self.paths[e], self.mode, self.size)
        acts = ep.actions[t: t + self.chunk]
        if len(acts) < self.chunk:  # past the end: hold still, keep the gripper
            pad = np.repeat(ep.actions[-1:], self.chunk - len(acts), axis=0).copy()
            pad[:, :3] = 0
            acts = np.concatenate([acts, pad], axis=0)
        text = torch.from_numpy(self.texts[e]) if self.text_dim else torch.zeros(0)
        return torch.from_numpy(img), torch.from_numpy(ep.states[t]), text, torch.from_numpy(acts.astype(np.float32))


def downsize(size):
    """A frame_fn for lerobot.load_dataset: keep frames at `size`² (uint8) to save memory."""
    return lambda rgb: np.clip(np.rint(resize_bilinear(rgb, size, size)), 0, 255).astype(np.uint8)
