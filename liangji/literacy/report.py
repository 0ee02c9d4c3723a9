"""The literacy report of a town: the unit standard and the ledger counts of the town and each
village, as the command line prints it (table, JSON, Excel) and `readiness` reads it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from liangji.indicators.context import context_for
from liangji.literacy.selectors import LedgerStatus, UnitStandard, standard_compute
from liangji.registers.models import Unit


@dataclass(frozen=True)
class LiteracyReport:
    school_year: int
    reference_date: datetime.date
    units: list[UnitStandard]

    def as_json(self) -> dict[str, Any]:
        """Issue 13's shape: `ledger` maps each status to its count plus `total`; `indicators`
        holds the two figures in the shape of `liangji indicators`."""
        return {
            "school_year": self.school_year,
            "reference_date": self.reference_date.isoformat(),
            "units": [
                {
                    "name": unit.name,
                    "kind": unit.kind,
                    "ledger": {
                        key: unit.ledger.get(key, 0) for key in (*LedgerStatus.ORDER, "total")
                    },
                    "indicators": [
                        value.as_json()
                        for value in (unit.unit_literacy, unit.relapse_rate)
                        if value is not None
                    ],
                }
                for unit in self.units
            ],
        }


def literacy_report(*, school_year: int, town: Unit | None) -> LiteracyReport:
    """For the whole town (the command line acts for the town office)."""
    ctx = context_for(school_year=school_year, town=town)
    return LiteracyReport(
        school_year=ctx.school_year.year,
        reference_date=ctx.terms.reference,
        units=standard_compute(ctx=ctx, village_ids=None),
    )
