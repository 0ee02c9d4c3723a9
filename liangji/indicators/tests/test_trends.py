"""Trends: every indicator across the school years on record, each year from its own records."""

from __future__ import annotations

from decimal import Decimal

import pytest

from liangji.indicators.report import IndicatorError
from liangji.indicators.selectors import indicator_trends
from liangji.registers import testing as b


def test_each_year_is_computed_from_its_own_records(cast):
    out_in_2022 = b.person(cast.village, born="2015-01-01", year=2022)  # 7 on 2022-09-01
    b.person(cast.village, born="2015-01-01", year=2023, identity=out_in_2022.person)
    b.pupil(cast.primary, who=out_in_2022, grade=2, year=2023)
    trend = indicator_trends(town=cast.town)["primary_enrollment"]
    assert [(year, v.numerator, v.denominator, v.value) for year, v in trend] == [
        (2022, 0, 1, Decimal("0.00")),
        (2023, 1, 1, Decimal("100.00")),
    ]
    assert set(indicator_trends(town=cast.town)) >= {"primary_dropout", "literacy_15_50"}


def test_a_village_trend_has_its_nine_indicators(cast):
    b.person(cast.village, born="2015-01-01")
    trends = indicator_trends(unit_id=cast.village.pk)
    assert len(trends) == 9 and "primary_dropout" not in trends
    assert trends["primary_enrollment"][0][1].denominator == 1


def test_an_unknown_unit(cast):
    with pytest.raises(IndicatorError, match="没有编号为 999999 的村"):
        indicator_trends(unit_id=999999)
