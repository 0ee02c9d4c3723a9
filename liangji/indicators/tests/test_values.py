"""Rates, `met` and shortfalls: decided on the exact fraction, shown with the town's rounding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from liangji.indicators.definitions import Direction
from liangji.indicators.values import rate_met, rate_shortfall, rate_value


def test_published_rates():
    assert rate_value(numerator=402, denominator=405, decimals=2, rounding="half_up") == Decimal(
        "99.26"
    )
    assert rate_value(numerator=402, denominator=405, decimals=1, rounding="half_up") == Decimal(
        "99.3"
    )
    assert rate_value(numerator=272, denominator=274, decimals=2, rounding="half_up") == Decimal(
        "99.27"
    )
    assert rate_value(
        numerator=11879, denominator=11892, decimals=1, rounding="truncate"
    ) == Decimal("99.8")
    assert rate_value(
        numerator=11879, denominator=11892, decimals=2, rounding="half_up"
    ) == Decimal("99.89")


def test_one_child_short_of_3000_misses_a_100_percent_target():
    shown = rate_value(numerator=2999, denominator=3000, decimals=1, rounding="half_up")
    assert shown == Decimal("100.0")
    assert (
        rate_met(
            numerator=2999, denominator=3000, target=Decimal("100"), direction=Direction.AT_LEAST
        )
        is False
    )
    assert (
        rate_shortfall(
            numerator=2999, denominator=3000, target=Decimal("100"), direction=Direction.AT_LEAST
        )
        == 1
    )


def test_an_empty_population_has_no_rate_and_no_verdict():
    assert rate_value(numerator=0, denominator=0, decimals=2, rounding="half_up") is None
    assert (
        rate_met(numerator=0, denominator=0, target=Decimal("100"), direction=Direction.AT_LEAST)
        is None
    )
    assert (
        rate_shortfall(
            numerator=0, denominator=0, target=Decimal("0.2"), direction=Direction.AT_MOST
        )
        == 0
    )


def test_dropout_targets_are_ceilings():
    # 1 of 500 is exactly 0.2 %: met. 2 of 500 is 0.4 %: one dropout too many.
    at_most: dict[str, Any] = {"target": Decimal("0.2"), "direction": Direction.AT_MOST}
    assert rate_met(numerator=1, denominator=500, **at_most) is True
    assert rate_met(numerator=2, denominator=500, **at_most) is False
    assert rate_shortfall(numerator=2, denominator=500, **at_most) == 1
    assert rate_shortfall(numerator=5, denominator=1000, **at_most) == 3


def test_a_fractional_target_needs_whole_children():
    # 98.5 % of 405 is 398.925: 399 completed are needed.
    at_least: dict[str, Any] = {"target": Decimal("98.5"), "direction": Direction.AT_LEAST}
    assert rate_shortfall(numerator=390, denominator=405, **at_least) == 9
    assert rate_met(numerator=399, denominator=405, **at_least) is True
    assert rate_met(numerator=398, denominator=405, **at_least) is False


counts = st.integers(min_value=1, max_value=10**7).flatmap(
    lambda d: st.tuples(st.integers(min_value=0, max_value=d), st.just(d))
)
targets = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@given(counts, targets)
def test_met_agrees_with_exact_rational_arithmetic(fraction, target):
    numerator, denominator = fraction
    exact = Fraction(numerator * 100, denominator)
    assert rate_met(
        numerator=numerator, denominator=denominator, target=target, direction=Direction.AT_LEAST
    ) == (exact >= Fraction(target))
    assert rate_met(
        numerator=numerator, denominator=denominator, target=target, direction=Direction.AT_MOST
    ) == (exact <= Fraction(target))


@given(counts, targets)
def test_the_shortfall_is_the_fewest_children_that_meet_the_target(fraction, target):
    numerator, denominator = fraction
    need = rate_shortfall(
        numerator=numerator, denominator=denominator, target=target, direction=Direction.AT_LEAST
    )
    assert rate_met(
        numerator=numerator + need,
        denominator=denominator,
        target=target,
        direction=Direction.AT_LEAST,
    )
    if need:
        assert not rate_met(
            numerator=numerator + need - 1,
            denominator=denominator,
            target=target,
            direction=Direction.AT_LEAST,
        )
    fewer = rate_shortfall(
        numerator=numerator, denominator=denominator, target=target, direction=Direction.AT_MOST
    )
    assert 0 <= fewer <= numerator
    assert rate_met(
        numerator=numerator - fewer,
        denominator=denominator,
        target=target,
        direction=Direction.AT_MOST,
    )


@given(counts, st.integers(min_value=0, max_value=4))
def test_rounding_half_up_and_truncation_bracket_the_exact_rate(fraction, decimals):
    numerator, denominator = fraction
    exact = Fraction(numerator * 100, denominator)
    step = Fraction(1, 10**decimals)
    half_up = rate_value(
        numerator=numerator, denominator=denominator, decimals=decimals, rounding="half_up"
    )
    truncated = rate_value(
        numerator=numerator, denominator=denominator, decimals=decimals, rounding="truncate"
    )
    assert half_up is not None and truncated is not None
    assert Fraction(truncated) <= exact < Fraction(truncated) + step
    assert abs(Fraction(half_up) - exact) <= step / 2
    assert half_up.as_tuple().exponent == -decimals
