"""A pytest plugin (`-p liangji.test_environment` in pyproject) that gives every test run its own
data directory.

It must act before pytest-django imports the settings, which happens before any conftest.py is
read: a plugin named with `-p` is imported while pytest parses its arguments, earlier still.
"""

from __future__ import annotations

import os
import tempfile

# Unconditionally: `make` exports the working data directory, which tests must never touch.
DATA_DIR = tempfile.mkdtemp(prefix="liangji-test-")
os.environ["LIANGJI_DATA_DIR"] = DATA_DIR
# WhiteNoise warns on every request when STATIC_ROOT is missing (tests serve the assets through the
# finders, not collectstatic): an empty directory keeps the run's output free of 1,300 such lines.
os.makedirs(os.path.join(DATA_DIR, "static"))
