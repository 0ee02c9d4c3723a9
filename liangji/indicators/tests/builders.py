"""Moved to liangji.registers.testing (the registers' builders serve every app's tests).

Kept for branches still importing it during the wave; delete once nothing does.
"""

from liangji.registers.testing import *  # noqa: F403
