"""A flat baseline started from a planner's ONNX file computes what the planner's image layers
computed, on the policy's own pixel scaling."""
import json
import os
import tempfile
import unittest

import numpy as np
import torch
from torch.nn import functional as F

import _paths  # noqa: F401
from path_studio_train.models import Planner, Policy, add_coords
from path_studio_train.train import export_onnx
from path_studio_train.warmstart import init_flat_from_planner


def flat_policy(width):
    return Policy(3, 4, 4, 4, np.zeros(4), np.ones(4), np.zeros(4), np.ones(4), text_dim=256, width=width)


class WarmStart(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        cls.planner = Planner(k=20, text_dim=256, width=32)
        # Trained GroupNorm scales and shifts are not 1 and 0: make them so here too.
        with torch.no_grad():
            for name, p in cls.planner.named_parameters():
                if ".1." in name:
                    p.copy_(torch.rand_like(p) + 0.5 if name.endswith("weight") else torch.randn_like(p) * 0.1)
        cls.dir = tempfile.mkdtemp(prefix="warmstart-")
        export_onnx(cls.planner, (torch.zeros(1, 3, 96, 96), torch.zeros(1, 256)), ["image", "text"], ["points", "gripper"],
                    os.path.join(cls.dir, "model.onnx"))
        card = {"name": "tiny-planner", "role": "planner", "image": {"mean": [0.5] * 3, "std": [0.25] * 3},
                "text": {"input": "text", "encoding": "hashed-bow-rgb-v1", "dim": 256}}
        with open(os.path.join(cls.dir, "card.json"), "w") as f:
            json.dump(card, f)

    def test_same_layers_on_the_policys_pixels(self):
        policy = flat_policy(32)
        self.assertEqual(init_flat_from_planner(policy, self.dir, "hashed-bow-rgb-v1"), "tiny-planner")
        pixels = torch.rand(2, 3, 96, 96)  # x / 255
        text = torch.rand(2, 256)
        planner_in = (pixels - 0.5) / 0.25
        with torch.no_grad():
            # The first convolution, away from the 2-pixel border its padding reaches.
            a = self.planner.backbone.c1[0](planner_in)[..., 2:-2, 2:-2]
            b = policy.backbone.c1[0](pixels)[..., 2:-2, 2:-2]
            self.assertLess((a - b).abs().max().item(), 1e-4)
            # The rest of the image layers and the text layer, exactly.
            for name in ("c2", "c3", "c4"):
                x = torch.rand(1, getattr(self.planner.backbone, name)[0].in_channels, 12, 12)
                self.assertTrue(torch.allclose(getattr(self.planner.backbone, name)(x), getattr(policy.backbone, name)(x), atol=1e-5), name)
            self.assertTrue(torch.allclose(self.planner.text(text), policy.text(text)))
            # FiLM with the state's columns at zero: the planner's.
            t = self.planner.text(text)
            cond = torch.cat([torch.zeros(2, 64), t], dim=1)
            self.assertTrue(torch.allclose(self.planner.backbone.film(t), policy.backbone.film(cond), atol=1e-5))
            # Whole keypoints: close (only the border differs).
            kp_planner = self.planner.backbone(planner_in, t)
            kp_policy = policy.backbone(pixels, cond)
            self.assertLess((kp_planner - kp_policy).abs().mean().item(), 0.02)

    def test_a_different_width_is_refused_with_the_reason(self):
        with self.assertRaisesRegex(ValueError, "--width"):
            init_flat_from_planner(flat_policy(48), self.dir, "hashed-bow-rgb-v1")

    def test_another_text_encoding_is_refused_with_the_reason(self):
        with self.assertRaisesRegex(ValueError, "--text-encoding hashed-bow-rgb-v1"):
            init_flat_from_planner(flat_policy(32), self.dir, "hashed-bow-v1")


if __name__ == "__main__":
    unittest.main()
