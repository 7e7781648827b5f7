"""Starts a flat baseline's image and text layers from a trained planner's (its ONNX file).

Why: the flat model must find the instructed object from pixels and words with nothing but action
labels. A planner trained on the *same* robot episodes' paths has learned exactly that; starting
from it asks whether finding the object is what the flat model lacks (docs/EVAL.md). No data beyond
the flat model's own episodes is used.

The planner sees pixels normalized with its card's mean and std; the policy sees x / 255. The
first convolution is rescaled so that it computes the same on the policy's input (exact away from
the border, where the zero padding means a different grey).
"""
import json
import os
import re

import onnx
import torch
from onnx import numpy_helper

from .models import Policy

# Layers copied as they are (same shapes when the widths match); the first convolution is rescaled.
_DIRECT = ["text.0", "backbone.c2.0", "backbone.c3.0", "backbone.c4.0", "backbone.kp"]
_NORMS = ["backbone.c1.1", "backbone.c2.1", "backbone.c3.1", "backbone.c4.1"]


def planner_weights(onnx_file: str) -> dict:
    """The planner graph's weights by torch name. torch.onnx turns each GroupNorm's scale and shift
    into a Mul and an Add on constants it names freely (and shares between equal ones), so those are
    found by the node they feed: the one whose other input comes out of `/backbone/cN/cN.1/`."""
    graph = onnx.load(onnx_file).graph
    named = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in graph.initializer}
    weights = {n: t for n, t in named.items() if not n.startswith("onnx::")}
    # Equal constants are stored once and passed on by Identity nodes.
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in named:
            named[node.output[0]] = named[node.input[0]]
    for node in graph.node:
        if node.op_type not in ("Mul", "Add") or len(node.input) != 2:
            continue
        data, const = node.input
        m = re.match(r"^/(backbone/c\d)/c\d\.1/", data)
        if m and const in named:
            part = "weight" if node.op_type == "Mul" else "bias"
            weights[f"{m.group(1).replace('/', '.')}.1.{part}"] = named[const].flatten()
    missing = [f"{n}.{p}" for n in _NORMS for p in ("weight", "bias") if f"{n}.{p}" not in weights]
    if missing:
        raise ValueError(f"{onnx_file}: no {', '.join(missing)} in the graph (not a planner exported by this trainer?)")
    return weights


@torch.no_grad()
def init_flat_from_planner(policy: Policy, planner_dir: str, text_encoding: str) -> str:
    """Copies the planner's text layer, backbone and keypoints (model.onnx and card.json in
    `planner_dir`) into a flat `policy` that reads instructions as `text_encoding`; returns the
    planner's name."""
    if policy.text is None:
        raise ValueError("only the flat baseline (which reads the instruction) can start from a planner")
    with open(os.path.join(planner_dir, "card.json")) as f:
        card = json.load(f)
    if card.get("role") != "planner":
        raise ValueError(f"{planner_dir}: its card is of a {card.get('role')}, not a planner")
    if card["text"]["encoding"] != text_encoding:
        raise ValueError(f"{planner_dir}: the planner reads instructions as {card['text']['encoding']}, this model as {text_encoding}: "
                         f"train it with --text-encoding {card['text']['encoding']}")
    w = planner_weights(os.path.join(planner_dir, "model.onnx"))
    target = policy.state_dict()

    def put(name, value):
        if target[name].shape != value.shape:
            raise ValueError(f"{name}: the planner's is {tuple(value.shape)}, the policy's {tuple(target[name].shape)} (use the planner's --width)")
        target[name].copy_(value)

    for layer in _DIRECT + _NORMS:
        for p in ("weight", "bias"):
            put(f"{layer}.{p}", w[f"{layer}.{p}"])
    # First conv: planner input = (x - mean) / std per channel, policy input = x.
    mean = torch.tensor(card["image"]["mean"], dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(card["image"]["std"], dtype=torch.float32).view(1, -1, 1, 1)
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
    policy.load_state_dict(target)
    return card["name"]
