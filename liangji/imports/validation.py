"""Row validation: every row of every sheet is checked before anything is written.

Each problem becomes a RowError with the sheet, the Excel row number, the column and a Chinese
message that says what is wrong and how to fix it. A row may have several. Cross-row rules
(duplicate ID numbers, duplicate people, names missing from 单位) run after the single rows.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from liangji.imports.columns import SHEET_PEOPLE, SHEET_ROLLS, SHEET_UNITS, SHEETS
from liangji.imports.parsing import (
    CellError,
    bool_parse,
    choice_parse,
    date_parse,
    grade_parse,
    groups_parse,
    id_number_parse,
    sex_parse,
    text_clean,
)
from liangji.registers.choices import (
    SCHOOL_KINDS,
    TOWN_KINDS,
    VILLAGE_KINDS,
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

T = TypeVar("T")


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
        return f"{where}:{self.message}"


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


@dataclass
class Validated:
    """The valid rows of each sheet and every problem found."""

    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    pupils: list[PupilRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Rows seen per sheet (valid or not), for the "no data rows" check and the summary.
    seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))


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
    "在外就读年级": (grade_parse, False),
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
    "学籍状态": (_choice(RollStatus, "学籍状态"), True),
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
                    self.fail(column, f"“{column}”不能为空;请填写")
                continue
            if parser is None:
                value = text_clean(raw)
                if limit and len(value) > limit:
                    self.fail(column, f"“{column}”长 {len(value)} 字,超过 {limit} 字;请缩短")
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
        check.fail(column, f"{column} {value} 早于{earlier_name} {earlier},不可能;请核对这两个日期")


def _id_agrees(check: RowCheck, sex: str | None, birth: datetime.date | None) -> str | None:
    """The ID number when it agrees with the row's birth date and sex (GB 11643 encodes both)."""
    parsed = check.values.get("身份证号")
    if parsed is None:
        return None
    number, id_birth, id_sex = parsed
    if birth is not None and id_birth != birth:
        check.fail(
            "身份证号",
            f"身份证号中的出生日期 {id_birth} 与“出生日期”列的 {birth} 不一致;"
            "请核对身份证号或出生日期",
        )
    if sex is not None and id_sex != sex:
        check.fail(
            "身份证号", f"身份证号表示性别为{id_sex},与“性别”列的{sex}不一致;请核对身份证号或性别"
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
    if birth is not None and birth > today:
        check.fail("出生日期", f"出生日期 {birth} 晚于今天,不可能;请核对")
    if hukou_status == HukouStatus.MOVED_OUT and moved_out_on is None:
        check.fail("迁出日期", "户籍状态为迁出时必须填写迁出日期;请补上迁出日期")
    if exemption and approved_on is None:
        check.fail(
            "免缓学批准日期", f"填写了{exemption}但没有批准日期;请补上批准日期(须有批准文件)"
        )
    if moved_out_on or died_on or approved_on:  # most rows have none of these dates
        _date_not_before(check, "迁出日期", moved_out_on, birth, "出生日期")
        _date_not_before(check, "死亡日期", died_on, birth, "出生日期")
        _date_not_before(check, "免缓学批准日期", approved_on, birth, "出生日期")
        _date_not_before(
            check, "免缓学截止日期", get("免缓学截止日期"), approved_on, "免缓学批准日期"
        )
        if died_on is not None and died_on > today:
            check.fail("死亡日期", f"死亡日期 {died_on} 晚于今天,不可能;请核对")
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
    first_day, last_day = datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)
    sex, birth, grade = get("性别"), get("出生日期"), get("年级")
    id_number = _id_agrees(check, sex, birth)
    entry_date, status, status_date = get("入学日期"), get("学籍状态"), get("变动日期")
    if birth is not None and birth > today:
        check.fail("出生日期", f"出生日期 {birth} 晚于今天,不可能;请核对")
    if status is not None and status != RollStatus.STUDYING and status_date is None:
        check.fail("变动日期", f"学籍状态为{status}时必须填写变动日期;请补上{status}的日期")
    if status_date is not None and not first_day <= status_date <= last_day:
        check.fail(
            "变动日期",
            f"变动日期 {status_date} 不在 {year}—{year + 1} 学年({first_day} 至 {last_day})之内;"
            "请核对日期或学年",
        )
    if entry_date is not None and entry_date > last_day:
        check.fail(
            "入学日期", f"入学日期 {entry_date} 晚于本学年最后一天 {last_day};请核对日期或学年"
        )
    _date_not_before(check, "入学日期", entry_date, birth, "出生日期")
    _date_not_before(check, "变动日期", status_date, birth, "出生日期")
    _date_not_before(check, "变动日期", status_date, entry_date, "入学日期")
    if check.errors or sex is None or birth is None or grade is None or status is None:
        return None, check.errors
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
        status_date=status_date if status != RollStatus.STUDYING else None,
        transfer_school=text("转入学校") if status == RollStatus.TRANSFERRED_OUT else "",
    ), []


Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 5000
WARNINGS_KEPT = 1000


def _units_resolve(units: list[UnitRow], errors: list[RowError]) -> None:
    """Duplicate names and each village's and school's town (所属)."""
    first_row: dict[str, int] = {}
    for unit in units:
        if unit.name in first_row:
            errors.append(
                RowError(
                    SHEET_UNITS,
                    unit.row,
                    "名称",
                    f"单位“{unit.name}”在第 {first_row[unit.name]} 行已经出现;"
                    "其他表按名称引用单位,名称必须唯一,请删除重复行或改用全称",
                )
            )
        else:
            first_row[unit.name] = unit.row
    kinds = {unit.name: unit.kind for unit in units}
    towns = [unit.name for unit in units if unit.kind in TOWN_KINDS]
    for unit in units:
        if unit.kind in TOWN_KINDS or unit.kind == UnitKind.COUNTY:
            if unit.parent_name and kinds.get(unit.parent_name, UnitKind.COUNTY) != UnitKind.COUNTY:
                errors.append(
                    RowError(
                        SHEET_UNITS,
                        unit.row,
                        "所属",
                        f"镇的所属“{unit.parent_name}”不是县;镇的所属请留空或填县名",
                    )
                )
            continue
        if not unit.parent_name and len(towns) == 1:
            unit.parent_name = towns[0]
        elif not unit.parent_name:
            errors.append(
                RowError(
                    SHEET_UNITS,
                    unit.row,
                    "所属",
                    "单位表中"
                    + ("没有镇" if not towns else "有多个镇")
                    + ";请在“所属”填写这个村(社区)或学校所属的镇,并在单位表中列出该镇",
                )
            )
        elif kinds.get(unit.parent_name) not in TOWN_KINDS:
            errors.append(
                RowError(
                    SHEET_UNITS,
                    unit.row,
                    "所属",
                    f"所属“{unit.parent_name}”不是单位表中的镇(乡、街道);请填写本表中镇的名称",
                )
            )


def _duplicates_flag(
    rows: list, key: Callable, sheet: str, column: str, what: Callable[[int], str]
) -> list[RowError]:
    """An error on every row whose key another row has too (both rows are named)."""
    first: dict[object, int] = {}
    errors: list[RowError] = []
    flagged: set[int] = set()
    for item in rows:
        value = key(item)
        if value is None:
            continue
        if value in first:
            errors.append(RowError(sheet, item.row, column, what(first[value])))
            if first[value] not in flagged:
                flagged.add(first[value])
                errors.append(RowError(sheet, first[value], column, what(item.row)))
        else:
            first[value] = item.row
    return errors


def _unit_reference_errors(
    sheet: str,
    column: str,
    row: int,
    name: str,
    allowed: frozenset,
    kinds: dict[str, str],
    broken: dict[str, int],
    what: str,
) -> RowError | None:
    if name in broken:
        return RowError(
            sheet, row, column, f"{what}“{name}”在单位表第 {broken[name]} 行有错误;请先改正单位表"
        )
    kind = kinds.get(name)
    if kind is None:
        return RowError(
            sheet, row, column, f"{what}“{name}”不在单位表中;请在单位表中添加,或改成单位表中的名称"
        )
    if kind not in allowed:
        return RowError(sheet, row, column, f"“{name}”在单位表中是{kind},不是{what};请核对")
    return None


def _rows(
    reader, check: Callable, validated: Validated, progress: Progress | None, stage: str
) -> list:
    kept = []
    total = reader.row_count_estimate
    layout = layout_for(reader.spec.name, reader.positions)
    for count, (row, cells) in enumerate(reader.rows(), start=1):
        validated.seen[reader.spec.name] += 1
        parsed, errors = check(row, cells, layout)
        if parsed is not None:
            kept.append(parsed)
        else:
            validated.errors += errors
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(stage, count, total)
    reader.release()
    return kept


def workbook_validate(
    readers: dict, *, year: int, today: datetime.date, progress: Progress | None = None
) -> Validated:
    """Parse and check every row of every sheet; nothing is written here."""
    validated = Validated()
    errors = validated.errors
    units: list[UnitRow] = _rows(
        readers[SHEET_UNITS], unit_row_check, validated, progress, "检查单位表"
    )
    _units_resolve(units, errors)
    broken_rows = {e.row for e in errors if e.sheet == SHEET_UNITS}
    kinds = {u.name: u.kind for u in units if u.row not in broken_rows}
    broken = {u.name: u.row for u in units if u.row in broken_rows}
    # 学籍 first: its sheet is freed before the much longer 人口 sheet's rows accumulate.
    pupils: list[PupilRow] = []
    if SHEET_ROLLS in readers:
        pupils = _rows(
            readers[SHEET_ROLLS],
            lambda row, cells, layout: pupil_row_check(row, cells, layout, year=year, today=today),
            validated,
            progress,
            "检查学籍表",
        )
        for pupil in pupils:
            error = _unit_reference_errors(
                SHEET_ROLLS, "学校", pupil.row, pupil.school, SCHOOL_KINDS, kinds, broken, "学校"
            )
            if error:
                errors.append(error)
        errors += _duplicates_flag(
            pupils,
            lambda p: (p.school, p.id_number) if p.id_number else None,
            SHEET_ROLLS,
            "身份证号",
            lambda other: (
                f"同一学校第 {other} 行有相同身份证号的学生;"
                "一个学生在一所学校只登记一行,请删除重复行"
            ),
        )
        errors += _duplicates_flag(
            pupils,
            lambda p: (p.school, p.student_number) if p.student_number else None,
            SHEET_ROLLS,
            "学籍号",
            lambda other: f"同一学校第 {other} 行有相同的学籍号;请核对学籍号",
        )
    people: list[PersonRow] = []
    if SHEET_PEOPLE in readers:
        people = _rows(
            readers[SHEET_PEOPLE],
            lambda row, cells, layout: person_row_check(row, cells, layout, today=today),
            validated,
            progress,
            "检查人口表",
        )
        for person in people:
            error = _unit_reference_errors(
                SHEET_PEOPLE,
                "村/社区",
                person.row,
                person.village,
                VILLAGE_KINDS,
                kinds,
                broken,
                "村(社区)",
            )
            if error:
                errors.append(error)
        errors += _duplicates_flag(
            people,
            lambda p: p.id_number,
            SHEET_PEOPLE,
            "身份证号",
            lambda other: f"身份证号与第 {other} 行重复;同一人只能登记一行,请删除重复行或核对号码",
        )
        errors += _duplicates_flag(
            people,
            lambda p: (p.village, p.household, p.name, p.sex, p.birth_date),
            SHEET_PEOPLE,
            "姓名",
            lambda other: (
                f"同一户中第 {other} 行是姓名、性别、出生日期都相同的人;请删除重复行或核对"
            ),
        )
    errors.sort(key=lambda e: (SHEETS.index(e.sheet) if e.sheet in SHEETS else -1, e.row))
    bad = {(e.sheet, e.row) for e in errors}
    validated.units = [u for u in units if (SHEET_UNITS, u.row) not in bad]
    validated.people = [p for p in people if (SHEET_PEOPLE, p.row) not in bad]
    validated.pupils = [p for p in pupils if (SHEET_ROLLS, p.row) not in bad]
    _warnings_collect(validated)
    return validated


def _warnings_collect(validated: Validated) -> None:
    missing_proof = [
        p for p in validated.people if p.elsewhere_level and p.elsewhere_proof is not True
    ]
    for person in missing_proof[:WARNINGS_KEPT]:
        validated.warnings.append(
            f"人口表第 {person.row} 行 {person.name}({person.village}):"
            f"本在外就读({person.elsewhere_level}),"
            "但没有证明材料;请收集就读证明并把“在外就读证明”改为 有"
        )
    if len(missing_proof) > WARNINGS_KEPT:
        validated.warnings.append(
            f"……另有 {len(missing_proof) - WARNINGS_KEPT} 名本在外就读人员缺少证明材料"
        )
