from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.table import Table

from liangji.indicators.context import town_for
from liangji.indicators.management.commands._console import render
from liangji.indicators.report import IndicatorError
from liangji.indicators.selectors import dropout_crosscheck
from liangji.registers.services import town_resolve
from liangji.registers.town_settings import SettingError
from liangji.reports.indicator_sheets import crosscheck_sheets
from liangji.reports.layout import sheets_xlsx
from liangji.reports.services import report_export_record

HEADER = ["学校", "学段", "期初在册", "入学/复学", "转出", "死亡", "毕业", "期末在册",
          "流量法辍学", "事件法辍学", "结论"]  # fmt: skip


class Command(BaseCommand):
    help = (
        "辍学率校验表（流量法与事件法逐人核对）："
        "liangji crosscheck --school-year Y [--format table|xlsx]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2023")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--format", choices=["table", "xlsx"], default="table")
        parser.add_argument("--output", help="xlsx 文件路径（默认 crosscheck-<学年>.xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["school_year"]
        try:
            town = town_for(town_resolve(options["town"]) if options["town"] else None)
            rows = dropout_crosscheck(school_year=year, town=town)
        except (IndicatorError, SettingError) as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "xlsx":
            path = Path(options["output"] or f"crosscheck-{year}.xlsx")
            sheets = crosscheck_sheets(
                rows, town=town, school_year=year, today=timezone.localdate()
            )
            try:
                sheets_xlsx(sheets, path)
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc.strerror}；请换一个路径") from exc
            report_export_record(
                user=None, what="辍学率校验表", unit=town, school_year=year,
                rows=sum(len(s.rows) for s in sheets), fmt="xlsx", target=str(path),
            )  # fmt: skip
            self.stdout.write(f"已写入 {path}")
            return
        summary = Table(title=f"{year}学年 {town.name} 辍学率校验表")
        for column in HEADER:
            summary.add_column(column)
        for r in rows:
            summary.add_row(
                r.school, r.level, *(str(n) for n in (
                    r.roll_at_start, r.entries, r.transfers_out, r.deaths, r.graduations,
                    r.roll_at_end, r.flow_dropouts, r.event_dropouts)),
                r.finding or "一致或差异可解释",
            )  # fmt: skip
        pupils = Table(title="逐人差异")
        for column in ["学校", "学段", "姓名", "年级", "流量法退出", "事件法辍学", "说明"]:
            pupils.add_column(column)
        for r in rows:
            for p in r.pupils:
                pupils.add_row(r.school, r.level, p.name, str(p.grade), str(p.flow_exits),
                               str(p.event_dropout), p.explanation)  # fmt: skip
        report_export_record(
            user=None, what="辍学率校验表", unit=town, school_year=year,
            rows=sum(len(r.pupils) for r in rows), fmt="table",
        )  # fmt: skip
        render(self.stdout, summary, pupils)
