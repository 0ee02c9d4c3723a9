import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table
from rich.text import Text

from liangji.indicators.context import town_for, unit_by_name
from liangji.indicators.exports import KIND_LABELS, report_xlsx
from liangji.indicators.management.commands._console import render
from liangji.indicators.report import IndicatorError, IndicatorReport
from liangji.indicators.selectors import indicators_report
from liangji.registers.choices import PriorityGroup
from liangji.registers.services import town_resolve
from liangji.registers.town_settings import SettingError


def _table(report: IndicatorReport) -> Table:
    table = Table(
        title=f"{report.school_year}学年 两基指标（统计时点 {report.reference_date}）",
        show_lines=False,
    )
    for column in ("单位", "指标", "分子", "分母", "比率（%）", "目标", "结果"):
        table.add_column(
            column, justify="right" if column in {"分子", "分母", "比率（%）"} else "left"
        )
    for unit in report.units:
        for index, value in enumerate(unit.indicators):
            if value.met is None:
                verdict = Text("无数据", style="dim")
            elif value.met:
                verdict = Text("达标", style="green")
            else:
                verdict = Text(f"未达标，差 {value.shortfall} 人", style="bold red")
            rate = "—" if value.value is None else str(value.value)
            table.add_row(
                f"{unit.name}（{KIND_LABELS[unit.kind]}）" if index == 0 else "",
                value.name,
                str(value.numerator),
                str(value.denominator),
                Text(rate, style="red") if value.met is False else rate,
                f"{value.direction}{value.target}",
                verdict,
                end_section=index == len(unit.indicators) - 1,
            )
    return table


class Command(BaseCommand):
    help = (
        "计算两基指标：liangji indicators --school-year Y [--unit 名称] [--format table|json|xlsx]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2023")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--unit", help="只显示这个村（社区）或学校")
        parser.add_argument("--group", help="只显示这个特殊群体，例如 留守儿童")
        parser.add_argument("--format", choices=["table", "json", "xlsx"], default="table")
        parser.add_argument("--output", help="xlsx 文件路径（默认 indicators-<学年>.xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            town = town_for(town_resolve(options["town"]) if options["town"] else None)
            report = indicators_report(school_year=options["school_year"], town=town)
            report = self._filtered(report, town, options["unit"], options["group"])
        except (IndicatorError, SettingError) as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        elif options["format"] == "xlsx":
            path = Path(options["output"] or f"indicators-{report.school_year}.xlsx")
            try:
                report_xlsx(report, path)
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc.strerror}；请换一个路径") from exc
            self.stdout.write(f"已写入 {path}")
        else:
            render(self.stdout, _table(report))

    def _filtered(
        self, report: IndicatorReport, town: Any, unit: str | None, group: str | None
    ) -> IndicatorReport:
        if group:
            if group not in PriorityGroup.values:
                raise IndicatorError(
                    f"未知的特殊群体 {group}；可用的：{'、'.join(PriorityGroup.values)}"
                )
            label = PriorityGroup(group).label
            units = [u for u in report.units if u.kind == "group" and u.name == label]
            if not units:
                raise IndicatorError(f"{report.school_year} 学年 {town.name} 没有 {group} 人员")
        elif unit:
            resolved = unit_by_name(town, unit)
            units = [u for u in report.units if u.unit_id == resolved.pk]
        else:
            return report
        return IndicatorReport(report.school_year, report.reference_date, report.settings, units)
