"""A preview that deletes many records says so loudly and lists who goes."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from liangji.accounts.testing import cast_create
from liangji.imports.services import import_job_create, import_job_run, workbook_import
from liangji.imports.tests.workbooks import UNITS, Rows, workbook_write
from liangji.registers.models import PersonRecord

pytestmark = pytest.mark.django_db

# 东村 has 30 people, one household each: 村民01 … 村民30.
VILLAGERS: Rows = [
    {
        "村/社区": "东村",
        "户号": f"{n:03d}",
        "姓名": f"村民{n:02d}",
        "性别": "男" if n % 2 else "女",
        "出生日期": f"1980-01-{n:02d}",
        "人口类型": "户籍",
    }
    for n in range(1, 31)
]


def village_workbook(path: Path, people: Rows) -> Path:
    return workbook_write(path, {"单位": UNITS, "人口": people})


def test_a_file_holding_part_of_a_village_warns_before_it_deletes_the_rest(
    tmp_path: Path,
) -> None:
    assert workbook_import(
        path=village_workbook(tmp_path / "全村.xlsx", VILLAGERS), school_year=2024
    ).ok
    # The file of one household group only, read as the whole village.
    part = village_workbook(tmp_path / "一组.xlsx", VILLAGERS[:3])

    preview = workbook_import(path=part, school_year=2024, dry_run=True)

    assert preview.ok and preview.counts["人口"].removed == 27
    assert preview.removals.alert.startswith("注意：本次导入将删除 27 条人口记录（原有 30 条）")
    assert preview.removals.per_unit == {"东村": 27}
    assert preview.removals.lines[:2] == [
        "人口记录 村民04（东村 004户）",
        "人口记录 村民05（东村 005户）",
    ]
    assert len(preview.removals.lines) == 27
    summary = preview.summary_lines()
    assert summary[1].startswith("!!! 注意：本次导入将删除 27 条人口记录")
    assert "  人口记录 村民04（东村 004户）" in summary
    assert PersonRecord.objects.count() == 30


def test_a_few_removals_are_listed_without_alarm(tmp_path: Path) -> None:
    assert workbook_import(
        path=village_workbook(tmp_path / "全村.xlsx", VILLAGERS), school_year=2024
    ).ok
    without_one = village_workbook(tmp_path / "少一人.xlsx", VILLAGERS[1:])

    preview = workbook_import(path=without_one, school_year=2024, dry_run=True)

    assert preview.removals.alert == ""
    assert preview.removals.lines == ["人口记录 村民01（东村 001户）"]


def test_the_preview_page_shows_the_alert_and_who_goes(tmp_path: Path) -> None:
    cast = cast_create()
    assert workbook_import(
        path=village_workbook(tmp_path / "全村.xlsx", VILLAGERS), school_year=2024
    ).ok
    job = import_job_create(
        upload=village_workbook(tmp_path / "一组.xlsx", VILLAGERS[:3]),
        school_year=2024,
        user=cast.alice,
    )
    import_job_run(job, confirm=False)
    client = Client()
    client.force_login(cast.alice)

    page = client.get(f"/imports/{job.pk}/").content.decode()

    assert 'id="removal-alert"' in page and "本次导入将删除 27 条人口记录" in page
    assert "将删除（文件中没有）的记录" in page and "村民30（东村 030户）" in page
