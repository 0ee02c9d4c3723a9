"""Reads for the register pages (people, households, rolls, the person page)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from liangji.accounts.models import Actor
from liangji.accounts.scope import scope_filter, scope_for
from liangji.audit.models import AuditEntry
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS, HukouStatus, RollStatus
from liangji.registers.models import (
    Enrollment,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    SchoolYear,
    SubmissionState,
    Unit,
    YearSubmission,
)
from liangji.registers.rules import years_before
from liangji.registers.services import town_settings_get


@dataclass(frozen=True)
class RegisterCounts:
    # No count of distinct people: across a county's scope it costs more than the rest of the
    # dashboard together (0.7 s at 200,000 people), and records and rolls say the same.
    households: int
    records: int
    pupils: int


def register_counts(*, user: Actor, school_year: SchoolYear | None) -> RegisterCounts:
    if school_year is None:
        return RegisterCounts(0, 0, 0)
    records = scope_filter(PersonRecord.objects.filter(school_year=school_year), user)
    return RegisterCounts(
        households=scope_filter(Household.objects.all(), user).count(),
        records=records.count(),
        pupils=scope_filter(
            Enrollment.objects.filter(school_year=school_year), user, "school_id"
        ).count(),
    )


def reference_date(*, user: Actor, school_year: SchoolYear) -> datetime.date:
    """The day ages are counted on: the user's town's setting, else 1 September."""
    scope = scope_for(user)
    if len(scope.town_ids) == 1:
        town = Unit.objects.get(pk=next(iter(scope.town_ids)))
        return town_settings_get(town, school_year).reference_date(school_year.year)
    return school_year.first_day


def _birth_bounds(
    day: datetime.date, age_min: int | None, age_max: int | None
) -> dict[str, datetime.date]:
    """Birth-date bounds for ages in [age_min, age_max] completed years on `day`."""
    bounds: dict[str, datetime.date] = {}
    if age_min is not None:
        bounds["person__birth_date__lte"] = years_before(day, age_min)
    if age_max is not None:
        bounds["person__birth_date__gt"] = years_before(day, age_max + 1)
    return bounds


_ID_LIKE = re.compile(r"^[0-9]{4,17}[0-9Xx]?$")
_INITIALS = re.compile(r"^[A-Za-z]{1,10}$")


def _search_q(text: str, prefix: str = "person__") -> Q:
    """Search by ID number (digits), pinyin initials (letters) or name (anything else)."""
    text = text.strip()
    if _ID_LIKE.match(text):
        return Q(**{f"{prefix}id_number__startswith": text.upper()}) | Q(
            **{f"{prefix}id_number__endswith": text.upper()}
        )
    if _INITIALS.match(text):
        return Q(**{f"{prefix}name_initials__startswith": text.lower()})
    return Q(**{f"{prefix}name__contains": text})


PERSON_STATUSES = {
    "on_register": "在册",
    "moved_out": "已迁出",
    "dead": "已死亡",
    "exempt": "免学/缓学",
    "elsewhere": "在外就读",
    "migrant": "流动人口",
}


@dataclass
class PersonFilters:
    q: str = ""
    village: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    group: str = ""
    status: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def person_record_list(
    *, user: Actor, school_year: SchoolYear, filters: PersonFilters, day: datetime.date
) -> QuerySet[PersonRecord]:
    """The yearly records (人口 rows) the user may see, filtered; groups prefetched."""
    records = scope_filter(PersonRecord.objects.filter(school_year=school_year), user)
    if filters.q:
        records = records.filter(_search_q(filters.q))
    if filters.village:
        records = records.filter(village_id=filters.village)
    if filters.age_min is not None or filters.age_max is not None:
        records = records.filter(**_birth_bounds(day, filters.age_min, filters.age_max))
    if filters.group:
        records = records.filter(
            pk__in=GroupMembership.objects.filter(group=filters.group).values("record_id")
        )
    status_conditions = {
        "on_register": Q(hukou_status=HukouStatus.ON_REGISTER, died_on__isnull=True),
        "moved_out": Q(hukou_status=HukouStatus.MOVED_OUT),
        "dead": Q(died_on__isnull=False),
        "exempt": ~Q(exemption=""),
        "elsewhere": ~Q(elsewhere_level=""),
        "migrant": Q(population_type="流动"),
    }
    if filters.status in status_conditions:
        records = records.filter(status_conditions[filters.status])
    return (
        records.select_related("person", "village", "household")
        .prefetch_related("groups")
        # By ids, not names: the (school_year, village) index then spares a county-wide sort
        # (0.03 s instead of 0.34 s for a 200,000-person county); ids follow the import order.
        .order_by("village_id", "household_id", "person__birth_date", "pk")
    )


def household_list(
    *, user: Actor, school_year: SchoolYear, q: str = "", village: int | None = None
) -> QuerySet[Household]:
    households = scope_filter(Household.objects.all(), user)
    if q:
        households = households.filter(
            Q(number__startswith=q)
            | Q(
                pk__in=PersonRecord.objects.filter(_search_q(q), school_year=school_year).values(
                    "household_id"
                )
            )
        )
    if village:
        households = households.filter(village_id=village)
    members = (
        PersonRecord.objects.filter(school_year=school_year)
        .select_related("person")
        .order_by("person__birth_date")
    )
    return (
        households.select_related("village")
        .prefetch_related(Prefetch("records", queryset=members, to_attr="year_members"))
        .order_by("village_id", "number")
    )


@dataclass
class RollFilters:
    q: str = ""
    school: int | None = None
    grade: int | None = None
    status: str = ""


def enrollment_list(
    *, user: Actor, school_year: SchoolYear, filters: RollFilters
) -> QuerySet[Enrollment]:
    rolls = scope_filter(Enrollment.objects.filter(school_year=school_year), user, "school_id")
    if filters.q:
        rolls = rolls.filter(_search_q(filters.q, prefix="") | Q(student_number=filters.q))
    if filters.school:
        rolls = rolls.filter(school_id=filters.school)
    if filters.grade:
        rolls = rolls.filter(grade=filters.grade)
    if filters.status in RollStatus.values:
        rolls = rolls.filter(status=filters.status)
    return rolls.select_related("school", "person").order_by("school_id", "grade", "name", "pk")


@dataclass
class PersonDetail:
    person: Person
    records: list[PersonRecord]
    enrollments: list[Enrollment]
    history: list[AuditEntry]


def person_detail(*, user: Actor, person: Person) -> PersonDetail:
    """Everything the user may see of one person, across school years."""
    scope = scope_for(user)
    records = list(
        PersonRecord.objects.filter(person=person, village_id__in=sorted(scope.village_ids))
        .select_related("school_year", "village", "household")
        .prefetch_related("groups")
        .order_by("-school_year__year")
    )
    enrollments = list(
        Enrollment.objects.filter(person=person, school_id__in=sorted(scope.school_ids))
        .select_related("school", "school_year")
        .prefetch_related("events")
        .order_by("-school_year__year", "school__name")
    )
    history = list(
        AuditEntry.objects.filter(
            Q(entity="PersonRecord", entity_id__in=[str(r.pk) for r in records])
            | Q(entity="Enrollment", entity_id__in=[str(e.pk) for e in enrollments])
            | Q(entity="Person", entity_id=str(person.pk))
        ).order_by("-at", "-id")[:50]
    )
    return PersonDetail(person=person, records=records, enrollments=enrollments, history=history)


# The approval of a school year: which villages and schools have submitted.


@dataclass
class UnitApproval:
    unit: Unit
    submission: YearSubmission | None

    @property
    def state(self) -> str:
        return self.submission.state if self.submission is not None else ""

    @property
    def approved(self) -> bool:
        return self.state == SubmissionState.APPROVED


def year_approvals(*, user: Actor, school_year: SchoolYear) -> list[UnitApproval]:
    """Every village and school of the user's scope, with its submission for the year."""
    scope = scope_for(user)
    ids = sorted(scope.village_ids | scope.school_ids)
    units = list(
        Unit.objects.filter(pk__in=ids, kind__in=VILLAGE_KINDS | SCHOOL_KINDS)
        .select_related("parent")
        .order_by("parent__name", "kind", "name")
    )
    submissions = {
        s.unit_id: s
        for s in YearSubmission.objects.filter(
            school_year=school_year, unit_id__in=ids
        ).select_related("submitted_by", "reviewed_by")
    }
    return [UnitApproval(unit=u, submission=submissions.get(u.pk)) for u in units]
