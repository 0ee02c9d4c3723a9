"""Reading one school year's rows off a town: the 人口 row of a member and the 学籍 rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from liangji.demo import names
from liangji.demo.generator.model import (
    GRADE_WORDS,
    ROLL_ENDING_FATES,
    Member,
    Town,
    last_day,
    reference_day,
)


def _school_for(town: Town, member: Member, grade: int, year: int) -> int:
    if member.special_school:
        return next(i for i, s in enumerate(town.schools) if s.kind == "特殊教育学校")
    village = town.villages[member.village]
    if member.school_from is not None and year > member.school_from[0]:
        school = member.school_from[1]
        if town.schools[school].first_grade <= grade <= town.schools[school].last_grade:
            return school
    if grade <= 6:
        primary = town.schools[village.primary]
        return village.primary if grade <= primary.last_grade else village.upper_primary
    return village.junior


def _elsewhere_place(member: Member) -> tuple[str, str, str]:
    return names.ELSEWHERE[(member.birth.toordinal() + len(member.name)) % len(names.ELSEWHERE)]


@dataclass(slots=True)
class RollRow:
    school: int
    member: Member
    grade: int
    entry: datetime.date | None
    status: str
    changed: datetime.date | None
    other_school: str


def roll_rows(town: Town, member: Member, year: int) -> list[RollRow]:
    """The rows of one pupil on the town's rolls in one school year (none, one, or two)."""
    grade = member.grade(year)
    if (
        grade is None
        or not 1 <= grade <= 9
        or member.elsewhere
        or member.duplicate
        or member.left_early is not None
    ):
        return []
    first, last = reference_day(year), last_day(year)
    fate, fate_year = member.fate, member.fate_year
    if (
        fate is not None
        and fate_year is not None
        and fate_year < year
        and fate[0] in ROLL_ENDING_FATES
    ):
        return []
    if (member.died and member.died < first) or (member.moved_out and member.moved_out < first):
        return []
    if member.arrived and member.arrived > last:
        return []
    school = _school_for(town, member, grade, year)
    entry = member.arrived if member.arrived and member.arrived >= first else None
    graduation = datetime.date(year + 1, 7, 5)
    graduating = grade == 9 or (grade == 6 and town.schools[school].last_grade == 6)
    row = RollRow(school, member, grade, entry, "在读", None, "")
    rows = [row]
    if fate is not None and fate_year == year:
        kind, date, other = fate
        row.status, row.changed, row.other_school = (
            ("转出" if kind != "辍学" and kind != "休学" else kind),
            date,
            other,
        )
        if kind == "镇内转学":
            receiving = next(i for i, s in enumerate(town.schools) if s.name == other)
            rows.append(RollRow(receiving, member, grade, date, "在读", None, ""))
    elif member.died and member.died <= last:
        row.status, row.changed = "死亡", member.died
    elif (
        member.moved_out
        and member.moved_out <= last
        and not (graduating and member.moved_out > graduation)
    ):
        place = _elsewhere_place(member)
        row.status, row.changed = "转出", member.moved_out
        row.other_school = place[1] if grade <= 6 else place[2]
    elif graduating:
        row.status, row.changed = "毕业", graduation
    return rows


def education_level(member: Member, year: int) -> str:
    """The recorded 文化程度 of a person in one school year, read off the school path."""
    if member.adult_level:
        return member.adult_level
    age = member.age_on(reference_day(year))
    grade = member.grade(year)
    if grade is None:  # never on a roll: out of school, exempted, taught at home
        return "文盲" if age >= 12 else ("学龄前" if 3 <= age <= 6 else "")
    if member.left_early is not None:
        return "小学肄业" if member.left_early <= 6 else "初中肄业"
    fate, fate_year = member.fate, member.fate_year
    if (
        fate is not None
        and fate_year is not None
        and fate_year < year
        and fate[0] in ("辍学", "转出无接收学校")
        and member.held_back_after is None
    ):
        return "小学肄业" if (member.grade(fate_year) or 0) <= 6 else "初中肄业"
    if grade < 1:
        return "学龄前" if age >= 3 else ""
    if grade <= 6:
        return "小学在读"
    if grade <= 9:
        return "初中在读"
    return "高中及以上" if member.senior and grade > 12 else "初中毕业"


# Senior grades as the villages write them (the import reads them as 10–12).
SENIOR_GRADE_WORDS = {10: "高一", 11: "高二", 12: "高三"}


def _grade_text(level: str, grade: int | None) -> str | int | None:
    if grade is not None and level in ("高中", "中职"):
        return SENIOR_GRADE_WORDS.get(grade, grade)
    return grade


def _elsewhere_fields(member: Member, year: int) -> tuple[str, str, str, int | None, str]:
    """(school, region, level, grade, proof) of a registered child studying outside the town."""
    grade = member.grade(year)
    if grade is None or member.migrant or member.left_early is not None:
        return "", "", "", None, ""
    if member.elsewhere is not None and 1 <= grade <= 9:
        region, primary, junior = names.ELSEWHERE[member.elsewhere[0]]
        proof = "有" if member.elsewhere[1] else "无"
        return (
            (primary, region, "小学", grade, proof)
            if grade <= 6
            else (junior, region, "初中", grade, proof)
        )
    fate, fate_year = member.fate, member.fate_year
    moved = member.moved_out is not None and member.moved_out <= last_day(year)
    if (
        fate is not None
        and fate_year is not None
        and fate_year < year
        and fate[0] == "转出"
        and 1 <= grade <= 9
        and not moved
    ):
        region, primary, junior = next(p for p in names.ELSEWHERE if fate[2] in p)
        return (
            (primary, region, "小学", grade, "有")
            if grade <= 6
            else (junior, region, "初中", grade, "有")
        )
    finished = (
        fate is None
        or fate[0] not in ("辍学", "转出无接收学校")
        or member.held_back_after is not None
    )
    if member.senior and 10 <= grade <= 12 and finished and not moved:
        school, level = names.SENIOR_SCHOOLS[member.birth.toordinal() % len(names.SENIOR_SCHOOLS)]
        return school, "本县", level, grade, "有"  # written 高一…高三 in the workbook
    return "", "", "", None, ""


def _date_text(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def people_row(town: Town, member: Member, year: int, census: dict[str, int]) -> list[Any] | None:
    """The member's row of the 人口 sheet of one school year (None: not in that register)."""
    first, last = reference_day(year), last_day(year)
    if (
        not member.in_register
        or member.birth > first
        or (member.arrived and member.arrived >= first)
    ):
        return None
    age = member.age_on(first)
    groups = [g for g in member.groups if g != "留守儿童" or age < 16]
    if member.migrant and 6 <= age <= 15:
        groups.append("随迁子女")
    died = member.died if member.died and member.died <= last else None
    moved = member.moved_out if member.moved_out and member.moved_out <= last else None
    level = education_level(member, year)
    school, region, study_level, grade, proof = _elsewhere_fields(member, year)
    exemption = member.exemption or ("", None, None)
    _count_person(census, member, age, first, moved, level, groups, proof, died)
    return [
        town.villages[member.village].name,
        member.household,
        member.name,
        member.sex,
        member.birth,
        member.id_number,
        member.ethnicity,
        "流动" if member.migrant else "户籍",
        "迁出" if moved else "在册",
        _date_text(moved),
        member.address,
        member.disability,
        level,
        "是" if member.lost_ability else "",
        exemption[0],
        _date_text(exemption[1]),
        _date_text(exemption[2]),
        "、".join(groups),
        _date_text(died),
        school,
        region,
        study_level,
        _grade_text(study_level, grade),
        proof,
        "是" if member.home_schooling else "",
        member.note,
    ]


def _count_person(
    census: dict[str, int],
    member: Member,
    age: int,
    first: datetime.date,
    moved: datetime.date | None,
    level: str,
    groups: list[str],
    proof: str,
    died: datetime.date | None,
) -> None:
    def count(kind: str) -> None:
        census[kind] = census.get(kind, 0) + 1

    school_age = 7 <= age <= 15 and died is None and (moved is None or moved >= first)
    if member.never_enrolled and school_age:
        count("流动儿童失学" if member.migrant else "失学")
    if moved:
        count("迁出九月前" if moved < first else "迁出九月后")
    if member.home_schooling:
        count("送教上门")
    if member.exemption:
        kind, _, until = member.exemption
        count("免缓学过期" if until < first else kind)
    if member.elsewhere and proof:
        count("本在外有证明" if proof == "有" else "本在外无证明")
    if level in ("文盲", "半文盲", "脱盲"):
        count(level)
    if member.lost_ability:
        count("丧失学习能力")
    for group in groups:
        count(group)
    if member.duplicate:
        count("重复登记")


def roll_values(town: Town, row: RollRow, class_name: str, census: dict[str, int]) -> list[Any]:
    member, school = row.member, town.schools[row.school]

    def count(kind: str) -> None:
        census[kind] = census.get(kind, 0) + 1

    if row.status in ("辍学", "休学"):
        count(row.status)
    elif row.status == "转出":
        count("转出有接收学校" if row.other_school else "转出无接收学校")
    elif row.status == "死亡":
        count("校内死亡")
    if member.migrant:
        count("流动儿童在读")
    if member.disability:
        count("残疾特教学校" if school.kind == "特殊教育学校" else "残疾随班就读")
    if member.roll_name:
        count("同音字姓名")
    if member.roll_birth:
        count("出生日期不符")
    if not member.in_register:
        count("学籍无户籍人员")
    grade: Any = GRADE_WORDS[row.grade - 1] if school.chinese_grades else row.grade
    birth: Any = member.roll_birth or member.birth
    if school.chinese_grades:  # the teaching points type their dates as text
        birth = f"{birth.year}年{birth.month}月{birth.day}日"
    return [
        school.name,
        member.student_number,
        member.roll_name or member.name,
        member.sex,
        birth,
        "" if member.roll_birth else member.id_number,  # an ID would contradict the wrong date
        "" if member.migrant else town.villages[member.village].name,
        grade,
        class_name,
        _date_text(row.entry),
        row.status,
        _date_text(row.changed),
        row.other_school,
    ]
