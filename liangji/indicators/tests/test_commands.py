"""`liangji indicators` and `liangji shortfall`: output formats, exports audited, clear errors."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from liangji.audit.models import AuditEntry
from liangji.registers import testing as b
from liangji.registers.tests.spreadsheets import hostile, xlsx_assert_text_only


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def register(cast):
    enrolled = b.person(cast.village, name="在读生", born="2015-01-01")
    b.pupil(cast.primary, who=enrolled, grade=2)
    b.person(
        cast.village, name="失学儿童", born="2015-01-02", number="2", id_number="51180020150102001X"
    )
    return cast


def test_json_is_product_md_shape_on_stdout(register):
    data = json.loads(_run("indicators", "--school-year", "2023", "--format", "json"))
    town = data["units"][0]
    assert (town["name"], town["kind"]) == ("汉源镇", "town")
    assert town["indicators"][0]["numerator"] == 1 and town["indicators"][0]["value"] == 50.0


def test_table_shows_misses_with_the_shortfall_in_children(register):
    out = _run("indicators", "--school-year", "2023", "--unit", "富林村")
    assert "小学适龄儿童入学率" in out and "未达标，差 1 人" in out
    assert "汉源初中" not in out


def test_group_filter(register):
    b.person(register.village, born="2015-03-03", number="3", groups=("留守儿童",))
    data = json.loads(
        _run("indicators", "--school-year", "2023", "--group", "留守儿童", "--format", "json")
    )
    assert [u["name"] for u in data["units"]] == ["留守儿童"]


def test_xlsx_report(register, tmp_path):
    path = tmp_path / "指标.xlsx"
    _run("indicators", "--school-year", "2023", "--format", "xlsx", "--output", str(path))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("2023学年指标").to_python()
    assert rows[0][:4] == ["单位", "类型", "指标", "分子"]
    assert rows[1][:5] == ["汉源镇", "镇", "小学适龄儿童入学率", 1.0, 2.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--school-year", "2019"), "没有 2019 学年的数据；已有的学年：2023"),
        (
            ("--school-year", "2023", "--unit", "无名村"),
            "没有名为 无名村 的村（社区）或学校；可用的",
        ),
        (("--school-year", "2023", "--group", "学霸"), "未知的特殊群体 学霸；可用的：留守儿童"),
    ],
)
def test_unknown_year_unit_or_group_names_the_choices(register, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        _run("indicators", *args)


def test_shortfall_table_masks_ids_and_is_audited(register):
    out = _run("shortfall", "--indicator", "primary_enrollment", "--school-year", "2023")
    assert "失学儿童" in out and "不在任何学籍" in out
    assert "5118**********001X" in out and "51180020150102001X" not in out
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.summary) == (
        "export",
        "查看 2023 学年 汉源镇 小学适龄儿童入学率未达标名单 1 人",
    )


def test_shortfall_xlsx_export_is_audited(register, tmp_path):
    path = tmp_path / "名单.xlsx"
    _run(
        "shortfall",
        "--indicator",
        "primary_enrollment",
        "--school-year",
        "2023",
        "--format",
        "xlsx",
        "--output",
        str(path),
        "--full-id",
    )
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "失学儿童" and rows[1][-1] == "51180020150102001X"
    entry = AuditEntry.objects.get()
    assert entry.action == "export" and "（含完整身份证号）" in entry.summary


def test_shortfall_unknown_indicator(register):
    with pytest.raises(CommandError, match="未知的指标 enrol；可用的指标：primary_enrollment"):
        _run("shortfall", "--indicator", "enrol", "--school-year", "2023")


def test_reconcile_table_and_xlsx(register, tmp_path):
    out = _run("reconcile", "--school-year", "2023")
    assert "适龄儿童无学籍" in out and "失学儿童" in out and "仍未返校" in out
    path = tmp_path / "比对.xlsx"
    _run("reconcile", "--school-year", "2023", "--format", "xlsx", "--output", str(path))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["类别", "涉及人员", "情况", "建议处理", "处理方式"]
    assert rows[1][0] == "适龄儿童无学籍" and str(rows[1][1]).startswith("失学儿童（2015-01-02")
    assert AuditEntry.objects.filter(action="export").count() == 2


def test_every_indicator_workbook_writes_hostile_values_as_text(cast, tmp_path):
    village, child = hostile(0, "村"), hostile(5, "失学")
    other = b.village(cast.town, village)
    b.person(other, name=child, born="2015-01-02", number=hostile(6, "户"))
    year = ("--school-year", "2023", "--format", "xlsx", "--output")
    exports = {
        "指标.xlsx": (("indicators", *year), [village]),
        "名单.xlsx": (("shortfall", "--indicator", "primary_enrollment", *year), [child, village]),
        "比对.xlsx": (("reconcile", *year), []),
    }
    for name, (command, expected) in exports.items():
        _run(*command, str(tmp_path / name))
        xlsx_assert_text_only(tmp_path / name, expected)
    # The reconciliation names the child first in its 涉及人员 column.
    rows = CalamineWorkbook.from_path(str(tmp_path / "比对.xlsx")).get_sheet_by_index(0)
    assert any(str(row[1]).startswith(child) for row in rows.to_python())
