from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from liangji.indicators.context import town_for
from liangji.indicators.management.commands._console import render
from liangji.indicators.reconciliation import ReconciliationReport
from liangji.indicators.report import IndicatorError
from liangji.indicators.selectors import reconciliation_run
from liangji.indicators.services import personal_listing_record, table_export
from liangji.registers.services import town_resolve
from liangji.registers.town_settings import SettingError

HEADER = ["类别", "涉及人员", "情况", "建议处理", "处理方式"]


def _rows(report: ReconciliationReport) -> list[list[object]]:
    return [
        [
            line.kind,
            "；".join(f"{w.name}（{w.birth_date}，{w.where}）" for w in line.people),
            line.details,
            line.resolution,
            line.suggestion,
        ]
        for line in report.lines
    ]


class Command(BaseCommand):
    help = "四查三比对：liangji reconcile --school-year Y [--format table|xlsx]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2023")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--format", choices=["table", "xlsx"], default="table")
        parser.add_argument("--output", help="xlsx 文件路径（默认 reconcile-<学年>.xlsx）")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["school_year"]
        try:
            town = town_for(town_resolve(options["town"]) if options["town"] else None)
            report = reconciliation_run(school_year=year, town=town)
        except (IndicatorError, SettingError) as exc:
            raise CommandError(str(exc)) from exc
        rows = _rows(report)
        if options["format"] == "xlsx":
            path = Path(options["output"] or f"reconcile-{year}.xlsx")
            try:
                table_export(
                    what="比对结果",
                    school_year=year,
                    unit=town,
                    header=HEADER,
                    rows=rows,
                    path=path,
                    user=None,
                )
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc.strerror}；请换一个路径") from exc
            self.stdout.write(f"已写入 {path}（{len(rows)} 条）")
            return
        personal_listing_record(
            what="比对结果", school_year=year, unit=town, count=len(rows), user=None
        )
        summary = Table(title=f"{year}学年 {town.name} 四查三比对：共 {len(rows)} 条")
        summary.add_column("类别")
        summary.add_column("条数", justify="right")
        for kind, count in report.counts().items():
            summary.add_row(kind, str(count))
        detail = Table(show_lines=True)
        for column in HEADER:
            detail.add_column(column)
        for row in rows:
            detail.add_row(*(str(cell) for cell in row))
        render(self.stdout, summary, detail)
