"""Reads of the literacy work: the ledger (扫盲对象花名册), classes, certificates, re-tests due,
and the unit standard per village and town.

Every selector takes the acting user and applies `accounts.scope`: the town office sees its
town, a village cadre the village, the county inspector every town of the county. The ledger is
read from the register with the indicator's own rule (`literacy.rules`), in one query, and each
line's status from the literacy rows in a handful more, whatever the number of people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from liangji.accounts.scope import scope_for
from liangji.indicators.context import Context, context_for
from liangji.indicators.engine import fetch, table_names
from liangji.indicators.values import IndicatorValue
from liangji.literacy.models import (
    Attendance,
    Certificate,
    ClassMember,
    ClassStatus,
    LiteracyClass,
    LostAbilityJudgement,
    Retest,
    TechTraining,
    TestResult,
)
from liangji.literacy.rules import (
    is_urban,
    ledger_condition,
    ledger_population,
    lost_ability_condition,
    records_from_sql,
    relapse_value,
    unit_literacy_value,
    unit_population,
    unit_shortfall_condition,
)
from liangji.literacy.services import add_months
from liangji.registers.choices import LEVELS_ILLITERATE, VILLAGE_KINDS
from liangji.registers.models import PersonRecord, SchoolYear, Unit
from liangji.registers.official import date_arabic
from liangji.registers.rules import age_on
from liangji.registers.services import town_settings_get

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


class LedgerStatus:
    """Where an 扫盲对象 stands, in the order the ledger counts them (JSON keys, Chinese labels)."""

    NOT_ENROLLED = "not_enrolled"
    LEARNING = "learning"
    TESTED = "tested"
    PASSED = "passed"
    FAILED = "failed"
    RELAPSED = "relapsed"
    MOVED_AWAY = "moved_away"
    DECEASED = "deceased"

    LABELS: dict[str, str] = {
        NOT_ENROLLED: "未入班",
        LEARNING: "在学",
        TESTED: "已测验待发证",
        PASSED: "已脱盲",
        FAILED: "测验未通过",
        RELAPSED: "复盲",
        MOVED_AWAY: "已迁出",
        DECEASED: "已死亡",
    }
    ORDER: tuple[str, ...] = tuple(LABELS)


AGE_BANDS: dict[str, tuple[int, int]] = {"15-24": (15, 24), "25-34": (25, 34), "35-50": (35, 50)}


# -- scope ----------------------------------------------------------------------------------


def literacy_scope_q(user: Actor, village_field: str = "village_id") -> Q:
    """Rows of the literacy work a user may see: the whole town for its office and leaders,
    every town of the county for the inspector, the village for its cadre."""
    scope = scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    return Q(town_id__in=sorted(scope.town_ids)) | Q(
        **{f"{village_field}__in": sorted(scope.village_ids)}
    )


def classes_visible(user: Actor) -> QuerySet[LiteracyClass]:
    return LiteracyClass.objects.filter(literacy_scope_q(user))


def class_access(user: Actor, pk: int | str) -> LiteracyClass:
    """The class, if the user may see it; one 404 for "no such class" and "not yours"."""
    try:
        return classes_visible(user).select_related("town", "village", "school_year").get(pk=pk)
    except (LiteracyClass.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该扫盲班，或您无权查看。") from None


def certificate_access(user: Actor, pk: int | str) -> Certificate:
    try:
        return (
            Certificate.objects.filter(literacy_scope_q(user))
            .select_related("town", "village", "person", "school_year", "result__test")
            .get(pk=pk)
        )
    except (Certificate.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该脱盲证书，或您无权查看。") from None


def result_access(user: Actor, pk: int | str) -> TestResult:
    try:
        return TestResult.objects.select_related(
            "test__klass__town",
            "test__klass__village",
            "test__klass__school_year",
            "member__person",
        ).get(
            Q(pk=pk)
            & (
                Q(test__klass__town_id__in=sorted(scope_for(user).town_ids))
                | Q(test__klass__village_id__in=sorted(scope_for(user).village_ids))
            )
        )
    except (TestResult.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该成绩，或您无权查看。") from None


def lost_ability_record_access(user: Actor, pk: int | str) -> PersonRecord:
    """A person record flagged 丧失学习能力 in a village the user may see; one 404 otherwise."""
    scope = scope_for(user)
    try:
        return PersonRecord.objects.select_related("person", "village__parent", "school_year").get(
            Q(pk=pk)
            & Q(lost_learning_ability=True)
            & (
                Q(village__parent_id__in=sorted(scope.town_ids))
                | Q(village_id__in=sorted(scope.village_ids))
            )
        )
    except (PersonRecord.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该人员，或您无权查看。") from None


def visible_village_ids(user: Actor, town: Unit) -> set[int] | None:
    """None: the whole town; else the villages of the town the user may see."""
    scope = scope_for(user)
    if town.pk in scope.town_ids:
        return None
    return {
        pk
        for pk in Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).values_list(
            "pk", flat=True
        )
        if pk in scope.village_ids
    }


def user_town(user: Actor, town: Unit | None = None) -> Unit | None:
    """The town the user works in (a village cadre's parent town); the inspector names one."""
    if town is not None:
        return town if town.pk in scope_for(user).town_ids or _village_in(user, town) else None
    unit = getattr(user, "unit", None)
    if unit is None or scope_for(user).is_empty:
        return None
    return unit.town


def _village_in(user: Actor, town: Unit) -> bool:
    return Unit.objects.filter(parent=town, pk__in=sorted(scope_for(user).village_ids)).exists()


# -- the ledger -----------------------------------------------------------------------------


@dataclass
class LedgerRow:
    person_id: int
    record_id: int
    name: str
    sex: str
    birth_date: datetime.date
    age: int
    village_id: int
    village: str
    household: str
    level: str
    id_number: str
    status: str = LedgerStatus.NOT_ENROLLED
    class_id: int | None = None
    class_name: str = ""
    hours: Decimal = Decimal(0)
    certificate: str = ""
    note: str = ""

    @property
    def status_label(self) -> str:
        return LedgerStatus.LABELS[self.status]


@dataclass(frozen=True)
class LedgerFilters:
    village_id: int | None = None
    age_band: str = ""
    sex: str = ""
    status: str = ""


def _as_date(value: object) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _village_filter(village_ids: set[int] | None) -> str:
    if village_ids is None:
        return ""
    return f" AND r.village_id IN ({', '.join(str(int(v)) for v in village_ids) or 'NULL'})"


_HOUSEHOLD_JOIN = "JOIN {household} h ON h.id = r.household_id"


@dataclass
class _Activity:
    """The literacy rows of a town that a ledger reads, fetched once: class memberships (the
    year's and any still open), the year's test results, the town's certificates and its
    re-tests up to the year's end. The people with activity this year join the ledger even when
    their level no longer makes them 扫盲对象 (a graduate stands as passed)."""

    members: dict[int, ClassMember] = field(default_factory=dict)  # person -> latest membership
    hours: dict[int, Decimal] = field(default_factory=dict)  # membership -> hours attended
    results: dict[int, TestResult] = field(default_factory=dict)  # person -> latest result
    certificates: dict[int, Certificate] = field(default_factory=dict)  # person -> certificate
    relapsed: set[int] = field(default_factory=set)  # people who failed a re-test
    retests: list[Retest] = field(default_factory=list)  # the year's re-tests
    person_ids: set[int] = field(default_factory=set)  # people with activity this year


def _activity(ctx: Context) -> _Activity:
    """A fixed handful of queries per town (three when it has no class), however many people."""
    year, town = ctx.school_year, ctx.town
    found = _Activity()
    members = list(
        ClassMember.objects.filter(klass__town=town)
        .filter(Q(klass__school_year=year) | Q(in_open_class=True))
        .select_related("klass")
        .order_by("joined_on", "id")
    )
    for member in members:
        found.members[member.person_id] = member  # the latest membership wins
        if member.klass.school_year_id == year.pk:
            found.person_ids.add(member.person_id)
    if members:
        found.hours = dict(
            Attendance.objects.filter(member__in=members)
            .values_list("member_id")
            .annotate(total=Sum("session__hours"))
            .values_list("member_id", "total")
        )
        for result in (
            TestResult.objects.filter(test__klass__town=town, test__klass__school_year=year)
            .select_related("test", "member")
            .order_by("test__date", "id")
        ):
            found.results[result.member.person_id] = result
    for cert in Certificate.objects.filter(town=town).order_by("passed_on", "id"):
        found.certificates[cert.person_id] = cert
        if cert.school_year_id == year.pk:
            found.person_ids.add(cert.person_id)
    for retest in Retest.objects.filter(town=town, date__lte=year.last_day).select_related(
        "certificate"
    ):
        person_id = retest.certificate.person_id
        if not retest.passed:
            found.relapsed.add(person_id)
        if retest.school_year_id == year.pk:
            found.retests.append(retest)
            found.person_ids.add(person_id)
    return found


def _ledger_records(
    ctx: Context, village_ids: set[int] | None, activity: _Activity
) -> list[tuple[Any, ...]]:
    terms = ctx.terms
    population = f"({ledger_condition(terms)})"
    joins = _HOUSEHOLD_JOIN.format(**table_names())
    extra = ""
    if activity.person_ids:
        ids = ", ".join(str(i) for i in sorted(activity.person_ids))
        extra = f" OR ({ledger_population(terms)} AND r.person_id IN ({ids}))"
    sql = f"""
        SELECT r.id, p.id, p.name, p.sex, p.birth_date, p.id_number, v.id, v.name, h.number,
               r.education_level, r.moved_out_on, r.died_on
        {records_from_sql(joins)} {_village_filter(village_ids)}
          AND ({population}{extra})
        ORDER BY v.name, h.number, p.birth_date, p.id"""
    return fetch(sql, [ctx.school_year.pk, ctx.town.pk])


def _status_of(row: LedgerRow, activity: _Activity) -> None:
    member = activity.members.get(row.person_id)
    result = activity.results.get(row.person_id)
    certificate = activity.certificates.get(row.person_id)
    if member is not None:
        row.class_id, row.class_name = member.klass_id, member.klass.name
        row.hours = activity.hours.get(member.pk) or Decimal(0)
    if certificate is not None:
        row.certificate = certificate.number
    if row.note.startswith("死亡"):
        row.status = LedgerStatus.DECEASED
    elif row.note.startswith("迁出"):
        row.status = LedgerStatus.MOVED_AWAY
    elif certificate is not None and row.level not in LEVELS_ILLITERATE:
        # Passed this year, or an earlier graduate re-tested this year who kept it (巩固).
        row.status = LedgerStatus.PASSED
    elif result is not None and (certificate is None or certificate.result_id != result.pk):
        row.status = LedgerStatus.TESTED if result.passed else LedgerStatus.FAILED
    elif member is not None and member.in_open_class:
        row.status = LedgerStatus.LEARNING
    elif row.person_id in activity.relapsed:
        row.status = LedgerStatus.RELAPSED
    else:
        row.status = LedgerStatus.NOT_ENROLLED


def ledger_rows(
    *, ctx: Context, village_ids: set[int] | None, activity: _Activity | None = None
) -> list[LedgerRow]:
    """The 扫盲对象 of the town (or the villages given) with where each stands. No user: the
    callers below and the command line (which acts for the whole town) pass the scope."""
    if activity is None:
        activity = _activity(ctx)
    rows = []
    for (record_id, person_id, name, sex, born, id_number, village_id, village, number, level,
         moved, died) in _ledger_records(ctx, village_ids, activity):  # fmt: skip
        born = _as_date(born)
        note = ""
        if died is not None:
            note = f"死亡（{_as_date(died)}）"
        elif moved is not None:
            note = f"迁出（{_as_date(moved)}）"
        rows.append(
            LedgerRow(
                person_id=int(person_id),
                record_id=int(record_id),
                name=str(name),
                sex=str(sex),
                birth_date=born,
                age=age_on(born, ctx.terms.reference),
                village_id=int(village_id),
                village=str(village),
                household=str(number),
                level=str(level),
                id_number=str(id_number or ""),
                note=note,
            )
        )
    for row in rows:
        _status_of(row, activity)
    return rows


def ledger_filter(rows: Iterable[LedgerRow], filters: LedgerFilters) -> list[LedgerRow]:
    band = AGE_BANDS.get(filters.age_band)
    return [
        row
        for row in rows
        if (filters.village_id is None or row.village_id == filters.village_id)
        and (band is None or band[0] <= row.age <= band[1])
        and (not filters.sex or row.sex == filters.sex)
        and (not filters.status or row.status == filters.status)
    ]


def ledger_list(
    *, user: Actor, school_year: int, town: Unit, filters: LedgerFilters = LedgerFilters()
) -> list[LedgerRow]:
    """The ledger as the user may see it, filtered."""
    ctx = context_for(school_year=school_year, town=town)
    return ledger_filter(ledger_rows(ctx=ctx, village_ids=visible_village_ids(user, town)), filters)


def ledger_counts(rows: Iterable[LedgerRow]) -> dict[str, int]:
    counts = dict.fromkeys(LedgerStatus.ORDER, 0)
    total = 0
    for row in rows:
        counts[row.status] += 1
        total += 1
    counts["total"] = total
    return counts


@dataclass(frozen=True)
class LostAbilityRow:
    name: str
    sex: str
    age: int
    village: str
    household: str
    level: str
    disability: str
    # The judgement recorded in the literacy work (who, when, on what grounds), else the
    # register's note.
    evidence: str
    record_id: int = 0
    judged: bool = False  # a judgement is recorded (not only the register's note)


def lost_ability_list(*, user: Actor, school_year: int, town: Unit) -> list[LostAbilityRow]:
    """Those left out of the ledger as unable to learn, with the evidence of that judgement."""
    ctx = context_for(school_year=school_year, town=town)
    return lost_ability_rows(ctx=ctx, village_ids=visible_village_ids(user, town))


def judgement_text(judgement: LostAbilityJudgement) -> str:
    document = f"，证明文件 {judgement.document}" if judgement.document else ""
    when = date_arabic(judgement.judged_on)
    return f"{when} {judgement.judged_by}鉴定：{judgement.grounds}{document}"


def lost_ability_rows(*, ctx: Context, village_ids: set[int] | None) -> list[LostAbilityRow]:
    """`lost_ability_list` for the villages given (None: the whole town), as `ledger_rows`."""
    joins = _HOUSEHOLD_JOIN.format(**table_names())
    sql = f"""
        SELECT p.name, p.sex, p.birth_date, v.name, h.number, r.education_level, r.disability,
               r.note, r.id, p.id
        {records_from_sql(joins)} {_village_filter(village_ids)}
          AND {lost_ability_condition(ctx.terms)}
        ORDER BY v.name, h.number, p.birth_date"""
    found = fetch(sql, [ctx.school_year.pk, ctx.town.pk])
    judgements: dict[int, LostAbilityJudgement] = {}
    for recorded in LostAbilityJudgement.objects.filter(
        person_id__in=[int(row[9]) for row in found]  # type: ignore[call-overload]
    ).order_by("judged_on", "id"):
        judgements[recorded.person_id] = recorded  # the latest wins
    rows = []
    for name, sex, born, village, number, level, disability, note, record_id, person_id in found:
        judgement = judgements.get(int(person_id))  # type: ignore[call-overload]
        rows.append(
            LostAbilityRow(
                name=str(name),
                sex=str(sex),
                age=age_on(_as_date(born), ctx.terms.reference),
                village=str(village),
                household=str(number),
                level=str(level),
                disability=str(disability),
                evidence=judgement_text(judgement) if judgement else str(note),
                record_id=int(record_id),  # type: ignore[call-overload]
                judged=judgement is not None,
            )
        )
    return rows


# -- the unit standard ----------------------------------------------------------------------


@dataclass
class UnitStandard:
    unit_id: int
    name: str
    kind: str  # "town" | "village"
    urban: bool
    ledger: dict[str, int] = field(default_factory=dict)
    unit_literacy: IndicatorValue | None = None
    relapse_rate: IndicatorValue | None = None

    @property
    def met(self) -> bool | None:
        """Basically eliminated illiteracy: both figures met (None if either cannot be judged
        for want of people: no relapse can be judged before anyone was re-tested)."""
        assert self.unit_literacy is not None and self.relapse_rate is not None
        if self.unit_literacy.met is None:
            return None
        if self.relapse_rate.met is None:
            return self.unit_literacy.met
        return self.unit_literacy.met and self.relapse_rate.met


def _standard_counts(ctx: Context) -> dict[int, tuple[int, int]]:
    """(non-illiterates, population) per village. The population's condition is a filter, not
    a CASE per row: SQLite tests the record's own terms first and reads the person's row (the
    birth date) only for the records they let through."""
    terms = ctx.terms
    sql = f"""
        SELECT r.village_id, COUNT(*), COUNT(CASE WHEN {terms.illiterate} THEN 1 END)
        {records_from_sql(village_names=False)}
          AND {unit_population(terms)}
        GROUP BY r.village_id"""
    return {
        int(v): (int(d) - int(i), int(d))  # type: ignore[call-overload]
        for v, d, i in fetch(sql, [ctx.school_year.pk, ctx.town.pk])
    }


def _relapse_counts(retests: Iterable[Retest]) -> dict[int, tuple[int, int]]:
    """(relapsed, re-tested) per village."""
    counts: dict[int, tuple[int, int]] = {}
    for retest in retests:
        relapsed, retested = counts.get(retest.village_id, (0, 0))
        counts[retest.village_id] = (relapsed + (not retest.passed), retested + 1)
    return counts


def standard_compute(
    *, ctx: Context, village_ids: set[int] | None, with_ledger: bool = True
) -> list[UnitStandard]:
    """The unit standard of the town and each village (the town only for a whole-town view)."""
    settings = ctx.settings
    counts = _standard_counts(ctx)
    activity = _activity(ctx)
    relapses = _relapse_counts(activity.retests)
    rows = ledger_rows(ctx=ctx, village_ids=village_ids, activity=activity) if with_ledger else []
    by_village: dict[int, list[LedgerRow]] = defaultdict(list)
    for row in rows:
        by_village[row.village_id].append(row)
    villages = Unit.objects.filter(parent=ctx.town, kind__in=VILLAGE_KINDS).order_by("name")
    units: list[UnitStandard] = []
    if village_ids is None:
        n = sum(c[0] for c in counts.values())
        d = sum(c[1] for c in counts.values())
        relapsed = sum(c[0] for c in relapses.values())
        retested = sum(c[1] for c in relapses.values())
        urban = is_urban(ctx.town, settings)
        units.append(
            UnitStandard(
                unit_id=ctx.town.pk,
                name=ctx.town.name,
                kind="town",
                urban=urban,
                ledger=ledger_counts(rows),
                unit_literacy=unit_literacy_value(
                    numerator=n, denominator=d, urban=urban, settings=settings
                ),
                relapse_rate=relapse_value(relapsed=relapsed, retested=retested, settings=settings),
            )
        )
    for village in villages:
        if village_ids is not None and village.pk not in village_ids:
            continue
        urban = is_urban(village, settings)
        n, d = counts.get(village.pk, (0, 0))
        relapsed, retested = relapses.get(village.pk, (0, 0))
        units.append(
            UnitStandard(
                unit_id=village.pk,
                name=village.name,
                kind="village",
                urban=urban,
                ledger=ledger_counts(by_village.get(village.pk, [])),
                unit_literacy=unit_literacy_value(
                    numerator=n, denominator=d, urban=urban, settings=settings
                ),
                relapse_rate=relapse_value(relapsed=relapsed, retested=retested, settings=settings),
            )
        )
    return units


def standard_for_user(*, user: Actor, school_year: int, town: Unit) -> list[UnitStandard]:
    ctx = context_for(school_year=school_year, town=town)
    return standard_compute(ctx=ctx, village_ids=visible_village_ids(user, town))


@dataclass(frozen=True)
class ShortfallPerson:
    name: str
    sex: str
    age: int
    village: str
    household: str
    reason: str
    id_number: str


def standard_shortfall(
    *, user: Actor, school_year: int, town: Unit, village: Unit | None = None
) -> dict[str, list[ShortfallPerson]]:
    """The people behind each figure of the standard: the illiterate of its population, and
    the relapsed graduates of the year."""
    ctx = context_for(school_year=school_year, town=town)
    allowed = visible_village_ids(user, town)
    if village is not None:
        allowed = {village.pk} if allowed is None or village.pk in allowed else set()
    joins = _HOUSEHOLD_JOIN.format(**table_names())
    sql = f"""
        SELECT p.name, p.sex, p.birth_date, v.name, h.number, r.education_level, p.id_number
        {records_from_sql(joins)} {_village_filter(allowed)}
          AND {unit_shortfall_condition(ctx.terms)}
        ORDER BY v.name, h.number, p.birth_date"""
    illiterate = [
        ShortfallPerson(
            name=str(name),
            sex=str(sex),
            age=age_on(_as_date(born), ctx.terms.reference),
            village=str(vname),
            household=str(number),
            reason=f"文化程度记为{level}",
            id_number=str(idn or ""),
        )
        for name, sex, born, vname, number, level, idn in fetch(sql, [ctx.school_year.pk, town.pk])
    ]
    retests = Retest.objects.filter(school_year=ctx.school_year, town=town, passed=False)
    if allowed is not None:
        retests = retests.filter(village_id__in=sorted(allowed))
    relapsed = [
        ShortfallPerson(
            name=r.certificate.person.name,
            sex=r.certificate.person.sex,
            age=age_on(r.certificate.person.birth_date, ctx.terms.reference),
            village=r.village.name,
            household="",
            reason=f"复查{r.date}未通过（识字{r.characters_known}/{r.standard}），证书{r.certificate.number}",
            id_number=r.certificate.person.id_number or "",
        )
        for r in retests.select_related("certificate__person", "village").order_by("date")
    ]
    return {"unit_literacy": illiterate, "relapse_rate": relapsed}


# -- lists of the work ----------------------------------------------------------------------


def class_list(
    *, user: Actor, school_year: SchoolYear | None, status: str = ""
) -> QuerySet[LiteracyClass]:
    classes = classes_visible(user)
    if school_year is not None:
        classes = classes.filter(school_year=school_year)
    if status:
        classes = classes.filter(status=status)
    return (
        classes.select_related("village", "town")
        .annotate(
            learners=Count("members", distinct=True),
            sessions_count=Count("sessions", distinct=True),
        )
        .order_by("status", "-opened_on", "id")
    )


@dataclass(frozen=True)
class MemberRow:
    member: ClassMember
    hours: Decimal
    sessions_attended: int
    last_result: TestResult | None
    certificate: Certificate | None


def class_detail(*, user: Actor, pk: int | str) -> dict[str, Any]:
    klass = class_access(user, pk)
    members = list(klass.members.select_related("person").order_by("id"))
    attended = {
        row["member_id"]: (row["hours"] or Decimal(0), row["n"])
        for row in Attendance.objects.filter(member__klass=klass)
        .values("member_id")
        .annotate(hours=Sum("session__hours"), n=Count("id"))
    }
    results: dict[int, TestResult] = {}
    for result in (
        TestResult.objects.filter(member__klass=klass)
        .select_related("test")
        .order_by("test__date", "id")
    ):
        results[result.member_id] = result
    certs = {
        c.result.member_id: c
        for c in Certificate.objects.filter(result__member__klass=klass).select_related("result")
    }
    rows = [
        MemberRow(
            member=m,
            hours=attended.get(m.pk, (Decimal(0), 0))[0],
            sessions_attended=attended.get(m.pk, (Decimal(0), 0))[1],
            last_result=results.get(m.pk),
            certificate=certs.get(m.pk),
        )
        for m in members
    ]
    sessions = list(klass.sessions.annotate(present=Count("attendance")).order_by("date", "id"))
    present = set(
        Attendance.objects.filter(session__klass=klass).values_list("session_id", "member_id")
    )
    return {
        "klass": klass,
        "teachers": list(klass.teachers.all()),
        "members": rows,
        "sessions": sessions,
        "present": present,
        "hours_taught": sum((s.hours for s in sessions), Decimal(0)),
        "tests": list(
            klass.tests.prefetch_related("results__member__person").order_by("date", "id")
        ),
    }


def certificate_list(
    *, user: Actor, year: int | None = None, school_year: SchoolYear | None = None
) -> QuerySet[Certificate]:
    certs = Certificate.objects.filter(literacy_scope_q(user))
    if year is not None:
        certs = certs.filter(year=year)
    if school_year is not None:
        certs = certs.filter(school_year=school_year)
    return certs.select_related("person", "village", "town", "result__test", "retest").order_by(
        "-year", "-serial"
    )


@dataclass(frozen=True)
class RetestDue:
    certificate: Certificate
    due_on: datetime.date
    overdue: bool


def retests_due(*, user: Actor, today: datetime.date) -> list[RetestDue]:
    """Graduates not yet re-tested whose period has run (or runs within 60 days)."""
    certs = Certificate.objects.filter(literacy_scope_q(user), retest__isnull=True).select_related(
        "person", "village", "town"
    )
    months = {
        town_id: town_settings_get(Unit(pk=town_id)).literacy_retest_after_months
        for town_id in set(certs.values_list("town_id", flat=True))
    }
    due = []
    for cert in certs.order_by("passed_on", "id"):
        on = add_months(cert.passed_on, months[cert.town_id])
        if on <= today + datetime.timedelta(days=60):
            due.append(RetestDue(certificate=cert, due_on=on, overdue=on < today))
    return due


def retest_list(*, user: Actor, school_year: SchoolYear | None) -> QuerySet[Retest]:
    retests = Retest.objects.filter(literacy_scope_q(user))
    if school_year is not None:
        retests = retests.filter(school_year=school_year)
    return retests.select_related("certificate__person", "village").order_by("-date", "-id")


def open_classes_count(*, user: Actor) -> int:
    return classes_visible(user).filter(status=ClassStatus.OPEN).count()


def training_list(*, user: Actor, school_year: SchoolYear | None) -> QuerySet[TechTraining]:
    trainings = TechTraining.objects.filter(literacy_scope_q(user))
    if school_year is not None:
        trainings = trainings.filter(school_year=school_year)
    return trainings.select_related("village").order_by("-date", "id")
