"""Test set-up for the functions' unit tests."""

from __future__ import annotations

import sys
from pathlib import Path

SHARED = str(Path(__file__).resolve().parent / "_shared")
# In a zip the shared modules sit beside handler.py; in tests, _shared/ stands in for that.
if SHARED not in sys.path:
    sys.path.insert(0, SHARED)
