"""Reads of 控辍保学: cases, the three ledgers, the monthly school report and the review list.

Every selector takes the acting user and applies `accounts.scope`: the town office sees its
town's cases, a village cadre the cases of the village (government line), a school the cases
of its pupils (education line), a county inspector the cases of the county's towns.
Overdue is computed in the query from the town settings (one condition per town and step), so
a list filtered by "overdue" is still one query.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from liangji.accounts.models import Actor, User
from liangji.accounts.scope import scope_for
from liangji.dropout.models import (
    AbsenceReport,
    CaseKind,
    CaseStatus,
    CaseStep,
    DropoutCase,
    MonthlySubmission,
    UnitContact,
)
from liangji.dropout.workflow import NEXT_STEP, STEP_DEADLINE_SETTING, step_deadline
from liangji.indicators.places import (
    Schooling,
    record_exempted_on,
    roll_studying_on,
    schooling_on,
)
from liangji.registers.choices import (
    HukouStatus,
    PopulationType,
    Resolution,
)
from liangji.registers.models import Enrollment, PersonRecord, SchoolYear, TownSetting, Unit
from liangji.registers.rules import age_on, years_before
from liangji.registers.town_settings import TownSettings


def case_scope_q(user: Actor) -> Q:
    """The cases a user may see (deny by default: an empty scope sees none)."""
    scope = scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    return (
        Q(town_id__in=sorted(scope.town_ids))
        | Q(village_id__in=sorted(scope.village_ids))
        | Q(school_id__in=sorted(scope.school_ids))
    )


def cases_visible(user: Actor) -> QuerySet[DropoutCase]:
    return DropoutCase.objects.filter(case_scope_q(user))


def case_access(user: Actor, pk: int | str) -> DropoutCase:
    """The case, if the user may see it; the same 404 for "no such case" and "not yours"."""
    try:
        return (
            cases_visible(user)
            .select_related("town", "village", "school", "school_year", "person", "enrollment")
            .get(pk=pk)
        )
    except (DropoutCase.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该个案，或您无权查看。") from None


def town_settings_many(town_ids: Iterable[int]) -> dict[int, TownSettings]:
    """Every town's settings in one query."""
    stored: dict[int, dict[str, str]] = defaultdict(dict)
    ids = sorted(set(town_ids))
    for town_id, key, value in TownSetting.objects.filter(town_id__in=ids).values_list(
        "town_id", "key", "value"
    ):
        stored[town_id][key] = value
    return {town_id: TownSettings.from_stored(stored[town_id]) for town_id in ids}


def _user_town_ids(user: Actor) -> set[int]:
    scope = scope_for(user)
    ids = set(scope.town_ids)
    unit = getattr(user, "unit", None)
    if not ids and unit is not None and unit.town is not None and not scope.is_empty:
        ids.add(unit.town.pk)
    return ids


def overdue_q(settings: dict[int, TownSettings], today: datetime.date) -> Q:
    """Open cases whose step's deadline passed (step_date + days < today), per town and step."""
    condition = Q(pk__in=[])
    for town_id, town_settings in settings.items():
        for step, key in STEP_DEADLINE_SETTING.items():
            latest_in_time = today - datetime.timedelta(days=int(town_settings.values[key]))
            condition |= Q(town_id=town_id, step=step, step_date__lt=latest_in_time)
    return Q(status=CaseStatus.OPEN) & condition


@dataclass(frozen=True)
class CaseRow:
    case: DropoutCase
    deadline: datetime.date | None
    overdue: bool
    next_step: str
    days_open: int


def _rows(
    cases: Iterable[DropoutCase], settings: dict[int, TownSettings], today: datetime.date
) -> list[CaseRow]:
    rows = []
    for case in cases:
        town_settings = settings.get(case.town_id) or TownSettings.from_stored({})
        deadline = (
            step_deadline(town_settings, case.step, case.step_date)
            if case.status == CaseStatus.OPEN
            else None
        )
        following = NEXT_STEP.get(case.step)
        rows.append(
            CaseRow(
                case=case,
                deadline=deadline,
                overdue=deadline is not None and today > deadline,
                next_step=CaseStep(following).label if following and deadline else "",
                days_open=((case.resolved_on or today) - case.opened_on).days,
            )
        )
    return rows


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    step: str = ""
    kind: str = ""
    overdue: bool = False
    village_id: int | None = None
    school_id: int | None = None
    mine: bool = False  # the cases where the user is named as a responsible person


def case_list(
    *,
    user: Actor,
    school_year: SchoolYear | None,
    today: datetime.date,
    filters: CaseFilters = CaseFilters(),
    limit: int = 500,
) -> list[CaseRow]:
    """The cases the user may see, filtered; each with its deadline and overdue flag."""
    cases = cases_visible(user)
    if school_year is not None:
        cases = cases.filter(school_year=school_year)
    settings = town_settings_many(_user_town_ids(user))
    for name, value in (
        ("status", filters.status),
        ("step", filters.step),
        ("kind", filters.kind),
        ("village_id", filters.village_id),
        ("school_id", filters.school_id),
    ):
        if value:
            cases = cases.filter(**{name: value})
    if filters.overdue:
        cases = cases.filter(overdue_q(settings, today))
    if filters.mine and isinstance(user, User):  # the anonymous user has no cases of their own
        name = user.get_full_name() or user.get_username()
        cases = cases.filter(Q(village_person=name) | Q(school_person=name))
    cases = cases.select_related("village", "school").order_by("-status", "step_date", "id")
    return _rows(cases[:limit], settings, today)


def case_overdue_count(*, user: Actor, today: datetime.date) -> int:
    """For the dashboard: the user's open cases past their step's deadline."""
    settings = town_settings_many(_user_town_ids(user))
    return cases_visible(user).filter(overdue_q(settings, today)).count()


def case_detail(*, user: Actor, pk: int | str, today: datetime.date) -> dict[str, Any]:
    case = case_access(user, pk)
    settings = town_settings_many([case.town_id])
    row = _rows([case], settings, today)[0]
    contact_units = [u for u in (case.town, case.village, case.school) if u is not None]
    return {
        "row": row,
        "case": case,
        "guardians": list(case.guardians.all()),
        "entries": list(case.entries.select_related("recorded_by").prefetch_related("attachments")),
        "notices": list(case.notices.prefetch_related("services")),
        "contacts": list(
            UnitContact.objects.filter(unit__in=contact_units)
            .select_related("unit")
            .order_by("unit__kind", "role")
        ),
        "next_step": NEXT_STEP.get(case.step),
    }


# --- The 适龄儿童 ledger ----------------------------------------------------------------------


class ChildPlace(models.TextChoices):
    """Where a school-age child is (the 适龄儿童 ledger's column)."""

    IN_SCHOOL = "在校", "在校就读"
    ELSEWHERE_PROOF = "在外有证明", "在外就读（有证明）"
    ELSEWHERE_NO_PROOF = "在外无证明", "在外就读（缺证明）"
    HOME_TEACHING = "送教上门", "送教上门"
    EXEMPTED = "免缓学", "免缓学"
    GRADUATED = "已毕业", "初中已毕业"
    DROPPED_OUT = "辍学", "辍学"
    NEVER_ENROLLED = "失学", "失学（未入学）"


# Places that mean the child is out of school and should have a case.
OUT_OF_SCHOOL = frozenset({ChildPlace.DROPPED_OUT, ChildPlace.NEVER_ENROLLED})


@dataclass
class LedgerRow:
    """One child of the ledger. Plain values, not model instances: a county's ledger holds tens
    of thousands of children and building objects for them would cost more than the query."""

    person_id: int
    household_id: int
    village: str
    name: str
    sex: str
    birth_date: datetime.date
    age: int = 0
    place: str = ""
    school: str = ""
    grade: int | None = None
    enrollment_id: int | None = None
    case_id: int | None = None
    detail: str = ""
    case_resolution: str = ""  # the resolution of the latest case, when it is closed


def ledger_date(
    school_year: SchoolYear, settings: TownSettings, today: datetime.date
) -> datetime.date:
    """The day the ledger describes: today within the school year, else its reference date."""
    if school_year.first_day <= today <= school_year.last_day:
        return today
    return settings.reference_date(school_year.year)


def _record_scope_q(user: Actor, school_year: SchoolYear) -> Q:
    scope = scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    pupils = Enrollment.objects.filter(
        school_year=school_year, school_id__in=sorted(scope.school_ids), person_id__isnull=False
    ).values("person_id")
    return Q(village_id__in=sorted(scope.village_ids)) | Q(person_id__in=pupils)


def ledger_school_age(
    *, user: Actor, school_year: SchoolYear, today: datetime.date, place: str = ""
) -> list[LedgerRow]:
    """适龄儿童台账: every registered, living child of school age in the user's scope and where
    the child is on the ledger date. Three queries whatever the size of the town."""
    town_ids = _user_town_ids(user)
    settings_by_town = town_settings_many(town_ids)
    # The town office's ledger: one town's settings decide ages and dates. A county inspector
    # looking at several towns gets each town's children judged by that town's settings.
    rows: list[LedgerRow] = []
    for town_id, settings in settings_by_town.items():
        rows.extend(_ledger_town(user, school_year, town_id, settings, today))
    if place:
        rows = [row for row in rows if row.place == place]
    return rows


_RECORD_VALUES = (
    "person_id", "household_id", "village__name", "person__name", "person__sex",
    "person__birth_date", "elsewhere_level", "elsewhere_proof", "elsewhere_region",
    "elsewhere_school", "elsewhere_grade", "home_schooling", "disability", "exemption",
    "exemption_until", "exemption_approved_on", "education_level",
)  # fmt: skip
_ROLL_VALUES = (
    "id", "person_id", "school__name", "grade", "status", "status_date", "entry_date",
)  # fmt: skip


def _ledger_town(
    user: Actor, school_year: SchoolYear, town_id: int, settings: TownSettings, today: datetime.date
) -> list[LedgerRow]:
    on = ledger_date(school_year, settings, today)
    reference = settings.reference_date(school_year.year)
    low, high = settings.primary_ages[0], settings.junior_ages[1]
    born_after, born_by = years_before(reference, high + 1), years_before(reference, low)
    records = list(
        PersonRecord.objects.filter(
            _record_scope_q(user, school_year),
            school_year=school_year,
            village__parent_id=town_id,
            population_type=PopulationType.REGISTERED,
            person__birth_date__lte=born_by,
            person__birth_date__gt=born_after,
        )
        .exclude(died_on__lte=on)
        .exclude(hukou_status=HukouStatus.MOVED_OUT, moved_out_on__lte=on)
        .annotate(exempted=record_exempted_on(on))
        .order_by("village__name", "person__birth_date", "person__name")
        .values(*_RECORD_VALUES, "exempted")
    )
    # The same conditions as a subquery, not a list of ids: a county's list would not fit
    # SQLite's limit on query parameters.
    people = PersonRecord.objects.filter(
        _record_scope_q(user, school_year), school_year=school_year, village__parent_id=town_id
    ).values("person_id")
    rolls: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for roll in (
        Enrollment.objects.filter(school_year=school_year, person_id__in=people)
        .annotate(studying=roll_studying_on(on))
        .values(*_ROLL_VALUES, "studying")
    ):
        rolls[roll["person_id"]].append(roll)
    # The child's case of the year: the open one, else the latest closed one (动态销号 shows
    # how it was closed instead of offering to open it again).
    cases: dict[int, tuple[int, str]] = {}
    for person_id, case_id, status, resolution in (
        DropoutCase.objects.filter(school_year=school_year, person_id__in=people)
        .order_by("status", "resolved_on", "id")  # "closed" < "open": the open case wins
        .values_list("person_id", "id", "status", "resolution")
    ):
        cases[person_id] = (case_id, resolution if status == CaseStatus.CLOSED else "")
    # Rolls of earlier years (a graduation, a dropout last year) as the engine reads them.
    schooling = schooling_on(
        town_id=town_id, school_year=school_year, settings=settings, day=on,
        born_after=born_after, born_by=born_by,
    )  # fmt: skip
    rows = []
    for record in records:
        row = LedgerRow(
            person_id=record["person_id"], household_id=record["household_id"],
            village=record["village__name"], name=record["person__name"],
            sex=record["person__sex"], birth_date=record["person__birth_date"],
            age=age_on(record["person__birth_date"], reference),
        )  # fmt: skip
        _place_of(
            row, record, rolls.get(record["person_id"], []), schooling.get(record["person_id"])
        )
        row.case_id, row.case_resolution = cases.get(row.person_id, (None, ""))
        rows.append(row)
    return rows


def _place_of(
    row: LedgerRow,
    record: dict[str, Any],
    rolls: list[dict[str, Any]],
    schooling: Schooling | None,
) -> None:
    """Where the child is, in this order: at school, studying elsewhere, taught at home,
    exempted, finished junior school, dropped out (was at school once), never enrolled. The
    last three are the engine's terms (`indicators.places.schooling_on`): a roll of an earlier
    year counts as the indicators count it."""
    current = next((roll for roll in rolls if roll["studying"]), None)
    if current is not None:
        row.place, row.school, row.grade = (
            ChildPlace.IN_SCHOOL,
            current["school__name"],
            current["grade"],
        )
        row.enrollment_id = current["id"]
    elif record["elsewhere_level"]:
        row.place = (
            ChildPlace.ELSEWHERE_PROOF
            if record["elsewhere_proof"]
            else ChildPlace.ELSEWHERE_NO_PROOF
        )
        row.school = " ".join(
            x for x in (record["elsewhere_region"], record["elsewhere_school"]) if x
        )
        row.grade, row.detail = record["elsewhere_grade"], record["elsewhere_level"]
    elif record["home_schooling"]:
        row.place, row.detail = ChildPlace.HOME_TEACHING, record["disability"]
    elif record["exempted"]:
        row.place = ChildPlace.EXEMPTED
        row.detail = f"{record['exemption']} 批准于{record['exemption_approved_on']}"
    elif schooling is not None and schooling.junior_completed:
        row.place = ChildPlace.GRADUATED
    elif schooling is None or not schooling.never_enrolled:
        row.place = ChildPlace.DROPPED_OUT
        latest = max(rolls, key=lambda r: r["status_date"] or datetime.date.min, default=None)
        if latest is not None:
            row.enrollment_id = latest["id"]
            row.detail = (
                f"{latest['school__name']} {latest['status']} {latest['status_date'] or ''}"
            )
        else:
            row.detail = record["education_level"]
        row.detail = row.detail.strip()
    else:
        row.place, row.detail = ChildPlace.NEVER_ENROLLED, record["education_level"]


def ledger_place_counts(rows: Iterable[LedgerRow]) -> list[tuple[str, str, int]]:
    counts = Counter(row.place for row in rows)
    return [(place.value, place.label, counts.get(place.value, 0)) for place in ChildPlace]


# --- The 疑似辍学 and 辍学 ledgers --------------------------------------------------------------


def ledger_cases(
    *, user: Actor, school_year: SchoolYear, kind: str, today: datetime.date
) -> list[CaseRow]:
    """疑似辍学台账 / 辍学台账: every case of the kind this year, open and closed (动态销号
    shows the resolution rather than deleting the line)."""
    return case_list(
        user=user,
        school_year=school_year,
        today=today,
        filters=CaseFilters(kind=kind),
        limit=100_000,
    )


# --- Reports ---------------------------------------------------------------------------------


@dataclass
class MonthlyReport:
    """一月一报告 of one school: absences, cases and returns of one month."""

    school: Unit
    month_start: datetime.date
    month_end: datetime.date
    absences: list[AbsenceReport]
    opened: list[DropoutCase]
    closed: list[DropoutCase]
    open_at_end: list[CaseRow]
    counts: dict[str, int] = field(default_factory=dict)


def _month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


@dataclass(frozen=True)
class SubmissionRow:
    school: Unit
    submitted_on: datetime.date | None


def monthly_submissions(*, user: Actor, year: int, month: int) -> list[SubmissionRow]:
    """Every school the user may see, and whether (when) it submitted the month's report."""
    start, _ = _month_bounds(year, month)
    schools = Unit.objects.filter(pk__in=scope_for(user).school_ids).order_by("name")
    submitted = dict(
        MonthlySubmission.objects.filter(school__in=schools, month=start).values_list(
            "school_id", "submitted_on"
        )
    )
    return [SubmissionRow(school=s, submitted_on=submitted.get(s.pk)) for s in schools]


def monthly_report(
    *, user: Actor, school: Unit, year: int, month: int, today: datetime.date
) -> MonthlyReport:
    if school.pk not in scope_for(user).school_ids:
        raise Http404("没有找到该学校，或您无权查看。")
    start, end = _month_bounds(year, month)
    cases = cases_visible(user).filter(school=school).select_related("village", "school")
    absences = list(
        AbsenceReport.objects.filter(school=school, reported_on__range=(start, end)).select_related(
            "enrollment", "case"
        )
    )
    opened = list(cases.filter(opened_on__range=(start, end)))
    closed = list(cases.filter(status=CaseStatus.CLOSED, resolved_on__range=(start, end)))
    still_open = cases.filter(opened_on__lte=end).filter(
        Q(status=CaseStatus.OPEN) | Q(resolved_on__gt=end)
    )
    settings = town_settings_many([school.town.pk] if school.town else [])
    open_rows = _rows(still_open, settings, min(end, today))
    counts = {
        "absences": len(absences),
        "absences_without_reason": sum(1 for a in absences if not a.valid_reason),
        "opened_suspected": sum(1 for c in opened if c.kind == CaseKind.SUSPECTED),
        "opened_dropped_out": sum(1 for c in opened if c.kind == CaseKind.DROPPED_OUT),
        "returned": sum(1 for c in closed if c.resolution == Resolution.RETURNED),
        "closed_other": sum(1 for c in closed if c.resolution != Resolution.RETURNED),
        "open_at_end": len(open_rows),
        "overdue_at_end": sum(1 for r in open_rows if r.overdue),
    }
    return MonthlyReport(school, start, end, absences, opened, closed, open_rows, counts)


AGE_BUCKETS: list[tuple[str, int, int | None]] = [
    ("7天内", 0, 7),
    ("8—30天", 8, 30),
    ("31—90天", 31, 90),
    ("90天以上", 91, None),
]


def _bucket(days: int) -> str:
    for label, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return AGE_BUCKETS[-1][0]


@dataclass
class ReviewList:
    """The town's and county's review list of open cases by age, village and school."""

    rows: list[CaseRow]
    by_village: list[tuple[str, list[int], int]]
    by_school: list[tuple[str, list[int], int]]
    buckets: list[str]


def review_list(*, user: Actor, school_year: SchoolYear | None, today: datetime.date) -> ReviewList:
    rows = case_list(
        user=user,
        school_year=school_year,
        today=today,
        filters=CaseFilters(status=CaseStatus.OPEN),
        limit=100_000,
    )
    rows.sort(key=lambda r: -r.days_open)
    labels = [label for label, _, _ in AGE_BUCKETS]

    def table(unit_of: Any) -> list[tuple[str, list[int], int]]:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            counts[unit_of(row.case)][_bucket(row.days_open)] += 1
        return [
            (name, [c[label] for label in labels], sum(c.values()))
            for name, c in sorted(counts.items())
        ]

    return ReviewList(
        rows=rows,
        by_village=table(lambda c: c.village.name if c.village else "（户籍村不详）"),
        by_school=table(lambda c: c.school.name if c.school else "（未在学校）"),
        buckets=labels,
    )


def case_counts(
    *, user: Actor, school_year: SchoolYear | None, today: datetime.date
) -> dict[str, int]:
    """The figures above the case list: open, overdue, closed, and open cases by kind."""
    cases = cases_visible(user)
    if school_year is not None:
        cases = cases.filter(school_year=school_year)
    settings = town_settings_many(_user_town_ids(user))
    open_ = Q(status=CaseStatus.OPEN)
    return cases.aggregate(
        open=models.Count("pk", filter=open_),
        overdue=models.Count("pk", filter=overdue_q(settings, today)),
        closed=models.Count("pk", filter=Q(status=CaseStatus.CLOSED)),
        suspected=models.Count("pk", filter=open_ & Q(kind=CaseKind.SUSPECTED)),
        dropped_out=models.Count("pk", filter=open_ & Q(kind=CaseKind.DROPPED_OUT)),
        never_enrolled=models.Count("pk", filter=open_ & Q(kind=CaseKind.NEVER_ENROLLED)),
    )
