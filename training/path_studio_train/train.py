"""Command line: train a planner or a policy, export ONNX + model card, evaluate.

  python3 training/train.py planner --lerobot DIR [DIR...] | --vila ZIP [...]  --out public/models/planner
  python3 training/train.py policy --lerobot DIR [...] --mode overlay|concat|flat --out public/models/policy-overlay
  python3 training/train.py evaluate --model public/models/planner --lerobot HELDOUT_DIR [--vila ZIP]
"""
import argparse
import json
import os
import time

import numpy as np
import torch

from . import card as cards
from .data import Batches, PlannerSet, PolicySet, planner_image
from .lerobot import load_dataset
from .models import Planner, Policy, count_params, path_loss
from .paths import Path, from_network, gripper_events, metrics
from .textenc import HASHED_BOW_RGB_V1, HASHED_BOW_V1, encode_instruction
from .vila import load_vila
from .warmstart import init_flat_from_planner

STATE_NAMES = ["ee.x", "ee.y", "ee.z", "gripper", "pan.pos", "shoulder.pos", "elbow.pos", "forearm_roll.pos", "wrist_pitch.pos", "wrist_roll.pos"]
ACTION_NAMES = ["ee.dx", "ee.dy", "ee.dz", "gripper"]
# Points of a planner's path (its --k by default), also those a flat baseline learns beside its actions (--path-aux).
PATH_POINTS = 20


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def lerobot_episodes(spec: str, **load_args) -> list:
    """The episodes of a `--lerobot` argument: `DIR`, or `DIR:kind,kind` for only those task kinds
    (e.g. when a newer dataset replaces one task's demonstrations); an error when none match."""
    d, sep, kinds = spec.rpartition(":")
    if not sep or os.path.sep in kinds:
        return load_dataset(spec, **load_args)
    wanted = set(kinds.split(","))
    episodes = [e for e in load_dataset(d, **load_args) if e.task_kind in wanted]
    if not episodes:
        raise SystemExit(f"{d}: no episodes of the task kinds {sorted(wanted)}")
    return episodes


def planner_triples(args):
    triples = []
    for spec in args.lerobot or []:
        for e in lerobot_episodes(spec, first_frame_only=True, max_episodes=args.max_episodes):
            # Demonstrations only: a policy-driven (DAgger) episode's path is the planner's own.
            if e.success and e.plan_path is None:
                triples.append((e.frames[0], e.instruction, e.path))
    for z in args.vila or []:
        triples += load_vila(z)
    if not triples:
        raise SystemExit("no training samples: pass --lerobot DIR or --vila ZIP")
    return triples


def export_onnx(model, example, names_in, names_out, file):
    model.eval()
    torch.onnx.export(model, example, file, input_names=names_in, output_names=names_out, opset_version=13,
                      do_constant_folding=True)


def fit(model, loader, loss_of, args, label):
    """AdamW + one-cycle schedule for `args.steps` steps (or `args.epochs` passes), logging every 50."""
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    steps = args.steps if args.steps else args.epochs * max(1, len(loader))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    step, t0 = 0, time.time()
    model.train()
    while step < steps:
        for batch in loader:
            loss = loss_of(batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0 or step == steps:
                log(f"{label} step {step}/{steps} loss {loss.item():.4f} ({time.time() - t0:.0f} s, {(time.time() - t0) / step:.3f} s/step)")
            if step >= steps:
                break
    return steps


def train_planner(args):
    torch.manual_seed(args.seed)
    triples = planner_triples(args)
    log(f"planner: {len(triples)} samples")
    ds = PlannerSet(triples, args.size, args.k, args.text_dim, cards.PLANNER_MEAN, cards.PLANNER_STD, augment=True, seed=args.seed,
                    word_noise=args.word_noise, text_encoding=args.text_encoding, hue=args.hue)
    model = Planner(args.k, args.text_dim, width=args.width)
    log(f"planner: {count_params(model)} parameters")
    loader = torch.utils.data.DataLoader(ds, batch_size=args.batch, shuffle=True, drop_last=len(ds) > args.batch)
    def planner_loss(batch):
        img, text, pts, grip = batch
        return path_loss(*model(img, text), pts, grip)

    t0 = time.time()
    steps = fit(model, loader, planner_loss, args, "planner")
    os.makedirs(args.out, exist_ok=True)
    onnx_file = os.path.join(args.out, "model.onnx")
    export_onnx(model, (torch.zeros(1, 3, args.size, args.size), torch.zeros(1, args.text_dim)), ["image", "text"], ["points", "gripper"], onnx_file)
    inputs, outputs, opset = cards.io_of(onnx_file)
    card = {
        "schema": cards.SCHEMA, "name": args.name or "planner", "role": "planner", "version": "1.0.0",
        "description": "Image + instruction -> 2D gripper path (HAMSTER-style high level), Path Studio reference trainer.",
        "opset": opset, "inputs": inputs, "outputs": outputs,
        "image": {"input": "image", "width": args.size, "height": args.size, "channel_order": "RGB", "resize": "bilinear",
                  "scale": 1 / 255, "mean": cards.PLANNER_MEAN, "std": cards.PLANNER_STD},
        "text": {"input": "text", "encoding": args.text_encoding, "dim": args.text_dim},
        "planner": {"points": args.k, "gripper_threshold": 0.5, "simplify_epsilon": 0.05},
        "training": {"samples": len(triples), "steps": steps, "seconds": round(time.time() - t0), "word_noise": args.word_noise, "hue": args.hue,
                     "sources": [os.path.basename(os.path.normpath(p)) for p in (args.lerobot or []) + (args.vila or [])],
                              "parameters": count_params(model), "width": args.width, "batch": args.batch},
        "metrics": {},
    }
    cards.write_card(os.path.join(args.out, "card.json"), card)
    log(f"wrote {onnx_file} ({os.path.getsize(onnx_file) / 1e6:.2f} MB) and card.json")


def train_policy(args):
    torch.manual_seed(args.seed)
    episodes = []
    for spec in args.lerobot or []:
        # Failed demonstrations are dropped; policy-driven (DAgger) episodes are kept either way:
        # every frame carries the expert's label, and the failures are where those matter most.
        episodes += [e for e in lerobot_episodes(spec, frame_size=args.size, max_episodes=args.max_episodes) if e.success or e.plan_path is not None]
    if not episodes:
        raise SystemExit("no training episodes: pass --lerobot DIR")
    flat = args.mode == "flat"
    mode = "none" if flat else args.mode
    text_dim = args.text_dim if flat else 0
    if not flat and (args.text_encoding != HASHED_BOW_V1 or args.hue):
        raise SystemExit("--text-encoding and --hue are for the flat baseline (--mode flat): a path-conditioned policy reads no instruction")
    if args.path_aux and not flat:
        raise SystemExit("--path-aux is for the flat baseline (--mode flat): a path-conditioned policy is given the path")
    path_points = PATH_POINTS if args.path_aux else 0
    ds = PolicySet(episodes, mode, args.size, args.chunk, text_dim, text_encoding=args.text_encoding, hue=args.hue, path_points=path_points)
    states = np.concatenate([e.states for e in episodes]); actions = np.concatenate([e.actions for e in episodes])
    smean, sstd = states.mean(0), states.std(0) + 1e-6
    amean, astd = actions.mean(0), actions.std(0) + 1e-6
    in_ch = 6 if mode == "concat" else 3
    state_names = STATE_NAMES[: states.shape[1]]
    keep = args.state_keep.split(",") if args.state_keep else state_names
    unknown = [k for k in keep if k not in state_names]
    if unknown:
        raise SystemExit(f"--state-keep: no state named {', '.join(unknown)} (the state is {', '.join(state_names)})")
    model = Policy(in_ch, states.shape[1], actions.shape[1], args.chunk, smean, sstd, amean, astd, text_dim=text_dim, width=args.width,
                   keypoint_stride=args.keypoint_stride, state_mask=[1.0 if n in keep else 0.0 for n in state_names], path_points=path_points)
    log(f"policy ({args.mode}): {len(episodes)} episodes, {len(ds)} frames, {count_params(model)} parameters")
    warm_from = None  # the planner the flat baseline starts from, if any
    if args.init_from_planner:
        if not flat:
            raise SystemExit("--init-from-planner is for the flat baseline (--mode flat)")
        try:
            warm_from = init_flat_from_planner(model, args.init_from_planner, args.text_encoding)
        except (OSError, KeyError, ValueError) as e:
            raise SystemExit(f"--init-from-planner: {e}")
        log(f"policy: image and text layers start from the planner {warm_from}")
    loader = Batches(ds, args.batch, seed=args.seed, augment=not args.no_augment)
    amean_t, astd_t = torch.as_tensor(amean, dtype=torch.float32), torch.as_tensor(astd, dtype=torch.float32)

    def policy_loss(batch):
        img, state, text, act = batch[:4]
        if not path_points:
            pred = model.forward_normalized(img, state, text if flat else None)
            return ((pred - (act - amean_t) / astd_t) ** 2).mean()
        # --path-aux: the planner's loss on the episode's path, from the same image and text features.
        pred, points, gripper = model.forward_with_path(img, state, text)
        return ((pred - (act - amean_t) / astd_t) ** 2).mean() + args.path_aux * path_loss(points, gripper, *batch[4:])

    t0 = time.time()
    steps = fit(model, loader, policy_loss, args, "policy")
    os.makedirs(args.out, exist_ok=True)
    onnx_file = os.path.join(args.out, "model.onnx")
    example = [torch.zeros(1, in_ch, args.size, args.size), torch.zeros(1, states.shape[1])]
    names = ["image", "state"]
    if flat:
        example.append(torch.zeros(1, text_dim)); names.append("text")
    export_onnx(model, tuple(example), names, ["action"], onnx_file)
    inputs, outputs, opset = cards.io_of(onnx_file)
    card = {
        "schema": cards.SCHEMA, "name": args.name or f"policy-{args.mode}", "role": "policy", "version": "1.0.0",
        "description": ("Flat baseline: image + instruction + state -> action chunk (no path)." if flat else
                        f"Path-conditioned low-level policy ({mode}): image with the path drawn + state -> action chunk."),
        "opset": opset, "inputs": inputs, "outputs": outputs,
        "image": {"input": "image", "width": args.size, "height": args.size, "channel_order": "RGB", "resize": "bilinear",
                  "scale": 1 / 255, "mean": [0.0] * in_ch, "std": [1.0] * in_ch},
        "conditioning": mode,
        "path_drawing": "HAMSTER overlay rules (docs/PATH_FORMAT.md) drawn on the image after resizing to the input size",
        "state": {"input": "state", "names": state_names, "mean": smean.tolist(), "std": sstd.tolist(), "normalized_in_graph": True},
        "action": {"output": "action", "names": ACTION_NAMES[: actions.shape[1]], "chunk": args.chunk, "mean": amean.tolist(), "std": astd.tolist(),
                   "normalized_in_graph": True, "units": "metres per control step (base frame); gripper 0 open .. 1 closed"},
        "control_rate_hz": 10,
        "training": {"episodes": len(episodes), "frames": len(ds), "steps": steps, "seconds": round(time.time() - t0),
                     "sources": [os.path.basename(os.path.normpath(p)) for p in args.lerobot], "parameters": count_params(model),
                     "width": args.width, "keypoint_stride": args.keypoint_stride, "batch": args.batch, "augment": not args.no_augment,
                     "state_seen": keep, **({"init_from_planner": warm_from} if warm_from else {}),
                     **({"path_aux": args.path_aux, "path_aux_points": path_points} if path_points else {})},
        "metrics": {},
    }
    if flat:
        card["text"] = {"input": "text", "encoding": args.text_encoding, "dim": text_dim}
        card["training"]["hue"] = args.hue
    cards.write_card(os.path.join(args.out, "card.json"), card)
    log(f"wrote {onnx_file} ({os.path.getsize(onnx_file) / 1e6:.2f} MB) and card.json")


def run_planner_onnx(sess, card, rgb, instruction):
    im = card["image"]
    x = planner_image(rgb, im["width"], im["mean"], im["std"])[None]
    t = encode_instruction(card["text"]["encoding"], instruction, card["text"]["dim"])[None]
    points, gripper = sess.run(None, {"image": x, "text": t})
    return from_network(points[0], gripper[0], card["planner"]["gripper_threshold"], card["planner"]["simplify_epsilon"])


def evaluate_policy(args, card, sess):
    """Offline action error of a policy on held-out episodes (every 4th frame): no closed loop here."""
    size = card["image"]["width"]
    episodes = []
    for spec in args.lerobot or []:
        episodes += [e for e in lerobot_episodes(spec, frame_size=size, max_episodes=args.max_episodes) if e.success]
    text_dim = card["text"]["dim"] if "text" in card else 0
    ds = PolicySet(episodes, card["conditioning"], size, card["action"]["chunk"], text_dim)
    astd = np.array(card["action"]["std"], dtype=np.float32)
    sq, grip_ok, n = 0.0, 0, 0
    for i in range(0, len(ds), 4):
        img, state, text, act = ds[i]
        feeds = {"image": img.numpy()[None], "state": state.numpy()[None]}
        if text_dim:
            feeds["text"] = text.numpy()[None]
        (pred,) = sess.run(None, feeds)
        a = act.numpy()
        sq += float((((pred[0] - a) / astd) ** 2).mean())
        grip_ok += int((pred[0, 0, 3] > 0.5) == (a[0, 3] > 0.5))
        n += 1
    return {"heldout_frames": n, "action_mse_normalized": round(sq / n, 4), "gripper_accuracy": round(grip_ok / n, 4),
            "heldout_sources": [os.path.basename(os.path.normpath(p)) for p in args.lerobot]}


def evaluate(args):
    """Held-out metrics written into the card's `metrics`: path metrics for a planner, offline
    action error for a policy."""
    card_file = os.path.join(args.model, "card.json")
    with open(card_file) as f:
        card = json.load(f)
    from .onnx_run import OnnxRunner
    sess = OnnxRunner(os.path.join(args.model, "model.onnx"))
    if card["role"] == "policy":
        result = evaluate_policy(args, card, sess)
        log(json.dumps(result))
        if not args.no_write:
            card["metrics"] = {**card.get("metrics", {}), **result}
            cards.write_card(card_file, card)
        return result
    triples = planner_triples(args)
    mpd, end, events_ok = [], [], 0
    for rgb, instruction, target in triples:
        pred = run_planner_onnx(sess, card, rgb, instruction)
        m = metrics(pred, target)
        mpd.append(m["mean_point_distance"]); end.append(m["endpoint_error"])
        events_ok += gripper_events(pred) == gripper_events(target)
    result = {"heldout_samples": len(triples), "mean_point_distance": round(float(np.mean(mpd)), 4),
              "endpoint_error": round(float(np.mean(end)), 4), "gripper_event_accuracy": round(events_ok / len(triples), 4),
              "heldout_sources": [os.path.basename(os.path.normpath(p)) for p in (args.lerobot or []) + (args.vila or [])]}
    log(json.dumps(result))
    if not args.no_write:
        card["metrics"] = {**card.get("metrics", {}), **result}
        cards.write_card(card_file, card)
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(prog="train.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("planner", "policy", "evaluate"):
        p = sub.add_parser(name)
        p.add_argument("--lerobot", nargs="*", default=[])
        p.add_argument("--vila", nargs="*", default=[])
        p.add_argument("--max-episodes", type=int, default=None)
        if name == "evaluate":
            p.add_argument("--model", required=True, help="folder with model.onnx and card.json")
            p.add_argument("--no-write", action="store_true")
            continue
        p.add_argument("--out", required=True)
        p.add_argument("--name")
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--epochs", type=int, default=30)
        p.add_argument("--steps", type=int, default=0, help="overrides --epochs")
        p.add_argument("--batch", type=int, default=64)
        p.add_argument("--lr", type=float, default=2e-3)
        p.add_argument("--text-dim", type=int, default=256)
        # One thread: on a shared 2-core machine two OpenMP threads spin against the other
        # processes and a step took 7x longer (docs/BENCHMARKS.md, trainer rows).
        p.add_argument("--threads", type=int, default=1, help="PyTorch CPU threads (0 = PyTorch's default)")
        p.add_argument("--width", type=int, default=32, help="channels of the backbone (compute grows with its square)")
        # The instruction's encoding and the colour augmentation: the planner's, and the flat
        # baseline's (the same as the planner's makes the comparison fair; docs/EVAL.md).
        p.add_argument("--text-encoding", choices=[HASHED_BOW_V1, HASHED_BOW_RGB_V1], default=HASHED_BOW_V1,
                       help=f"{HASHED_BOW_RGB_V1}: colour words enter as their colour (docs/TEXT_ENCODING.md); policies: --mode flat only")
        p.add_argument("--hue", type=float, default=0.0,
                       help=f"share of samples with image and instruction colours hue-rotated alike (needs {HASHED_BOW_RGB_V1}); policies: --mode flat only")
        if name == "planner":
            p.add_argument("--size", type=int, default=96)
            p.add_argument("--k", type=int, default=PATH_POINTS)
            p.add_argument("--word-noise", type=float, default=0.0,
                           help="probability that an instruction word becomes a made-up one in training (0 = off)")
        else:
            p.add_argument("--size", type=int, default=96)
            p.add_argument("--chunk", type=int, default=4)
            p.add_argument("--mode", choices=["overlay", "concat", "flat"], default="overlay")
            p.add_argument("--no-augment", action="store_true", help="no colour jitter / shifts")
            p.add_argument("--state-keep", default="", help="comma list of the state values the policy sees (default: all); "
                           "the others still feed the graph but are zeroed in it (e.g. ee.z,gripper: where the arm is sideways "
                           "must come from the image, not from coordinates that only fit the average camera)")
            p.add_argument("--keypoint-stride", type=int, choices=[4, 8], default=8, help="input pixels per cell of the keypoint map")
            p.add_argument("--init-from-planner", metavar="DIR", help="flat baseline: start the image and text layers from this "
                           "planner (model.onnx + card.json, same --width; path_studio_train/warmstart.py)")
            p.add_argument("--path-aux", type=float, default=0.0, metavar="WEIGHT",
                           help="flat baseline: also learn each episode's path (the planner's target and loss) from the same image "
                                "and text features, weighted against the action loss; training only, not exported (0 = off)")
    args = ap.parse_args(argv)
    if getattr(args, "threads", 0):
        torch.set_num_threads(args.threads)
    return {"planner": train_planner, "policy": train_policy, "evaluate": evaluate}[args.cmd](args)


if __name__ == "__main__":
    main()
