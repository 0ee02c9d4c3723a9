"""The register's own rules, each written once: ages, and whether a person record can be true.

The importer (one row of the 人口 sheet) and the record edit service (the web form) both ask
`person_record_problems`, so a record one door accepts the other accepts too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from liangji.registers.choices import HukouStatus, StudyLevel


def age_on(born: datetime.date, day: datetime.date) -> int:
    """Completed years (周岁) on `day`: born 1 Sept 2016 is 7 on 1 Sept 2023, not on 31 Aug."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` earlier; 29 Feb becomes 28 Feb in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_bounds(
    reference: datetime.date, low: int, high: int
) -> tuple[datetime.date, datetime.date]:
    """(born after, born on or before): aged low..high completed years on `reference`.

    The set-wise form of `age_on` (a test holds them equal): aged `a` on the reference date is
    born after ref − (a+1) years and on or before ref − a years.
    """
    return years_before(reference, high + 1), years_before(reference, low)


# The grades each 在外就读学段 has: senior school (高中, 中职) is grades 10–12 (高一…高三).
GRADES_OF_STUDY_LEVEL: dict[str, range] = {
    StudyLevel.PRIMARY: range(1, 7),
    StudyLevel.JUNIOR: range(7, 10),
    StudyLevel.SENIOR: range(10, 13),
    StudyLevel.VOCATIONAL: range(10, 13),
    StudyLevel.SPECIAL: range(1, 13),
}


@dataclass(frozen=True, slots=True)
class RecordProblem:
    field: str  # the PersonRecord (or Person) field: the importer turns it into its column
    message: str


@dataclass(frozen=True, slots=True)
class RecordDates:
    """The facts of a person record that its rules read."""

    birth_date: datetime.date
    hukou_status: str = HukouStatus.ON_REGISTER
    moved_out_on: datetime.date | None = None
    died_on: datetime.date | None = None
    exemption: str = ""
    exemption_approved_on: datetime.date | None = None
    exemption_until: datetime.date | None = None
    elsewhere_level: str = ""
    elsewhere_grade: int | None = None


# Nobody of a register was born before 1900: such a date is a typing slip (1800 for 1980).
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def birth_too_early(born: datetime.date) -> str:
    return f"出生日期 {born} 早于 1900 年，不可能；请核对（常见的是把 1980 写成 1800）"


_DATE_NAMES = {
    "moved_out_on": "迁出日期",
    "died_on": "死亡日期",
    "exemption_approved_on": "免缓学批准日期",
}


def _grade_problems(facts: RecordDates) -> list[RecordProblem]:
    grade, level = facts.elsewhere_grade, facts.elsewhere_level
    if grade is None:
        return []
    if not level:
        message = f"填写了在外就读年级 {grade}，但没有在外就读学段；请补上学段"
        return [RecordProblem("elsewhere_level", message)]
    grades = GRADES_OF_STUDY_LEVEL[level]
    if grade in grades:
        return []
    return [
        RecordProblem(
            "elsewhere_grade",
            f"在外就读年级 {grade} 与学段{level}不符"
            f"（{level}为 {grades.start}–{grades.stop - 1} 年级）；请核对年级或学段",
        )
    ]


def person_record_problems(facts: RecordDates, *, today: datetime.date) -> list[RecordProblem]:
    """Everything that makes a person record impossible or incomplete, in the office's words."""
    problems: list[RecordProblem] = []
    born = facts.birth_date
    if born > today:
        problems.append(RecordProblem("birth_date", f"出生日期 {born} 晚于今天，不可能；请核对"))
    elif born < EARLIEST_BIRTH:
        problems.append(RecordProblem("birth_date", birth_too_early(born)))
    if facts.hukou_status == HukouStatus.MOVED_OUT and facts.moved_out_on is None:
        problems.append(
            RecordProblem("moved_out_on", "户籍状态为迁出时必须填写迁出日期；请补上迁出日期")
        )
    if facts.exemption and facts.exemption_approved_on is None:
        problems.append(
            RecordProblem(
                "exemption_approved_on",
                f"填写了{facts.exemption}但没有批准日期；请补上批准日期（须有批准文件）",
            )
        )
    for field, name in _DATE_NAMES.items():
        value = getattr(facts, field)
        if value is None:
            continue
        if value < born:
            problems.append(
                RecordProblem(
                    field, f"{name} {value} 早于出生日期 {born}，不可能；请核对这两个日期"
                )
            )
        elif value > today:
            problems.append(RecordProblem(field, f"{name} {value} 晚于今天，不可能；请核对"))
    approved, until = facts.exemption_approved_on, facts.exemption_until
    if approved is not None and until is not None and until < approved:
        problems.append(
            RecordProblem(
                "exemption_until",
                f"免缓学截止日期 {until} 早于免缓学批准日期 {approved}，不可能；请核对这两个日期",
            )
        )
    problems.extend(_grade_problems(facts))
    return problems


def school_year_work_day(year: int, today: datetime.date) -> datetime.date:
    """The day the work of school year `year` is dated on (the demo's cases, notices, plan and
    agreements): today while the year runs; 15 June of its second term once it is over, so
    that its work lies inside the year; its first day before it begins."""
    first, last = datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)
    if today < first:
        return first
    if today > last:
        return datetime.date(year + 1, 6, 15)
    return today
