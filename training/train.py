#!/usr/bin/python3
"""Entry point: `/usr/bin/python3 training/train.py --help` (see training/README.md)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from path_studio_train.train import main  # noqa: E402

if __name__ == "__main__":
    main()
