"""The people behind a shortfall, with the reason in the office's words."""

from __future__ import annotations

import datetime

import pytest

from liangji.indicators.report import IndicatorError
from liangji.indicators.selectors import indicators_compute, shortfall_list
from liangji.indicators.tests import builders as b


def _reasons(code, **kwargs):
    return [(row.name, row.reason) for row in shortfall_list(code=code, school_year=2023, **kwargs)]


def test_children_not_enrolled_are_named_with_why(cast):
    enrolled = b.person(cast.village, name="在读生", born="2015-01-01")
    b.pupil(cast.primary, who=enrolled, grade=2)
    suspended = b.person(cast.village, name="休学生", born="2015-01-02", number="002")
    b.pupil(cast.primary, who=suspended, grade=2, status="休学", status_date="2023-08-20")
    b.person(
        cast.village,
        name="失学儿童",
        born="2015-01-03",
        number="003",
        id_number="510000201501030012",
    )
    late = b.person(cast.village, name="晚入学", born="2015-01-04", number="004")
    b.pupil(cast.primary, who=late, grade=1, entry_date="2023-10-08")
    assert _reasons("primary_enrollment") == [
        ("休学生", "休学(自2023-08-20)"),
        ("失学儿童", "不在任何学籍"),
        ("晚入学", "2023-10-08才入学(富林小学1年级)"),
    ]
    row = shortfall_list(code="primary_enrollment", school_year=2023)[1]
    assert (row.village, row.household, row.age, row.birth_date) == (
        "富林村",
        "003",
        8,
        datetime.date(2015, 1, 3),
    )
    assert row.id_number == "510000201501030012"
    # The list is exactly the gap between the population and the numerator.
    value = (
        indicators_compute(school_year=2023, town=cast.town)
        .unit("汉源镇")
        .get("primary_enrollment")
    )
    assert value.denominator - value.numerator == 3


def test_completion_shortfall_names_the_recorded_level(cast):
    b.person(cast.village, name="肄业", born="2008-03-06", education_level="小学肄业")
    b.person(cast.village, name="完成", born="2008-03-07", education_level="小学毕业")
    assert _reasons("primary_completion_15") == [("肄业", "不在任何学籍,文化程度记为小学肄业")]


def test_junior_shortfall_names_a_pupil_still_in_primary(cast):
    older = b.person(cast.village, name="留级生", born="2009-05-05")
    b.pupil(cast.primary, who=older, grade=6)
    b.person(cast.village, name="在外", born="2009-05-06", number="2", elsewhere_level="小学")
    assert _reasons("junior_net_enrollment") == [
        ("留级生", "在读富林小学6年级"),
        ("在外", "在外就读小学,无证明"),
    ]


def test_dropouts_are_listed_by_school(cast):
    b.pupil(cast.primary, name="辍学生", grade=4, status="辍学", status_date="2024-03-01")
    b.pupil(cast.primary, name="无校转出", grade=5, status="转出", status_date="2023-11-02")
    b.pupil(cast.primary, name="在读生", grade=5)
    assert _reasons("primary_dropout", unit=cast.primary) == [
        ("辍学生", "辍学(2024-03-01)"),
        ("无校转出", "转出(2023-11-02)未找到接收学校"),
    ]


def test_illiterate_fifteen_year_olds(cast):
    b.person(cast.village, name="文盲", born="2008-01-01", education_level="文盲")
    b.person(cast.village, name="识字", born="2008-01-02", education_level="初中在读")
    assert _reasons("illiteracy_15") == [("文盲", "文化程度记为文盲")]


def test_scope_and_unit_restrict_the_list(cast):
    other = b.village(cast.town, "团结村")
    b.person(cast.village, name="富林的", born="2015-01-01")
    b.person(other, name="团结的", born="2015-01-02", groups=("低保",))
    assert _reasons("primary_enrollment", unit=other) == [("团结的", "不在任何学籍")]
    assert _reasons("primary_enrollment", unit_ids={cast.village.pk}) == [
        ("富林的", "不在任何学籍")
    ]
    assert _reasons("primary_enrollment", unit_ids=set()) == []
    assert _reasons("primary_enrollment", group="低保") == [("团结的", "不在任何学籍")]


def test_unknown_indicator_names_the_valid_codes(cast):
    with pytest.raises(IndicatorError, match="未知的指标 enrolment;可用的指标:primary_enrollment"):
        shortfall_list(code="enrolment", school_year=2023)
