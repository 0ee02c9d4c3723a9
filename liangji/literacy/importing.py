"""The 扫盲 sheet of the canonical workbook: learners, classes, tests, certificates and re-tests
an office already keeps in Excel (issue 13, item 9).

The import reads the sheet's cells (imports.extra_sheets); this module says what a row means
and writes it through the literacy services, so every write is audited, the locks and the
ledger's rules hold, and a pass or a relapse moves the register's level like one recorded on
the pages. A row already in the database is left as it is: a re-import changes nothing.

What a row cannot say, the import decides and the 说明 sheet states: a class found only in
the sheet opens on its earliest 入班日期 with DEFAULT_PLANNED_HOURS planned hours; 是否脱盲 stands
for the three skills together （是： reading, accounts and writing passed); a certificate is
issued on the test date; a re-test records the test's character count （巩固） or none （复盲）.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from liangji.imports.columns import SHEET_LITERACY
from liangji.imports.extra_sheets import SheetOutcome, sheet_handler_register
from liangji.imports.parsing import (
    CellError,
    bool_parse,
    date_parse,
    id_number_parse,
    sex_parse,
    text_clean,
)
from liangji.imports.rows import Layout, RowCheck, RowError
from liangji.literacy.models import Certificate, ClassMember, LiteracyClass, Retest, TestResult
from liangji.literacy.services import (
    LiteracyError,
    ResultInput,
    certificate_issue,
    class_members_add,
    class_open,
    literacy_test_record,
    retest_record,
)
from liangji.registers.choices import VILLAGE_KINDS
from liangji.registers.models import PersonRecord, SchoolYear, Unit

DEFAULT_PLANNED_HOURS = 120
SHEET = SHEET_LITERACY


def _count_parse(raw: object) -> int:
    text = text_clean(raw)
    if not text.isdigit():
        raise CellError(f"识字数“{text}”不是整数；请填写认识的字数，例如 1520")
    return int(text)


def _retest_parse(raw: object) -> bool:
    text = text_clean(raw)
    if text in ("巩固", "通过", "合格"):
        return True
    if text in ("复盲", "未通过", "不合格"):
        return False
    raise CellError(f"复查结果“{text}”无法识别；请填写 巩固 或 复盲")


TEXT = None
CELLS: dict[str, tuple[Callable[[object], Any] | None, bool, int]] = {
    "村/社区": (TEXT, True, 100),
    "姓名": (TEXT, True, 50),
    "身份证号": (id_number_parse, False, 0),
    "出生日期": (date_parse, False, 0),
    "性别": (sex_parse, False, 0),
    "扫盲班": (TEXT, True, 100),
    "入班日期": (date_parse, True, 0),
    "测验日期": (date_parse, False, 0),
    "识字数": (_count_parse, False, 0),
    "是否脱盲": (bool_parse, False, 0),
    "证书编号": (TEXT, False, 60),
    "复查日期": (date_parse, False, 0),
    "复查结果": (_retest_parse, False, 0),
}


@dataclass(frozen=True)
class LearnerRow:
    row: int
    village: str
    name: str
    id_number: str | None
    birth_date: datetime.date | None
    sex: str | None
    class_name: str
    joined_on: datetime.date
    tested_on: datetime.date | None
    characters: int | None
    passed: bool | None
    certificate: str
    retested_on: datetime.date | None
    kept: bool | None

    @property
    def who(self) -> tuple[object, ...]:
        return (self.village, self.id_number) if self.id_number else (
            self.village, self.name, self.sex, self.birth_date,
        )  # fmt: skip


def _row_check(row: int, cells: list[Any], layout: Layout) -> tuple[LearnerRow | None, list]:
    check = RowCheck(SHEET, row, cells, layout)
    get = check.values.get
    sex, birth = get("性别"), get("出生日期")
    id_number: str | None = None
    decoded = get("身份证号")
    if decoded is not None:
        id_number, id_birth, id_sex = decoded
        if birth is not None and id_birth != birth:
            check.fail(
                "身份证号",
                f"身份证号中的出生日期 {id_birth} 与“出生日期”列的 {birth} 不一致；请核对",
            )
        if sex is not None and id_sex != sex:
            check.fail("身份证号", f"身份证号表示性别为{id_sex}，与“性别”列的{sex}不一致；请核对")
    elif "身份证号" not in {e.column for e in check.errors} and (sex is None or birth is None):
        check.fail("身份证号", "没有身份证号时须填写出生日期和性别，以便在人口表中找到此人；请补填")
    unreadable = {e.column for e in check.errors}  # already named: not "missing" as well
    joined, tested, retested = get("入班日期"), get("测验日期"), get("复查日期")
    characters, passed, kept = get("识字数"), get("是否脱盲"), get("复查结果")
    if tested is None and (characters is not None or passed is not None):
        check.fail(
            "测验日期", "填了识字数或是否脱盲，却没有测验日期；请补填测验日期，或清空测验结果"
        )
    if tested is not None:
        if characters is None and "识字数" not in unreadable:
            check.fail("识字数", "有测验日期时须填写识字数；请补填")
        if passed is None and "是否脱盲" not in unreadable:
            check.fail("是否脱盲", "有测验日期时须填写是否脱盲（是 或 否）；请补填")
        if joined is not None and tested < joined:
            check.fail("测验日期", f"测验日期 {tested} 早于入班日期 {joined}；请核对这两个日期")
    if check.text("证书编号") and passed is not True:
        check.fail("证书编号", "只有是否脱盲为“是”的学员才有证书编号；请核对是否脱盲或清空证书编号")
    if (retested is None) != (kept is None):
        column = "复查结果" if kept is None else "复查日期"
        check.fail(column, "复查日期和复查结果须同时填写；请补填或都清空")
    if retested is not None and passed is not True:
        check.fail("复查日期", "只有已脱盲（是否脱盲为“是”）的学员才复查；请核对")
    if check.errors or joined is None:
        return None, check.errors
    return LearnerRow(
        row=row,
        village=check.text("村/社区"),
        name=check.text("姓名"),
        id_number=id_number,
        birth_date=birth,
        sex=sex,
        class_name=check.text("扫盲班"),
        joined_on=joined,
        tested_on=tested,
        characters=characters,
        passed=passed,
        certificate=check.text("证书编号"),
        retested_on=retested,
        kept=kept,
    ), []


class LiteracySheet:
    """The handler the import calls for the 扫盲 sheet (registered in LiteracyConfig.ready)."""

    sheet = SHEET

    def check(
        self, rows: Iterator[tuple[int, list[Any]]], positions: dict[str, int], *, year: int
    ) -> tuple[list[LearnerRow], list[RowError]]:
        layout: Layout = [
            (column, positions[column], parser, required, limit)
            for column, (parser, required, limit) in CELLS.items()
            if column in positions
        ]
        kept: list[LearnerRow] = []
        errors: list[RowError] = []
        for number, cells in rows:
            parsed, found = _row_check(number, cells, layout)
            errors += found
            if parsed is not None:
                kept.append(parsed)
        first: dict[tuple[object, ...], int] = {}
        for learner in kept:
            if learner.who in first:
                message = (
                    f"与第 {first[learner.who]} 行是同一个学员；"
                    "每个学员只写一行（最近的班和结果），请删除重复行"
                )
                errors.append(RowError(SHEET, learner.row, "姓名", message))
            else:
                first[learner.who] = learner.row
        bad = {e.row for e in errors}
        return [r for r in kept if r.row not in bad], errors

    def apply(
        self, rows: list[LearnerRow], *, school_year: Any, units: dict[str, int], user: Any
    ) -> SheetOutcome:
        return _Writer(rows, school_year, units, user).run()


class _Writer:
    """Writes the rows in the order the work happens: classes, learners, tests, certificates,
    re-tests. A row that fails a step is an error and skips the later steps."""

    def __init__(
        self, rows: list[LearnerRow], year: SchoolYear, units: dict[str, int], user: Any
    ) -> None:
        self.rows, self.year, self.user = rows, year, user
        self.outcome = SheetOutcome()
        self.failed: set[int] = set()
        ids = {units[r.village] for r in rows if r.village in units}
        self.villages = {
            u.name: u
            for u in Unit.objects.filter(pk__in=ids, kind__in=VILLAGE_KINDS).select_related(
                "parent"
            )
        }
        self.counts: dict[str, int] = defaultdict(int)

    def fail(self, row: LearnerRow, column: str, message: str) -> None:
        self.failed.add(row.row)
        self.outcome.errors.append(RowError(SHEET, row.row, column, message))

    def live(self) -> list[LearnerRow]:
        return [r for r in self.rows if r.row not in self.failed]

    def run(self) -> SheetOutcome:
        people = self._people()
        certificates = self._existing_certificates(people)
        fresh = [r for r in self.live() if r.row not in certificates]
        members = self._members(fresh, people)
        results = self._tests(fresh, members)
        for row, result in results.items():
            if row.passed and not hasattr(result, "certificate"):
                try:
                    certificates[row.row] = certificate_issue(
                        result=result, issued_on=result.test.date, user=self.user,
                        number=row.certificate,
                    )  # fmt: skip
                    self.counts["证书"] += 1
                except LiteracyError as error:
                    self.fail(row, "证书编号", str(error))
            elif row.passed:
                certificates[row.row] = result.certificate
        self._retests(certificates)
        if self.counts:
            self.outcome.changed = True
            self.outcome.notes.append(
                "扫盲表：" + "，".join(f"新增{what} {n}" for what, n in self.counts.items())
            )
        else:
            self.outcome.notes.append(f"扫盲表：{len(self.rows)} 行，无变化")
        return self.outcome

    def _people(self) -> dict[int, PersonRecord]:
        """Each row's person: the record of this school year in the row's village."""
        found: dict[int, PersonRecord] = {}
        village_ids = [v.pk for v in self.villages.values()]
        records = list(
            PersonRecord.objects.filter(
                school_year=self.year,
                village_id__in=village_ids,
                person__name__in={r.name for r in self.rows},
            ).select_related("person", "village")
        )
        for row in self.rows:
            village = self.villages.get(row.village)
            if village is None:
                self.fail(
                    row, "村/社区", f"“{row.village}”不是单位表中的村（社区）；请改成单位表中的名称"
                )
                continue
            matches = [
                r for r in records
                if r.village_id == village.pk and r.person.name == row.name and (
                    r.person.id_number == row.id_number if row.id_number
                    else (r.person.sex, r.person.birth_date) == (row.sex, row.birth_date)
                )
            ]  # fmt: skip
            if len(matches) != 1:
                self.fail(
                    row,
                    "姓名",
                    f"在{row.village}本学年的人口中"
                    + ("找不到" if not matches else "有不止一个")
                    + f"“{row.name}”"
                    + ("（按身份证号）" if row.id_number else "（按姓名、性别、出生日期）")
                    + "；请先在人口表中登记此人，或核对姓名、身份证号",
                )
                continue
            found[row.row] = matches[0]
        return found

    def _existing_certificates(self, people: dict[int, PersonRecord]) -> dict[int, Certificate]:
        """Rows whose certificate is already in the system: their class and test are done
        (this year's or an earlier year's); only a re-test may be new."""
        found: dict[int, Certificate] = {}
        for row in self.live():
            record = people[row.row]
            town = self.villages[row.village].parent
            query = Q(result__member__klass__name=row.class_name, person=record.person)
            if row.certificate:
                query = Q(number=row.certificate)
            certificate = (
                Certificate.objects.filter(query, town=town).select_related("person").first()
            )
            if certificate is None:
                continue
            if certificate.person_id != record.person_id:
                self.fail(
                    row,
                    "证书编号",
                    f"证书 {row.certificate} 已发给{certificate.person.name}；请核对证书编号",
                )
                continue
            found[row.row] = certificate
        return found

    def _members(
        self, rows: list[LearnerRow], people: dict[int, PersonRecord]
    ) -> dict[int, ClassMember]:
        year = self.year
        classes: dict[tuple[str, str], LiteracyClass] = {
            (k.village.name, k.name): k
            for k in LiteracyClass.objects.filter(
                school_year=year, village__in=list(self.villages.values())
            ).select_related("village", "town", "school_year")
        }
        for row in rows:
            if not year.first_day <= row.joined_on <= year.last_day:
                self.fail(row, "入班日期", f"入班日期 {row.joined_on} 不在 {year} 之内；"
                          "往年的班请在该学年的工作簿中导入")  # fmt: skip
        opening: dict[tuple[str, str], datetime.date] = {}
        for row in rows:
            key = (row.village, row.class_name)
            if row.row not in self.failed and key not in classes:
                opening[key] = min(opening.get(key, row.joined_on), row.joined_on)
        for (village, name), opened_on in opening.items():
            try:
                classes[(village, name)] = class_open(
                    school_year=year, village=self.villages[village], name=name,
                    planned_hours=DEFAULT_PLANNED_HOURS, opened_on=opened_on, user=self.user,
                )  # fmt: skip
                self.counts["扫盲班"] += 1
            except LiteracyError as error:
                for row in rows:
                    if (row.village, row.class_name) == (village, name):
                        self.fail(row, "扫盲班", str(error))
        live = [r for r in rows if r.row not in self.failed]
        existing = {
            (m.klass_id, m.person_id): m
            for m in ClassMember.objects.filter(
                klass__in=list(classes.values()),
                person_id__in=[people[r.row].person_id for r in live],
            )
        }
        members: dict[int, ClassMember] = {}
        for row in live:
            klass, person = classes[(row.village, row.class_name)], people[row.row].person
            member = existing.get((klass.pk, person.pk))
            if member is None:
                try:
                    member = class_members_add(
                        klass=klass, persons=[person], joined_on=row.joined_on, user=self.user
                    )[0]
                    self.counts["学员"] += 1
                except LiteracyError as error:
                    self.fail(row, "姓名", f"{error}请核对人口表中此人的文化程度和年龄。")
                    continue
            member.klass = klass
            members[row.row] = member
        return members

    def _tests(
        self, rows: list[LearnerRow], members: dict[int, ClassMember]
    ) -> dict[LearnerRow, TestResult]:
        tested = [r for r in rows if r.row in members and r.tested_on is not None]
        done = {
            (res.member_id, res.test.date): res
            for res in TestResult.objects.filter(
                member__in=[members[r.row] for r in tested]
            ).select_related("test", "certificate")
        }
        results: dict[LearnerRow, TestResult] = {}
        new: dict[tuple[int, datetime.date], list[LearnerRow]] = defaultdict(list)
        for row in tested:
            member = members[row.row]
            assert row.tested_on is not None
            found = done.get((member.pk, row.tested_on))
            if found is not None:
                results[row] = found
            else:
                new[(member.klass_id, row.tested_on)].append(row)
        for (_, date), group in new.items():
            klass = members[group[0].row].klass
            inputs = [
                ResultInput(members[r.row], r.characters or 0, bool(r.passed), bool(r.passed),
                            bool(r.passed))
                for r in group
            ]  # fmt: skip
            try:
                test = literacy_test_record(klass=klass, date=date, results=inputs, user=self.user)
            except LiteracyError as error:
                for row in group:
                    self.fail(row, "测验日期", str(error))
                continue
            self.counts["测验成绩"] += len(group)
            by_member = {res.member_id: res for res in test.results.select_related("test")}
            for row in group:
                result = by_member[members[row.row].pk]
                if result.passed != row.passed:
                    message = (
                        f"识字数 {row.characters} 低于标准 {result.standard} 字，"
                        "却填了是否脱盲为“是”；请核对识字数或是否脱盲"
                    )
                    self.fail(row, "识字数", message)
                    continue
                results[row] = result
        return results

    def _retests(self, certificates: dict[int, Certificate]) -> None:
        retested = set(
            Retest.objects.filter(certificate__in=list(certificates.values())).values_list(
                "certificate_id", flat=True
            )
        )
        for row in self.live():
            certificate = certificates.get(row.row)
            if row.retested_on is None or certificate is None or certificate.pk in retested:
                continue
            characters = certificate.result.characters_known if row.kept else 0
            try:
                retest_record(
                    certificate=certificate, date=row.retested_on, characters_known=characters,
                    reading=bool(row.kept), accounts=bool(row.kept), writing=bool(row.kept),
                    user=self.user,
                )  # fmt: skip
                self.counts["复查"] += 1
            except LiteracyError as error:
                self.fail(row, "复查日期", str(error))


def handler_register() -> None:
    sheet_handler_register(LiteracySheet())
