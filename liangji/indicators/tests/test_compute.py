"""indicators_compute as a whole: the published figures of domain.md §3, the JSON shape,
the scope, and a number of queries that does not grow with the number of units."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liangji.indicators.report import IndicatorError
from liangji.indicators.selectors import indicators_compute
from liangji.querycount import data_statements
from liangji.registers import testing as b


def _value(cast, code, unit="汉源镇"):
    return indicators_compute(school_year=b.YEAR, town=cast.town).unit(unit).get(code)


def test_405_fifteen_year_olds_402_completed(cast):
    b.people(cast.village, 401, born="2008-05-05", education_level="初中在读")
    b.people(cast.village, 1, born="2008-05-06", education_level="初中在读", disability="智力")
    b.people(cast.village, 3, born="2008-05-07", education_level="小学肄业")
    value = _value(cast, "primary_completion_15")
    assert (value.numerator, value.denominator, value.value) == (402, 405, Decimal("99.26"))
    assert value.met is True
    b.configure(cast.town, rate_decimals="1")
    assert _value(cast, "primary_completion_15").value == Decimal("99.3")


def test_274_seventeen_year_olds_272_completed(cast):
    b.people(cast.village, 272, born="2006-05-05", education_level="初中毕业")
    b.people(cast.village, 2, born="2006-05-05", education_level="初中肄业")
    value = _value(cast, "junior_completion_17")
    assert (value.numerator, value.denominator, value.value) == (272, 274, Decimal("99.27"))


def test_3264_children_two_excluded_3231_enrolled(cast):
    enrolled = b.people(cast.village, 3231, born="2014-02-02")
    b.pupils(cast.primary, enrolled, grade=3)
    b.people(cast.village, 31, born="2013-02-02")
    b.people(cast.village, 1, born="2012-02-02", disability="视力")
    b.people(
        cast.village, 1, born="2012-02-02", exemption="缓学", exemption_approved_on="2023-08-01"
    )
    value = _value(cast, "primary_enrollment")
    assert (value.numerator, value.denominator, value.value) == (3231, 3262, Decimal("99.05"))
    assert (value.met, value.shortfall) == (False, 31)


def test_one_child_short_of_3000_is_a_miss_although_the_rate_shows_100(cast):
    b.configure(cast.town, rate_decimals="1")
    enrolled = b.people(cast.village, 2999, born="2014-02-02")
    b.pupils(cast.primary, enrolled, grade=3)
    b.people(cast.village, 1, born="2014-02-03")
    value = _value(cast, "primary_enrollment")
    assert (value.value, value.met, value.shortfall) == (Decimal("100.0"), False, 1)


def test_truncation_setting(cast):
    b.configure(cast.town, rate_rounding="truncate", rate_decimals="1")
    b.people(cast.village, 2, born="1990-01-01", education_level="初中毕业")
    b.people(cast.village, 1, born="1990-01-01", education_level="文盲")
    assert _value(cast, "literacy_15_50").value == Decimal("66.6")


def test_json_has_exactly_the_shape_of_product_md(cast):
    b.person(cast.village, born="2015-01-01")
    b.pupil(cast.primary, grade=2, name="李四", born="2015-03-03")
    report = indicators_compute(school_year=b.YEAR, town=cast.town)
    data = json.loads(json.dumps(report.as_json()))
    assert set(data) == {"school_year", "reference_date", "settings", "units"}
    assert data["school_year"] == 2023 and data["reference_date"] == "2023-09-01"
    assert data["settings"]["rate_decimals"] == "2"
    kinds = [(u["name"], u["kind"], len(u["indicators"])) for u in data["units"]]
    assert kinds == [
        ("汉源镇", "town", 11),
        ("富林村", "village", 9),
        ("富林小学", "school", 2),
        ("汉源初中", "school", 2),
    ]
    primary = data["units"][0]["indicators"][0]
    assert primary == {
        "code": "primary_enrollment",
        "name": "小学适龄儿童入学率",
        "numerator": 0,
        "denominator": 1,
        "value": 0.0,
        "target": 100.0,
        "met": False,
    }
    empty = data["units"][0]["indicators"][1]
    assert (empty["value"], empty["met"]) == (None, None)


def test_a_scope_shows_only_its_units(cast):
    other = b.village(cast.town, "团结村")
    b.person(other, born="2015-01-01", groups=("低保",))
    report = indicators_compute(school_year=b.YEAR, town=cast.town, unit_ids={other.pk})
    assert [u.name for u in report.units] == ["团结村"]
    assert indicators_compute(school_year=b.YEAR, town=cast.town, unit_ids=set()).units == []


def test_unknown_school_year_names_the_known_ones(cast):
    with pytest.raises(IndicatorError, match="没有 2019 学年的数据；已有的学年：2023"):
        indicators_compute(school_year=2019, town=cast.town)


@pytest.mark.parametrize("villages", [2, 6])
def test_queries_do_not_grow_with_units(cast, villages):
    for i in range(villages):
        home = b.village(cast.town, f"第{i}村")
        child = b.person(home, born="2015-01-01", number=str(i), groups=("留守儿童",))
        b.pupil(b.school(cast.town, f"第{i}小学"), who=child, grade=2)
    with CaptureQueriesContext(connection) as captured:
        report = indicators_compute(school_year=b.YEAR, town=cast.town)
    queries = data_statements(captured)
    assert len(queries) <= 6, queries
    assert report.unit("汉源镇").get("primary_enrollment").numerator == villages
