"""The statistical tables and rosters of the 两基档案: each catalogue entry liangji can fill from
a named report (`reports.catalogue`) is registered with the archive's generator registry in
AppConfig.ready(); `liangji archive generate` renders the report as Excel and files it.

The figures filed beside a document are what its sheets show: a roster's number of people per
unit, a table's rows (first cell → the other cells), so a register change makes it stale.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from liangji.archive.registry import GeneratedFile, register_generator
from liangji.indicators.report import IndicatorError
from liangji.registers.models import SchoolYear, Unit
from liangji.reports.catalogue import ReportRequest, ReportSpec, report_get, report_request
from liangji.reports.layout import Sheet, cell_text, sheets_xlsx

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


# catalogue entry → (report name, the unit level the catalogue keeps the entry at)
ENTRY_REPORTS = {
    "A2-8": ("tables", "town"),
    "Ⅱ-2": ("roster-pupils", "school"),
    "Ⅱ-4": ("roster-graduates", "school"),
    "Ⅳ-1": ("dropout", "school"),
    "Ⅳ-4": ("roster-dropouts", "school"),
}


def sheets_figures(spec: ReportSpec, sheets: list[Sheet]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for sheet in sheets:
        lines = [row for i, row in enumerate(sheet.rows) if i not in sheet.total_rows]
        if spec.person_data:
            figures.setdefault(sheet.title, {})[sheet.unit] = len(lines)
            continue
        table: dict[str, str] = {}
        for i, row in enumerate(sheet.rows):
            label = cell_text(row[0]) if row else ""
            cells = "|".join(cell_text(v) for v in row[1:])
            table[label if label and label not in table else f"{label}#{i + 1}"] = cells
        figures[f"{sheet.title}({sheet.unit})"] = table
    return figures


def _request(unit: Unit, school_year: SchoolYear, user: Actor | None) -> ReportRequest | None:
    """The report request for the unit (the whole unit: the archive's caller checked scope)."""
    if unit.town is None:
        return None
    try:
        return report_request(
            school_year=school_year.year,
            town=unit.town,
            unit=unit,
            user=user if getattr(user, "pk", None) else None,
            today=timezone.localdate(),
        )
    except IndicatorError:  # no register for the year: nothing to report
        return None


def _key(spec: ReportSpec) -> str:
    return f"reports.{spec.name}"


def _generate(name: str) -> Any:
    def generate(*, user: Actor | None, unit: Unit, school_year: SchoolYear) -> list[GeneratedFile]:
        spec = report_get(name)
        request = _request(unit, school_year, user)
        if request is None:
            return []
        assert spec.sheets is not None
        sheets = spec.sheets(request)
        return [
            GeneratedFile(
                title=f"{unit.name}{school_year.year}学年{spec.title}",
                filename=f"{unit.name}{school_year.year}{spec.title}.xlsx",
                content=_xlsx(sheets),
                figures=sheets_figures(spec, sheets),
                key=_key(spec),
            )
        ]

    return generate


def _xlsx(sheets: list[Sheet]) -> bytes:
    """The workbook of the sheets just built (as `ReportSpec.render` writes it), so the file
    shows exactly the figures filed beside it."""
    buffer = io.BytesIO()
    sheets_xlsx(sheets, buffer)
    return buffer.getvalue()


def _figures(name: str) -> Any:
    def figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
        spec = report_get(name)
        request = _request(unit, school_year, None)
        if request is None or spec.sheets is None:
            return {}
        return {_key(spec): sheets_figures(spec, spec.sheets(request))}

    return figures


def generators_register() -> None:
    for entry_code, (name, level) in ENTRY_REPORTS.items():
        register_generator(
            f"reports.{name}",
            entry_code,
            report_get(name).title,
            _generate(name),
            figures=_figures(name),
            unit_levels={level},
        )
