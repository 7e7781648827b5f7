"""Reads a LeRobot v3.0 dataset (as the simulator and the studio's exporter write it) into episodes:
frames, states, actions, the instruction and, from the `path_studio` calibration block of
`meta/info.json`, the end-effector path projected into the image (docs/CAMERAS.md, docs/SIM.md).

Parquet goes through a small Node helper (Debian has no pyarrow); video through the ffmpeg CLI.
Assumption: the video file(s) of the camera hold the frames in the dataset's global `index` order
(true for the simulator and for lerobot's own concatenated v3.0 files)."""
import glob
import json
import os
import subprocess
from dataclasses import dataclass

import numpy as np

from .framecache import cached_frames
from .paths import Path, simplify

HERE = os.path.dirname(os.path.abspath(__file__))
CAMERA = "observation.images.front"


@dataclass
class Episode:
    index: int
    instruction: str
    states: np.ndarray   # [N, S]
    actions: np.ndarray  # [N, A]
    frames: list         # per frame: uint8 HxWx3 (already reduced by `frame_fn` when given)
    raw_path: Path       # projected ee point of every frame, gripper state = commanded gripper
    split: str = "train"
    task_kind: str = ""
    success: bool = True
    plan_path: Path = None  # the path the arm was asked to follow, when stored (DAgger episodes)

    @property
    def path(self) -> Path:
        """The episode's path: the one the arm was asked to follow when the episode stores it
        (policy-driven DAgger episodes, where the executed trajectory is the policy's, not the
        plan); otherwise the executed trajectory as an annotator would draw it (RDP, ε = 0.05)."""
        return self.plan_path if self.plan_path is not None else simplify(self.raw_path, 0.05)


def read_parquet(file: str, columns=None) -> dict:
    out = subprocess.run(["node", os.path.join(HERE, "parquet_to_json.mjs"), file, *(columns or [])],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["columns"]


def decode_video(file: str, width: int, height: int):
    """Yields uint8 HxWx3 RGB frames of `file` in order (ffmpeg CLI, rawvideo pipe)."""
    proc = subprocess.Popen(["ffmpeg", "-v", "error", "-i", file, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                            stdout=subprocess.PIPE)
    size = width * height * 3
    try:
        while True:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                break
            yield np.frombuffer(buf, dtype=np.uint8).reshape(height, width, 3)
    finally:
        proc.stdout.close()
        proc.wait()


def project(T: np.ndarray, K: np.ndarray, xyz: np.ndarray, width: int, height: int) -> np.ndarray:
    """World points [N,3] -> normalized image coordinates [N,2] ((u + 0.5) / width, docs/SIM.md)."""
    c = (T[:3, :3] @ xyz.T).T + T[:3, 3]
    if np.any(c[:, 2] <= 0):
        raise ValueError("a projected end-effector point lies behind the camera: the extrinsics are not world-to-camera")
    u = K[0, 0] * c[:, 0] / c[:, 2] + K[0, 2]
    v = K[1, 1] * c[:, 1] / c[:, 2] + K[1, 2]
    return np.stack([(u + 0.5) / width, (v + 0.5) / height], axis=1)


def load_dataset(root: str, frame_fn=None, first_frame_only: bool = False, max_episodes=None, frame_size=None) -> list:
    """Episodes of the LeRobot dataset at `root`. `frame_fn(rgb)` reduces each frame as it is decoded
    (e.g. resizing) so that thousands of episodes fit in memory. With `frame_size`, frames come
    resized to that side from the dataset's frame cache (framecache.py; built on first use), each
    episode's frames one memory-mapped uint8 array [N,size,size,3]."""
    info_file = os.path.join(root, "meta", "info.json")
    if not os.path.exists(info_file):
        raise FileNotFoundError(f"{root}: no meta/info.json — is this a LeRobot v3.0 dataset?")
    with open(info_file) as f:
        info = json.load(f)
    ext = info.get("path_studio")
    if not ext:
        raise ValueError(f"{info_file}: no 'path_studio' calibration block; project the path in the studio and export it first")
    cam = ext["cameras"][CAMERA]
    K, width, height = np.array(cam["K"], dtype=np.float64), cam["width"], cam["height"]
    ee_idx = ext["state_ee_position"]["indices"]
    meta_eps = {e["episode_index"]: e for e in ext.get("episodes", [])}
    tasks = {}
    for f in sorted(glob.glob(os.path.join(root, "meta", "tasks.parquet"))):
        cols = read_parquet(f)
        names = cols.get("__index_level_0__") or cols.get("task")
        for name, ti in zip(names, cols["task_index"]):
            tasks[int(ti)] = name
    data = {"observation.state": [], "action": [], "episode_index": [], "task_index": [], "frame_index": []}
    for f in sorted(glob.glob(os.path.join(root, "data", "chunk-*", "file-*.parquet"))):
        cols = read_parquet(f, list(data))
        for k in data:
            data[k] += cols[k]
    ep_of = np.array(data["episode_index"], dtype=np.int64)
    states = np.array(data["observation.state"], dtype=np.float32)
    actions = np.array(data["action"], dtype=np.float32)
    n_eps = int(ep_of.max()) + 1 if len(ep_of) else 0
    if max_episodes is not None:
        n_eps = min(n_eps, max_episodes)
    frames_by_ep = {e: [] for e in range(n_eps)}
    videos = sorted(glob.glob(os.path.join(root, "videos", CAMERA, "chunk-*", "file-*.mp4")))
    if frame_size:
        def decode_all():
            for vf in videos:
                yield from decode_video(vf, width, height)
        cache = cached_frames(root, frame_size, len(ep_of), decode_all)
        for e in range(n_eps):
            rows = np.flatnonzero(ep_of == e)
            if len(rows) and rows[-1] - rows[0] + 1 != len(rows):
                raise ValueError(f"{root}: episode {e}'s rows are not contiguous")
            frames_by_ep[e] = cache[rows[0]: rows[0] + (1 if first_frame_only else len(rows))] if len(rows) else cache[:0]
        videos = []  # frames are in hand
    gi = 0
    for vf in videos:
        for rgb in decode_video(vf, width, height):
            if gi >= len(ep_of):
                break
            e = int(ep_of[gi])
            if e < n_eps and not (first_frame_only and frames_by_ep[e]):
                frames_by_ep[e].append(frame_fn(rgb) if frame_fn else rgb.copy())
            gi += 1
            if e >= n_eps:
                break
    episodes = []
    per_ep_T = cam["world_to_camera_per_episode"]
    for e in range(n_eps):
        sel = ep_of == e
        st, ac = states[sel], actions[sel]
        uv = project(np.array(per_ep_T[e], dtype=np.float64), K, st[:, ee_idx].astype(np.float64), width, height)
        closed = ac[:, 3] > 0.5
        raw = Path([(float(x), float(y), bool(c)) for (x, y), c in zip(uv, closed)], False)
        m = meta_eps.get(e, {})
        ti = int(np.array(data["task_index"])[sel][0])
        plan = m.get("plan_path")
        plan = Path([(float(x), float(y), bool(c)) for x, y, c in plan], bool(m.get("plan_path_initial_closed", False))) if plan else None
        episodes.append(Episode(e, tasks.get(ti, m.get("task", "")), st, ac, frames_by_ep[e], raw,
                                m.get("split", "train"), m.get("task_kind", ""), bool(m.get("success", True)), plan))
    return episodes
