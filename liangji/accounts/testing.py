"""The named cast of the tests (used by every app's tests; no test data is random).

清河县 (county) has two towns. 青山镇 has the villages 东村 and 西村 and the schools 青山小学
and 青山中学; 白水镇 has 南村 and 白水小学.

- alice keeps the town office of 青山镇; lee sits on its leadership group (read-only);
- vera is the cadre of 东村, wang of 西村; sam works at 青山小学;
- oscar keeps the town office of 白水镇: he must see nothing of 青山镇;
- ian is the county inspector; ada administers the installation and sees no person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from liangji.accounts.models import Role, User
from liangji.registers.choices import UnitKind
from liangji.registers.models import Unit

CAST_PASSWORD = "liangji-test-密码-2024"


@dataclass
class Cast:
    county: Unit
    town: Unit
    east: Unit
    west: Unit
    primary: Unit
    junior: Unit
    other_town: Unit
    south: Unit
    other_primary: Unit
    alice: User
    lee: User
    vera: User
    wang: User
    sam: User
    oscar: User
    ian: User
    ada: User

    def users(self) -> dict[str, User]:
        names = ["alice", "lee", "vera", "wang", "sam", "oscar", "ian", "ada"]
        return {name: getattr(self, name) for name in names}


def _user(username: str, role: str, unit: Unit | None, full_name: str) -> User:
    user = User(username=username, role=role, unit=unit, last_name=full_name)
    user.set_password(CAST_PASSWORD)
    user.save()
    return user


def cast_create() -> Cast:
    county = Unit.objects.create(kind=UnitKind.COUNTY, name="清河县")
    town = Unit.objects.create(kind=UnitKind.TOWN, name="青山镇", parent=county)
    other_town = Unit.objects.create(kind=UnitKind.TOWN, name="白水镇", parent=county)
    east = Unit.objects.create(kind=UnitKind.VILLAGE, name="东村", parent=town)
    west = Unit.objects.create(kind=UnitKind.VILLAGE, name="西村", parent=town)
    primary = Unit.objects.create(kind=UnitKind.PRIMARY, name="青山小学", parent=town)
    junior = Unit.objects.create(kind=UnitKind.JUNIOR, name="青山中学", parent=town)
    south = Unit.objects.create(kind=UnitKind.VILLAGE, name="南村", parent=other_town)
    other_primary = Unit.objects.create(kind=UnitKind.PRIMARY, name="白水小学", parent=other_town)
    return Cast(
        county=county,
        town=town,
        east=east,
        west=west,
        primary=primary,
        junior=junior,
        other_town=other_town,
        south=south,
        other_primary=other_primary,
        alice=_user("alice", Role.TOWN_OFFICE, town, "李两基"),
        lee=_user("lee", Role.LEADER, town, "王镇长"),
        vera=_user("vera", Role.VILLAGE, east, "张东村"),
        wang=_user("wang", Role.VILLAGE, west, "赵西村"),
        sam=_user("sam", Role.SCHOOL, primary, "孙校长"),
        oscar=_user("oscar", Role.TOWN_OFFICE, other_town, "周白水"),
        ian=_user("ian", Role.INSPECTOR, county, "吴督导"),
        ada=_user("ada", Role.ADMIN, None, "钱管理"),
    )


# Fixtures for the apps whose tests use the cast: `from liangji.accounts.testing import cast,
# fast_password_hasher` in their conftest.py.


@pytest.fixture
def cast(db: None) -> Cast:
    return cast_create()


@pytest.fixture
def fast_password_hasher(settings: Any) -> None:
    # argon2 is deliberately slow; the tests hash a dozen passwords each. Production keeps it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
