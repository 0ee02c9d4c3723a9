"""The people behind a shortfall, with the reason in the office's words."""

from __future__ import annotations

import datetime

import pytest

from liangji.indicators.report import IndicatorError
from liangji.indicators.selectors import indicators_compute, shortfall_list
from liangji.registers import testing as b


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
        ("休学生", "休学（自2023-08-20）"),
        ("失学儿童", "不在任何学籍"),
        ("晚入学", "2023-10-08才入学（富林小学1年级）"),
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
    assert _reasons("primary_completion_15") == [("肄业", "不在任何学籍，文化程度记为小学肄业")]


def test_junior_shortfall_names_a_pupil_still_in_primary(cast):
    older = b.person(cast.village, name="留级生", born="2009-05-05")
    b.pupil(cast.primary, who=older, grade=6)
    b.person(cast.village, name="在外", born="2009-05-06", number="2", elsewhere_level="小学")
    assert _reasons("junior_net_enrollment") == [
        ("留级生", "在读富林小学6年级"),
        ("在外", "在外就读小学，无证明"),
    ]


def test_dropouts_are_listed_by_school(cast):
    b.pupil(cast.primary, name="辍学生", grade=4, status="辍学", status_date="2024-03-01")
    b.pupil(cast.primary, name="无校转出", grade=5, status="转出", status_date="2023-11-02")
    b.pupil(cast.primary, name="在读生", grade=5)
    assert _reasons("primary_dropout", unit=cast.primary) == [
        ("辍学生", "辍学（2024-03-01）"),
        ("无校转出", "转出（2023-11-02）未找到接收学校"),
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
    with pytest.raises(
        IndicatorError, match="未知的指标 enrolment；可用的指标：primary_enrollment"
    ):
        shortfall_list(code="enrolment", school_year=2023)


def test_every_list_has_exactly_as_many_lines_as_the_figure_is_short(cast):
    """The counted figures (terms computed once per row) and the lists (terms inline) agree."""
    v, school = cast.village, cast.primary
    b.pupil(school, who=b.person(v, born="2015-01-01"), grade=2)
    b.person(v, born="2015-01-02", number="2", disability="智力", home_schooling=True)
    b.person(v, born="2014-01-03", number="3", elsewhere_level="小学")
    b.person(v, born="2012-01-04", number="4", education_level="小学在读")
    b.pupil(cast.junior, who=b.person(v, born="2009-01-05", number="5"), grade=8)
    b.pupil(school, who=b.person(v, born="2009-01-06", number="6"), grade=6)
    b.person(v, born="2008-01-07", number="7", education_level="文盲")
    b.person(v, born="2006-01-08", number="8", education_level="初中毕业")
    b.person(v, born="2006-01-09", number="9", education_level="小学毕业")
    b.migrant(v, born="2013-01-10", number="10")
    b.person(v, born="1980-01-11", number="11", education_level="半文盲")
    b.pupil(school, name="辍学生", grade=3, status="辍学", status_date="2024-01-01")
    report = indicators_compute(school_year=2023, town=cast.town)
    lengths = {
        value.code: len(shortfall_list(code=value.code, school_year=2023))
        for value in report.unit("汉源镇").indicators
    }
    assert lengths == {
        "primary_enrollment": 1,  # 小学在读 on no roll
        "junior_gross_enrollment": 2,  # the 14-year-old in grade 6, the illiterate 15-year-old
        "junior_net_enrollment": 2,
        "migrant_enrollment": 1,
        "disabled_enrollment": 0,  # taught at home
        "primary_dropout": 1,
        "junior_dropout": 0,
        "primary_completion_15": 1,
        "junior_completion_17": 1,
        "illiteracy_15": 1,
        "literacy_15_50": 2,
    }
    for value in report.unit("汉源镇").indicators:
        if value.code != "junior_gross_enrollment":  # its numerator counts pupils of any age
            gap = value.numerator if value.direction == "≤" else value.denominator - value.numerator
            assert lengths[value.code] == gap, value.code


def test_the_gross_rate_list_says_why_its_length_is_not_the_shortfall(cast):
    """Two children of 13–15 not at junior school, one 16-year-old in grade 9: 差 1 人, and the
    list names two children (issue 9)."""
    from liangji.indicators.shortfall import gross_rate_note

    v = cast.village
    b.person(v, name="十四岁", born="2009-05-05")
    b.pupil(cast.primary, who=b.person(v, name="十三岁", born="2010-05-05", number="2"), grade=6)
    b.pupil(cast.junior, who=b.person(v, name="十六岁", born="2007-05-05", number="3"), grade=9)
    value = indicators_compute(school_year=2023, town=cast.town).unit("汉源镇")
    gross = value.get("junior_gross_enrollment")
    assert (gross.numerator, gross.denominator) == (1, 2)
    assert len(shortfall_list(code="junior_gross_enrollment", school_year=2023)) == 2
    note = gross_rate_note(school_year=2023)
    assert (note.listed, note.short, note.outside_ages) == (2, 1, 1)
    assert note.text() == (
        "名单列出 2 名适龄儿童未在初中就读；毛入学率的分子另计入 1 名不在适龄范围内的初中在校生，"
        "所以与“差 1 人”不同。"
    )
