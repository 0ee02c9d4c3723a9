"""The cast of the 控辍保学 tests.

汉镇 has two villages, 东村 and 西村, and one school, 汉镇小学. Alice runs the town office.
Victor is the cadre of 东村, Wendy the cadre of 西村 (she must see nothing of 东村's cases),
Sam keeps the roll of 汉镇小学. 张小明 (东村, grade 5) is the child most tests follow.
"""

from __future__ import annotations

import datetime

import pytest

from liangji.accounts.models import Role, User
from liangji.dropout.models import CaseReason, CaseSource
from liangji.dropout.services import GuardianInput, case_open
from liangji.registers.choices import Sex, UnitKind
from liangji.registers.models import Enrollment, Household, Person, PersonRecord, SchoolYear, Unit


@pytest.fixture
def town(db):
    county = Unit.objects.create(kind=UnitKind.COUNTY, name="汉县")
    return Unit.objects.create(kind=UnitKind.TOWN, name="汉镇", parent=county)


@pytest.fixture
def east(town):
    return Unit.objects.create(kind=UnitKind.VILLAGE, name="东村", parent=town)


@pytest.fixture
def west(town):
    return Unit.objects.create(kind=UnitKind.VILLAGE, name="西村", parent=town)


@pytest.fixture
def school(town):
    return Unit.objects.create(kind=UnitKind.PRIMARY, name="汉镇小学", parent=town)


@pytest.fixture
def year(db):
    return SchoolYear.objects.create(year=2024)


def _user(username, role, unit):
    return User.objects.create_user(username=username, password="x" * 12, role=role, unit=unit)


@pytest.fixture
def alice(town):
    return _user("alice", Role.TOWN_OFFICE, town)


@pytest.fixture
def victor(east):
    return _user("victor", Role.VILLAGE, east)


@pytest.fixture
def wendy(west):
    return _user("wendy", Role.VILLAGE, west)


@pytest.fixture
def sam(school):
    return _user("sam", Role.SCHOOL, school)


def child_register(*, name, village, school, year, birth, grade=5, status="在读", status_date=None):
    """A registered child of `village` on the roll of `school` in `year`."""
    person = Person.objects.create(name=name, sex=Sex.MALE, birth_date=birth)
    household, _ = Household.objects.get_or_create(village=village, number=f"{name}户")
    PersonRecord.objects.create(
        person=person, school_year=year, household=household, village=village, address="东村3组"
    )
    enrollment = Enrollment.objects.create(
        school_year=year,
        school=school,
        person=person,
        name=name,
        sex=Sex.MALE,
        birth_date=birth,
        grade=grade,
        hukou_village=village.name,
        status=status,
        status_date=status_date,
    )
    return person, enrollment


@pytest.fixture
def xiaoming(east, school, year):
    return child_register(
        name="张小明", village=east, school=school, year=year, birth=datetime.date(2013, 5, 10)
    )


@pytest.fixture
def case(xiaoming, year, alice):
    person, enrollment = xiaoming
    return case_open(
        school_year=year,
        source=CaseSource.MANUAL,
        reason=CaseReason.LEARNING,
        person=person,
        enrollment=enrollment,
        opened_on=datetime.date(2024, 10, 8),
        absent_since=datetime.date(2024, 9, 30),
        village_person="李村长",
        school_person="王老师",
        guardians=[GuardianInput("张大山", "父亲", "13800000001")],
        user=alice,
    )
