"""The fast training input (frame cache + per-episode path layers) equals the studio-equivalent
per-frame preprocessing (`images.policy_input`)."""
import tempfile
import unittest

import numpy as np

import _paths  # noqa: F401
from path_studio_train.data import PlannerSet, PolicySet, action_chunks, hue_rotation, perturb_words, planner_target
from path_studio_train.framecache import cached_frames, resize_bilinear_batch
from path_studio_train.images import policy_input, resize_bilinear
from path_studio_train.lerobot import Episode
from path_studio_train.paths import Path

SIZE = 40


def episode(rng, n=5):
    pts = [(0.2, 0.8, False), (0.5, 0.3, False), (0.55, 0.35, True), (0.8, 0.6, True), (0.82, 0.5, False)]
    return Episode(0, "pick up the red cube", rng.normal(size=(n, 10)).astype(np.float32), rng.normal(size=(n, 4)).astype(np.float32),
                   rng.integers(0, 256, size=(n, SIZE, SIZE, 3), dtype=np.uint8), Path(pts, False))


class PolicySetMatchesPolicyInput(unittest.TestCase):
    def test_each_mode(self):
        rng = np.random.default_rng(1)
        eps = [episode(rng), episode(rng, 3)]
        eps[1].raw_path = Path([(0.1, 0.1, True), (0.9, 0.2, True), (0.5, 0.9, False)], False)
        for mode in ("overlay", "concat", "none"):
            with self.subTest(mode=mode):
                ds = PolicySet(eps, mode, SIZE, chunk=4)
                for i in range(len(ds)):
                    e, t = ds.ep_of[i], ds.t_of[i]
                    img, state, _, act = ds[i]
                    want = policy_input(eps[e].frames[t], eps[e].path, mode, SIZE)
                    np.testing.assert_array_equal(img.numpy(), want)
                    np.testing.assert_array_equal(state.numpy(), eps[e].states[t])
                    np.testing.assert_array_equal(act.numpy()[0], eps[e].actions[t])

    def test_path_targets_are_the_planners_for_each_frames_episode(self):
        rng = np.random.default_rng(3)
        eps = [episode(rng), episode(rng, 3)]
        eps[1].raw_path = Path([(0.1, 0.1, True), (0.9, 0.2, True), (0.5, 0.9, False)], False)
        ds = PolicySet(eps, "none", SIZE, chunk=4, path_points=8)
        batch = ds.batch([0, 6, 2], np.random.default_rng(0))
        self.assertEqual(len(batch), 6)
        pts, grip = batch[4:]
        for row, i in enumerate([0, 6, 2]):
            want_pts, want_grip = planner_target(eps[ds.ep_of[i]].path, 8)
            np.testing.assert_array_equal(pts[row].numpy(), want_pts)
            np.testing.assert_array_equal(grip[row].numpy(), want_grip)
        self.assertEqual(len(PolicySet(eps, "none", SIZE, chunk=4).batch([0])), 4)

    def test_augmented_batch_keeps_shape_and_range(self):
        ds = PolicySet([episode(np.random.default_rng(2))], "overlay", SIZE, chunk=4)
        img, _, _, _ = ds.batch([0, 1, 2], np.random.default_rng(0))
        plain, _, _, _ = ds.batch([0, 1, 2])
        self.assertEqual(tuple(img.shape), (3, 3, SIZE, SIZE))
        self.assertTrue(float(img.min()) >= 0 and float(img.max()) <= 1)
        self.assertGreater(float((img - plain).abs().mean()), 0.01)

    def test_action_chunks_hold_still_past_the_end(self):
        a = np.arange(12, dtype=np.float32).reshape(3, 4)
        c = action_chunks(a, 4)
        np.testing.assert_array_equal(c[0, :3], a)
        np.testing.assert_array_equal(c[2, 1:], [[0, 0, 0, 11]] * 3)


class WordNoise(unittest.TestCase):
    def test_replaces_and_inserts_made_up_words_only(self):
        rng = np.random.default_rng(5)
        text = "press the green button"
        outs = [perturb_words(text, rng, 0.2) for _ in range(200)]
        self.assertIn(text, outs)  # sometimes untouched
        self.assertTrue(any(len(o.split()) == 5 for o in outs))  # an inserted word
        changed = [w for o in outs for w in o.split() if w not in text.split()]
        self.assertTrue(changed and all(w.isalpha() and w.islower() and 3 <= len(w) <= 7 for w in changed))
        kept = sum(o.split().count("green") for o in outs) / len(outs)
        self.assertGreater(kept, 0.7)
        self.assertLess(kept, 0.9)
        self.assertEqual(perturb_words(text, rng, 0.0).replace(" ", "").count("green"), 1)


class HueRotation(unittest.TestCase):
    def test_rotates_about_the_grey_axis(self):
        m = hue_rotation(2 * np.pi / 3)
        np.testing.assert_allclose(m @ [1, 0, 0], [0, 1, 0], atol=1e-6)  # a third of a turn: red -> green
        np.testing.assert_allclose(m @ [0.4, 0.4, 0.4], [0.4, 0.4, 0.4], atol=1e-6)
        np.testing.assert_allclose(hue_rotation(0.0), np.eye(3), atol=1e-7)

    def test_image_and_instruction_colours_turn_together(self):
        rgb = np.zeros((32, 32, 3), np.uint8)
        rgb[:] = (229, 0, 0)  # the colour of "red" in colourWords.json
        path = Path([(0.2, 0.2, False), (0.8, 0.8, True)])
        mean, std = [0.5] * 3, [0.25] * 3
        ds = PlannerSet([(rgb, "press the red button", path)], 32, 4, 24, mean, std, augment=True, hue=1.0,
                        text_encoding="hashed-bow-rgb-v1", seed=2)
        for _ in range(5):
            img, text, _, _ = ds[0]
            pixel = img.numpy()[:, 16, 16] * 0.25 + 0.5
            slot = text.numpy()[16:19]
            self.assertEqual(text.numpy()[19], 1.0)
            # the pixel also had brightness jitter: compare the hue direction, not the values
            self.assertGreater(float(np.dot(pixel - pixel.mean(), slot - slot.mean())), 0)
        with self.assertRaises(ValueError):
            PlannerSet([(rgb, "press the red button", path)], 32, 4, 24, mean, std, hue=0.5)  # needs the rgb encoding


    def test_flat_baseline_turns_frame_and_instruction_colours_together(self):
        red = Episode(0, "press the red button", np.zeros((3, 10), np.float32), np.zeros((3, 4), np.float32),
                      np.tile(np.array([229, 0, 0], np.uint8), (3, SIZE, SIZE, 1)), Path([(0.2, 0.2, False), (0.8, 0.8, True)], False))
        ds = PolicySet([red], "none", SIZE, chunk=4, text_dim=24, text_encoding="hashed-bow-rgb-v1", hue=1.0)
        np.testing.assert_allclose(ds.texts[0][16:20], [229 / 255, 0, 0, 1], atol=1e-6)
        img, _, text, _ = ds.batch([0, 1, 2], np.random.default_rng(3))
        for i in range(3):
            pixel = img.numpy()[i, :, SIZE // 2, SIZE // 2]
            slot = text.numpy()[i, 16:19]
            self.assertFalse(np.allclose(slot, [229 / 255, 0, 0], atol=0.05))  # turned away from red
            self.assertGreater(float(np.dot(pixel - pixel.mean(), slot - slot.mean())), 0)
        with self.assertRaises(ValueError):
            PolicySet([red], "none", SIZE, chunk=4, text_dim=24, hue=0.5)  # needs the rgb encoding


class FrameCache(unittest.TestCase):
    def test_batch_resize_equals_per_frame_resize(self):
        frames = np.random.default_rng(3).integers(0, 256, size=(3, 64, 48, 3), dtype=np.uint8)
        want = np.stack([np.clip(np.rint(resize_bilinear(f, 24, 24)), 0, 255).astype(np.uint8) for f in frames])
        np.testing.assert_array_equal(resize_bilinear_batch(frames, 24), want)

    def test_built_once_then_reused_and_rebuilt_on_mismatch(self):
        frames = np.random.default_rng(4).integers(0, 256, size=(5, 32, 32, 3), dtype=np.uint8)
        calls = []

        def decode():
            calls.append(1)
            yield from frames

        with tempfile.TemporaryDirectory() as root:
            a = cached_frames(root, 16, 5, decode)
            b = cached_frames(root, 16, 5, decode)
            np.testing.assert_array_equal(a, b)
            self.assertEqual(len(calls), 1)
            self.assertEqual(cached_frames(root, 16, 4, decode).shape[0], 4)  # a different row count rebuilds
            self.assertEqual(len(calls), 2)
            with self.assertRaises(ValueError):
                cached_frames(root, 8, 6, decode)  # fewer frames than rows


if __name__ == "__main__":
    unittest.main()
