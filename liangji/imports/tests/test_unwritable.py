"""When a file cannot be written the import still says everything it found."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import PEOPLE, town_workbook
from liangji.registers.models import PersonRecord

pytestmark = pytest.mark.django_db


def workbook_with_a_bad_row(tmp_path: Path) -> Path:
    """The 人口 sheet with 张小妹's sex as "?"; where its report goes a folder sits instead
    (Windows refuses the same way while the old report is open in Excel)."""
    people = [dict(row) for row in PEOPLE]
    people[1]["性别"] = "?"
    path = town_workbook(tmp_path / "青山镇.xlsx", 人口=people)
    (tmp_path / "青山镇.errors.xlsx").mkdir()
    return path


def test_an_unwritable_error_report_still_shows_the_errors_and_why(tmp_path: Path) -> None:
    result = workbook_import(path=workbook_with_a_bad_row(tmp_path), school_year=2023)

    assert result.rejected and result.error_report is None
    lines = "\n".join(result.summary_lines())
    assert "人口表第 3 行“性别”列" in lines
    assert f"错误报告无法写入 {tmp_path / '青山镇.errors.xlsx'}（同名的是一个文件夹）" in lines
    assert result.as_json()["error_report_problem"].startswith("错误报告无法写入")
    assert not PersonRecord.objects.exists()


def test_skip_invalid_imports_the_valid_rows_when_the_report_cannot_be_written(
    tmp_path: Path,
) -> None:
    result = workbook_import(
        path=workbook_with_a_bad_row(tmp_path), school_year=2023, skip_invalid=True
    )

    assert result.ok and result.skipped_rows == 1
    assert "错误报告无法写入" in "\n".join(result.summary_lines())
    assert sorted(PersonRecord.objects.values_list("person__name", flat=True)) == [
        "张三",
        "李四",
        "王五",
    ]


def test_a_data_directory_that_cannot_be_written_is_named_in_words(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    data_dir = blocker / "liangji"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LIANGJI_DATA_DIR"] = str(data_dir)

    done = subprocess.run(
        [sys.executable, "-m", "liangji", "import", "x.xlsx", "--school-year", "2024"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 2
    assert f"数据目录 {data_dir} 无法写入（路径中有一段不是目录）" in done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
