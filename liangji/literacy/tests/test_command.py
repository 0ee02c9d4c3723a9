"""`liangji literacy`: the standard and the ledger counts of the town and each village."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from liangji.literacy.services import certificate_issue, literacy_test_record
from liangji.literacy.tests.conftest import result

D = datetime.date


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("literacy", *args, stdout=out)
    return out.getvalue()


def test_json_is_the_issues_shape(cast, klass, members):
    test = literacy_test_record(klass=klass, date=D(2024, 6, 1),
                                results=[result(members[0], 1500)], user=cast.alice)  # fmt: skip
    certificate_issue(result=test.results.get(), issued_on=D(2024, 6, 5), user=cast.alice)
    data = json.loads(_run("--school-year", "2023", "--format", "json"))
    assert (data["school_year"], data["reference_date"]) == (2023, "2023-09-01")
    assert [(u["name"], u["kind"]) for u in data["units"]] == [
        ("汉源镇", "town"), ("城关社区", "village"), ("富林村", "village")
    ]  # fmt: skip
    town = data["units"][0]
    assert town["ledger"] == {
        "not_enrolled": 0, "learning": 1, "tested": 0, "passed": 1, "failed": 0,
        "relapsed": 0, "moved_away": 0, "deceased": 0, "total": 2,
    }  # fmt: skip
    unit_literacy, relapse = town["indicators"]
    assert unit_literacy == {
        "code": "unit_literacy", "name": "扫盲单位标准：非文盲率", "numerator": 1,
        "denominator": 2, "value": 50.0, "target": 95.0, "met": False,
    }  # fmt: skip
    assert relapse == {
        "code": "relapse_rate", "name": "复盲率", "numerator": 0, "denominator": 0,
        "value": None, "target": 5.0, "met": None,
    }  # fmt: skip


def test_table_and_xlsx(cast, tmp_path):
    assert "汉源镇（镇）" in _run("--school-year", "2023")
    path = tmp_path / "literacy.xlsx"
    assert "已写入" in _run("--school-year", "2023", "--format", "xlsx", "--output", str(path))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("扫盲单位标准").to_python()
    assert rows[2][:5] == ["汉源镇", "镇", "扫盲单位标准：非文盲率", 0.0, 2.0]


def test_an_unknown_year_is_said_in_words(cast):
    with pytest.raises(CommandError, match="没有 2030 学年的数据"):
        _run("--school-year", "2030")
