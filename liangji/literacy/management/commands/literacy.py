import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table
from rich.text import Text

from liangji.indicators.context import town_for
from liangji.indicators.management.commands._console import render
from liangji.indicators.report import IndicatorError
from liangji.literacy.report import LiteracyReport, literacy_report
from liangji.literacy.selectors import LedgerStatus
from liangji.registers.services import town_resolve
from liangji.registers.spreadsheets import table_sheet_add, workbook_open
from liangji.registers.town_settings import SettingError

KIND_LABELS = {"town": "镇", "village": "村/社区"}
VERDICT = {True: "达标", False: "未达标", None: "无数据"}


def _figure(value: Any) -> Text:
    if value.value is None:
        return Text("—（无统计人口）", style="dim")
    text = f"{value.value}% ({value.numerator}/{value.denominator},{value.direction}{value.target})"
    return Text(text, style="green" if value.met else "bold red")


def _table(report: LiteracyReport) -> Table:
    table = Table(title=f"{report.school_year}学年 扫盲（统计时点 {report.reference_date}）")
    for column in ("单位", "非文盲率", "复盲率", "扫盲对象", *LedgerStatus.LABELS.values()):
        table.add_column(
            column, justify="left" if column in {"单位", "非文盲率", "复盲率"} else "right"
        )
    for unit in report.units:
        table.add_row(
            f"{unit.name}（{KIND_LABELS[unit.kind]}）",
            _figure(unit.unit_literacy),
            _figure(unit.relapse_rate),
            str(unit.ledger.get("total", 0)),
            *(str(unit.ledger.get(key, 0)) for key in LedgerStatus.ORDER),
        )
    return table


def _xlsx(report: LiteracyReport, path: Path) -> None:
    header = ["单位", "类别", "指标", "分子", "分母", "比率（%）", "目标", "结果"]
    rows = [
        [unit.name, KIND_LABELS[unit.kind], v.name, v.numerator, v.denominator,
         None if v.value is None else float(v.value), f"{v.direction}{v.target}", VERDICT[v.met]]
        for unit in report.units
        for v in (unit.unit_literacy, unit.relapse_rate)
        if v is not None
    ]  # fmt: skip
    ledger_header = ["单位", "扫盲对象", *LedgerStatus.LABELS.values()]
    ledger = [
        [
            unit.name,
            unit.ledger.get("total", 0),
            *(unit.ledger.get(k, 0) for k in LedgerStatus.ORDER),
        ]
        for unit in report.units
    ]
    workbook = workbook_open(path)
    try:
        title = f"{report.school_year}学年 扫盲单位标准（统计时点 {report.reference_date}）"
        table_sheet_add(workbook, "扫盲单位标准", header, rows, title=title)
        table_sheet_add(workbook, "扫盲对象", ledger_header, ledger)
    finally:
        workbook.close()


class Command(BaseCommand):
    help = (
        "扫盲单位标准和扫盲对象统计："
        "liangji literacy --school-year Y [--town 名称] [--format table|json|xlsx]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2023")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--output", help="xlsx 文件路径（默认 literacy-<学年>.xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            town = town_for(town_resolve(options["town"]) if options["town"] else None)
            report = literacy_report(school_year=options["school_year"], town=town)
        except (IndicatorError, SettingError) as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        elif options["format"] == "xlsx":
            path = Path(options["output"] or f"literacy-{report.school_year}.xlsx")
            try:
                _xlsx(report, path)
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc.strerror}；请换一个路径") from exc
            self.stdout.write(f"已写入 {path}")
        else:
            render(self.stdout, _table(report))
