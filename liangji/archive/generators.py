"""The generated files made from the layers below the archive: the 文化户口册 (B1-1) and the
复学、转学、休学学生花名册 (Ⅳ-2) from the registers' list exports, and the 两基主要指标汇总表 (A1-3)
from the indicators' workbook.

The registers and the indicators sit below the archive and cannot import its registry, so the
archive registers these itself (ArchiveConfig.ready()), calling their export functions; the
apps above it (dropout, inspection, literacy, reports) register their own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from liangji.archive.registry import GeneratedFile, register_generator
from liangji.indicators.exports import report_xlsx
from liangji.indicators.figures import indicators_report
from liangji.indicators.report import IndicatorError, IndicatorReport
from liangji.registers.choices import VILLAGE_KINDS, RollEventKind
from liangji.registers.exports import (
    PERSON_HEADER,
    ROLL_HEADER,
    person_rows,
    register_list_export,
    roll_rows,
)
from liangji.registers.models import Enrollment, PersonRecord, SchoolYear, Unit
from liangji.registers.services import town_settings_get

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor

HOUSEHOLD_BOOK = "文化户口册"
ROLL_CHANGES = "复学、转学、休学学生花名册"
# The roll changes Ⅳ-2 lists: suspensions, returns and transfers (out, and in from a school).
ROLL_CHANGE_EVENTS = Q(
    events__kind__in=[RollEventKind.SUSPENDED, RollEventKind.RESUMED, RollEventKind.TRANSFERRED_OUT]
) | Q(events__kind=RollEventKind.ENTERED, events__other_school__gt="")


def _records(unit: Unit, school_year: SchoolYear) -> QuerySet[PersonRecord]:
    villages = Q(village=unit) if unit.is_village else Q(village__parent=unit)
    return (
        PersonRecord.objects.filter(villages, school_year=school_year)
        .filter(village__kind__in=VILLAGE_KINDS)
        .select_related("person", "village", "household")
        .order_by("village__name", "household__number", "person__birth_date", "pk")
    )


def household_book_figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
    """{"人数": {village: n}, "户数": {village: n}}: what the book shows, per village."""
    people: dict[str, int] = {}
    households: dict[str, set[int]] = {}
    for village, household_id in _records(unit, school_year).values_list(
        "village__name", "household_id"
    ):
        people[village] = people.get(village, 0) + 1
        households.setdefault(village, set()).add(household_id)
    figures = {"人数": people, "户数": {v: len(ids) for v, ids in households.items()}}
    return {HOUSEHOLD_BOOK: figures}


def household_book_generate(
    *, user: ArchiveActor, unit: Unit, school_year: SchoolYear
) -> list[GeneratedFile]:
    town = unit.town
    if town is None:
        return []
    day = town_settings_get(town, school_year).reference_date(school_year.year)
    records = _records(unit, school_year)
    content = register_list_export(
        what=f"{unit.name}{HOUSEHOLD_BOOK}",
        header=PERSON_HEADER,
        rows=person_rows(records.iterator(chunk_size=2000), day),
        school_year=school_year.year,
        filters={"unit": unit.name, "archive": HOUSEHOLD_BOOK},
        user=user,
    )
    figures = household_book_figures(unit=unit, school_year=school_year)[HOUSEHOLD_BOOK]
    return [
        GeneratedFile(
            title=f"{unit.name}{school_year.year}学年{HOUSEHOLD_BOOK}",
            filename=f"{unit.name}{school_year.year}{HOUSEHOLD_BOOK}.xlsx",
            content=content,
            figures=figures,
            key=HOUSEHOLD_BOOK,
        )
    ]


def _roll_changes(unit: Unit, school_year: SchoolYear) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(school=unit, school_year=school_year)
        .filter(ROLL_CHANGE_EVENTS)
        .distinct()
        .select_related("school")
        .order_by("grade", "class_name", "name", "pk")
    )


def roll_changes_figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
    by_status: dict[str, int] = {}
    for status in _roll_changes(unit, school_year).values_list("status", flat=True):
        by_status[status] = by_status.get(status, 0) + 1
    return {ROLL_CHANGES: {"人数": {unit.name: sum(by_status.values())}, "学籍状态": by_status}}


def roll_changes_generate(
    *, user: ArchiveActor, unit: Unit, school_year: SchoolYear
) -> list[GeneratedFile]:
    content = register_list_export(
        what=f"{unit.name}{ROLL_CHANGES}",
        header=ROLL_HEADER,
        rows=roll_rows(_roll_changes(unit, school_year)),
        school_year=school_year.year,
        filters={"unit": unit.name, "archive": ROLL_CHANGES},
        user=user,
    )
    return [
        GeneratedFile(
            title=f"{unit.name}{school_year.year}学年{ROLL_CHANGES}",
            filename=f"{unit.name}{school_year.year}{ROLL_CHANGES}.xlsx",
            content=content,
            figures=roll_changes_figures(unit=unit, school_year=school_year)[ROLL_CHANGES],
            key=ROLL_CHANGES,
        )
    ]


INDICATOR_SUMMARY = "两基主要指标汇总表"


def _indicator_report(unit: Unit, school_year: SchoolYear) -> IndicatorReport | None:
    try:
        return indicators_report(school_year=school_year.year, town=unit, include_groups=False)
    except IndicatorError:  # no register imported for the year yet: nothing to summarise
        return None


def indicator_summary_figures_of(report: IndicatorReport) -> dict[str, Any]:
    """{indicator: {unit: value}}, as the workbook shows them."""
    figures: dict[str, dict[str, Any]] = {}
    for unit in report.units:
        for value in unit.indicators:
            shown = None if value.value is None else str(value.value)
            figures.setdefault(value.name, {})[unit.name] = shown
    return figures


def indicator_summary_figures(*, unit: Unit, school_year: SchoolYear) -> dict[str, dict[str, Any]]:
    report = _indicator_report(unit, school_year)
    return {} if report is None else {INDICATOR_SUMMARY: indicator_summary_figures_of(report)}


def indicator_summary_generate(
    *, user: ArchiveActor, unit: Unit, school_year: SchoolYear
) -> list[GeneratedFile]:
    report = _indicator_report(unit, school_year)
    if report is None:
        return []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "indicators.xlsx"
        report_xlsx(report, path)
        content = path.read_bytes()
    return [
        GeneratedFile(
            title=f"{unit.name}{school_year.year}学年{INDICATOR_SUMMARY}",
            filename=f"{unit.name}{school_year.year}{INDICATOR_SUMMARY}.xlsx",
            content=content,
            figures=indicator_summary_figures_of(report),
            key=INDICATOR_SUMMARY,
        )
    ]


def generators_register() -> None:
    register_generator(
        "registers.household_book",
        "B1-1",
        HOUSEHOLD_BOOK,
        household_book_generate,
        figures=household_book_figures,
        unit_levels={"town", "village"},
    )
    register_generator(
        "registers.roll_changes",
        "Ⅳ-2",
        ROLL_CHANGES,
        roll_changes_generate,
        figures=roll_changes_figures,
        unit_levels={"school"},
    )
    register_generator(
        "indicators.summary",
        "A1-3",
        INDICATOR_SUMMARY,
        indicator_summary_generate,
        figures=indicator_summary_figures,
        unit_levels={"town"},
    )
