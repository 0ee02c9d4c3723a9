import datetime
import itertools

import pytest

from liangji.audit.models import AuditEntry
from liangji.dropout.models import (
    CaseEntry,
    CaseKind,
    CaseStatus,
    CaseStep,
    ContactRole,
    EntryKind,
    Notice,
)
from liangji.dropout.services import (
    absence_report,
    case_escalate_due,
    case_step_advance,
    contact_set,
)
from liangji.dropout.workflow import NEXT_STEP, TransitionRefused, is_overdue, step_deadline
from liangji.registers.services import town_settings_get, town_settings_update
from liangji.registers.town_settings import TownSettings

LADDER = [
    CaseStep.REPORTED,
    CaseStep.HOME_VISIT,
    CaseStep.PERSUASION,
    CaseStep.WRITTEN_REPORT,
    CaseStep.RETURN_NOTICE,
    CaseStep.DEADLINE_NOTICE,
    CaseStep.ADMIN_MEASURES,
]
ALLOWED = set(itertools.pairwise(LADDER))


def test_the_ladder_is_declared_in_order():
    assert [NEXT_STEP[s] for s in LADDER] == [*LADDER[1:], None]


@pytest.mark.parametrize("from_step", LADDER)
@pytest.mark.parametrize("to_step", LADDER)
def test_every_transition_is_allowed_or_refused(case, alice, from_step, to_step):
    case.step = from_step
    case.save()
    day = datetime.date(2024, 10, 9)
    if (from_step, to_step) in ALLOWED:
        case_step_advance(case=case, to_step=to_step, date=day, actors="王老师、李村长", user=alice)
        case.refresh_from_db()
        assert case.step == to_step
        assert case.step_date == day
    else:
        with pytest.raises(TransitionRefused):
            case_step_advance(case=case, to_step=to_step, date=day, actors="王老师", user=alice)
        case.refresh_from_db()
        assert case.step == from_step


def test_a_closed_case_refuses_every_step(case, alice):
    case.status = CaseStatus.CLOSED
    case.resolution = "复学"
    case.resolved_on = datetime.date(2024, 10, 9)
    case.save()
    with pytest.raises(TransitionRefused, match="已销号"):
        case_step_advance(
            case=case,
            to_step=CaseStep.HOME_VISIT,
            date=datetime.date(2024, 10, 9),
            actors="王老师",
            user=alice,
        )


def test_climbing_the_ladder_records_each_step_and_issues_two_numbered_notices(case, alice):
    # One day a rung, except after a notice: the next rung waits for its period to run out.
    days = [(10, 9), (10, 10), (10, 11), (10, 12), (10, 28), (11, 13)]
    for step, (month, day) in zip(LADDER[1:], days, strict=True):
        case_step_advance(
            case=case,
            to_step=step,
            date=datetime.date(2024, month, day),
            actors="王老师、李村长",
            method="上门",
            said="劝其返校",
            outcome="家长答应考虑",
            user=alice,
        )
    assert (
        list(
            CaseEntry.objects.filter(case=case, kind=EntryKind.ADVANCED).values_list(
                "step", flat=True
            )
        )
        == LADDER[1:]
    )
    notices = list(Notice.objects.filter(case=case).order_by("issued_on"))
    assert [(n.number, n.issued_on, n.return_by) for n in notices] == [
        ("汉镇小〔2024〕1号", datetime.date(2024, 10, 12), datetime.date(2024, 10, 27)),
        ("汉镇政〔2024〕1号", datetime.date(2024, 10, 28), datetime.date(2024, 11, 12)),
    ]
    assert notices[0].issuer == "汉镇小学"
    assert notices[1].issuer == "汉镇人民政府"
    assert AuditEntry.objects.filter(entity="DropoutCase", entity_id=str(case.pk)).count() == 7


def test_deadline_of_each_step_follows_the_town_settings():
    settings = TownSettings.from_stored({"dropout.home_visit_days": "5"})
    reported = datetime.date(2024, 10, 8)
    assert step_deadline(settings, CaseStep.REPORTED, reported) == datetime.date(2024, 10, 13)
    assert step_deadline(settings, CaseStep.HOME_VISIT, reported) == datetime.date(2024, 10, 15)
    assert step_deadline(settings, CaseStep.PERSUASION, reported) == datetime.date(2024, 10, 15)
    assert step_deadline(settings, CaseStep.RETURN_NOTICE, reported) == datetime.date(2024, 10, 23)
    assert step_deadline(settings, CaseStep.ADMIN_MEASURES, reported) is None


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (datetime.date(2024, 10, 10), False),
        (datetime.date(2024, 10, 11), False),  # the deadline day itself is still in time
        (datetime.date(2024, 10, 12), True),
    ],
)
def test_a_case_is_overdue_the_day_after_its_deadline(today, overdue):
    settings = TownSettings.from_stored({})
    assert (
        is_overdue(
            settings=settings,
            status=CaseStatus.OPEN,
            step=CaseStep.REPORTED,
            step_date=datetime.date(2024, 10, 8),
            today=today,
        )
        is overdue
    )


def test_a_closed_case_and_the_last_step_are_never_overdue():
    settings = TownSettings.from_stored({})
    long_after = datetime.date(2025, 6, 1)
    start = datetime.date(2024, 10, 8)
    assert not is_overdue(
        settings=settings,
        status=CaseStatus.CLOSED,
        step=CaseStep.REPORTED,
        step_date=start,
        today=long_after,
    )
    assert not is_overdue(
        settings=settings,
        status=CaseStatus.OPEN,
        step=CaseStep.ADMIN_MEASURES,
        step_date=start,
        today=long_after,
    )


def test_absence_of_seven_days_is_reported_but_eight_open_a_suspected_case(
    xiaoming, sam, east, school
):
    _, enrollment = xiaoming
    contact_set(unit=east, role=ContactRole.VILLAGE_HEAD, name="李村长", phone="139", user=sam)
    contact_set(unit=school, role=ContactRole.PRINCIPAL, name="赵校长", phone="137", user=sam)
    week = absence_report(
        enrollment=enrollment,
        absent_since=datetime.date(2024, 10, 8),
        reported_on=datetime.date(2024, 10, 15),
        valid_reason=False,
        user=sam,
    )
    assert week.case is None
    eight = absence_report(
        enrollment=enrollment,
        absent_since=datetime.date(2024, 10, 8),
        reported_on=datetime.date(2024, 10, 16),
        valid_reason=False,
        reason_text="在家帮农",
        user=sam,
    )
    assert eight.case is not None
    assert eight.case.kind == CaseKind.SUSPECTED
    assert eight.case.village == east
    # The responsible people default to the 七长 contacts of the village and the school.
    assert (eight.case.village_person, eight.case.village_person_phone) == ("李村长", "139")
    assert (eight.case.school_person, eight.case.school_person_phone) == ("赵校长", "137")


def test_absence_with_a_valid_reason_opens_nothing(xiaoming, sam):
    _, enrollment = xiaoming
    report = absence_report(
        enrollment=enrollment,
        absent_since=datetime.date(2024, 10, 1),
        reported_on=datetime.date(2024, 10, 20),
        valid_reason=True,
        reason_text="住院",
        school_person="王老师",
        user=sam,
    )
    assert report.case is None


def test_a_suspected_case_not_back_within_thirty_days_becomes_a_dropout(case, alice, town):
    # Absent since 30 Sept: 30 days later (30 Oct) it is still suspected, on 31 Oct a dropout.
    assert case_escalate_due(today=datetime.date(2024, 10, 30), user=alice) == []
    escalated = case_escalate_due(today=datetime.date(2024, 10, 31), user=alice)
    assert [c.pk for c in escalated] == [case.pk]
    case.refresh_from_db()
    assert case.kind == CaseKind.DROPPED_OUT
    case.enrollment.refresh_from_db()
    assert (case.enrollment.status, case.enrollment.status_date) == (
        "辍学",
        datetime.date(2024, 10, 30),
    )


def test_the_dropout_threshold_is_a_town_setting(case, alice, town):
    town_settings_update(town=town, changes={"dropout.dropout_after_days": "20"}, user=alice)
    assert town_settings_get(town).values["dropout.dropout_after_days"] == "20"
    escalated = case_escalate_due(today=datetime.date(2024, 10, 21), user=alice)
    assert [c.pk for c in escalated] == [case.pk]


def test_an_absence_reported_after_a_month_opens_a_dropout_and_marks_the_roll(xiaoming, sam, east):
    _, enrollment = xiaoming
    contact_set(unit=east, role=ContactRole.VILLAGE_HEAD, name="李村长", phone="", user=sam)
    report = absence_report(
        enrollment=enrollment,
        absent_since=datetime.date(2024, 9, 10),
        reported_on=datetime.date(2024, 10, 11),
        valid_reason=False,
        school_person="王老师",
        user=sam,
    )
    assert report.case is not None
    assert report.case.kind == CaseKind.DROPPED_OUT
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.status_date) == ("辍学", datetime.date(2024, 10, 10))
