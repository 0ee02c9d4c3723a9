"""Every 控辍保学 workbook with a hostile value in every text column: nothing becomes a formula.

The village, the school, the child, the responsible people and the absence reason are all
typed by users (or imported); each starts with a character a spreadsheet program would run.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from liangji.accounts.models import Role, User
from liangji.dropout.models import CaseKind
from liangji.dropout.services import absence_report, case_open
from liangji.dropout.tests.conftest import child_register
from liangji.registers.choices import UnitKind
from liangji.registers.models import Unit
from liangji.registers.tests.spreadsheets import hostile, xlsx_assert_text_only

TODAY = datetime.datetime(2024, 10, 20, 10, 0, tzinfo=datetime.UTC)

# The forms strip the people's names and the reason, so the tab and CR prefixes go to the
# register's own values (imported as they were typed).
VILLAGE = hostile(5, "村")
SCHOOL = hostile(1, "小学")
CHILD = hostile(6, "小明")
LOST = hostile(0)  # the register keys its household on the name: 40 characters at most
VILLAGE_PERSON = hostile(4, "村长")
SCHOOL_PERSON = hostile(2, "老师")
ABSENCE = hostile(3, "缺课")


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def hostile_town(town, year, alice):
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name=VILLAGE, parent=town)
    school = Unit.objects.create(kind=UnitKind.PRIMARY, name=SCHOOL, parent=town)
    teacher = User.objects.create_user(
        username="tina", password="x" * 12, role=Role.SCHOOL, unit=school
    )
    person, enrollment = child_register(
        name=CHILD, village=village, school=school, year=year, birth=datetime.date(2013, 5, 10)
    )
    lost = child_register(
        name=LOST,
        village=village,
        school=school,
        year=year,
        birth=datetime.date(2015, 6, 1),
        status="辍学",
        status_date=datetime.date(2024, 9, 10),
    )
    for kind, (child, roll) in (
        (CaseKind.SUSPECTED, (person, enrollment)),
        (CaseKind.DROPPED_OUT, lost),
    ):
        case_open(
            school_year=year,
            source="manual",
            kind=kind,
            person=child,
            enrollment=roll,
            opened_on=datetime.date(2024, 10, 8),
            village_person=VILLAGE_PERSON,
            school_person=SCHOOL_PERSON,
            user=alice,
        )
    absence_report(
        enrollment=enrollment,
        absent_since=datetime.date(2024, 10, 9),
        reported_on=datetime.date(2024, 10, 10),
        valid_reason=True,
        reason_text=ABSENCE,
        user=teacher,
    )
    return school


def test_every_dropout_workbook_writes_user_values_as_text(client, alice, hostile_town):
    client.force_login(alice)
    people = [VILLAGE, SCHOOL, CHILD, VILLAGE_PERSON, SCHOOL_PERSON]
    exports = {
        "适龄儿童台账": (reverse("dropout:ledger", args=["age"]), {}, [VILLAGE, CHILD, LOST]),
        "疑似辍学台账": (reverse("dropout:ledger", args=["suspected"]), {}, people),
        "辍学台账": (
            reverse("dropout:ledger", args=["dropped"]),
            {},
            [VILLAGE, SCHOOL, LOST, VILLAGE_PERSON, SCHOOL_PERSON],
        ),
        "审核清单": (reverse("dropout:review"), {}, people),
        "月报": (
            reverse("dropout:monthly"),
            {"school": hostile_town.pk, "month": "2024-10"},
            [*people, ABSENCE],
        ),
    }
    for name, (url, params, expected) in exports.items():
        response = client.get(url, {**params, "format": "xlsx"})
        assert response.status_code == 200, name
        xlsx_assert_text_only(response.content, expected)
