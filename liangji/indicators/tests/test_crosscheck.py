"""The 校验表: the flow form against the event form, pupil by pupil, at 富林小学 in 2023."""

from __future__ import annotations

from liangji.indicators.selectors import dropout_crosscheck
from liangji.registers import testing as b


def test_flow_and_event_forms_reconcile_pupil_by_pupil(cast):
    at = cast.primary
    b.pupil(at, name="甲", grade=3)
    b.pupil(at, name="乙", grade=3, status="辍学", status_date="2024-03-01")
    returned = b.pupil(at, name="丙", grade=3)
    b.event(returned, "辍学", "2023-10-10")
    b.event(returned, "复学", "2023-11-10")
    twice = b.pupil(at, name="丁", grade=4, status="辍学", status_date="2024-01-01")
    b.event(twice, "辍学", "2023-10-01")
    b.event(twice, "复学", "2023-11-01")
    b.event(twice, "辍学", "2024-01-01")
    late = b.pupil(
        at, name="戊", grade=4, entry_date="2023-10-15", status="辍学", status_date="2024-04-01"
    )
    b.event(late, "入学", "2023-10-15")
    b.pupil(
        at, name="己", grade=5, status="转出", status_date="2023-12-01", transfer_school="雅安小学"
    )
    b.pupil(at, name="庚", grade=6, status="毕业", status_date="2024-07-01")
    b.pupil(at, name="辛", grade=5, status="死亡", status_date="2024-02-02")
    b.pupil(at, name="壬", grade=2, entry_date="2024-09-05")  # entry date after the year: an error
    [row] = dropout_crosscheck(school_year=2023, town=cast.town)
    assert (row.school, row.level) == ("富林小学", "小学")
    assert (
        row.roll_at_start,
        row.entries,
        row.transfers_out,
        row.deaths,
        row.graduations,
        row.roll_at_end,
    ) == (7, 3, 1, 1, 1, 3)
    # 乙, 丁 and 戊 (joined in October, then dropped out: the event form counts every dropout
    # of the year, domain.md §3).
    assert (row.flow_dropouts, row.event_dropouts) == (4, 3)
    assert [(p.name, p.flow_exits, p.event_dropout, p.explained) for p in row.pupils] == [
        ("壬", -1, 0, False),
        ("丙", 1, 0, True),
        ("丁", 2, 1, True),
    ]
    assert row.pupils[1].explanation == "辍学后复学：流量法计一次退出，事件法不计"
    assert row.finding == "流量法与事件法之差有 1 人无法解释：壬"


def test_forms_agree_when_nobody_returns(cast):
    b.pupil(cast.junior, name="甲", grade=8)
    b.pupil(cast.junior, name="乙", grade=8, status="辍学", status_date="2024-03-01")
    [row] = dropout_crosscheck(school_year=2023, town=cast.town)
    assert (row.level, row.flow_dropouts, row.event_dropouts, row.pupils, row.finding) == (
        "初中",
        1,
        1,
        [],
        "",
    )


def test_scope_limits_the_schools(cast):
    b.pupil(cast.junior, name="甲", grade=8)
    b.pupil(cast.primary, name="乙", grade=2)
    rows = dropout_crosscheck(school_year=2023, town=cast.town, unit_ids={cast.primary.pk})
    assert [r.school for r in rows] == ["富林小学"]
    assert dropout_crosscheck(school_year=2023, town=cast.town, unit_ids=set()) == []
