"""Fixtures of the registers' tests: the named cast (accounts.testing), fast hashing."""

import pytest

from liangji.accounts.testing import cast, fast_password_hasher

__all__ = ["cast", "fast_password_hasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(fast_password_hasher: None) -> None:
    pass
