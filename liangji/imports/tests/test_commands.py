"""The console commands `import`, `template` and `import-job`, and the background job services."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from liangji.imports.models import ImportJob, ImportJobState
from liangji.imports.services import (
    import_job_check_alive,
    import_job_create,
    import_job_start,
    workbook_import,
)
from liangji.imports.tests.workbooks import PEOPLE, PUPILS, UNITS, town_workbook, workbook_write
from liangji.registers.models import Enrollment, Person, PersonRecord

pytestmark = pytest.mark.django_db


def liangji(*arguments: str) -> tuple[int, str, str]:
    """Run a command as `liangji` would: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*arguments, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_import_prints_the_summary(tmp_path: Path) -> None:
    code, out, _ = liangji(
        "import", str(town_workbook(tmp_path / "青山镇.xlsx")), "--school-year", "2023"
    )

    assert code == 0
    assert "导入完成" in out and "人口记录：新增 4" in out
    assert "东村 2" in out and "青山小学 2" in out
    assert "警告 1 条" in out


def test_a_rejected_file_exits_non_zero_without_a_traceback(tmp_path: Path) -> None:
    people = [dict(PEOPLE[0], 性别="?")]
    path = town_workbook(tmp_path / "bad.xlsx", 人口=people)

    code, _, err = liangji("import", str(path), "--school-year", "2023")

    assert code == 1
    assert "文件被拒绝" in err and "人口表第 2 行“性别”列" in err
    assert "Traceback" not in err
    assert (tmp_path / "bad.errors.xlsx").exists()
    assert not Person.objects.exists()


def test_skip_invalid_exits_zero_and_says_how_many_rows_were_skipped(tmp_path: Path) -> None:
    people = [*PEOPLE, dict(PEOPLE[0], 姓名="", 身份证号="")]
    path = town_workbook(tmp_path / "partly.xlsx", 人口=people)

    code, out, _ = liangji("import", str(path), "--school-year", "2023", "--skip-invalid")

    assert code == 0
    assert "跳过了 1 个有错误的行" in out
    assert PersonRecord.objects.count() == 4


@pytest.mark.parametrize("name", ["nowhere.xlsx", "notes.txt"])
def test_a_missing_or_wrong_file_is_a_message(tmp_path: Path, name: str) -> None:
    if name.endswith(".txt"):
        (tmp_path / name).write_text("hello", encoding="utf-8")

    code, _, err = liangji("import", str(tmp_path / name), "--school-year", "2023")

    assert code == 1 and "Traceback" not in err
    assert "找不到文件" in err or "不是 .xlsx" in err


def test_the_template_has_every_sheet_required_marks_and_instructions(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    call_command("template", str(path))

    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names == ["单位", "人口", "学籍", "扫盲", "说明"]
    people_header = workbook.get_sheet_by_name("人口").to_python()[0]
    assert people_header[:5] == ["村/社区*", "户号*", "姓名*", "性别*", "出生日期*"]
    assert "身份证号" in people_header  # optional: no mark
    help_text = str(workbook.get_sheet_by_name("说明").to_python())
    assert "2009年3月15日" in help_text and "初一…初三" in help_text and "出生年月" in help_text


def test_the_untouched_template_says_it_has_no_data_rows(tmp_path: Path) -> None:
    path = tmp_path / "导入模板.xlsx"
    call_command("template", str(path))

    result = workbook_import(path=path, school_year=2023)

    assert result.rejected and "没有数据行" in result.errors[0].message


def test_the_template_round_trip(tmp_path: Path) -> None:
    """Rows typed under the template's own headers (with their * marks) import."""
    template = tmp_path / "导入模板.xlsx"
    call_command("template", str(template))
    workbook = CalamineWorkbook.from_path(str(template))
    headers: dict[str, list[str]] = {
        name: [str(h) for h in workbook.get_sheet_by_name(name).to_python()[0]]
        for name in ("单位", "人口", "学籍")
    }

    def marked(rows: list[dict], sheet: str) -> list[dict]:
        plain = {h.rstrip("*"): h for h in headers[sheet]}
        return [{plain[k]: v for k, v in row.items()} for row in rows]

    filled = workbook_write(
        tmp_path / "filled.xlsx",
        {
            "单位": marked(UNITS, "单位"),
            "人口": marked(PEOPLE, "人口"),
            "学籍": marked(PUPILS, "学籍"),
        },
        headers=headers,
    )

    result = workbook_import(path=filled, school_year=2023)

    assert result.ok, [e.line() for e in result.errors]
    assert PersonRecord.objects.count() == 4 and Enrollment.objects.count() == 3


def test_an_import_job_checks_first_then_imports_when_confirmed(tmp_path: Path) -> None:
    job = import_job_create(
        upload=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023, user=None
    )
    assert job.state == ImportJobState.QUEUED
    assert Path(job.file_path).parent.name == "uploads" and Path(job.file_path).exists()

    call_command("import-job", str(job.pk))
    job.refresh_from_db()
    assert job.state == ImportJobState.AWAITING_CONFIRMATION
    assert job.result is not None
    assert job.result["dry_run"] and job.result["counts"]["人口"]["created"] == 4
    assert not Person.objects.exists()

    call_command("import-job", str(job.pk), "--confirm")
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE and job.finished_at is not None
    assert job.result is not None
    assert job.result["counts"]["人口"]["created"] == 4
    assert PersonRecord.objects.count() == 4


def test_an_uploaded_file_with_errors_ends_rejected_with_its_report(tmp_path: Path) -> None:
    bad = town_workbook(tmp_path / "bad.xlsx", 人口=[dict(PEOPLE[0], 性别="?")])
    upload = SimpleUploadedFile("青山镇.xlsx", bad.read_bytes())
    job = import_job_create(upload=upload, school_year=2023, user=None)

    call_command("import-job", str(job.pk))

    job.refresh_from_db()
    assert job.state == ImportJobState.REJECTED and job.original_name == "青山镇.xlsx"
    assert job.result is not None
    assert job.result["error_count"] == 1
    assert job.result["errors"][0] == {
        "sheet": "人口",
        "row": 2,
        "column": "性别",
        "message": "性别“?”不是可用的值；请填写 男、女 之一",
    }
    assert Path(job.error_report).exists()


def test_an_unknown_job_is_a_message() -> None:
    with pytest.raises(CommandError, match="没有编号为 999 的导入任务"):
        call_command("import-job", "999")
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_started_job_runs_in_its_own_process(tmp_path: Path) -> None:
    job = import_job_create(
        upload=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023, user=None
    )

    process = import_job_start(job, confirm=False)
    assert process.wait(timeout=180) == 0

    job.refresh_from_db()
    assert job.state == ImportJobState.AWAITING_CONFIRMATION, job.message
    process = import_job_start(job, confirm=True)
    assert process.wait(timeout=180) == 0
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE
    assert PersonRecord.objects.count() == 4


@pytest.mark.django_db
def test_a_job_whose_process_died_is_failed_not_busy_forever(tmp_path: Path) -> None:
    dead_pid = _exited_pid()
    job = ImportJob.objects.create(
        file_path=str(tmp_path / "x.xlsx"),
        school_year=2024,
        state=ImportJobState.IMPORTING,
        worker_pid=dead_pid,
    )
    job = import_job_check_alive(job)
    assert job.state == ImportJobState.FAILED
    assert "没有写入任何数据" in job.message


@pytest.mark.django_db
def test_a_job_whose_process_runs_stays_running(tmp_path: Path) -> None:
    job = ImportJob.objects.create(
        file_path=str(tmp_path / "x.xlsx"),
        school_year=2024,
        state=ImportJobState.CHECKING,
        worker_pid=os.getpid(),
    )
    assert import_job_check_alive(job).state == ImportJobState.CHECKING


@pytest.mark.django_db
def test_a_job_whose_process_exited_unreaped_is_failed(tmp_path: Path) -> None:
    # The web worker started the import and has not reaped it yet: a zombie is not running.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE:
        assert time.monotonic() < deadline, "the child never exited"
        time.sleep(0.05)
    job = ImportJob.objects.create(
        file_path=str(tmp_path / "x.xlsx"),
        school_year=2024,
        state=ImportJobState.IMPORTING,
        worker_pid=child.pid,
    )
    assert import_job_check_alive(job).state == ImportJobState.FAILED
    child.wait()


def _exited_pid() -> int:
    """The pid of a child that has exited and been reaped (free again, or unused)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
