"""四查三比对: the population register × the school rolls × the poverty list (domain.md §5).

Every line names the people involved, what was found and the suggested resolution (one of the
dropout ledger's resolutions). The set-wise checks are SQL over the same terms as the
indicators; the checks that need a library (ID check digits, pinyin) run in Python over small
blocks: people sharing a birth date, never all pairs of the register.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from liangji.indicators.context import Context, context_for
from liangji.indicators.engine import fetch, person_from_sql, table_names
from liangji.indicators.shortfall import _as_date
from liangji.registers.choices import (
    THREE_CLASS_DISABILITIES,
    VILLAGE_KINDS,
    EducationLevel,
    PriorityGroup,
    Resolution,
    RollStatus,
)
from liangji.registers.identity import IdNumberError, id_number_decode
from liangji.registers.models import Enrollment, PersonRecord, Unit
from liangji.registers.privacy import mask_id

# How far apart two birth dates of the same name may be and still look like one person typed
# twice; and how close two names' pinyin must be to sound the same.
NEAR_BIRTH_DAYS = 31
HOMOPHONE_RATIO = 90


class Kind:
    NO_ROLL = "适龄儿童无学籍"
    ROLL_WITHOUT_PERSON = "学籍无对应人口"
    LEVEL_WITHOUT_ROLL = "文化程度记为在读但无学籍"
    ID_MISMATCH = "身份证号与登记不符"
    DUPLICATE_ID = "同一身份证号重复学籍"
    DUPLICATE_PERSON = "疑似重复登记"
    ELSEWHERE_WITHOUT_PROOF = "在外就读无证明"
    ROLL_DIFFERS = "学籍与人口登记不一致"
    DUPLICATE_ROLL = "疑似同一儿童重复学籍"
    DECEASED_ON_ROLL = "已死亡仍在学籍"
    DROPOUT_WHILE_STUDYING = "一校辍学另一校在读"
    POOR_NOT_ENROLLED = "建档立卡/低保儿童未入学"


@dataclass(frozen=True)
class Involved:
    name: str
    birth_date: datetime.date
    where: str  # village and household, or school and grade
    unit_id: int  # the village or the school: what decides who may see the line
    person_id: int | None = None
    enrollment_id: int | None = None


@dataclass(frozen=True)
class ReconciliationLine:
    kind: str
    people: tuple[Involved, ...]
    details: str
    resolution: str  # a dropout.models.Resolution value
    suggestion: str  # what to do, in the office's words


@dataclass
class ReconciliationReport:
    school_year: int
    reference_date: datetime.date
    lines: list[ReconciliationLine] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ReconciliationLine]:
        return [line for line in self.lines if line.kind == kind]

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = defaultdict(int)
        for line in self.lines:
            result[line.kind] += 1
        return dict(result)


# -- the person checks, in SQL -------------------------------------------------------------------
_PERSON_COLUMNS = """r.id, p.id, p.name, p.birth_date, v.name, h.number, r.village_id,
    r.elsewhere_level, r.education_level, r.disability, r.elsewhere_school"""
_PERSON_JOINS = "JOIN {unit} v ON v.id = r.village_id JOIN {household} h ON h.id = r.household_id"


def _people(ctx: Context, condition: str) -> list[tuple[object, ...]]:
    from_sql = person_from_sql(ctx.terms, ctx.town.pk, _PERSON_JOINS)
    sql = (
        f"SELECT {_PERSON_COLUMNS} {from_sql} AND {condition}"
        " ORDER BY v.name, h.number, p.birth_date, p.id"
    )
    return fetch(sql, [ctx.terms.school_year_id, ctx.town.pk])


def _involved(row: tuple[object, ...]) -> Involved:
    return Involved(
        name=str(row[2]),
        birth_date=_as_date(row[3]),
        where=f"{row[4]} {row[5]}户",
        unit_id=int(row[6]),  # type: ignore[call-overload]
        person_id=int(row[1]),  # type: ignore[call-overload]
    )


def _school_age(ctx: Context) -> str:
    """Registered children of compulsory-school age: the primary range's start to the junior
    range's end."""
    t = ctx.terms
    return f"({t.registered} AND {t.aged((t.settings.primary_ages[0], t.settings.junior_ages[1]))})"


def _no_roll_lines(ctx: Context, at_school: set[int]) -> Iterable[ReconciliationLine]:
    """School-age children on no roll. A child an unlinked roll points to is at school: that
    is a registration error (its own line), never 仍未返校 / 动员入学."""
    t = ctx.terms
    in_school_levels = (
        f"r.education_level IN ('{EducationLevel.PRIMARY_IN_SCHOOL}',"
        f" '{EducationLevel.JUNIOR_IN_SCHOOL}')"
    )
    condition = (
        f"{_school_age(ctx)} AND COALESCE(f.has_roll, 0) = 0 AND r.elsewhere_level = ''"
        f" AND NOT {t.home_taught} AND NOT {t.exempted} AND NOT {t.junior_completed}"
        f" AND NOT {in_school_levels}"
    )
    for row in _people(ctx, condition):
        if int(str(row[1])) in at_school:
            continue
        if row[9] in THREE_CLASS_DISABILITIES:
            resolution, suggestion = (
                Resolution.HOME_TEACHING,
                "三类残疾：安排随班就读、特教或送教上门",
            )
        else:
            resolution, suggestion = (
                Resolution.STILL_OUT,
                "核实去向：在外就读请补证明；确未入学则动员入学（控辍保学）",
            )
        detail = f"{row[2]} 不在任何学校的学籍上，也未登记在外就读"
        if row[8]:
            detail += f"（文化程度记为{row[8]}）"
        yield ReconciliationLine(Kind.NO_ROLL, (_involved(row),), detail, resolution, suggestion)


def _level_conflict_lines(ctx: Context, at_school: set[int]) -> Iterable[ReconciliationLine]:
    condition = (
        f"{ctx.terms.registered} AND COALESCE(f.has_roll, 0) = 0 AND r.elsewhere_level = ''"
        f" AND r.education_level IN ('{EducationLevel.PRIMARY_IN_SCHOOL}',"
        f" '{EducationLevel.JUNIOR_IN_SCHOOL}')"
    )
    for row in _people(ctx, condition):
        if int(str(row[1])) in at_school:
            continue
        yield ReconciliationLine(
            Kind.LEVEL_WITHOUT_ROLL,
            (_involved(row),),
            f"文化程度记为{row[8]}，但本学年没有学籍，也未登记在外就读",
            Resolution.REGISTRATION_ERROR,
            "查学籍：在读则补录学籍或在外就读信息；否则更正文化程度并按失学处理",
        )


def _elsewhere_lines(ctx: Context) -> Iterable[ReconciliationLine]:
    condition = (
        f"{ctx.terms.registered} AND r.elsewhere_level <> ''"
        " AND (r.elsewhere_proof IS NULL OR r.elsewhere_proof = FALSE)"
    )
    for row in _people(ctx, condition):
        school = f"（{row[10]}）" if row[10] else ""
        yield ReconciliationLine(
            Kind.ELSEWHERE_WITHOUT_PROOF,
            (_involved(row),),
            f"登记在外就读{row[7]}{school}，档案中没有证明材料",
            Resolution.ELSEWHERE,
            "向就读学校索取在读证明（学籍证明）归档",
        )


def _poor_lines(ctx: Context, at_school: set[int]) -> Iterable[ReconciliationLine]:
    t = ctx.terms
    groups = f"'{PriorityGroup.POOR_REGISTERED}', '{PriorityGroup.LOW_INCOME}'"
    condition = (
        f"{_school_age(ctx)} AND NOT {t.enrolled} AND NOT {t.junior_completed}"
        f" AND r.id IN (SELECT record_id FROM {table_names()['group_membership']}"
        f" WHERE {connection.ops.quote_name('group')} IN ({groups}))"
    )
    for row in _people(ctx, condition):
        if int(str(row[1])) in at_school:
            continue
        yield ReconciliationLine(
            Kind.POOR_NOT_ENROLLED,
            (_involved(row),),
            f"{row[2]} 属建档立卡或低保家庭，统计时点未在读",
            Resolution.STILL_OUT,
            "优先劝返，落实资助政策；核实是否在外就读",
        )


# -- rolls matching no person ----------------------------------------------------------------------
@functools.lru_cache(maxsize=65536)
def sound(name: str) -> str:
    return " ".join(lazy_pinyin(name))


def sounds_alike(a: str, b: str) -> bool:
    """Two different names that sound the same: the surname sounds exactly alike (林 lin and
    刘 liu are two families, not a typo) and the given names sound alike or nearly."""
    if a == b or len(a) < 2 or len(b) < 2:
        return False
    if sound(a[0]) != sound(b[0]):
        return False
    given_a, given_b = sound(a[1:]), sound(b[1:])
    return given_a == given_b or fuzz.ratio(given_a, given_b) >= HOMOPHONE_RATIO


def _unlinked_rolls(ctx: Context) -> list[tuple[Enrollment, PersonRecord | None]]:
    """The rolls of the town linked to no person, each with the register's person it most
    likely is (same or homophone name, same sex and birth date; or same name, birth date within
    a month), or None."""
    rolls = list(
        Enrollment.objects.filter(
            school_year=ctx.school_year, school__parent=ctx.town, person__isnull=True
        )
        .select_related("school")
        .order_by("school__name", "grade", "name")
    )
    if not rolls:
        return []
    near = datetime.timedelta(days=NEAR_BIRTH_DAYS)
    candidates = PersonRecord.objects.filter(
        school_year=ctx.school_year, village__parent=ctx.town
    ).filter(person__birth_date__in={r.birth_date for r in rolls}) | PersonRecord.objects.filter(
        school_year=ctx.school_year,
        village__parent=ctx.town,
        person__name__in={r.name for r in rolls},
    )
    by_birth: dict[datetime.date, list[PersonRecord]] = defaultdict(list)
    by_name: dict[str, list[PersonRecord]] = defaultdict(list)
    for record in candidates.select_related("person", "village", "household").distinct():
        by_birth[record.person.birth_date].append(record)
        by_name[record.person.name].append(record)
    matched: list[tuple[Enrollment, PersonRecord | None]] = []
    for roll in rolls:
        alike = [
            r
            for r in by_birth.get(roll.birth_date, [])
            if r.person.sex == roll.sex
            and (r.person.name == roll.name or sounds_alike(r.person.name, roll.name))
        ] + [
            r
            for r in by_name.get(roll.name, [])
            if r.person.birth_date != roll.birth_date
            and abs(r.person.birth_date - roll.birth_date) <= near
        ]
        matched.append((roll, alike[0] if alike else None))
    return matched


def _unmatched_roll_lines(
    unlinked: list[tuple[Enrollment, PersonRecord | None]], village_names: set[str]
) -> Iterable[ReconciliationLine]:
    for roll, found in unlinked:
        pupil = Involved(
            roll.name, roll.birth_date, _roll_place(roll), roll.school_id, None, roll.pk
        )
        if found is not None:
            yield ReconciliationLine(
                Kind.ROLL_WITHOUT_PERSON,
                (pupil, _record_involved(found)),
                f"学籍上的 {roll.name}（{roll.birth_date}）与人口登记的 {found.person.name}"
                f"（{found.person.birth_date}，{found.village.name}）是否同一人？学籍未关联到人口"
                "（姓名、出生日期或身份证号不一致）：该儿童在校，不是失学",
                Resolution.REGISTRATION_ERROR,
                "登记错误：核对户口簿，更正姓名、出生日期或身份证号后关联",
            )
        elif not roll.hukou_village or roll.hukou_village not in village_names:
            origin = roll.hukou_village or "未填"
            yield ReconciliationLine(
                Kind.ROLL_WITHOUT_PERSON,
                (pupil,),
                f"{roll.name} 的户籍村为 {origin}，不是本镇的村（社区）：疑似流动人口子女",
                Resolution.REGISTRATION_ERROR,
                "外在本：在人口登记中补录为流动人口（流动人口子女）",
            )
        else:
            yield ReconciliationLine(
                Kind.ROLL_WITHOUT_PERSON,
                (pupil,),
                f"{roll.name} 的户籍村为 {roll.hukou_village}，但该村人口登记中查无此人",
                Resolution.REGISTRATION_ERROR,
                "查无此人：核实户籍（空挂户、双重户籍），补录人口或更正学籍",
            )


def _record_involved(record: PersonRecord) -> Involved:
    return Involved(
        record.person.name,
        record.person.birth_date,
        f"{record.village.name} {record.household.number}户",
        record.village_id,
        record.person_id,
    )


# -- identity: ID numbers and duplicates -----------------------------------------------------------
def id_number_problem(number: str, birth_date: datetime.date, sex: str) -> str | None:
    """What is wrong with an ID number against the registered birth date and sex, if anything.

    The number's own rules are the registers' (`id_number_decode`, as at the import)."""
    try:
        decoded = id_number_decode(number)
    except IdNumberError as error:
        return f"身份证号{error.reason}"
    problems = []
    if decoded.birth_date != birth_date:
        problems.append(f"号码中的出生日期为 {decoded.birth_date}，登记为 {birth_date}")
    if decoded.sex != sex:
        problems.append(f"号码中的性别为{decoded.sex}，登记为{sex}")
    return "；".join(problems) or None


# Identity checks read plain tuples: the whole town's register passes through them, and model
# instances with three related objects each would cost more than the checks themselves.
_IDENTITY_FIELDS = (
    "person_id",
    "person__name",
    "person__sex",
    "person__birth_date",
    "person__id_number",
    "household_id",
    "village_id",
    "village__name",
    "household__number",
)


def _identity_rows(ctx: Context) -> Iterable[tuple[Any, ...]]:
    return (
        PersonRecord.objects.filter(school_year=ctx.school_year, village__parent=ctx.town)
        .values_list(*_IDENTITY_FIELDS)
        .iterator(chunk_size=5000)
    )


def _row_involved(row: tuple[Any, ...]) -> Involved:
    return Involved(row[1], row[3], f"{row[7]} {row[8]}户", row[6], row[0])


def _id_lines(ctx: Context) -> Iterable[ReconciliationLine]:
    for row in _identity_rows(ctx):
        _, name, sex, born, number = row[:5]
        problem = id_number_problem(number, born, sex) if number else None
        if problem:
            yield ReconciliationLine(
                Kind.ID_MISMATCH,
                (_row_involved(row),),
                f"{name} 身份证号 {mask_id(number)}：{problem}",
                Resolution.REGISTRATION_ERROR,
                "核对户口簿与身份证，更正身份证号或出生日期、性别",
            )


def _roll_involved(roll: Enrollment) -> Involved:
    return Involved(
        roll.name, roll.birth_date, _roll_place(roll), roll.school_id, roll.person_id, roll.pk
    )


def _same_child_key(roll: Enrollment) -> tuple[object, ...]:
    """One child across rolls: the linked person, else the ID number, else name, sex and birth
    date (a roll without an ID is still the same child when all three agree)."""
    if roll.person_id is not None:
        return ("person", roll.person_id)
    if roll.id_number:
        return ("id", roll.id_number)
    return ("who", roll.name, roll.sex, roll.birth_date)


def _duplicate_roll_lines(ctx: Context) -> Iterable[ReconciliationLine]:
    rolls = (
        Enrollment.objects.filter(school_year=ctx.school_year, school__parent=ctx.town)
        .filter(status__in=[RollStatus.STUDYING, RollStatus.SUSPENDED])
        .select_related("school")
        .order_by("id")
    )
    by_child: dict[tuple[object, ...], list[Enrollment]] = defaultdict(list)
    for roll in rolls.iterator(chunk_size=5000):
        by_child[_same_child_key(roll)].append(roll)
    for same in by_child.values():
        if len(same) < 2:
            continue
        numbers = {r.id_number for r in same}
        if len(numbers) == 1 and "" not in numbers:
            kind, detail = Kind.DUPLICATE_ID, f"身份证号 {mask_id(same[0].id_number)}"
        else:
            first = same[0]
            kind = Kind.DUPLICATE_ROLL
            detail = f"{first.name}（{first.birth_date}，{first.sex}）"
        yield ReconciliationLine(
            kind,
            tuple(_roll_involved(r) for r in same),
            f"{detail}在 {len(same)} 个学籍上都是在读或休学",
            Resolution.REGISTRATION_ERROR,
            "双重学籍：核实实际就读学校，注销另一学籍",
        )


def _roll_differs_lines(ctx: Context) -> Iterable[ReconciliationLine]:
    """A roll linked to a person (by ID number) whose name, sex or birth date differs."""
    differs = ~Q(name=F("person__name")) | ~Q(sex=F("person__sex"))
    differs |= ~Q(birth_date=F("person__birth_date"))
    rolls = (
        Enrollment.objects.filter(
            school_year=ctx.school_year, school__parent=ctx.town, person__isnull=False
        )
        .filter(differs)
        .select_related("school", "person")
        .order_by("school__name", "grade", "name")
    )
    for roll in rolls:
        person = roll.person
        assert person is not None  # filtered above
        parts = [
            f"{label}：学籍为{mine}，人口登记为{theirs}"
            for label, mine, theirs in (
                ("姓名", roll.name, person.name),
                ("性别", roll.sex, person.sex),
                ("出生日期", roll.birth_date, person.birth_date),
            )
            if mine != theirs
        ]
        yield ReconciliationLine(
            Kind.ROLL_DIFFERS,
            (_roll_involved(roll),),
            f"{roll.name} 的学籍与人口登记按身份证号关联，但" + "；".join(parts),
            Resolution.REGISTRATION_ERROR,
            "核对户口簿与学籍，更正错误的一方",
        )


def _rolls_of_children_on_two_rolls(ctx: Context) -> dict[int, list[Enrollment]]:
    linked = Enrollment.objects.filter(school_year=ctx.school_year, person__isnull=False)
    several = (
        linked.filter(school__parent=ctx.town)
        .values("person_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values("person_id")
    )
    by_person: dict[int, list[Enrollment]] = defaultdict(list)
    for roll in linked.filter(person_id__in=several).select_related("school").order_by("id"):
        by_person[int(roll.person_id)].append(roll)  # type: ignore[arg-type]
    return by_person


def _dropout_while_studying_lines(ctx: Context) -> Iterable[ReconciliationLine]:
    """A dropout at one school while 在读 at another that the child had joined before the
    dropout (one joined on or after it is a return, not a conflict)."""
    on_register = {RollStatus.STUDYING, RollStatus.SUSPENDED}
    for rolls in _rolls_of_children_on_two_rolls(ctx).values():
        for left in (r for r in rolls if r.status == RollStatus.DROPPED_OUT):
            assert left.status_date is not None  # a dropout has its date (DB constraint)
            staying = [
                r
                for r in rolls
                if r.status in on_register
                and (r.entry_date is None or r.entry_date < left.status_date)
            ]
            if staying:
                other = staying[0]
                yield ReconciliationLine(
                    Kind.DROPOUT_WHILE_STUDYING,
                    (_roll_involved(left), _roll_involved(other)),
                    f"{left.name} 在{left.school.name}记为辍学（{left.status_date}），"
                    f"同时在{other.school.name}{other.grade}年级{other.status}",
                    Resolution.REGISTRATION_ERROR,
                    "核实实际就读学校：在读则更正辍学学籍为转出；确已辍学则注销另一学籍",
                )


def _deceased_lines(ctx: Context) -> Iterable[ReconciliationLine]:
    """A person registered as deceased whose roll of the year is still 在读 or 休学."""
    dead = PersonRecord.objects.filter(
        school_year=ctx.school_year, village__parent=ctx.town, died_on__isnull=False
    ).values("person_id")
    rolls = (
        Enrollment.objects.filter(
            school_year=ctx.school_year,
            person_id__in=dead,
            status__in=[RollStatus.STUDYING, RollStatus.SUSPENDED],
        )
        .select_related("school")
        .order_by("school__name", "grade", "name")
    )
    records = {
        r.person_id: r
        for r in PersonRecord.objects.filter(
            school_year=ctx.school_year, person_id__in=[roll.person_id for roll in rolls]
        ).select_related("person", "village", "household")
    }
    for roll in rolls:
        record = records[int(roll.person_id)]  # type: ignore[arg-type]  # filtered to the dead
        yield ReconciliationLine(
            Kind.DECEASED_ON_ROLL,
            (_roll_involved(roll), _record_involved(record)),
            f"{roll.name} 人口登记于 {record.died_on} 死亡，"
            f"学籍（{roll.school.name}）仍为{roll.status}",
            Resolution.DECEASED,
            "核实后由学校办理学籍注销（死亡），并附死亡证明",
        )


def _duplicate_person_lines(ctx: Context) -> Iterable[ReconciliationLine]:
    """Same name, sex and birth date in two households; or homophone names, same birth date and
    sex. Blocked by (birth date, sex): only people sharing both are ever compared."""
    blocks: dict[tuple[datetime.date, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in _identity_rows(ctx):
        blocks[(row[3], row[2])].append(row)
    for key in sorted(blocks):
        if len(blocks[key]) > 1:
            yield from _duplicates_in_block(blocks[key])


def _duplicates_in_block(block: list[tuple[Any, ...]]) -> Iterable[ReconciliationLine]:
    for i, first in enumerate(block):
        for second in block[i + 1 :]:
            if first[1] == second[1] and first[5] != second[5]:
                detail = f"{first[1]}（{first[3]}，{first[2]}）登记在两个户中"
            elif sounds_alike(first[1], second[1]):
                detail = f"{first[1]} 与 {second[1]} 读音相同或相近，出生日期、性别相同"
            else:
                continue
            yield ReconciliationLine(
                Kind.DUPLICATE_PERSON,
                (_row_involved(first), _row_involved(second)),
                detail,
                Resolution.REGISTRATION_ERROR,
                "核实是否同一人：双重户籍或重复登记则注销一条；不同人则不必处理",
            )


def children_with_unlinked_rolls(*, school_year: int, town: Unit | None = None) -> set[int]:
    """People of the register an unlinked roll of the town most likely is: at school, whatever
    the ledger says, so no work list may send them back to school."""
    ctx = context_for(school_year=school_year, town=town)
    return {found.person_id for _, found in _unlinked_rolls(ctx) if found is not None}


# -- the run --------------------------------------------------------------------------------
def _visible(line: ReconciliationLine, unit_ids: Collection[int] | None) -> bool:
    return unit_ids is None or any(who.unit_id in unit_ids for who in line.people)


def reconciliation_run(
    *, school_year: int, town: Unit | None = None, unit_ids: Collection[int] | None = None
) -> ReconciliationReport:
    """Every reconciliation finding of the town for a school year, in the caller's scope."""
    ctx = context_for(school_year=school_year, town=town)
    report = ReconciliationReport(ctx.school_year.year, ctx.terms.reference)
    if unit_ids is not None and not unit_ids:
        return report
    children = Unit.objects.filter(parent=ctx.town)
    villages = set(children.filter(kind__in=VILLAGE_KINDS).values_list("name", flat=True))
    scope = None if unit_ids is None or ctx.town.pk in unit_ids else unit_ids
    unlinked = _unlinked_rolls(ctx)
    at_school = {found.person_id for _, found in unlinked if found is not None}
    checks = (
        _no_roll_lines(ctx, at_school),
        _unmatched_roll_lines(unlinked, villages),
        _level_conflict_lines(ctx, at_school),
        _roll_differs_lines(ctx),
        _deceased_lines(ctx),
        _dropout_while_studying_lines(ctx),
        _id_lines(ctx),
        _duplicate_roll_lines(ctx),
        _duplicate_person_lines(ctx),
        _elsewhere_lines(ctx),
        _poor_lines(ctx, at_school),
    )
    for lines in checks:
        report.lines.extend(line for line in lines if _visible(line, scope))
    return report


def _roll_place(roll: Enrollment) -> str:
    return f"{roll.school.name} {roll.grade}年级"
