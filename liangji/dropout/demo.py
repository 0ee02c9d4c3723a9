"""The demo step of 控辍保学: cases from the demo town's real dropouts and out-of-school children.

Registered in liangji.demo.services.DEMO_STEPS, after the registers and the accounts. It names
the "七长" of every unit, files absence reports for a few pupils (suspected dropouts), and opens
a case for every dropout and out-of-school child of the latest school year found by the ledger,
spread over every step: some in time, some overdue, some closed with their evidence. All
through the services, so the demo exercises the same code as the pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from liangji.accounts.models import Role, User
from liangji.dropout.models import (
    CaseKind,
    CaseReason,
    CaseSource,
    CaseStep,
    ContactRole,
    DropoutCase,
    UnitContact,
)
from liangji.dropout.selectors import ChildPlace, LedgerRow, ledger_school_age
from liangji.dropout.services import (
    GuardianInput,
    absence_report,
    case_close,
    case_open,
    case_step_advance,
    contact_set,
)
from liangji.dropout.workflow import NEXT_STEP
from liangji.indicators.reconciliation import children_with_unlinked_rolls
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS, RollStatus
from liangji.registers.models import Enrollment, Person, PersonRecord, SchoolYear, Unit
from liangji.registers.rules import school_year_work_day
from liangji.registers.services import town_settings_get

Write = Callable[[str], None]

_SURNAMES = "李王张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
_GIVEN = "建国志强海燕秀兰文华国平永红桂英德明玉梅春生"
_REASONS = list(CaseReason)
_LADDER = [CaseStep.REPORTED, *[step for step in NEXT_STEP.values() if step]]


def _name(index: int) -> str:
    return (
        _SURNAMES[index % len(_SURNAMES)]
        + _GIVEN[(index * 2) % len(_GIVEN)]
        + _GIVEN[(index * 2 + 1) % len(_GIVEN)]
    )


def _phone(index: int) -> str:
    return f"139{index:08d}"


def _contacts_name(town: Unit) -> None:
    units = [town, *Unit.objects.filter(parent=town).order_by("kind", "name")]
    if town.parent is not None:
        contact_set(
            unit=town.parent,
            role=ContactRole.COUNTY_HEAD,
            name="周县长",
            phone=_phone(1),
            user=None,
        )
        contact_set(
            unit=town.parent,
            role=ContactRole.EDUCATION_HEAD,
            name="吴局长",
            phone=_phone(2),
            user=None,
        )
    for index, unit in enumerate(units, start=10):
        role = (
            ContactRole.TOWN_HEAD
            if unit.kind in TOWN_KINDS
            else ContactRole.VILLAGE_HEAD
            if unit.kind in VILLAGE_KINDS
            else ContactRole.PRINCIPAL
            if unit.kind in SCHOOL_KINDS
            else None
        )
        if role is not None:
            contact_set(unit=unit, role=role, name=_name(index), phone=_phone(index), user=None)


def _guardian(row: LedgerRow, adults: dict[int, list[tuple[str, str]]]) -> list[GuardianInput]:
    found = adults.get(row.household_id, [])[:1]
    return [
        GuardianInput(name, "父亲" if sex == "男" else "母亲", _phone(row.person_id))
        for name, sex in found
    ]


def _adults_by_household(
    school_year: SchoolYear, household_ids: list[int], before: datetime.date
) -> dict[int, list[tuple[str, str]]]:
    adults: dict[int, list[tuple[str, str]]] = {}
    for household_id, name, sex in (
        PersonRecord.objects.filter(
            school_year=school_year,
            household_id__in=household_ids,
            person__birth_date__lte=before,
        )
        .order_by("person__birth_date")
        .values_list("household_id", "person__name", "person__sex")
    ):
        adults.setdefault(household_id, []).append((name, sex))
    return adults


@transaction.atomic
def demo_cases_create(*, stdout_write: Write) -> None:
    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    school_year = SchoolYear.objects.order_by("-year").first()
    office = User.objects.filter(role=Role.TOWN_OFFICE, unit=town).first()
    if town is None or school_year is None or office is None:
        raise RuntimeError("示范镇、学年或镇两基办账号尚未创建，无法生成控辍保学示范个案")
    # A second `liangji demo` must not fail on the one-open-case-per-child rule, nor double
    # the work lists: the demo cases are made once.
    if DropoutCase.objects.filter(school_year=school_year).exists():
        stdout_write("控辍保学：示范个案已存在，跳过")
        return
    _contacts_name(town)
    # Every date of the demo's work lies in its school year, however long ago it was.
    today = school_year_work_day(school_year.year, timezone.localdate())
    # Closed cases and roll events must fall inside the school year; open ones are dated back
    # from today so that the pages show work in time and overdue whatever day the demo runs.
    in_year = min(today, school_year.last_day) - datetime.timedelta(days=30)
    rows = ledger_school_age(user=office, school_year=school_year, today=today)
    # A child whose roll the school wrote under another name is at school: no notices for him.
    at_school = children_with_unlinked_rolls(school_year=school_year.year, town=town)
    out = [
        r
        for r in rows
        if r.place in (ChildPlace.DROPPED_OUT, ChildPlace.NEVER_ENROLLED)
        and r.person_id not in at_school
    ]
    adults = _adults_by_household(
        school_year, [r.household_id for r in out], datetime.date(today.year - 22, 1, 1)
    )
    people = Person.objects.in_bulk([r.person_id for r in out])
    rolls = {
        e.pk: e
        for e in Enrollment.objects.filter(
            pk__in=[r.enrollment_id for r in out if r.enrollment_id]
        ).select_related("school")
    }
    # A child with no roll this year is followed by the principal of the town's central school.
    schools = Unit.objects.filter(parent=town, kind__in=SCHOOL_KINDS).order_by("name")
    central = schools.filter(name__contains="中心").first() or schools.first()
    principal = UnitContact.objects.filter(unit=central, role=ContactRole.PRINCIPAL).first()
    opened = closed = 0
    # Notices are numbered per issuer in date order, so the steps of all cases are taken in
    # date order once every case is open; a 限期 notice waits for the 劝返 notice's period.
    settings = town_settings_get(town).values
    waits: dict[str, int] = {
        CaseStep.DEADLINE_NOTICE: int(settings["dropout.notice_return_days"]),
        CaseStep.ADMIN_MEASURES: int(settings["dropout.deadline_notice_days"]),
    }
    cases: dict[int, DropoutCase] = {}
    plan: list[tuple[datetime.date, int, str]] = []
    closing: list[int] = []
    for index, row in enumerate(out):
        enrollment = rolls.get(row.enrollment_id) if row.enrollment_id else None
        if enrollment is not None and enrollment.status != RollStatus.DROPPED_OUT:
            enrollment = None  # a transfer without a receiving school: the child is what counts
        kind = (
            CaseKind.DROPPED_OUT if row.place == ChildPlace.DROPPED_OUT else CaseKind.NEVER_ENROLLED
        )
        closes = index % 4 == 3
        start = (
            in_year - datetime.timedelta(days=40)
            if closes
            else today - datetime.timedelta(days=5 + 9 * (index % 7) + index % 3)
        )
        cases[index] = case_open(
            school_year=school_year,
            source=CaseSource.SHORTFALL if index % 2 else CaseSource.RECONCILIATION,
            reason=_REASONS[index % len(_REASONS)],
            kind=kind,
            person=people[row.person_id],
            enrollment=enrollment,
            opened_on=start,
            school_person="" if enrollment or principal is None else principal.name,
            school_person_phone="" if enrollment or principal is None else principal.phone,
            guardians=_guardian(row, adults),
            user=None,
        )
        # Open cases climb 0–6 rungs (every step appears); closed ones 1–3 before they close.
        climb = 1 + index % 3 if closes else index % 7
        day = start
        for step in _LADDER[1 : 1 + climb]:
            day = min(day + datetime.timedelta(days=2 + index % 4), today)
            if step in waits:  # after a notice: its period first
                day = day + datetime.timedelta(days=waits[step])
                if day > today:
                    break
            plan.append((day, index, step))
        opened += 1
        if closes:
            closing.append(index)
    for day, index, step in sorted(plan):
        case = cases[index]
        cases[index] = case_step_advance(
            case=case,
            to_step=step,
            date=day,
            actors=f"{case.school_person}、{case.village_person}",
            method="上门",
            said="宣讲义务教育法，了解不上学的原因",
            outcome="家长表示考虑",
            user=None,
        )
    for index in closing:
        _demo_close(cases[index], index, in_year)
        closed += 1
    suspected = _demo_absences(school_year, today)
    stdout_write(
        f"控辍保学示范：{opened} 个辍学/失学个案（其中 {closed} 个已销号），"
        f"{suspected} 份缺课报告转为疑似辍学，各单位“七长”联系人已登记。"
    )


def _demo_close(case, index: int, on: datetime.date) -> None:  # type: ignore[no-untyped-def]
    proof = ContentFile(b"%PDF-1.4\n% demo proof\n", name="证明材料.pdf")
    choice = (index // 4) % 4
    if choice == 0 and case.enrollment is not None:
        case_close(case=case, resolution="复学", resolved_on=on, user=None)
    elif choice == 1:
        case_close(
            case=case,
            resolution="在外就读",
            resolved_on=on,
            resolution_region="省外",
            resolution_school="广东省东莞市长安镇中心小学",
            files=[proof],
            user=None,
        )
    elif choice == 2:
        case_close(
            case=case,
            resolution="登记错误",
            resolved_on=on,
            registration_error="空挂户",
            resolution_note="户口在本村，人随父母长期在外",
            files=[proof],
            user=None,
        )
    else:
        case_close(
            case=case,
            resolution="转学",
            resolved_on=on,
            resolution_school="县城第二小学",
            files=[proof],
            user=None,
        )


def _demo_absences(school_year: SchoolYear, today: datetime.date) -> int:
    """A few pupils absent for nine days without a reason: suspected dropouts."""
    pupils = (
        Enrollment.objects.filter(
            school_year=school_year, status=RollStatus.STUDYING, person__isnull=False
        )
        .select_related("school__parent")
        .order_by("school_id", "grade", "id")[:200:40]
    )
    suspected = 0
    for pupil in pupils:
        report = absence_report(
            enrollment=pupil,
            absent_since=today - datetime.timedelta(days=9),
            reported_on=today,
            valid_reason=False,
            reason_text="家长称孩子不愿上学",
            reason=CaseReason.LEARNING,
            user=None,
        )
        suspected += report.case_id is not None
    return suspected
