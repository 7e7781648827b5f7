"""Reads a HAMSTER / VILA SFT export (docs/EXPORT.md): a zip or folder with `data.json` — a list of
`{id, image, conversations: [{from: human, value: "<image>\\n" + prompt}, {from: gpt, value: "<ans>[...]</ans>"}]}` —
and the images it names. Yields (rgb uint8 HxWx3, instruction, Path)."""
import io
import json
import os
import re
import zipfile

import numpy as np
from PIL import Image

from .paths import parse_answer

_QUEST = re.compile(r"<quest>(.*?)</quest>", re.S)


class _Source:
    def __init__(self, root):
        self.zip = zipfile.ZipFile(root) if zipfile.is_zipfile(root) else None
        self.root = root
        names = self.zip.namelist() if self.zip else None
        self.prefix = ""
        if names is not None:
            hits = [n for n in names if n.endswith("data.json")]
            if not hits:
                raise FileNotFoundError(f"{root}: no data.json in the zip — is this a HAMSTER/VILA export?")
            self.prefix = hits[0][: -len("data.json")]

    def read(self, name: str) -> bytes:
        if self.zip:
            return self.zip.read(self.prefix + name)
        with open(os.path.join(self.root, name), "rb") as f:
            return f.read()


def load_vila(root: str):
    src = _Source(root)
    entries = json.loads(src.read("data.json"))
    if not isinstance(entries, list):
        raise ValueError(f"{root}: data.json must be a list of samples")
    out = []
    for i, e in enumerate(entries):
        conv = e.get("conversations") or []
        human = next((c["value"] for c in conv if c.get("from") == "human"), "")
        gpt = next((c["value"] for c in conv if c.get("from") == "gpt"), None)
        if gpt is None:
            raise ValueError(f"{root}: sample {e.get('id', i)} has no gpt answer")
        q = _QUEST.search(human)
        instruction = q.group(1).strip() if q else human.replace("<image>", "").strip()
        rgb = np.array(Image.open(io.BytesIO(src.read(e["image"]))).convert("RGB"))
        out.append((rgb, instruction, parse_answer(gpt)))
    return out
