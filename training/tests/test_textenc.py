"""hashed-bow-v1 and hashed-bow-rgb-v1 in Python must equal the TypeScript ones on the shared vectors."""
import json
import os
import unittest

import numpy as np

from _paths import REPO
from path_studio_train.textenc import colour_tokens, encode_text, encode_text_rgb, fnv1a32, rotate_colour_slots, text_features, tokenize


class TextEncodingVectors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(REPO, "src/core/textEncoding.vectors.json"), encoding="utf-8") as f:
            cls.vectors = json.load(f)

    def test_hashes(self):
        for h in self.vectors["hashes"]:
            self.assertEqual(fnv1a32(h["token"]), h["fnv1a32"], h["token"])

    def test_vectors(self):
        self.assertGreater(len(self.vectors["vectors"]), 3)
        for v in self.vectors["vectors"]:
            text, dim = v["instruction"], v["dim"]
            self.assertEqual(tokenize(text), v["tokens"], text)
            self.assertEqual(text_features(text), v["features"], text)
            out = encode_text(text, dim)
            self.assertEqual(out.dtype, np.float32)
            self.assertEqual(np.nonzero(out)[0].tolist(), v["indices"], text)
            counts = np.array(v["counts"], dtype=np.float64)
            expected = (counts / np.sqrt((counts ** 2).sum())).astype(np.float32) if len(counts) else []
            np.testing.assert_array_equal(out[v["indices"]], expected)

    def test_bad_dimension(self):
        with self.assertRaises(ValueError):
            encode_text("x", 0)
        with self.assertRaises(ValueError):
            encode_text_rgb("x", 8)

    def test_rotating_colour_slots_touches_only_filled_rgb(self):
        v = encode_text_rgb("press the red button", 32)
        swap = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=np.float32)  # red <-> green
        out = rotate_colour_slots(v, swap)
        np.testing.assert_array_equal(out[:24], v[:24])  # the bag
        np.testing.assert_array_equal(out[24:28], [v[25], v[24], v[26], 1])  # slot 1: its rgb turned, still filled
        np.testing.assert_array_equal(out[28:], 0)  # slot 2 empty, stays empty
        np.testing.assert_array_equal(v, encode_text_rgb("press the red button", 32))  # input untouched

    def test_rgb_vectors(self):
        with open(os.path.join(REPO, "src/core/textEncodingRgb.vectors.json"), encoding="utf-8") as f:
            vectors = json.load(f)["vectors"]
        self.assertGreater(len(vectors), 3)
        for v in vectors:
            self.assertEqual(colour_tokens(v["instruction"])[0], v["tokens"], v["instruction"])
            out = encode_text_rgb(v["instruction"], v["dim"])
            self.assertEqual(out.dtype, np.float32)
            self.assertEqual(np.nonzero(out)[0].tolist(), v["indices"], v["instruction"])
            np.testing.assert_array_equal(out[v["indices"]], np.array(v["values"], dtype=np.float32))


if __name__ == "__main__":
    unittest.main()
