"""The shape of an indicator report: what the pages, the CLI and the JSON output read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from liangji.indicators.values import IndicatorValue


class IndicatorError(ValueError):
    """A request the engine cannot answer (unknown year, unit, indicator); the message says
    what is wrong and what would be valid."""


@dataclass(frozen=True)
class UnitIndicators:
    unit_id: int | None  # None for a priority group, which is not a unit
    name: str
    kind: str  # "town" | "village" | "school" | "group"
    indicators: list[IndicatorValue]

    def get(self, code: str) -> IndicatorValue:
        return next(v for v in self.indicators if v.code == code)


@dataclass(frozen=True)
class IndicatorReport:
    school_year: int
    reference_date: datetime.date
    settings: dict[str, Any]
    units: list[UnitIndicators] = field(default_factory=list)

    def unit(self, name: str) -> UnitIndicators:
        return next(u for u in self.units if u.name == name)

    def as_json(self) -> dict[str, Any]:
        """Exactly product.md's machine-readable shape."""
        return {
            "school_year": self.school_year,
            "reference_date": self.reference_date.isoformat(),
            "settings": dict(self.settings),
            "units": [
                {
                    "name": unit.name,
                    "kind": unit.kind,
                    "indicators": [value.as_json() for value in unit.indicators],
                }
                for unit in self.units
            ],
        }
