from typing import Any

import pytest

from liangji.accounts.testing import Cast, cast_create


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    # argon2 is deliberately slow; the tests hash a dozen passwords each. Production keeps it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db: None) -> Cast:
    return cast_create()
