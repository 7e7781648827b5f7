"""`hashed-bow-v1` and `hashed-bow-rgb-v1` instruction embeddings (docs/TEXT_ENCODING.md); must match src/core/textEncoding.ts."""
import json
import math
import os
import unicodedata

import numpy as np

HASHED_BOW_V1 = "hashed-bow-v1"
DEFAULT_TEXT_DIM = 256


def tokenize(text: str) -> list:
    text = unicodedata.normalize("NFC", text).lower()
    tokens, current = [], []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] == "L" or cat == "Nd":
            current.append(ch)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def text_features(text: str) -> list:
    return features_of(tokenize(text))


def features_of(tokens: list) -> list:
    return tokens + [a + "_" + b for a, b in zip(tokens, tokens[1:])]


def fnv1a32(s: str) -> int:
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def encode_text(text: str, dim: int = DEFAULT_TEXT_DIM) -> np.ndarray:
    if not isinstance(dim, int) or dim <= 0:
        raise ValueError(f"text encoding dimension must be a positive integer, got {dim}")
    return hashed_bag(text_features(text), dim).astype(np.float32)


def hashed_bag(features: list, buckets: int) -> np.ndarray:
    """Steps 4-5 (float64): counts per FNV-1a bucket, L2-normalized."""
    counts = np.zeros(buckets, dtype=np.float64)
    for f in features:
        counts[fnv1a32(f) % buckets] += 1
    norm = math.sqrt(float((counts * counts).sum()))
    return counts / norm if norm > 0 else counts


# `hashed-bow-rgb-v1`: hashed-bow-v1 with colour words read as colours (docs/TEXT_ENCODING.md).
HASHED_BOW_RGB_V1 = "hashed-bow-rgb-v1"
COLOUR_SLOTS = 2
SLOT_SIZE = 4  # r, g, b in [0, 1], then 1 when the slot is filled
COLOUR_TOKEN = "colour"
_COLOUR_WORDS = None


def colour_words() -> dict:
    """name -> (r, g, b) in 0..255, from the studio's src/core/colourWords.json."""
    global _COLOUR_WORDS
    if _COLOUR_WORDS is None:
        file = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "core", "colourWords.json")
        with open(file, encoding="utf-8") as f:
            _COLOUR_WORDS = json.load(f)["colours"]
    return _COLOUR_WORDS


def colour_tokens(text: str):
    """(tokens with every colour word replaced by "colour", the colour words' rgb in order)."""
    words = colour_words()
    tokens, rgbs = [], []
    for t in tokenize(text):
        if t in words:
            rgbs.append(words[t])
            t = COLOUR_TOKEN
        tokens.append(t)
    return tokens, rgbs


def encode_text_rgb(text: str, dim: int) -> np.ndarray:
    slots = COLOUR_SLOTS * SLOT_SIZE
    if not isinstance(dim, int) or dim <= slots:
        raise ValueError(f"{HASHED_BOW_RGB_V1} needs a dimension above {slots}, got {dim}")
    tokens, rgbs = colour_tokens(text)
    bag = dim - slots
    out = np.zeros(dim, dtype=np.float32)
    out[:bag] = hashed_bag(features_of(tokens), bag)
    for k, rgb in enumerate(rgbs[:COLOUR_SLOTS]):
        out[bag + k * SLOT_SIZE: bag + (k + 1) * SLOT_SIZE] = [c / 255 for c in rgb] + [1.0]
    return out


def rotate_colour_slots(vector: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """A `hashed-bow-rgb-v1` vector with each filled colour slot's RGB multiplied by `matrix` (3x3)
    and clipped to [0, 1]: the instruction's half of a colour augmentation."""
    out = vector.copy()
    for k in range(COLOUR_SLOTS):
        at = len(out) - (COLOUR_SLOTS - k) * SLOT_SIZE
        if out[at + SLOT_SIZE - 1] > 0:
            out[at: at + 3] = np.clip(matrix @ out[at: at + 3], 0, 1)
    return out


def encode_instruction(encoding: str, text: str, dim: int) -> np.ndarray:
    if encoding == HASHED_BOW_V1:
        return encode_text(text, dim)
    if encoding == HASHED_BOW_RGB_V1:
        return encode_text_rgb(text, dim)
    raise ValueError(f"unknown text encoding {encoding!r}")
