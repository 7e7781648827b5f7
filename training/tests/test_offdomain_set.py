"""The planner's data loader reads the simulator's off-domain, path-only episodes
(`sim:generate --domain offdomain`, a HAMSTER/VILA SFT folder) as it reads the studio's zips."""
import argparse
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from _paths import REPO
from path_studio_train.paths import gripper_events
from path_studio_train.train import planner_triples

EPISODES = 2


class OffDomainSet(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="offdomain-set-")
        cls.out = os.path.join(cls.tmp, "offdomain")
        subprocess.run(["npx", "tsx", "sim/src/generate.ts", "--domain", "offdomain", "--sketch", "--episodes", str(EPISODES),
                        "--seed", "11", "--tasks", "pick_place", "--out", cls.out],
                       cwd=REPO, check=True, capture_output=True)
        with open(os.path.join(cls.out, "export_info.json")) as f:
            cls.info = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_planner_reads_the_sketches(self):
        triples = planner_triples(argparse.Namespace(lerobot=[], vila=[self.out], max_episodes=None))
        self.assertEqual(len(triples), self.info["counts"]["train"]["samples"])
        self.assertGreater(len(triples), 0)
        for (rgb, instruction, path), sample in zip(triples, self.info["offdomain"]["samples"]):
            self.assertEqual(rgb.shape, (256, 256, 3))
            self.assertTrue(instruction.startswith(("pick up", "put", "move")), instruction)
            self.assertTrue(3 <= len(path.points) <= 8)
            self.assertTrue(all(0 <= x <= 1 and 0 <= y <= 1 for x, y, _ in path.points))
            # A sketch keeps the expert's events: pick and place closes, then opens.
            self.assertEqual(gripper_events(path), ["close", "open"])
            self.assertEqual(len(sample["expert_path"][0]), 3)


if __name__ == "__main__":
    unittest.main()
