"""Fixtures of the import pages tests: the named cast (accounts.testing), fast password hashing."""

import pytest

from liangji.accounts.testing import cast, fast_password_hasher

__all__ = ["cast", "fast_password_hasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(fast_password_hasher: None) -> None:
    pass
