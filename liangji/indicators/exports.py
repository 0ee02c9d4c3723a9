"""Excel files of indicator reports and work lists (XlsxWriter, written straight to disk).

Writing only: who may export and the audit row are the services' business.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from liangji.indicators.report import IndicatorReport
from liangji.registers.town_settings import SPECS

KIND_LABELS = {"town": "镇", "village": "村/社区", "school": "学校", "group": "特殊群体"}


def _sheet(
    workbook: Any, name: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = workbook.add_worksheet(name)
    sheet.write_row(0, 0, header, bold)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, ["" if cell is None else cell for cell in row])
    sheet.freeze_panes(1, 0)
    for column, title in enumerate(header):
        widest = max([len(str(title)) * 2, *(len(str(r[column])) * 2 for r in rows[:500])])
        sheet.set_column(column, column, min(max(widest, 8), 60))


def report_xlsx(report: IndicatorReport, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path))
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
        header = ["单位", "类型", "指标", "分子", "分母", "比率(%)", "目标", "结果", "差(人)"]
        _sheet(workbook, f"{report.school_year}学年指标", header, rows)
        settings = [
            (key, SPECS[key].label if key in SPECS else "", v) for key, v in report.settings.items()
        ]
        _sheet(workbook, "设置", ["设置项", "说明", "值"], settings)
    finally:
        workbook.close()


def table_xlsx(
    path: Path, sheet: str, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    workbook = xlsxwriter.Workbook(str(path))
    try:
        _sheet(workbook, sheet[:31], header, rows)
    finally:
        workbook.close()
