"""A small literacy world for the tests of other layers (the web shell's permission table):
a class of one village with two learners of the register, one passed without a certificate
yet, one with a certificate."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liangji.literacy.models import Certificate, LiteracyClass, TestResult
from liangji.literacy.services import (
    ResultInput,
    certificate_issue,
    class_members_add,
    class_open,
    literacy_test_record,
)
from liangji.registers import testing as b
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


@dataclass
class LiteracyWorld:
    klass: LiteracyClass
    passed: TestResult  # passed, no certificate yet
    certificate: Certificate


def literacy_world_create(*, village: Unit, year: SchoolYear, user: Actor) -> LiteracyWorld:
    """In `village`'s school year `year`: 王秀英 and 李桂兰 (文盲, adults) in a class; both pass
    a test on 1 June of the year; 李桂兰 has her certificate."""
    people = [
        b.person(village, name=name, sex="女", born=born, year=year.year, number=number,
                 education_level="文盲").person
        for name, born, number in (("王秀英", "1980-03-02", "L01"), ("李桂兰", "1990-07-07", "L02"))
    ]  # fmt: skip
    klass = class_open(school_year=year, village=village, name=f"{village.name}扫盲班",
                       planned_hours=120, opened_on=datetime.date(year.year, 10, 8),
                       user=user)  # fmt: skip
    members = class_members_add(klass=klass, persons=people,
                                joined_on=datetime.date(year.year, 10, 8), user=user)  # fmt: skip
    test = literacy_test_record(
        klass=klass,
        date=datetime.date(year.year + 1, 6, 1),
        results=[ResultInput(m, 1600, True, True, True) for m in members],
        user=user,
    )
    wang, li = test.results.order_by("id")
    certificate = certificate_issue(result=li, issued_on=datetime.date(year.year + 1, 6, 2),
                                    user=user)  # fmt: skip
    return LiteracyWorld(klass=klass, passed=wang, certificate=certificate)
