"""A corrected roll that drops a pupil who has a 控辍保学 case: the preview already says the
import cannot delete that roll row, names the case and says how to go on; nothing is written."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from liangji.dropout.services import case_open
from liangji.imports.services import workbook_import
from liangji.imports.tests.workbooks import PUPILS, town_workbook
from liangji.registers.models import Enrollment, SchoolYear

pytestmark = pytest.mark.django_db

ZHANG_SAN = PUPILS[0]  # 青山小学, 在读
WANG_WU = dict(PUPILS[1], 学籍状态="在读", 变动日期=None, 入学日期=None)  # 青山小学, 五年级


@pytest.fixture
def roll_with_a_case(tmp_path: Path) -> Enrollment:
    september = town_workbook(tmp_path / "九月.xlsx", 学籍=[ZHANG_SAN, WANG_WU])
    assert workbook_import(path=september, school_year=2024).ok
    wang_wu = Enrollment.objects.get(name="王五")
    case_open(
        school_year=SchoolYear.objects.get(year=2024),
        source="manual",
        enrollment=wang_wu,
        opened_on=datetime.date(2024, 10, 8),
        village_person="李村长",
        school_person="王老师",
        user=None,
    )
    return wang_wu


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "import"])
def test_a_roll_without_a_pupil_held_by_a_case_is_refused_with_the_way_out(
    roll_with_a_case: Enrollment, tmp_path: Path, dry_run: bool
) -> None:
    corrected = town_workbook(tmp_path / "更正.xlsx", 学籍=[ZHANG_SAN])

    result = workbook_import(path=corrected, school_year=2024, dry_run=dry_run)

    assert result.rejected
    [error] = result.errors
    assert error.sheet == "学籍"
    assert error.message.startswith(
        "学生 王五（青山小学 5年级） 在文件中没有了，"
        "但控辍保学个案“王五（疑似辍学）”还引用着这条学籍"
    )
    assert "把学籍状态改为实际情况" in error.message and "关闭该个案" in error.message
    summary = "\n".join(result.summary_lines())
    assert "ProtectedError" not in summary and "Protected" not in summary
    assert Enrollment.objects.filter(name="王五").exists()


def test_the_corrected_roll_imports_once_the_pupil_is_marked_as_he_is(
    roll_with_a_case: Enrollment, tmp_path: Path
) -> None:
    dropped = dict(WANG_WU, 学籍状态="辍学", 变动日期="2024-10-08")
    corrected = town_workbook(tmp_path / "更正.xlsx", 学籍=[ZHANG_SAN, dropped])

    result = workbook_import(path=corrected, school_year=2024)

    assert result.ok, result.summary_lines()
    roll_with_a_case.refresh_from_db()
    assert roll_with_a_case.status == "辍学"
