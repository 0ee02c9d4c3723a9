"""Test-wide configuration: every test run gets its own data directory."""

from __future__ import annotations

import os
import tempfile

# Set before Django reads its settings, so tests never touch the developer's ./var.
os.environ.setdefault("LIANGJI_DATA_DIR", tempfile.mkdtemp(prefix="liangji-test-"))
