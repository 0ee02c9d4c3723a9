"""Re-importing a workbook never silently reverts what a user saved in the application since the
last import: such records are kept and listed as conflicts, unless the user chooses the file."""

from __future__ import annotations

import datetime
import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from python_calamine import CalamineWorkbook

from liangji.accounts.testing import cast_create
from liangji.imports.conflicts import OVERWRITE_ALL
from liangji.imports.services import import_job_create, import_job_run, workbook_import
from liangji.imports.tests.workbooks import PEOPLE, PUPILS, town_workbook
from liangji.registers.choices import RollEventKind, RollStatus
from liangji.registers.models import Enrollment, PersonRecord
from liangji.registers.services import enrollment_record_event, person_record_death

pytestmark = pytest.mark.django_db

DIED = datetime.date(2024, 9, 30)
ROLL_2024 = [PUPILS[0]]  # 张三 at 青山小学, 在读


@pytest.fixture(autouse=True)
def october_2024() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2024, 10, 15, 9, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def september(tmp_path: Path) -> Path:
    """The September workbook of 青山镇, imported once for 2024."""
    path = town_workbook(tmp_path / "九月.xlsx", 学籍=ROLL_2024)
    assert workbook_import(path=path, school_year=2024).ok
    return path


def zhang_san() -> PersonRecord:
    return PersonRecord.objects.get(person__name="张三", school_year__year=2024)


def death_recorded_in_the_browser() -> None:
    record = zhang_san()
    person_record_death(record=record, died_on=DIED, expected_version=record.version, user=None)


def test_a_death_recorded_in_the_application_survives_a_reimport(september: Path) -> None:
    death_recorded_in_the_browser()

    result = workbook_import(path=september, school_year=2024)

    assert result.ok
    assert zhang_san().died_on == DIED
    assert result.counts["人口"].kept == 1 and result.counts["人口"].updated == 0
    [conflict] = result.conflicts
    assert (conflict.sheet, conflict.row) == ("人口", 2)
    assert conflict.who == "张三（东村）"
    assert "在系统中修改过（2024-10-15 17:00）" in conflict.what
    assert "死亡日期 系统为 2024-09-30，文件为 空" in conflict.what
    summary = "\n".join(result.summary_lines())
    assert "人口记录：新增 0，修改 0，无变化 3，删除 0，保留系统中的修改 1" in summary
    assert "冲突 1 处" in summary and "人口表第 2 行 张三（东村）" in summary
    assert "--overwrite-edits" in summary


def test_the_conflicts_are_in_the_report_and_the_preview(september: Path) -> None:
    death_recorded_in_the_browser()

    preview = workbook_import(path=september, school_year=2024, dry_run=True)

    assert preview.as_json()["conflict_count"] == 1
    assert preview.as_json()["conflicts"][0]["who"] == "张三（东村）"
    assert "导入时将保留系统中的内容" in "\n".join(preview.summary_lines())
    assert preview.error_report is not None
    sheet = CalamineWorkbook.from_path(str(preview.error_report)).get_sheet_by_name("冲突")
    rows = sheet.to_python()
    assert rows[1][:3] == ["人口", "2", "张三（东村）"]
    assert "死亡日期 系统为 2024-09-30" in str(rows[1][3])


def test_overwrite_edits_puts_the_file_back_and_clears_the_mark(september: Path) -> None:
    death_recorded_in_the_browser()

    result = workbook_import(path=september, school_year=2024, overwrite=OVERWRITE_ALL)

    record = zhang_san()
    assert record.died_on is None and record.edited_at is None
    assert result.counts["人口"].updated == 1
    assert "已被文件覆盖" in "\n".join(result.summary_lines())
    # The mark is gone: the next import of the same file changes nothing and lists nothing.
    again = workbook_import(path=september, school_year=2024)
    assert not again.changed and again.conflicts == []


def test_an_edited_record_missing_from_the_file_is_kept(september: Path, tmp_path: Path) -> None:
    death_recorded_in_the_browser()
    without_zhang_san = town_workbook(tmp_path / "十月.xlsx", 人口=PEOPLE[1:], 学籍=ROLL_2024)

    result = workbook_import(path=without_zhang_san, school_year=2024)

    assert zhang_san().died_on == DIED
    [conflict] = result.conflicts
    assert conflict.row == 0 and "导入会删除这条人口记录" in conflict.what
    assert result.counts["人口"].removed == 0 and result.counts["人口"].kept == 1


def test_a_dropout_recorded_by_the_case_work_survives_a_reimport(september: Path) -> None:
    roll = Enrollment.objects.get(name="张三")
    enrollment_record_event(
        enrollment=roll, kind=RollEventKind.DROPPED_OUT, date=datetime.date(2024, 10, 8), user=None
    )

    result = workbook_import(path=september, school_year=2024)

    roll.refresh_from_db()
    assert (roll.status, roll.status_date) == (RollStatus.DROPPED_OUT, datetime.date(2024, 10, 8))
    [conflict] = result.conflicts
    assert (conflict.sheet, conflict.row, conflict.who) == ("学籍", 2, "张三（青山小学）")
    assert "学籍状态 系统为 辍学，文件为 在读" in conflict.what


def test_the_command_keeps_edits_unless_told_to_overwrite(september: Path) -> None:
    death_recorded_in_the_browser()

    out = io.StringIO()
    call_command("import", str(september), "--school-year", "2024", stdout=out)
    assert "冲突 1 处" in out.getvalue()
    assert zhang_san().died_on == DIED

    out = io.StringIO()
    call_command("import", str(september), "--school-year", "2024", "--overwrite-edits", stdout=out)
    assert "已被文件覆盖" in out.getvalue()
    assert zhang_san().died_on is None


@pytest.mark.django_db(transaction=True)
def test_the_preview_page_lists_the_conflicts_and_the_user_may_choose_the_file(
    tmp_path: Path,
) -> None:
    cast = cast_create()
    path = town_workbook(tmp_path / "九月.xlsx", 学籍=ROLL_2024)
    assert workbook_import(path=path, school_year=2024).ok
    death_recorded_in_the_browser()
    job = import_job_create(upload=path, school_year=2024, user=cast.alice)
    import_job_run(job, confirm=False)
    client = Client()
    client.force_login(cast.alice)

    page = client.get(f"/imports/{job.pk}/progress/").content.decode()

    assert "冲突 1 处" in page and "张三（东村）" in page
    assert "死亡日期 系统为 2024-09-30，文件为 空" in page
    assert "导入时将保留系统中的内容" in page
    assert page.count('name="overwrite"') == 1
    assert 'name="overwrite_edits"' in page  # 全选: every conflict, listed or not
    assert zhang_san().died_on == DIED

    client.post(f"/imports/{job.pk}/confirm/", {"overwrite_edits": "on"})
    job.refresh_from_db()
    deadline = time.monotonic() + 120
    while job.state not in {"完成", "已拒绝", "失败"} and time.monotonic() < deadline:
        time.sleep(0.5)
        job.refresh_from_db()

    assert job.state == "完成", job.message
    assert job.overwrite_edits
    assert zhang_san().died_on is None
    assert "已被文件覆盖" in client.get(f"/imports/{job.pk}/").content.decode()
