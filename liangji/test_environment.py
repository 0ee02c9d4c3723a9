"""A pytest plugin (`-p liangji.test_environment` in pyproject) that gives every test run its own
data directory.

It must act before pytest-django imports the settings, which happens before any conftest.py is
read: a plugin named with `-p` is imported while pytest parses its arguments, earlier still.
"""

from __future__ import annotations

import os
import tempfile

# Unconditionally: `make` exports the working data directory, which tests must never touch.
os.environ["LIANGJI_DATA_DIR"] = tempfile.mkdtemp(prefix="liangji-test-")
