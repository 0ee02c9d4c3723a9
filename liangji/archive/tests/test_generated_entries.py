"""Every entry the catalogue marks as generated has a generator registered by the app that owns
its data, and `archive generate` on a hand-built town files one document for each; the entries
whose data liangji does not hold are to be uploaded, saying why. A sampled person's evidence
chain shows their dropout cases and literacy records."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from liangji.accounts.testing import Cast
from liangji.archive.chain import person_chain
from liangji.archive.models import CatalogueEntry, Document, EntryLevel, EntrySource
from liangji.archive.registry import generators_for_entry
from liangji.archive.selectors import COMMAND_LINE, completeness, unit_subtree
from liangji.archive.services import archive_generate, unit_level_of
from liangji.archive.tests.conftest import People
from liangji.dropout.models import CaseStep, Notice
from liangji.dropout.services import case_open, case_step_advance
from liangji.inspection.services.self_checks import self_check_create
from liangji.literacy.models import Certificate
from liangji.literacy.testing import literacy_world_create
from liangji.registers import testing as b
from liangji.registers.choices import RollEventKind, RollStatus
from liangji.registers.models import Person

pytestmark = pytest.mark.django_db

# The school-level entries liangji cannot draw (no school service area, no graduation rate,
# literacy kept by village): to be uploaded.
NOT_HELD = ["Ⅰ-1", "Ⅰ-2", "Ⅱ-1", "Ⅱ-3", "Ⅲ-1", "Ⅴ-1", "Ⅵ-1", "Ⅵ-2", "Ⅶ-1", "Ⅶ-2"]


def _generated() -> list[CatalogueEntry]:
    return list(CatalogueEntry.objects.filter(level=EntryLevel.FILE, source=EntrySource.GENERATED))


def test_every_generated_entry_of_the_catalogue_has_a_generator_for_each_unit_level() -> None:
    uncovered = [
        (entry.code, level)
        for entry in _generated()
        for level in entry.unit_levels
        if not generators_for_entry(entry.code, level)
    ]
    assert uncovered == []
    assert sorted(e.code for e in _generated()) == sorted(
        ["A1-3", "A2-4", "A2-6", "A2-8", "B1-1", "B3-1", "B3-2", "B4-1", "B4-2",
         "Ⅱ-2", "Ⅱ-4", "Ⅳ-1", "Ⅳ-2", "Ⅳ-4"]
    )  # fmt: skip


POPULATION = "登记册按村（社区）登记人口，系统不掌握学校服务区的人口，这份材料请学校整理后上传"


def test_entries_liangji_holds_no_data_for_are_to_be_uploaded_with_the_reason(
    cast: Cast, client: Client
) -> None:
    entries = CatalogueEntry.objects.filter(code__in=NOT_HELD)
    assert {e.source for e in entries} == {EntrySource.UPLOADED}
    assert CatalogueEntry.objects.get(code="Ⅰ-1").description == POPULATION
    assert all(e.description for e in entries)
    client.force_login(cast.alice)
    page = client.get(reverse("archive:catalogue")).content.decode()
    assert page.count(POPULATION) == 7


def _town_with_work(cast: Cast, people: People) -> None:
    """青山镇 of the cast, school year 2024: the three children of 东村, rolls at 青山小学 (李小红
    studying, 张小明 transferred in from 广州, 王小刚 dropped out with a case at its return
    notice), a literacy class of 东村 with a certificate, and a self-check of every unit."""
    year = people.year
    b.pupil(cast.primary, who=people.xiaohong, grade=4, year=2024)
    moved_in = b.pupil(cast.primary, who=people.xiaoming, grade=5, year=2024)
    b.event(moved_in, RollEventKind.ENTERED, "2024-09-20", other_school="广州市天河小学")
    dropped = b.pupil(
        cast.junior, who=people.xiaogang, grade=7, year=2024,
        status=RollStatus.DROPPED_OUT, status_date="2024-10-10",
    )  # fmt: skip
    b.event(dropped, RollEventKind.DROPPED_OUT, "2024-10-10")
    case = case_open(
        school_year=year, source="manual", person=people.xiaogang.person, enrollment=dropped,
        opened_on=datetime.date(2024, 10, 11), village_person="李村长", school_person="王老师",
        user=cast.alice,
    )  # fmt: skip
    steps = [CaseStep.HOME_VISIT, CaseStep.PERSUASION, CaseStep.WRITTEN_REPORT,
             CaseStep.RETURN_NOTICE]  # fmt: skip
    for day, step in enumerate(steps, start=12):
        case_step_advance(
            case=case, to_step=step, date=datetime.date(2024, 10, day), actors="王老师",
            outcome="家长答应送回" if day == 12 else "", user=cast.alice,
        )  # fmt: skip
    literacy_world_create(village=cast.east, year=year, user=cast.alice)
    for unit in (cast.town, cast.east, cast.west, cast.primary, cast.junior):
        self_check_create(
            unit=unit, school_year=year, checked_on=datetime.date(2025, 3, 1), user=cast.alice
        )


@time_machine.travel(datetime.datetime(2025, 6, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_archive_generate_files_every_generated_entry_and_completeness_counts_them(
    cast: Cast, people: People
) -> None:
    _town_with_work(cast, people)
    before = completeness(user=cast.alice, unit=cast.town, school_year=people.year)
    to_generate = [line for line in before.missing if line.note == "系统生成：请点“生成档案”"]

    units = unit_subtree(COMMAND_LINE, cast.town)
    archive_generate(user=COMMAND_LINE, units=units, school_year=people.year)

    filed = {
        (d.entry.code, d.unit.name)
        for d in Document.objects.filter(current__isnull=False).select_related("entry", "unit")
    }
    expected = {
        (entry.code, unit.name)
        for entry in _generated()
        for unit in units
        if unit_level_of(unit) in entry.unit_levels
    }
    # Every unit of the town has each generated entry its level keeps, except those with
    # nothing to file: 督查通报 (no visit), 限期返校通知书 (the case is at its return notice), the
    # 扫盲对象花名册 of 西村 (no 扫盲对象). A roster or table with no line is a file all the same.
    assert expected - filed == {("A2-6", "青山镇"), ("B3-2", "青山镇"), ("B4-1", "西村")}
    after = completeness(user=cast.alice, unit=cast.town, school_year=people.year)
    assert after.entries_present == before.entries_present + len(to_generate)
    assert len(to_generate) == 18
    assert [line for line in after.missing if line.note.startswith("系统生成")] == []
    not_held = [(line.what, line.note) for line in after.missing if line.what.startswith("Ⅰ-1")]
    assert not_held == [("Ⅰ-1 0–17周岁人口统计表", f"待上传：{POPULATION}")] * 2  # 小学, 中学
    roll_changes = Document.objects.get(entry__code="Ⅳ-2", unit=cast.primary)
    assert roll_changes.current is not None
    assert roll_changes.current.figures == {
        "人数": {"青山小学": 1}, "学籍状态": {"在读": 1}
    }  # fmt: skip
    assert "张小明" in roll_changes.current.text and "李小红" not in roll_changes.current.text


@time_machine.travel(datetime.datetime(2025, 6, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_the_evidence_chain_shows_the_dropout_case_and_the_literacy_record(
    cast: Cast, people: People
) -> None:
    _town_with_work(cast, people)
    xiaogang = person_chain(user=cast.alice, person=people.xiaogang.person)
    notice = Notice.objects.get()
    CASE = f"/dropout/cases/{notice.case_id}/"
    [dropout] = [s for s in xiaogang.sections if s.title == "控辍保学个案"]
    assert [(line.date, line.text, line.url) for line in dropout.lines] == [
        ("2024-10-11", "2024—2025学年 立案：疑似辍学，原因：其他（现状：未销号）", CASE),
        ("2024-10-12", "家访：王老师，家长答应送回", CASE),
        ("2024-10-13", "联合劝返：王老师", CASE),
        ("2024-10-14", "书面报告：王老师", CASE),
        ("2024-10-15", "劝返回校通知书：王老师", CASE),
        ("2024-10-15", "劝返回校通知书 青山中〔2024〕1号（返校期限 2024-10-30）",
         f"/dropout/notices/{notice.pk}.pdf"),
    ]  # fmt: skip
    assert not [s for s in xiaogang.sections if s.title == "扫盲记录"]

    guilan = Person.objects.get(name="李桂兰")
    [literacy] = person_chain(user=cast.vera, person=guilan).sections
    assert literacy.title == "扫盲记录"
    texts = [(line.date, line.text) for line in literacy.lines]
    certificate = Certificate.objects.get(person=guilan)
    assert texts == [
        ("2024-10-08", "加入扫盲班 东村·东村扫盲班（开班中，计划 120 课时）"),
        ("2025-06-01", "识字测验（东村扫盲班）：识字 1600/1500，通过"),
        ("2025-06-02", f"脱盲证书 {certificate.number}（脱盲日期 2025-06-01）"),
    ]
    # 西村's cadre sees nothing of 东村's literacy class.
    assert person_chain(user=cast.wang, person=guilan).sections == []


def test_a_generated_entry_no_generator_makes_for_the_unit_is_asked_for_as_an_upload(
    cast: Cast, people: People
) -> None:
    # The office asks villages for 在校生花名册 too (a school roster: liangji draws it per school).
    CatalogueEntry.objects.filter(code="Ⅱ-2").update(unit_levels=["school", "village"])
    result = completeness(user=cast.vera, unit=cast.east, school_year=people.year)
    [line] = [line for line in result.missing if line.what.startswith("Ⅱ-2")]
    assert line.note == "待上传：系统中没有生成这份材料所需的数据，请整理后上传"
