"""The trainer end to end on tiny exports made by studio code: a LeRobot v3.0 dataset written by the
simulator's generator and a HAMSTER/VILA zip written by the studio's exporter: a few steps of every model, ONNX export, card checked
against the graph, and each ONNX loaded and run in onnxruntime-web (the studio's runtime)."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import zipfile

import numpy as np
import torch
from PIL import Image

from _paths import REPO
from path_studio_train.lerobot import load_dataset
from path_studio_train.models import Backbone, add_coords
from path_studio_train.onnx_run import OnnxRunner
from path_studio_train.train import main as train_main

EPISODES = 2


class TrainerSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="trainer-smoke-")
        cls.lerobot = os.path.join(cls.tmp, "lerobot")
        subprocess.run(["npx", "tsx", "sim/src/generate.ts", "--episodes", str(EPISODES), "--seed", "3",
                        "--tasks", "pick_place,press_button", "--max-steps", "60", "--out", cls.lerobot],
                       cwd=REPO, check=True, capture_output=True)
        # A HAMSTER/VILA zip written by the studio's own exporter (src/exporters/hamster) from the
        # first frames and paths of the same episodes.
        cls.vila = os.path.join(cls.tmp, "hamster.zip")
        samples = []
        cls.successes = 0
        for e in load_dataset(cls.lerobot, first_frame_only=True):
            cls.successes += e.success
            name = f"ep{e.index}.jpg"
            Image.fromarray(e.frames[0]).save(os.path.join(cls.tmp, name), format="JPEG", quality=95)
            samples.append({"image": name, "width": e.frames[0].shape[1], "height": e.frames[0].shape[0],
                            "instruction": e.instruction, "path": [list(p) for p in e.path.points]})
        with open(os.path.join(cls.tmp, "samples.json"), "w") as f:
            json.dump(samples, f)
        subprocess.run(["npx", "tsx", "training/tests/studio_hamster_zip.ts", os.path.join(cls.tmp, "samples.json"), cls.vila],
                       cwd=REPO, check=True, capture_output=True)
        with zipfile.ZipFile(cls.vila) as z:
            cls.vila_records = json.loads(z.read("data.json"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def check_exported(self, out, feeds):
        with open(os.path.join(out, "card.json")) as f:
            card = json.load(f)
        runner = OnnxRunner(os.path.join(out, "model.onnx"))
        try:
            self.assertEqual(runner.input_names, [i["name"] for i in card["inputs"]])
            self.assertEqual(runner.output_names, [o["name"] for o in card["outputs"]])
            outputs = runner.run(None, feeds)
        finally:
            runner.close()
        for o, spec in zip(outputs, card["outputs"]):
            self.assertEqual(list(o.shape), spec["shape"])
            self.assertTrue(np.isfinite(o).all())
        self.assertLess(os.path.getsize(os.path.join(out, "model.onnx")), 5_000_000)
        return card, outputs

    def test_planner_from_lerobot_and_vila(self):
        out = os.path.join(self.tmp, "planner")
        train_main(["planner", "--lerobot", self.lerobot, "--vila", self.vila, "--out", out, "--steps", "3", "--batch", "4", "--size", "64", "--k", "8"])
        card, (points, gripper) = self.check_exported(out, {"image": np.zeros((1, 3, 64, 64), np.float32), "text": np.zeros((1, 256), np.float32)})
        self.assertEqual(card["role"], "planner")
        self.assertEqual(len(self.vila_records), EPISODES)
        self.assertEqual(card["training"]["samples"], self.successes + EPISODES)  # failed sim episodes are left out
        self.assertTrue(((points >= 0) & (points <= 1)).all())
        result = train_main(["evaluate", "--model", out, "--vila", self.vila])
        self.assertEqual(result["heldout_samples"], EPISODES)
        with open(os.path.join(out, "card.json")) as f:
            self.assertIn("mean_point_distance", json.load(f)["metrics"])

    def test_planner_reading_colour_words_as_colours(self):
        out = os.path.join(self.tmp, "planner-rgb")
        train_main(["planner", "--lerobot", self.lerobot, "--out", out, "--steps", "2", "--batch", "4", "--size", "64", "--k", "8",
                    "--text-encoding", "hashed-bow-rgb-v1", "--hue", "0.5"])
        card, _ = self.check_exported(out, {"image": np.zeros((1, 3, 64, 64), np.float32), "text": np.zeros((1, 256), np.float32)})
        self.assertEqual(card["text"]["encoding"], "hashed-bow-rgb-v1")
        self.assertEqual(card["training"]["hue"], 0.5)

    def test_policies(self):
        for mode, channels in (("overlay", 3), ("concat", 6), ("flat", 3)):
            with self.subTest(mode=mode):
                out = os.path.join(self.tmp, f"policy-{mode}")
                train_main(["policy", "--lerobot", self.lerobot, "--mode", mode, "--out", out, "--steps", "2", "--batch", "8", "--size", "48"])
                feeds = {"image": np.zeros((1, channels, 48, 48), np.float32), "state": np.zeros((1, 10), np.float32)}
                if mode == "flat":
                    feeds["text"] = np.zeros((1, 256), np.float32)
                card, (action,) = self.check_exported(out, feeds)
                self.assertEqual(card["conditioning"], "none" if mode == "flat" else mode)
                self.assertEqual(list(action.shape), [1, 4, 4])
                self.assertTrue(set(np.unique(action[..., 3]).tolist()) <= {0.0, 1.0})  # gripper snapped in the graph

    def test_policy_on_some_task_kinds_of_a_dataset(self):
        episodes = load_dataset(self.lerobot)
        count = lambda kind: sum(e.task_kind == kind and e.success for e in episodes)  # noqa: E731
        kinds = {e.task_kind for e in episodes}
        self.assertEqual(kinds, {"pick_place", "press_button"})
        out = os.path.join(self.tmp, "policy-one-kind")
        for kind in sorted(kinds):
            args = ["policy", "--lerobot", f"{self.lerobot}:{kind}", "--mode", "concat", "--out", out, "--steps", "1", "--batch", "4", "--size", "48"]
            if count(kind) == 0:  # a short smoke episode may fail: nothing of that kind to train on
                with self.assertRaises(SystemExit):
                    train_main(args)
                continue
            train_main(args)
            with open(os.path.join(out, "card.json")) as f:
                self.assertEqual(json.load(f)["training"]["episodes"], count(kind))
            # The planner reads the same argument (a demonstration's first frame per episode).
            train_main(["planner", "--lerobot", f"{self.lerobot}:{kind}", "--out", out + "-planner", "--steps", "1", "--batch", "2", "--size", "48", "--k", "8"])
            with open(os.path.join(out + "-planner", "card.json")) as f:
                self.assertEqual(json.load(f)["training"]["samples"], count(kind))
        with self.assertRaises(SystemExit):
            train_main(["policy", "--lerobot", f"{self.lerobot}:no_such_task", "--mode", "concat", "--out", out, "--steps", "1"])

    def test_policy_with_a_finer_keypoint_map(self):
        out = os.path.join(self.tmp, "policy-fine")
        train_main(["policy", "--lerobot", self.lerobot, "--mode", "concat", "--out", out, "--steps", "2", "--batch", "8", "--size", "48",
                    "--keypoint-stride", "4"])
        card, (action,) = self.check_exported(out, {"image": np.zeros((1, 6, 48, 48), np.float32), "state": np.zeros((1, 10), np.float32)})
        self.assertEqual(card["training"]["keypoint_stride"], 4)
        self.assertEqual(list(action.shape), [1, 4, 4])
        for stride, cells in ((8, 12), (4, 24)):
            b = Backbone(3, width=32, keypoint_stride=stride)
            self.assertEqual(list(b.kp(b.c4(b.c3(add_coords(b.c2(b.c1(torch.zeros(1, 3, 96, 96))))))).shape), [1, 32, cells, cells])

    def test_policy_blind_to_some_state_values(self):
        out = os.path.join(self.tmp, "policy-zg")
        train_main(["policy", "--lerobot", self.lerobot, "--mode", "concat", "--out", out, "--steps", "2", "--batch", "8", "--size", "48",
                    "--state-keep", "ee.z,gripper"])
        image = np.random.default_rng(0).random((1, 6, 48, 48)).astype(np.float32)
        state = np.array([[0.45, 0.0, 0.2, 0.0, 0.0, 0.5, 1.7, 0.0, 0.9, 0.0]], np.float32)
        moved_sideways = state + np.array([[0.1, -0.1, 0, 0, 0.3, 0.2, -0.2, 0, 0.1, 0.3]], np.float32)
        lower = state + np.array([[0, 0, -0.1, 0, 0, 0, 0, 0, 0, 0]], np.float32)
        card, (a,) = self.check_exported(out, {"image": image, "state": state})
        _, (b,) = self.check_exported(out, {"image": image, "state": moved_sideways})
        _, (c,) = self.check_exported(out, {"image": image, "state": lower})
        self.assertEqual(card["training"]["state_seen"], ["ee.z", "gripper"])
        np.testing.assert_allclose(a, b, atol=1e-6)  # x, y and the joints are not seen
        self.assertGreater(np.abs(a[..., :3] - c[..., :3]).max(), 1e-6)  # the height is
        with self.assertRaises(SystemExit):
            train_main(["policy", "--lerobot", self.lerobot, "--mode", "concat", "--out", out, "--steps", "1", "--state-keep", "ee.q"])

    def test_flat_baseline_with_the_planners_text_encoding_and_colour_augmentation(self):
        out = os.path.join(self.tmp, "policy-flat-rgb")
        train_main(["policy", "--lerobot", self.lerobot, "--mode", "flat", "--out", out, "--steps", "2", "--batch", "8", "--size", "48",
                    "--text-encoding", "hashed-bow-rgb-v1", "--hue", "0.5"])
        with open(os.path.join(out, "card.json")) as f:
            card = json.load(f)
        self.assertEqual(card["text"], {"input": "text", "encoding": "hashed-bow-rgb-v1", "dim": 256})
        self.assertEqual(card["training"]["hue"], 0.5)
        with self.assertRaises(SystemExit):  # a path-conditioned policy reads no instruction
            train_main(["policy", "--lerobot", self.lerobot, "--mode", "concat", "--out", out, "--steps", "1", "--text-encoding", "hashed-bow-rgb-v1"])

    def test_flat_baseline_started_from_a_planner(self):
        planner = os.path.join(self.tmp, "planner-for-warm-start")
        train_main(["planner", "--lerobot", self.lerobot, "--out", planner, "--name", "warm-planner", "--steps", "1", "--batch", "4",
                    "--size", "64", "--k", "8", "--text-encoding", "hashed-bow-rgb-v1"])
        out = os.path.join(self.tmp, "policy-flat-warm")
        train_main(["policy", "--lerobot", self.lerobot, "--mode", "flat", "--out", out, "--steps", "2", "--batch", "8", "--size", "48",
                    "--text-encoding", "hashed-bow-rgb-v1", "--init-from-planner", planner])
        card, _ = self.check_exported(out, {"image": np.zeros((1, 3, 48, 48), np.float32), "state": np.zeros((1, 10), np.float32),
                                            "text": np.zeros((1, 256), np.float32)})
        self.assertEqual(card["training"]["init_from_planner"], "warm-planner")
        # The planner reads colour words as colours; a flat model reading them as plain words is refused.
        with self.assertRaisesRegex(SystemExit, "--text-encoding hashed-bow-rgb-v1"):
            train_main(["policy", "--lerobot", self.lerobot, "--mode", "flat", "--out", out + "-plain", "--steps", "1", "--size", "48",
                        "--init-from-planner", planner])

    def test_flat_baseline_learning_the_path_beside_its_actions(self):
        out = os.path.join(self.tmp, "policy-flat-path")
        plain = os.path.join(self.tmp, "policy-flat-no-path")
        common = ["--lerobot", self.lerobot, "--mode", "flat", "--steps", "2", "--batch", "8", "--size", "48", "--text-encoding", "hashed-bow-rgb-v1"]
        train_main(["policy", *common, "--out", out, "--path-aux", "0.5"])
        train_main(["policy", *common, "--out", plain])
        feeds = {"image": np.zeros((1, 3, 48, 48), np.float32), "state": np.zeros((1, 10), np.float32), "text": np.zeros((1, 256), np.float32)}
        card, _ = self.check_exported(out, feeds)
        self.assertEqual((card["training"]["path_aux"], card["training"]["path_aux_points"]), (0.5, 20))
        # The path head is for training only: the exported graph is the plain flat model's.
        plain_card, _ = self.check_exported(plain, feeds)
        self.assertEqual(card["outputs"], plain_card["outputs"])
        self.assertEqual(os.path.getsize(os.path.join(out, "model.onnx")), os.path.getsize(os.path.join(plain, "model.onnx")))
        with self.assertRaisesRegex(SystemExit, "--path-aux is for the flat baseline"):
            train_main(["policy", "--lerobot", self.lerobot, "--mode", "concat", "--out", out + "-concat", "--steps", "1", "--path-aux", "0.5"])

    def test_dagger_episode_teaches_the_planner_path(self):
        # The default models drive (generate.ts --policy); every frame is labelled by the expert.
        out = os.path.join(self.tmp, "dagger")
        subprocess.run(["npx", "tsx", "sim/src/generate.ts", "--episodes", "1", "--seed", "5", "--tasks", "pick_place",
                        "--max-steps", "12", "--policy", "public/models/policy-overlay", "--out", out],
                       cwd=REPO, check=True, capture_output=True)
        (e,) = load_dataset(out)
        self.assertIsNotNone(e.plan_path)
        self.assertGreaterEqual(len(e.plan_path.points), 2)
        self.assertIs(e.path, e.plan_path)  # not the executed trajectory
        self.assertFalse(e.success)  # 12 frames cannot place anything...
        policy = os.path.join(self.tmp, "policy-dagger")  # ...and the policy still trains on them
        train_main(["policy", "--lerobot", out, "--mode", "overlay", "--out", policy, "--steps", "1", "--batch", "4", "--size", "48"])
        with open(os.path.join(policy, "card.json")) as f:
            training = json.load(f)["training"]
        self.assertEqual((training["episodes"], training["frames"]), (1, 12))


if __name__ == "__main__":
    unittest.main()
