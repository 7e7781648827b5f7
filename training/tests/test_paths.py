import unittest

import numpy as np

import _paths  # noqa: F401
from path_studio_train.images import draw_path, policy_input, resize_bilinear
from path_studio_train.paths import Path, format_answer, from_network, gripper_events, metrics, parse_answer, resample, resample_keeping_events, simplify


class PathCore(unittest.TestCase):
    def test_simplify_keeps_gripper_changes_and_drops_collinear_points(self):
        pts = [(0.1 + 0.01 * i, 0.5, i >= 10) for i in range(21)]
        s = simplify(Path(pts))
        self.assertEqual([p[0] for p in s.points], [pts[0][0], pts[10][0], pts[20][0]])
        self.assertEqual(gripper_events(s), ["close"])

    def test_resample_by_arc_length(self):
        r = resample(Path([(0, 0, False), (1, 0, True)]), 5)
        self.assertEqual([round(p[0], 6) for p in r.points], [0, 0.25, 0.5, 0.75, 1])

    def test_resample_keeping_events_puts_the_grasp_where_it_is(self):
        # Down to a grasp at (0.5, 0.8), back up, across, release at (0.9, 0.5).
        path = Path([(0.5, 0.2, False), (0.5, 0.8, True), (0.5, 0.3, True), (0.9, 0.3, True), (0.9, 0.5, False), (0.9, 0.3, False)])
        plain = resample(path, 20).points
        first_closed = next(p for p in plain if p[2])
        self.assertGreater(abs(first_closed[1] - 0.8), 0.02)  # what the old target did: past the grasp
        r = resample_keeping_events(path, 20)
        self.assertEqual(len(r.points), 20)
        self.assertEqual(next(p for p in r.points if p[2])[:2], (0.5, 0.8))
        self.assertEqual(gripper_events(r), ["close", "open"])
        self.assertEqual(next(p for p in r.points if r.points.index(p) > 0 and not p[2] and r.points[r.points.index(p) - 1][2])[:2], (0.9, 0.5))
        self.assertEqual((r.points[0], r.points[-1]), (path.points[0], path.points[-1]))
        # Every point lies on the path (spacing by arc length within each span).
        for x, y, _ in r.points:
            self.assertLess(min(abs(x - 0.5) if 0.2 <= y <= 0.8 else 1, abs(y - 0.3) if 0.5 <= x <= 0.9 else 1, abs(x - 0.9) if 0.3 <= y <= 0.5 else 1), 1e-9)
        # Too few points for the anchors: plain resampling.
        self.assertEqual(resample_keeping_events(path, 3).points, resample(path, 3).points)

    def test_metrics(self):
        a = Path([(0.1, 0.1, False), (0.9, 0.1, False)])
        b = Path([(0.1, 0.2, False), (0.9, 0.2, False)])
        self.assertAlmostEqual(metrics(a, a)["mean_point_distance"], 0)
        self.assertAlmostEqual(metrics(a, b)["mean_point_distance"], 0.1)
        self.assertAlmostEqual(metrics(a, b)["endpoint_error"], 0.1)

    def test_answer_round_trip(self):
        text = "<ans>[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>"
        p = parse_answer(text)
        self.assertEqual(gripper_events(p), ["close", "open"])
        self.assertEqual(format_answer(p), text)
        with self.assertRaises(ValueError):
            parse_answer("I cannot do that")

    def test_from_network_thresholds_and_simplifies(self):
        pts = np.array([[0.1 * i, 0.5] for i in range(10)])
        p = from_network(pts, np.array([0.9 if i >= 5 else 0.1 for i in range(10)]))
        self.assertEqual(len(p.points), 3)
        self.assertEqual(gripper_events(p), ["close"])


class Images(unittest.TestCase):
    def test_resize_identity_and_halving(self):
        img = (np.arange(16 * 16 * 3) % 251).astype(np.uint8).reshape(16, 16, 3)
        np.testing.assert_allclose(resize_bilinear(img, 16, 16), img)
        half = resize_bilinear(img, 8, 8)
        np.testing.assert_allclose(half[0, 0], img[:2, :2].astype(np.float32).mean(axis=(0, 1)), rtol=1e-5)

    def test_draw_path_hamster_style(self):
        canvas = np.zeros((64, 64, 3), dtype=np.uint8)
        draw_path(canvas, Path([(0.2, 0.2, False), (0.8, 0.8, True)]))
        # start of the line is dark blue (jet), the start circle red (open)
        self.assertTrue((canvas.reshape(-1, 3) == [255, 0, 0]).all(axis=1).any())
        self.assertTrue((canvas.reshape(-1, 3) == [0, 0, 255]).all(axis=1).any())
        self.assertGreater(int((canvas.sum(axis=2) > 0).sum()), 100)

    def test_policy_input_channels(self):
        rgb = np.full((32, 32, 3), 128, np.uint8)
        path = Path([(0.2, 0.2, False), (0.8, 0.8, True)])
        self.assertEqual(policy_input(rgb, path, "concat", 24).shape, (6, 24, 24))
        self.assertEqual(policy_input(rgb, path, "overlay", 24).shape, (3, 24, 24))
        self.assertAlmostEqual(float(policy_input(rgb, path, "none", 24).max()), 128 / 255, places=6)


if __name__ == "__main__":
    unittest.main()
