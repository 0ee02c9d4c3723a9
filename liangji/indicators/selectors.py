"""Reading the indicators: the API the pages, the CLI and the reports build on.

Every function takes the caller's scope (`unit_ids`): the units whose figures or people the
caller may see. `None` means the whole town (the office, the CLI on the office PC); an empty
collection means nothing at all (deny by default); a collection holding the town's id means the
whole town.
"""

from __future__ import annotations

from liangji.indicators.compute import indicators_compute
from liangji.indicators.crosscheck import CrosscheckRow, dropout_crosscheck
from liangji.indicators.figures import indicators_report
from liangji.indicators.reconciliation import ReconciliationReport, reconciliation_run
from liangji.indicators.report import IndicatorError, IndicatorReport, UnitIndicators
from liangji.indicators.shortfall import ShortfallRow, shortfall_list
from liangji.indicators.trends import indicator_trends
from liangji.indicators.values import IndicatorValue

__all__ = [
    "CrosscheckRow",
    "IndicatorError",
    "IndicatorReport",
    "IndicatorValue",
    "ReconciliationReport",
    "ShortfallRow",
    "UnitIndicators",
    "dropout_crosscheck",
    "indicator_trends",
    "indicators_compute",
    "indicators_report",
    "reconciliation_run",
    "shortfall_list",
]
