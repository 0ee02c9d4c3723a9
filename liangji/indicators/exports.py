"""Excel files of indicator reports and work lists (XlsxWriter, written straight to disk).

Writing only: who may export and the audit row are the services' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from liangji.indicators.report import IndicatorReport
from liangji.registers.spreadsheets import table_sheet_add, workbook_open
from liangji.registers.town_settings import SPECS

KIND_LABELS = {"town": "镇", "village": "村/社区", "school": "学校", "group": "特殊群体"}


def report_xlsx(report: IndicatorReport, path: Path) -> None:
    workbook = workbook_open(path)
    try:
        rows = [
            (
                unit.name,
                KIND_LABELS[unit.kind],
                value.name,
                value.numerator,
                value.denominator,
                None if value.value is None else float(value.value),
                f"{value.direction}{value.target}",
                {True: "达标", False: "未达标", None: "无数据"}[value.met],
                value.shortfall or None,
            )
            for unit in report.units
            for value in unit.indicators
        ]
        header = ["单位", "类型", "指标", "分子", "分母", "比率（%）", "目标", "结果", "差（人）"]
        table_sheet_add(workbook, f"{report.school_year}学年指标", header, rows)
        settings = [
            (key, SPECS[key].label if key in SPECS else "", v) for key, v in report.settings.items()
        ]
        table_sheet_add(workbook, "设置", ["设置项", "说明", "值"], settings)
    finally:
        workbook.close()


def table_xlsx(
    path: Path, sheet: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    workbook = workbook_open(path)
    try:
        table_sheet_add(workbook, sheet, header, rows)
    finally:
        workbook.close()
