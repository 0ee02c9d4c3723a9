"""Turning a numerator and a denominator into the displayed rate, `met` and the shortfall.

`met` and the shortfall are decided on the exact fraction (integers only), never on the rounded
rate: one child out of 3,000 fails a 100 % target although 99.97 rounds to 100.0 (domain.md §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from liangji.indicators.definitions import Direction

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "truncate": ROUND_DOWN}


def rate_value(*, numerator: int, denominator: int, decimals: int, rounding: str) -> Decimal | None:
    """numerator ÷ denominator × 100, to `decimals` places; None when there is no one to count."""
    if denominator == 0:
        return None
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    # Decimal division keeps 28 significant digits, far more than any rate needs; quantize
    # then applies the town's rounding to that exact-enough quotient.
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUNDING_MODES[rounding])


def _target_scaled(target: Decimal) -> tuple[int, int]:
    """target as an integer fraction (t, scale) with target = t / scale."""
    sign, digits, exponent = target.as_tuple()
    assert isinstance(exponent, int)
    t = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
    if exponent >= 0:
        return t * 10**exponent, 1
    return t, 10**-exponent


def rate_met(
    *, numerator: int, denominator: int, target: Decimal, direction: Direction
) -> bool | None:
    if denominator == 0:
        return None
    t, scale = _target_scaled(target)
    left, right = numerator * 100 * scale, t * denominator
    return left >= right if direction is Direction.AT_LEAST else left <= right


def rate_shortfall(
    *, numerator: int, denominator: int, target: Decimal, direction: Direction
) -> int:
    """How many children the numerator is away from the target: more enrolled or completed for
    a ≥ target, fewer dropouts or illiterates for a ≤ target. 0 when met or not applicable."""
    if denominator == 0:
        return 0
    t, scale = _target_scaled(target)
    gap = (
        t * denominator - numerator * 100 * scale
        if direction is Direction.AT_LEAST
        else numerator * 100 * scale - t * denominator
    )
    if gap <= 0:
        return 0
    return -(-gap // (100 * scale))  # ceiling division on integers


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    name: str
    numerator: int
    denominator: int
    value: Decimal | None
    target: Decimal
    met: bool | None
    direction: str
    shortfall: int

    def as_json(self) -> dict[str, object]:
        """product.md's shape: code, name, numerator, denominator, value, target, met."""
        return {
            "code": self.code,
            "name": self.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else float(self.value),
            "target": float(self.target),
            "met": self.met,
        }


def indicator_value(
    *,
    code: str,
    name: str,
    direction: Direction,
    numerator: int,
    denominator: int,
    target: Decimal,
    decimals: int,
    rounding: str,
) -> IndicatorValue:
    return IndicatorValue(
        code=code,
        name=name,
        numerator=numerator,
        denominator=denominator,
        value=rate_value(
            numerator=numerator, denominator=denominator, decimals=decimals, rounding=rounding
        ),
        target=target,
        met=rate_met(
            numerator=numerator, denominator=denominator, target=target, direction=direction
        ),
        direction=direction.value,
        shortfall=rate_shortfall(
            numerator=numerator, denominator=denominator, target=target, direction=direction
        ),
    )
