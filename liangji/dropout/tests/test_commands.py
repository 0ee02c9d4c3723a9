import io

import pytest
from django.core.management import CommandError, call_command

from liangji.dropout.models import CaseKind


def run(*args):
    out = io.StringIO()
    call_command("dropout-escalate", *args, stdout=out)
    return out.getvalue()


def test_the_daily_check_escalates_and_lists_the_overdue(case):
    # Reported 8 Oct, absent since 30 Sept: on 31 Oct a dropout, and the visit is overdue.
    output = run("--today", "2024-10-31")
    assert "转为辍学：张小明（自 2024-09-30）" in output
    assert "逾期：张小明 东村 汉镇小学 报告后应于 2024-10-11 前进入下一步" in output
    assert output.strip().endswith("汉镇 2024-10-31：1 个个案转为辍学，1 个个案逾期。")
    case.refresh_from_db()
    assert case.kind == CaseKind.DROPPED_OUT
    assert "0 个个案转为辍学" in run("--today", "2024-11-01")


def test_a_wrong_date_is_a_clear_message(case):
    with pytest.raises(CommandError, match="应写作 2024-10-08"):
        run("--today", "31.10.2024")
