"""One row of a sheet: its cells parsed by a table per sheet, and the row's own rules.

Each problem becomes a RowError with the sheet, the Excel row number, the column and a Chinese
message that says what is wrong and how to fix it. A row may have several.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liangji.imports.columns import SHEET_PEOPLE, SHEET_ROLLS, SHEET_UNITS
from liangji.imports.parsing import (
    CellError,
    bool_parse,
    choice_parse,
    date_parse,
    grade_elsewhere_parse,
    grade_parse,
    groups_parse,
    id_number_parse,
    roll_status_parse,
    sex_parse,
    text_clean,
)
from liangji.registers.choices import (
    JOINED_WORD,
    RESUMED_WORD,
    ROLL_STATUS_WORDS,
    Disability,
    EducationLevel,
    Exemption,
    HukouStatus,
    PopulationType,
    RollStatus,
    StudyLevel,
    UnitKind,
)
from liangji.registers.models import Enrollment, Household, Person, PersonRecord, Unit
from liangji.registers.rules import (
    EARLIEST_BIRTH,
    RecordDates,
    birth_too_early,
    person_record_problems,
)

# The column of the 人口 sheet that holds each field the register's rules speak of.
RECORD_COLUMNS = {
    "birth_date": "出生日期",
    "moved_out_on": "迁出日期",
    "died_on": "死亡日期",
    "exemption_approved_on": "免缓学批准日期",
    "exemption_until": "免缓学截止日期",
    "elsewhere_level": "在外就读学段",
    "elsewhere_grade": "在外就读年级",
}


@dataclass(frozen=True, slots=True)
class RowError:
    sheet: str
    row: int  # Excel row number; 0 for a problem of the whole file
    column: str
    message: str

    def line(self) -> str:
        where = f"{self.sheet}表" if self.sheet else "文件"
        if self.row:
            where += f"第 {self.row} 行"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


@dataclass(slots=True)
class UnitRow:
    row: int
    kind: str
    name: str
    code: str
    parent_name: str


@dataclass(slots=True)
class PersonRow:
    row: int
    village: str
    household: str
    name: str
    sex: str
    birth_date: datetime.date
    id_number: str | None
    ethnicity: str
    population_type: str
    hukou_status: str
    moved_out_on: datetime.date | None
    address: str
    disability: str
    education_level: str
    lost_learning_ability: bool
    exemption: str
    exemption_approved_on: datetime.date | None
    exemption_until: datetime.date | None
    groups: tuple[str, ...]
    died_on: datetime.date | None
    elsewhere_school: str
    elsewhere_region: str
    elsewhere_level: str
    elsewhere_grade: int | None
    elsewhere_proof: bool | None
    home_schooling: bool
    note: str


@dataclass(slots=True)
class PupilRow:
    row: int
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


def _max_lengths() -> dict[tuple[str, str], int]:
    """(sheet, column) → the database column's length, so that PostgreSQL never truncates."""
    fields = {
        (SHEET_UNITS, "名称"): (Unit, "name"),
        (SHEET_UNITS, "代码"): (Unit, "code"),
        (SHEET_PEOPLE, "户号"): (Household, "number"),
        (SHEET_PEOPLE, "姓名"): (Person, "name"),
        (SHEET_PEOPLE, "民族"): (Person, "ethnicity"),
        (SHEET_PEOPLE, "现住址"): (PersonRecord, "address"),
        (SHEET_PEOPLE, "在外就读学校"): (PersonRecord, "elsewhere_school"),
        (SHEET_PEOPLE, "在外就读地区"): (PersonRecord, "elsewhere_region"),
        (SHEET_PEOPLE, "备注"): (PersonRecord, "note"),
        (SHEET_ROLLS, "学籍号"): (Enrollment, "student_number"),
        (SHEET_ROLLS, "姓名"): (Enrollment, "name"),
        (SHEET_ROLLS, "户籍村"): (Enrollment, "hukou_village"),
        (SHEET_ROLLS, "班级"): (Enrollment, "class_name"),
        (SHEET_ROLLS, "转入学校"): (Enrollment, "transfer_school"),
    }
    lengths: dict[tuple[str, str], int] = {}
    for key, (model, name) in fields.items():
        length = getattr(model._meta.get_field(name), "max_length", None)
        if length:
            lengths[key] = int(length)
    return lengths


MAX_LENGTHS = _max_lengths()


def _choice(choices: type, what: str) -> Callable[[object], str]:
    return lambda raw: choice_parse(raw, choices, what)


def _proof_parse(raw: object) -> bool:
    return bool_parse(raw, words="有 或 无")


TEXT = None  # a column read as text (NFKC, trimmed, length-checked)

# How each column is read: (parser or TEXT, required). One table per sheet, so that a row is
# parsed by one tight loop: at county scale (500,000 rows × 26 columns) every call counts.
UNIT_CELLS: dict[str, tuple[Callable[[object], Any] | None, bool]] = {
    "类型": (_choice(UnitKind, "单位类型"), True),
    "名称": (TEXT, True),
    "代码": (TEXT, False),
    "所属": (TEXT, False),
}
PEOPLE_CELLS: dict[str, tuple[Callable[[object], Any] | None, bool]] = {
    "村/社区": (TEXT, True),
    "户号": (TEXT, True),
    "姓名": (TEXT, True),
    "性别": (sex_parse, True),
    "出生日期": (date_parse, True),
    "身份证号": (id_number_parse, False),
    "民族": (TEXT, False),
    "人口类型": (_choice(PopulationType, "人口类型"), True),
    "户籍状态": (_choice(HukouStatus, "户籍状态"), False),
    "迁出日期": (date_parse, False),
    "现住址": (TEXT, False),
    "残疾类别": (_choice(Disability, "残疾类别"), False),
    "文化程度": (_choice(EducationLevel, "文化程度"), False),
    "丧失学习能力": (bool_parse, False),
    "免缓学": (_choice(Exemption, "免缓学"), False),
    "免缓学批准日期": (date_parse, False),
    "免缓学截止日期": (date_parse, False),
    "特殊群体": (groups_parse, False),
    "死亡日期": (date_parse, False),
    "在外就读学校": (TEXT, False),
    "在外就读地区": (TEXT, False),
    "在外就读学段": (_choice(StudyLevel, "在外就读学段"), False),
    "在外就读年级": (grade_elsewhere_parse, False),
    "在外就读证明": (_proof_parse, False),
    "送教上门": (bool_parse, False),
    "备注": (TEXT, False),
}
ROLL_CELLS: dict[str, tuple[Callable[[object], Any] | None, bool]] = {
    "学校": (TEXT, True),
    "学籍号": (TEXT, False),
    "姓名": (TEXT, True),
    "性别": (sex_parse, True),
    "出生日期": (date_parse, True),
    "身份证号": (id_number_parse, False),
    "户籍村": (TEXT, False),
    "年级": (grade_parse, True),
    "班级": (TEXT, False),
    "入学日期": (date_parse, False),
    "学籍状态": (roll_status_parse, True),
    "变动日期": (date_parse, False),
    "转入学校": (TEXT, False),
}
SHEET_CELLS = {SHEET_UNITS: UNIT_CELLS, SHEET_PEOPLE: PEOPLE_CELLS, SHEET_ROLLS: ROLL_CELLS}

# (column, index in the row, parser, required, length limit) for the columns a file has.
Layout = list[tuple[str, int, Callable[[object], Any] | None, bool, int]]


def layout_for(sheet: str, positions: dict[str, int]) -> Layout:
    return [
        (column, positions[column], parser, required, MAX_LENGTHS.get((sheet, column), 0))
        for column, (parser, required) in SHEET_CELLS[sheet].items()
        if column in positions
    ]


class RowCheck:
    """The parsed cells of one row and the problems found in it."""

    __slots__ = ("errors", "row", "sheet", "values")

    def __init__(self, sheet: str, row: int, cells: list[object], layout: Layout) -> None:
        self.sheet, self.row = sheet, row
        self.errors: list[RowError] = []
        values: dict[str, Any] = {}
        width = len(cells)
        for column, index, parser, required, limit in layout:
            raw = cells[index] if index < width else None
            if raw is None or raw == "" or (type(raw) is str and raw.isspace()):
                if required:
                    self.fail(column, f"“{column}”不能为空；请填写")
                continue
            if parser is None:
                value = text_clean(raw)
                if limit and len(value) > limit:
                    self.fail(column, f"“{column}”长 {len(value)} 字，超过 {limit} 字；请缩短")
                values[column] = value
                continue
            try:
                values[column] = parser(raw)
            except CellError as error:
                self.fail(column, str(error))
        self.values = values

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.row, column, message))

    def text(self, column: str) -> str:
        return self.values.get(column, "")


def _date_not_before(
    check: RowCheck,
    column: str,
    value: datetime.date | None,
    earlier: datetime.date | None,
    earlier_name: str,
) -> None:
    if value is not None and earlier is not None and value < earlier:
        check.fail(
            column, f"{column} {value} 早于{earlier_name} {earlier}，不可能；请核对这两个日期"
        )


def _id_agrees(check: RowCheck, sex: str | None, birth: datetime.date | None) -> str | None:
    """The ID number when it agrees with the row's birth date and sex (GB 11643 encodes both)."""
    parsed = check.values.get("身份证号")
    if parsed is None:
        return None
    number, id_birth, id_sex = parsed
    if birth is not None and id_birth != birth:
        check.fail(
            "身份证号",
            f"身份证号中的出生日期 {id_birth} 与“出生日期”列的 {birth} 不一致；"
            "请核对身份证号或出生日期",
        )
    if sex is not None and id_sex != sex:
        check.fail(
            "身份证号", f"身份证号表示性别为{id_sex}，与“性别”列的{sex}不一致；请核对身份证号或性别"
        )
    return number


def unit_row_check(
    row: int, cells: list[object], layout: Layout
) -> tuple[UnitRow | None, list[RowError]]:
    check = RowCheck(SHEET_UNITS, row, cells, layout)
    kind = check.values.get("类型")
    if check.errors or kind is None:
        return None, check.errors
    return UnitRow(row, kind, check.text("名称"), check.text("代码"), check.text("所属")), []


def person_row_check(
    row: int, cells: list[object], layout: Layout, *, today: datetime.date
) -> tuple[PersonRow | None, list[RowError]]:
    check = RowCheck(SHEET_PEOPLE, row, cells, layout)
    get = check.values.get
    sex, birth = get("性别"), get("出生日期")
    id_number = _id_agrees(check, sex, birth)
    hukou_status = get("户籍状态") or HukouStatus.ON_REGISTER
    moved_out_on, died_on = get("迁出日期"), get("死亡日期")
    exemption, approved_on = get("免缓学", ""), get("免缓学批准日期")
    if birth is not None:
        facts = RecordDates(
            birth_date=birth,
            hukou_status=hukou_status,
            moved_out_on=moved_out_on,
            died_on=died_on,
            exemption=exemption,
            exemption_approved_on=approved_on,
            exemption_until=get("免缓学截止日期"),
            elsewhere_level=get("在外就读学段", ""),
            elsewhere_grade=get("在外就读年级"),
        )
        for problem in person_record_problems(facts, today=today):
            check.fail(RECORD_COLUMNS[problem.field], problem.message)
    if check.errors or sex is None or birth is None or get("人口类型") is None:
        return None, check.errors
    text = check.text
    return PersonRow(
        row=row,
        village=text("村/社区"),
        household=text("户号"),
        name=text("姓名"),
        sex=sex,
        birth_date=birth,
        id_number=id_number,
        ethnicity=text("民族"),
        population_type=str(get("人口类型")),
        hukou_status=hukou_status,
        moved_out_on=moved_out_on,
        address=text("现住址"),
        disability=get("残疾类别", ""),
        education_level=get("文化程度", ""),
        lost_learning_ability=bool(get("丧失学习能力")),
        exemption=exemption,
        exemption_approved_on=approved_on,
        exemption_until=get("免缓学截止日期"),
        groups=get("特殊群体", ()),
        died_on=died_on,
        elsewhere_school=text("在外就读学校"),
        elsewhere_region=text("在外就读地区"),
        elsewhere_level=get("在外就读学段", ""),
        elsewhere_grade=get("在外就读年级"),
        elsewhere_proof=get("在外就读证明"),
        home_schooling=bool(get("送教上门")),
        note=text("备注"),
    ), []


def pupil_row_check(
    row: int, cells: list[object], layout: Layout, *, year: int, today: datetime.date
) -> tuple[PupilRow | None, list[RowError]]:
    check = RowCheck(SHEET_ROLLS, row, cells, layout)
    get = check.values.get
    last_day = datetime.date(year + 1, 8, 31)
    sex, birth, grade = get("性别"), get("出生日期"), get("年级")
    id_number = _id_agrees(check, sex, birth)
    entry_date, written, status_date = get("入学日期"), get("学籍状态"), get("变动日期")
    status = ROLL_STATUS_WORDS.get(written, written) if written is not None else None
    if birth is not None and birth > today:
        check.fail("出生日期", f"出生日期 {birth} 晚于今天，不可能；请核对")
    elif birth is not None and birth < EARLIEST_BIRTH:
        check.fail("出生日期", birth_too_early(birth))
    if written is not None and written != RollStatus.STUDYING and status_date is None:
        check.fail("变动日期", f"学籍状态为{written}时必须填写变动日期；请补上{written}的日期")
    # A change dated before the year (休学 since the spring) is the status held from the first
    # day; only a date after the year's end cannot belong to this year's roll.
    if status_date is not None and status_date > last_day:
        check.fail(
            "变动日期",
            f"变动日期 {status_date} 晚于 {year}—{year + 1} 学年的最后一天 {last_day}；"
            "请核对日期或学年",
        )
    if written == JOINED_WORD and entry_date is None:
        entry_date = status_date  # 转入: joined on the change's date
    if entry_date is not None and entry_date > last_day:
        check.fail(
            "入学日期", f"入学日期 {entry_date} 晚于本学年最后一天 {last_day}；请核对日期或学年"
        )
    _date_not_before(check, "入学日期", entry_date, birth, "出生日期")
    _date_not_before(check, "变动日期", status_date, birth, "出生日期")
    if written != JOINED_WORD:
        _date_not_before(check, "变动日期", status_date, entry_date, "入学日期")
    if check.errors or sex is None or birth is None or grade is None or status is None:
        return None, check.errors
    # 在读 keeps a date only when written as 复学: 在读 from that day, 休学 before it.
    keeps_date = status != RollStatus.STUDYING or written == RESUMED_WORD
    text = check.text
    return PupilRow(
        row=row,
        school=text("学校"),
        student_number=text("学籍号"),
        name=text("姓名"),
        sex=sex,
        birth_date=birth,
        id_number=id_number or "",
        hukou_village=text("户籍村"),
        grade=grade,
        class_name=text("班级"),
        entry_date=entry_date,
        status=status,
        status_date=status_date if keeps_date else None,
        transfer_school=text("转入学校") if status == RollStatus.TRANSFERRED_OUT else "",
    ), []
