"""The cast of the literacy tests.

汉源镇 (a 镇, rural) has 富林村 (a 村: 1,500 characters, 95 %) and 城关社区 (a 社区: 2,000
characters, 98 %); school year 2023 (reference date 2023-09-01) and 2024. Alice runs the town
office; Victor is the cadre of 富林村, Wendy of 城关社区 (she must see nothing of 富林村's
learners). 王秀英 (富林村, 文盲, born 1980) and 李桂兰 (富林村, 半文盲, born 1990) are the
learners most tests follow.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from liangji.accounts.models import Role, User
from liangji.literacy.models import ClassMember, LiteracyClass
from liangji.literacy.services import ResultInput, TeacherInput, class_members_add, class_open
from liangji.registers import testing as b
from liangji.registers.choices import UnitKind
from liangji.registers.models import PersonRecord, SchoolYear, Unit

D = datetime.date


@dataclass
class Cast:
    town: Unit
    village: Unit
    community: Unit
    year: SchoolYear
    alice: User
    victor: User
    wendy: User
    wang: PersonRecord
    li: PersonRecord


def _user(username: str, role: str, unit: Unit) -> User:
    return User.objects.create_user(username=username, password="x" * 12, role=role, unit=unit)


@pytest.fixture
def cast(db) -> Cast:
    town = b.town("汉源镇")
    village = b.village(town, "富林村")
    community = Unit.objects.create(kind=UnitKind.COMMUNITY, name="城关社区", parent=town)
    year = b.school_year(2023)
    wang = b.person(village, name="王秀英", sex="女", born="1980-03-02", education_level="文盲")
    li = b.person(village, name="李桂兰", sex="女", born="1990-07-07", education_level="半文盲",
                  number="002")  # fmt: skip
    return Cast(
        town=town,
        village=village,
        community=community,
        year=year,
        alice=_user("alice", Role.TOWN_OFFICE, town),
        victor=_user("victor", Role.VILLAGE, village),
        wendy=_user("wendy", Role.VILLAGE, community),
        wang=wang,
        li=li,
    )


def open_class(
    cast: Cast, village: Unit | None = None, name: str = "富林村扫盲一班"
) -> LiteracyClass:
    return class_open(
        school_year=cast.year,
        village=village or cast.village,
        name=name,
        planned_hours=120,
        opened_on=D(2023, 10, 8),
        venue="富林村村民文化技术学校",
        textbook="《农民识字课本》",
        schedule="每周二、四晚 19:00–21:00",
        teachers=[TeacherInput("赵老师", "富林小学", "13800000001")],
        user=cast.alice,
    )


@pytest.fixture
def klass(cast) -> LiteracyClass:
    return open_class(cast)


@pytest.fixture
def members(cast, klass) -> list[ClassMember]:
    return class_members_add(
        klass=klass, persons=[cast.wang.person, cast.li.person], joined_on=D(2023, 10, 8),
        user=cast.alice,
    )  # fmt: skip


def result(member: ClassMember, characters: int, *, skills: bool = True) -> ResultInput:
    return ResultInput(
        member=member,
        characters_known=characters,
        reading=skills,
        accounts=skills,
        writing=skills,
    )
