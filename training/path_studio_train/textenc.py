"""`hashed-bow-v1` instruction embedding (docs/TEXT_ENCODING.md); must match src/core/textEncoding.ts."""
import math
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
    tokens = tokenize(text)
    return tokens + [a + "_" + b for a, b in zip(tokens, tokens[1:])]


def fnv1a32(s: str) -> int:
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def encode_text(text: str, dim: int = DEFAULT_TEXT_DIM) -> np.ndarray:
    if not isinstance(dim, int) or dim <= 0:
        raise ValueError(f"text encoding dimension must be a positive integer, got {dim}")
    counts = np.zeros(dim, dtype=np.float64)
    for f in text_features(text):
        counts[fnv1a32(f) % dim] += 1
    norm = math.sqrt(float((counts * counts).sum()))
    return (counts / norm if norm > 0 else counts).astype(np.float32)
