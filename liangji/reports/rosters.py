"""Rosters (花名册) per village and per school: the people behind each statistical table, one
line a person, with the ID number masked unless the user revealed it.

Who is on a roster is decided by the indicator engine's SQL (a definition's population or
numerator, or a fact of `indicators.facts`), so a roster holds exactly the people the matching
indicator, shortfall list or ledger counts. For the town a roster has one sheet per village
(school).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from liangji.indicators.definitions import Terms, definition_get
from liangji.indicators.engine import fetch, person_from_sql, roll_from_sql
from liangji.indicators.shortfall import _as_date, age_on
from liangji.registers.choices import RollStatus
from liangji.registers.models import Enrollment, Unit
from liangji.registers.privacy import mask_id
from liangji.reports.catalogue import (
    TOWN_AND_SCHOOLS,
    TOWN_AND_VILLAGES,
    ReportKind,
    ReportRequest,
    ReportSpec,
    report_register,
)
from liangji.reports.layout import Column, Sheet, Value
from liangji.reports.statistics import Where, where_for

# The flags a person line carries, each a fragment of the same Terms (alias r, p, f).
FLAGS: dict[str, Callable[[Terms], str]] = {
    "primary": lambda t: t.enrolled_primary,
    "junior": lambda t: t.enrolled_junior,
    "special": lambda t: t.enrolled_special,
    "senior": lambda t: t.enrolled_senior,
    "elsewhere": lambda t: t.studying_elsewhere,
    "home": lambda t: t.home_schooling_recorded,
    "exempted": lambda t: t.exempted,
    "dropped": lambda t: t.dropped_out_by_reference,
    "never": lambda t: t.never_enrolled,
    "enrolled": lambda t: t.enrolled,
    "primary_done": lambda t: t.primary_completed,
    "junior_done": lambda t: t.junior_completed,
}


@dataclass(frozen=True)
class PersonLine:
    person_id: int
    village_id: int
    village: str
    household: str
    name: str
    sex: str
    birth_date: datetime.date
    age: int
    id_number: str
    flags: dict[str, bool]
    record: dict[str, Any]
    school: str
    grade: int | None
    # The village rosters (by title) whose condition the person meets.
    rosters: frozenset[str] = frozenset()


RECORD_COLUMNS = (
    "elsewhere_school", "elsewhere_region", "elsewhere_level", "elsewhere_grade",
    "elsewhere_proof", "disability", "education_level", "exemption", "address",
)  # fmt: skip


def people(
    request: ReportRequest, where: Where, conditions: dict[str, Callable[[Terms], str]]
) -> list[PersonLine]:
    """The town's person records of the year meeting any of `conditions` (by name), in the
    request's villages; each line says which it meets."""
    t = where.ctx.terms
    flags = ", ".join(f"CASE WHEN {f(t)} THEN 1 ELSE 0 END" for f in FLAGS.values())
    met = ", ".join(f"CASE WHEN {c(t)} THEN 1 ELSE 0 END" for c in conditions.values())
    record = ", ".join(f"r.{c}" for c in RECORD_COLUMNS)
    joins = "JOIN {unit} v ON v.id = r.village_id JOIN {household} h ON h.id = r.household_id"
    sql = (
        f"SELECT p.id, r.village_id, v.name, h.number, p.name, p.sex, p.birth_date,"
        f" p.id_number, {flags}, {met}, {record} {person_from_sql(t, where.ctx.town.pk, joins)}"
        f" {where.village_filter()} AND ({' OR '.join(c(t) for c in conditions.values())})"
        " ORDER BY v.name, h.number, p.birth_date, p.id"
    )
    rows = fetch(sql, [t.school_year_id, where.ctx.town.pk])
    rolls = _current_rolls([int(str(r[0])) for r in rows], t)
    lines = []
    for row in rows:
        person_id, village_id, village, household, name, sex, born, id_number = row[:8]
        flag_values = row[8 : 8 + len(FLAGS)]
        met_values = row[8 + len(FLAGS) : 8 + len(FLAGS) + len(conditions)]
        record_values = row[8 + len(FLAGS) + len(conditions) :]
        born = _as_date(born)
        roll = rolls.get(int(str(person_id)))
        lines.append(
            PersonLine(
                person_id=int(str(person_id)),
                village_id=int(str(village_id)),
                village=str(village),
                household=str(household),
                name=str(name),
                sex=str(sex),
                birth_date=born,
                age=age_on(born, t.reference),
                id_number=str(id_number or ""),
                flags={k: bool(v) for k, v in zip(FLAGS, flag_values, strict=True)},
                record=dict(zip(RECORD_COLUMNS, record_values, strict=True)),
                school=roll[0] if roll else "",
                grade=roll[1] if roll else None,
                rosters=frozenset(n for n, v in zip(conditions, met_values, strict=True) if v),
            )
        )
    return lines


def _current_rolls(person_ids: Sequence[int], t: Terms) -> dict[int, tuple[str, int]]:
    """Each person's roll of the year (the first, when there are several): (school, grade).
    Plain values, not model instances: a county roster names tens of thousands of pupils."""
    found: dict[int, tuple[str, int]] = {}
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        for person_id, school, grade in (
            Enrollment.objects.filter(person_id__in=chunk, school_year_id=t.school_year_id)
            .order_by("id")
            .values_list("person_id", "school__name", "grade")
        ):
            found.setdefault(person_id, (school, grade))
    return found


def schooling(line: PersonLine) -> str:
    """Where a child is on the reference date, in the roster's words."""
    f, rec = line.flags, line.record
    if f["elsewhere"]:
        proof = "有证明" if rec["elsewhere_proof"] else "无证明"
        return f"在外就读{rec['elsewhere_level']}（{proof}）"
    if f["special"]:
        return "特殊教育学校在校"
    if f["primary"]:
        return "小学在校"
    if f["junior"]:
        return "初中在校"
    if f["home"]:
        return "送教上门"
    if f["exempted"]:
        return f"{rec['exemption']}（已批准）"
    if f["dropped"]:
        return "辍学"
    if f["enrolled"]:
        return "在校"
    if f["junior_done"]:
        return "初中已毕业"
    if f["primary_done"]:
        return "小学已毕业"
    if f["never"]:
        return "未入学" if line.age >= 6 else "学龄前"
    return f"未在校（文化程度：{rec['education_level'] or '未登记'}）"


def _id(request: ReportRequest, number: str) -> str:
    return number if request.full_ids else mask_id(number)


PERSON_HEAD = [Column("序号", width=6), Column("姓名", width=10), Column("性别", width=5),
               Column("出生日期", width=11), Column("年龄", width=5),
               Column("身份证号", width=20), Column("户号", width=8)]  # fmt: skip


def _person_head(request: ReportRequest, line: PersonLine, n: int) -> list[Value]:
    return [n, line.name, line.sex, line.birth_date.isoformat(), line.age,
            _id(request, line.id_number), line.household]  # fmt: skip


PersonColumns = Callable[[ReportRequest, PersonLine], list[Value]]

# Every village roster's condition, by title: who is on which roster.
VILLAGE_ROSTERS: dict[str, Callable[[Terms], str]] = {}


def roster_people(request: ReportRequest, where: Where) -> list[PersonLine]:
    """The people of every village roster, read in one statement and kept for the request: a
    set of rosters (the county's papers, a town's archive) reads the register once, not once
    a roster. Each roster keeps the lines that meet its own condition, the same SQL as the
    indicator's population or numerator it lists."""
    ids = ",".join(str(v.pk) for v in where.villages)
    people_all: list[PersonLine] = request.remember(
        f"roster-people:{ids}", lambda: people(request, where, VILLAGE_ROSTERS)
    )
    return people_all


def _village_roster(
    title: str,
    condition: Callable[[Terms], str],
    columns: list[Column],
    values: PersonColumns,
    notes: Sequence[str] = (),
) -> Callable[[ReportRequest], list[Sheet]]:
    VILLAGE_ROSTERS[title] = condition

    def build(request: ReportRequest) -> list[Sheet]:
        where = where_for(request)
        lines = roster_people(request, where)
        sheets = []
        for village in where.villages:
            own = [
                line for line in lines if line.village_id == village.pk and title in line.rosters
            ]
            rows = [[*_person_head(request, line, n), *values(request, line)]
                    for n, line in enumerate(own, start=1)]  # fmt: skip
            sheets.append(_roster_sheet(request, title, village, [*PERSON_HEAD, *columns], rows,
                                        notes))  # fmt: skip
        return sheets

    return build


def _roster_sheet(request: ReportRequest, title: str, unit: Unit, columns: list[Column],
                  rows: list[list[Value]], notes: Sequence[str] = ()) -> Sheet:  # fmt: skip
    return Sheet(
        title=f"{unit.name}{title}",
        unit=unit.name,
        school_year=request.school_year.year,
        columns=columns,
        rows=rows,
        date=request.today,
        notes=[f"共 {len(rows)} 人。", *notes],
    )


def _population(code: str) -> Callable[[Terms], str]:
    return lambda t: definition_get(code).population_sql(t)


children = _village_roster(
    "0—17周岁儿童少年花名册",
    lambda t: f"({t.registered} AND {t.aged((0, 17))})",
    [Column("就读情况", width=20), Column("学校", width=16), Column("年级", width=5),
     Column("备注", width=16)],
    lambda r, line: [schooling(line), line.school or line.record["elsewhere_school"] or "",
                     line.grade or line.record["elsewhere_grade"],
                     str(line.record["disability"] or "")],
)  # fmt: skip

elsewhere = _village_roster(
    "在外就读学生花名册",
    lambda t: f"({t.registered} AND {t.aged((0, 17))} AND {t.studying_elsewhere})",
    [Column("就读学校", width=18), Column("地区", width=12), Column("学段", width=6),
     Column("年级", width=5), Column("证明材料", width=14)],
    lambda r, line: [line.record["elsewhere_school"] or "", line.record["elsewhere_region"] or "",
                     line.record["elsewhere_level"] or "", line.record["elsewhere_grade"],
                     "有" if line.record["elsewhere_proof"] else "无（须补齐证明）"],
    notes=["在外就读须有学籍证明或在读证明；无证明者列为警示，须在归档前补齐。"],
)  # fmt: skip

disabled = _village_roster(
    "三类残疾儿童少年花名册",
    _population("disabled_enrollment"),
    [Column("残疾类别", width=10), Column("就读情况", width=20), Column("学校", width=16),
     Column("残疾证明", width=14)],
    lambda r, line: [str(line.record["disability"]), schooling(line), line.school,
                     "须核对残疾证或鉴定证明"],
    notes=["残疾证明一栏由村（社区）核对原件后填写。"],
)  # fmt: skip


def _completion(code: str, done: str) -> PersonColumns:
    return lambda r, line: ["已完成" if line.flags[done] else "未完成", schooling(line)]


age_15 = _village_roster(
    "15周岁人口花名册",
    _population("primary_completion_15"),
    [Column("初等教育", width=8), Column("就读或完成情况", width=24)],
    _completion("primary_completion_15", "primary_done"),
)
age_17 = _village_roster(
    "17周岁人口花名册",
    _population("junior_completion_17"),
    [Column("初级中等教育", width=10), Column("就读或完成情况", width=24)],
    _completion("junior_completion_17", "junior_done"),
)


def _illiterate(t: Terms) -> str:
    definition = definition_get("literacy_15_50")
    return f"({definition.population_sql(t)} AND NOT {definition.numerator(t)})"


illiterate = _village_roster(
    "15—50周岁文盲半文盲花名册",
    _illiterate,
    [Column("文化程度", width=10), Column("现住址", width=24)],
    lambda r, line: [str(line.record["education_level"]), str(line.record["address"] or "")],
    notes=["丧失学习能力者不列入（另册登记）。"],
)
migrants = _village_roster(
    "流动人口子女花名册",
    _population("migrant_enrollment"),
    [Column("现住址", width=22), Column("就读情况", width=18), Column("学校", width=16)],
    lambda r, line: [str(line.record["address"] or ""), schooling(line), line.school],
)


# -- school rosters --------------------------------------------------------------------------
@dataclass(frozen=True)
class RollLine:
    """One roll of a school roster, as plain values (no model instance per pupil)."""

    pk: int
    school_id: int
    school: str
    student_number: str
    name: str
    sex: str
    birth_date: datetime.date
    id_number: str
    hukou_village: str
    grade: int
    class_name: str
    entry_date: datetime.date | None
    status: str
    status_date: datetime.date | None
    transfer_school: str


ROLL_FIELDS = tuple(f if f != "school" else "school__name" for f in RollLine.__dataclass_fields__)


def rolls(where: Where, condition: str) -> list[RollLine]:
    t = where.ctx.terms
    sql = f"SELECT e.id {roll_from_sql()} {where.school_filter()} AND {condition}"
    ids = [int(str(r[0])) for r in fetch(sql, [t.school_year_id, where.ctx.town.pk])]
    found: list[RollLine] = []
    for start in range(0, len(ids), 5000):
        found += [
            RollLine(*values)
            for values in Enrollment.objects.filter(pk__in=ids[start : start + 5000]).values_list(
                *ROLL_FIELDS
            )
        ]
    return sorted(found, key=lambda e: (e.school, e.grade, e.class_name, e.name, e.pk))


ROLL_HEAD = [Column("序号", width=6), Column("学籍号", width=16), Column("姓名", width=10),
             Column("性别", width=5), Column("出生日期", width=11),
             Column("身份证号", width=20), Column("年级", width=5), Column("班级", width=6),
             Column("户籍村", width=10)]  # fmt: skip


def _roll_head(request: ReportRequest, roll: RollLine, n: int) -> list[Value]:
    return [
        n, roll.student_number, roll.name, roll.sex, roll.birth_date.isoformat(),
        _id(request, roll.id_number), roll.grade, roll.class_name, roll.hukou_village,
    ]  # fmt: skip


RollColumns = Callable[[ReportRequest, RollLine], list[Value]]


def _school_roster(
    title: str,
    condition: Callable[[Terms], str],
    columns: list[Column],
    values: RollColumns,
    forms: Callable[[ReportRequest, RollLine], list[tuple[str, str]]] | None = None,
) -> Callable[[ReportRequest], list[Sheet]]:
    def build(request: ReportRequest) -> list[Sheet]:
        where = where_for(request)
        found = rolls(where, condition(where.ctx.terms))
        sheets = []
        for school in where.schools:
            own = [e for e in found if e.school_id == school.pk]
            rows = [[*_roll_head(request, e, n), *values(request, e)]
                    for n, e in enumerate(own, start=1)]  # fmt: skip
            sheet = _roster_sheet(request, title, school, [*ROLL_HEAD, *columns], rows)
            if forms is not None:
                sheet.forms = [forms(request, e) for e in own]
            sheets.append(sheet)
        return sheets

    return build


pupils = _school_roster(
    "在校学生花名册",
    lambda t: t.roll_enrolled_on(t.reference),
    [Column("入学日期", width=11)],
    lambda r, e: [e.entry_date.isoformat() if e.entry_date else ""],
)
graduates = _school_roster(
    "毕业学生花名册",
    lambda t: (
        f"(e.status = '{RollStatus.GRADUATED.value}' AND e.status_date >= '{t.first_day}'"
        f" AND e.status_date <= '{t.last_day}')"
    ),
    [Column("毕业日期", width=11)],
    lambda r, e: [e.status_date.isoformat() if e.status_date else ""],
)


def _dropped(t: Terms) -> str:
    primary, junior = definition_get("primary_dropout"), definition_get("junior_dropout")
    return f"({primary.numerator_sql(t)} OR {junior.numerator_sql(t)})"


def _dropout_form(request: ReportRequest, e: RollLine) -> list[tuple[str, str]]:
    return [
        ("姓名", e.name), ("性别", e.sex), ("出生日期", e.birth_date.isoformat()),
        ("身份证号", _id(request, e.id_number)), ("学校", e.school),
        ("年级班级", f"{e.grade}年级{e.class_name}"), ("户籍村", e.hukou_village),
        ("学籍号", e.student_number),
        ("辍学日期", e.status_date.isoformat() if e.status_date else ""),
        ("学籍状态", e.status + (f"（转往{e.transfer_school}）" if e.transfer_school else "")),
        ("辍学原因", ""), ("家长姓名及电话", ""), ("劝返情况", ""), ("班主任", ""),
    ]  # fmt: skip


dropouts = _school_roster(
    "辍学学生花名册",
    _dropped,
    [Column("辍学日期", width=11), Column("学籍状态", width=10)],
    lambda r, e: [e.status_date.isoformat() if e.status_date else "", e.status],
    forms=_dropout_form,
)


for _spec in (
    ReportSpec("roster-children", "0—17周岁儿童少年花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=children, person_data=True),
    ReportSpec("roster-pupils", "在校学生花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_SCHOOLS, sheets=pupils, person_data=True),
    ReportSpec("roster-elsewhere", "在外就读学生花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=elsewhere, person_data=True),
    ReportSpec("roster-graduates", "毕业学生花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_SCHOOLS, sheets=graduates, person_data=True),
    ReportSpec("roster-disabled", "三类残疾儿童少年花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=disabled, person_data=True),
    ReportSpec("roster-dropouts", "辍学学生花名册（附辍学学生登记表）", ReportKind.ROSTER,
               ("xlsx", "pdf"), TOWN_AND_SCHOOLS, sheets=dropouts, person_data=True),
    ReportSpec("roster-age15", "15周岁人口花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=age_15, person_data=True),
    ReportSpec("roster-age17", "17周岁人口花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=age_17, person_data=True),
    ReportSpec("roster-illiterate", "15—50周岁文盲半文盲花名册", ReportKind.ROSTER,
               ("xlsx", "pdf"), TOWN_AND_VILLAGES, sheets=illiterate, person_data=True),
    ReportSpec("roster-migrants", "流动人口子女花名册", ReportKind.ROSTER, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=migrants, person_data=True),
):  # fmt: skip
    report_register(_spec)
