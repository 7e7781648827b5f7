"""Starts a flat baseline's image and text layers from a trained planner's (its ONNX file).

Why: the flat model must find the instructed object from pixels and words with nothing but action
labels. A planner trained on the *same* robot episodes' paths has learned exactly that; starting
from it asks whether finding the object is what the flat model lacks (docs/EVAL.md). No data beyond
the flat model's own episodes is used.

The planner sees pixels normalized with mean 0.5, std 0.25 (card.PLANNER_MEAN/STD); the policy
sees x / 255. The first convolution is rescaled so that it computes the same on the policy's
input (exact away from the border, where the zero padding means a different grey).
"""
import onnx
import torch
from onnx import numpy_helper

from . import card as cards
from .models import Policy

# Backbone layers copied as they are (same shapes when the widths match).
_DIRECT = ["text.0", "backbone.c2.0", "backbone.c3.0", "backbone.c4.0", "backbone.kp"]
# The GroupNorm scales and shifts: torch.onnx folds them into Mul/Add constants, one pair per
# conv block, in the blocks' order.
_NORMS = ["backbone.c1.1", "backbone.c2.1", "backbone.c3.1", "backbone.c4.1"]


def planner_weights(onnx_file: str) -> dict:
    """The planner graph's weights by torch name (the GroupNorm ones recovered by order)."""
    graph = onnx.load(onnx_file).graph
    named = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    scales = [t for n, t in named.items() if n.startswith("onnx::Mul_")]
    shifts = [t for n, t in named.items() if n.startswith("onnx::Add_")]
    if len(scales) != len(_NORMS) or len(shifts) != len(_NORMS):
        raise ValueError(f"{onnx_file}: expected {len(_NORMS)} folded GroupNorm scales and shifts, found {len(scales)} and {len(shifts)}")
    for norm, scale, shift in zip(_NORMS, scales, shifts):
        named[f"{norm}.weight"], named[f"{norm}.bias"] = scale.flatten(), shift.flatten()
    return named


@torch.no_grad()
def init_flat_from_planner(policy: Policy, onnx_file: str) -> list:
    """Copies the planner's text layer, backbone and keypoints into a flat `policy`; returns the names set."""
    if policy.text is None:
        raise ValueError("only the flat baseline (which reads the instruction) can start from a planner")
    w = planner_weights(onnx_file)
    target = policy.state_dict()
    done = []

    def put(name, value):
        if target[name].shape != value.shape:
            raise ValueError(f"{name}: the planner's is {tuple(value.shape)}, the policy's {tuple(target[name].shape)} (use the planner's --width)")
        target[name].copy_(value)
        done.append(name)

    for layer in _DIRECT:
        for p in ("weight", "bias"):
            put(f"{layer}.{p}", w[f"{layer}.{p}"])
    for norm in _NORMS:
        for p in ("weight", "bias"):
            put(f"{norm}.{p}", w[f"{norm}.{p}"])
    # First conv: planner input = (x - mean) / std per channel, policy input = x.
    mean = torch.tensor(cards.PLANNER_MEAN, dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(cards.PLANNER_STD, dtype=torch.float32).view(1, -1, 1, 1)
    c1w, c1b = w["backbone.c1.0.weight"], w["backbone.c1.0.bias"]
    put("backbone.c1.0.weight", c1w / std)
    put("backbone.c1.0.bias", c1b - (c1w * mean / std).sum(dim=(1, 2, 3)))
    # FiLM: the planner's is conditioned on the text alone; the flat policy's on [state (64), text].
    film_w, film_b = w["backbone.film.weight"], w["backbone.film.bias"]
    state_cols = target["backbone.film.weight"].shape[1] - film_w.shape[1]
    if target["backbone.film.weight"].shape[0] != film_w.shape[0] or state_cols < 0:
        raise ValueError(f"backbone.film: the planner's is {tuple(film_w.shape)}, the policy's {tuple(target['backbone.film.weight'].shape)}")
    target["backbone.film.weight"][:, state_cols:].copy_(film_w)
    target["backbone.film.weight"][:, :state_cols].mul_(0.1)  # the state starts as a small nudge
    put("backbone.film.bias", film_b)
    done.append("backbone.film.weight")
    policy.load_state_dict(target)
    return done
