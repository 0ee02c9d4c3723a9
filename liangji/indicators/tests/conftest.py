"""The cast of the indicator tests: 汉源镇 with the village 富林村, the primary school 富林小学 and
the junior school 汉源初中. The school year is 2023 (reference date 2023-09-01)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from liangji.indicators.selectors import indicators_compute
from liangji.registers import testing as b
from liangji.registers.choices import UnitKind
from liangji.registers.models import Unit


@dataclass
class Cast:
    town: Unit
    village: Unit
    primary: Unit
    junior: Unit

    def figures(self, code: str, unit: str = "汉源镇", year: int = b.YEAR) -> tuple[int, int]:
        """(numerator, denominator) of one indicator for one unit."""
        value = indicators_compute(school_year=year, town=self.town).unit(unit).get(code)
        return value.numerator, value.denominator


@pytest.fixture
def cast(db) -> Cast:
    town = b.town("汉源镇")
    b.school_year(b.YEAR)
    return Cast(
        town=town,
        village=b.village(town, "富林村"),
        primary=b.school(town, "富林小学"),
        junior=b.school(town, "汉源初中", kind=UnitKind.JUNIOR),
    )
