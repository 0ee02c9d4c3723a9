"""The named reports: one registry the command line, the report pages and the background jobs
read. A report builds printable sheets (tables, rosters) or a document for one unit and year.

`liangji report list` prints this registry; `liangji report NAME …` renders one entry.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from liangji.indicators.context import context_for
from liangji.indicators.report import IndicatorError
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS
from liangji.registers.models import SchoolYear, Unit
from liangji.reports.layout import Sheet, sheets_pdf, sheets_xlsx

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


class ReportKind:
    INDICATORS = "指标与校验"
    TABLE = "统计报表"
    ROSTER = "花名册"
    DOCUMENT = "文稿"


@dataclass(frozen=True)
class ReportRequest:
    """What a report is asked for. `unit_ids` is the caller's scope (None: the whole town, as
    on the office PC's command line); `unit` is the town, a village or a school of it."""

    school_year: SchoolYear
    town: Unit
    unit: Unit
    today: datetime.date
    user: Actor | None = None
    unit_ids: Collection[int] | None = None
    full_ids: bool = False  # the user revealed the ID numbers (audited by the caller)
    progress: Callable[[str, int, int], None] = field(default=lambda stage, done, total: None)
    # Figures computed once per request and shared by the reports rendered for it (a set of
    # tables reads the same indicators several times).
    memo: dict[str, Any] = field(default_factory=dict, compare=False)

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


SheetBuilder = Callable[[ReportRequest], list[Sheet]]
DocumentBuilder = Callable[[ReportRequest, str], bytes]


@dataclass(frozen=True)
class ReportSpec:
    name: str
    title: str
    kind: str
    formats: tuple[str, ...]
    # The kinds of unit the report is made for (the town always; villages, schools or both).
    unit_kinds: frozenset[str]
    sheets: SheetBuilder | None = None
    document: DocumentBuilder | None = None
    person_data: bool = False  # names people: an export of personal data

    def render(self, request: ReportRequest, fmt: str) -> bytes:
        if fmt not in self.formats:
            raise IndicatorError(f"{self.title}没有 {fmt} 格式；可用：{'、'.join(self.formats)}")
        if self.document is not None:
            return self.document(request, fmt)
        assert self.sheets is not None
        sheets = self.sheets(request)
        if fmt == "pdf":
            return sheets_pdf(sheets)
        buffer = io.BytesIO()
        sheets_xlsx(sheets, buffer)
        return buffer.getvalue()


REPORTS: dict[str, ReportSpec] = {}

TOWN_ONLY = frozenset(TOWN_KINDS)
TOWN_AND_VILLAGES = frozenset(TOWN_KINDS | VILLAGE_KINDS)
TOWN_AND_SCHOOLS = frozenset(TOWN_KINDS | SCHOOL_KINDS)
EVERY_UNIT = frozenset(TOWN_KINDS | VILLAGE_KINDS | SCHOOL_KINDS)


def report_register(spec: ReportSpec) -> ReportSpec:
    REPORTS[spec.name] = spec
    return spec


def report_get(name: str) -> ReportSpec:
    _load()
    try:
        return REPORTS[name]
    except KeyError:
        raise IndicatorError(
            f"没有名为 {name} 的报表；可用的报表见 liangji report list:{'、'.join(REPORTS)}"
        ) from None


def reports_all() -> list[ReportSpec]:
    _load()
    return list(REPORTS.values())


def _load() -> None:
    # The modules defining reports register them when imported.
    from liangji.reports import documents, indicator_sheets, rosters, statistics  # noqa: F401


def report_request(
    *,
    school_year: int,
    town: Unit | None,
    unit_name: str | None = None,
    unit: Unit | None = None,
    user: Actor | None = None,
    unit_ids: Collection[int] | None = None,
    full_ids: bool = False,
    today: datetime.date,
) -> ReportRequest:
    from liangji.indicators.context import unit_by_name

    ctx = context_for(school_year=school_year, town=town)
    chosen = unit if unit is not None else unit_by_name(ctx.town, unit_name)
    return ReportRequest(
        school_year=ctx.school_year,
        town=ctx.town,
        unit=chosen,
        today=today,
        user=user,
        unit_ids=unit_ids,
        full_ids=full_ids,
    )


def check_unit(spec: ReportSpec, unit: Unit) -> None:
    if unit.kind not in spec.unit_kinds:
        raise IndicatorError(f"{spec.title}不按{unit.kind}编制（{unit.name}）；请指定其他单位")
