"""Small convolutional networks (a few hundred thousand parameters) that run in a few milliseconds
in onnxruntime-web's WASM backend.

Both use a spatial soft-argmax (Levine et al., "End-to-End Training of Deep Visuomotor Policies"):
where things are in the image is what matters for paths and reaching, and the keypoint coordinates
give the heads that directly. Language enters by FiLM (Perez et al.) on the feature maps, so the
instruction can select which object the keypoints track."""
import torch
from torch import nn
import torch.nn.functional as F


def conv(cin, cout, k=3, s=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2), nn.GroupNorm(8, cout), nn.ReLU(inplace=True))


class SpatialSoftArgmax(nn.Module):
    """[B,C,H,W] -> [B,2C]: the expected (x, y) in [-1, 1] of a softmax over each channel."""

    def forward(self, x):
        b, c, h, w = x.shape
        p = F.softmax(x.reshape(b, c, h * w), dim=-1).reshape(b, c, h, w)
        xs = torch.linspace(-1, 1, w, device=x.device).reshape(1, 1, 1, w)
        ys = torch.linspace(-1, 1, h, device=x.device).reshape(1, 1, h, 1)
        return torch.cat([(p * xs).sum(dim=(2, 3)), (p * ys).sum(dim=(2, 3))], dim=1)


def add_coords(x):
    b, _, h, w = x.shape
    xs = torch.linspace(-1, 1, w, device=x.device).reshape(1, 1, 1, w).expand(b, 1, h, w)
    ys = torch.linspace(-1, 1, h, device=x.device).reshape(1, 1, h, 1).expand(b, 1, h, w)
    return torch.cat([x, xs, ys], dim=1)


class Backbone(nn.Module):
    """Image [B,C,H,W] (+ optional conditioning vector for FiLM) -> keypoints [B, 2*keypoints]."""

    def __init__(self, in_ch, cond_dim=0, width=48, keypoints=32, keypoint_stride=8):
        super().__init__()
        if keypoint_stride not in (4, 8):
            raise ValueError("keypoint_stride must be 4 or 8")
        self.c1 = conv(in_ch, width // 2, 5, 2)
        self.c2 = conv(width // 2, width, 3, 2)
        # Stride 4 keeps a twice finer keypoint map (24x24 for a 96 px input) for ~3x the compute.
        self.c3 = conv(width + 2, width * 2, 3, keypoint_stride // 4)
        self.c4 = conv(width * 2, width * 2, 3, 1)
        self.film = nn.Linear(cond_dim, 4 * width * 2) if cond_dim else None
        self.kp = nn.Conv2d(width * 2, keypoints, 1)
        self.soft = SpatialSoftArgmax()
        self.width2 = width * 2

    def forward(self, img, cond=None):
        x = self.c2(self.c1(img))
        x = self.c3(add_coords(x))
        if self.film is not None:
            g1, b1, g2, b2 = self.film(cond).reshape(-1, 4, self.width2, 1, 1).unbind(1)
            x = x * (1 + g1) + b1
            x = self.c4(x)
            x = x * (1 + g2) + b2
        else:
            x = self.c4(x)
        return self.soft(self.kp(x))


def path_outputs(out, k):
    """A path head's raw [B, 3K] output as points [B,K,2] in [0,1] and gripper [B,K] (P(closed))."""
    return torch.sigmoid(out[:, : 2 * k]).reshape(-1, k, 2), torch.sigmoid(out[:, 2 * k:])


def path_loss(points, gripper, target_points, target_gripper):
    """The planner's loss: L1 on the points (x10), binary cross-entropy on the gripper flags."""
    return (points - target_points).abs().mean() * 10 + nn.functional.binary_cross_entropy(gripper.clamp(1e-6, 1 - 1e-6), target_gripper)


class Planner(nn.Module):
    """image [1,3,H,W] (normalized), text [1,D] -> points [1,K,2] in [0,1], gripper [1,K] (P(closed))."""

    def __init__(self, k=16, text_dim=256, keypoints=32, width=48):
        super().__init__()
        self.k = k
        self.text = nn.Sequential(nn.Linear(text_dim, 128), nn.ReLU(inplace=True))
        self.backbone = Backbone(3, 128, width=width, keypoints=keypoints)
        self.head = nn.Sequential(nn.Linear(2 * keypoints + 128, 256), nn.ReLU(inplace=True), nn.Linear(256, 3 * k))

    def forward(self, image, text):
        t = self.text(text)
        out = self.head(torch.cat([self.backbone(image, t), t], dim=1))
        return path_outputs(out, self.k)


class Policy(nn.Module):
    """image [1,C,H,W] (C = 3 overlay/flat, 6 concat), state [1,S] (raw units), optional text [1,D]
    (the flat baseline) -> action [1,T,A] in raw units. State and action normalization live in
    the graph (buffers), so the studio feeds and reads physical units."""

    def __init__(self, in_ch, state_dim, action_dim, chunk, state_mean, state_std, action_mean, action_std,
                 text_dim=0, keypoints=32, width=48, keypoint_stride=8, state_mask=None, path_points=0):
        super().__init__()
        self.chunk, self.action_dim, self.text_dim = chunk, action_dim, text_dim
        cond = 64 + (128 if text_dim else 0)
        self.state = nn.Sequential(nn.Linear(state_dim, 64), nn.ReLU(inplace=True))
        self.text = nn.Sequential(nn.Linear(text_dim, 128), nn.ReLU(inplace=True)) if text_dim else None
        self.backbone = Backbone(in_ch, cond, width=width, keypoints=keypoints, keypoint_stride=keypoint_stride)
        self.head = nn.Sequential(nn.Linear(2 * keypoints + cond, 256), nn.ReLU(inplace=True), nn.Linear(256, chunk * action_dim))
        # Training only (train.py --path-aux): the episode's path from the same features, as the
        # planner's head gives it. forward() does not use it, so the exported graph has none of it.
        self.path_points = path_points
        self.path_head = (nn.Sequential(nn.Linear(2 * keypoints + cond, 256), nn.ReLU(inplace=True), nn.Linear(256, 3 * path_points))
                          if path_points else None)
        # 1 for the state values the policy sees, 0 for those it is blind to (see train.py --state-keep).
        mask = torch.ones(state_dim) if state_mask is None else torch.as_tensor(state_mask, dtype=torch.float32)
        for name, v in (("state_mean", state_mean), ("state_std", state_std), ("action_mean", action_mean), ("action_std", action_std),
                        ("state_mask", mask)):
            self.register_buffer(name, torch.as_tensor(v, dtype=torch.float32))

    def features(self, image, state, text=None):
        s = self.state((state - self.state_mean) / self.state_std * self.state_mask)
        cond = torch.cat([s, self.text(text)], dim=1) if self.text is not None else s
        return torch.cat([self.backbone(image, cond), cond], dim=1)

    def forward_normalized(self, image, state, text=None):
        return self.head(self.features(image, state, text)).reshape(-1, self.chunk, self.action_dim)

    def forward_with_path(self, image, state, text=None):
        """Training with --path-aux: the normalized action chunk, and the path points [B,K,2] in [0,1]
        and gripper [B,K] (P(closed)) from the same features."""
        f = self.features(image, state, text)
        return (self.head(f).reshape(-1, self.chunk, self.action_dim), *path_outputs(self.path_head(f), self.path_points))

    def forward(self, image, state, text=None):
        """Raw units; the gripper (last action) snapped to 0/1 at 0.5. The demonstrations only ever
        command open or closed, and the studio sends the value as is: a regression halfway between
        would be a half-closed, slipping grasp."""
        out = self.forward_normalized(image, state, text) * self.action_std + self.action_mean
        return torch.cat([out[..., :-1], (out[..., -1:] > 0.5).float()], dim=-1)


def count_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())
