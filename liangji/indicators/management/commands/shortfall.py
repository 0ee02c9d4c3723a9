from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.table import Table

from liangji.indicators.context import town_for, unit_by_name
from liangji.indicators.definitions import BY_CODE
from liangji.indicators.management.commands._console import render
from liangji.indicators.report import IndicatorError
from liangji.indicators.selectors import shortfall_list
from liangji.indicators.services import (
    SHORTFALL_HEADER,
    personal_listing_record,
    shortfall_export,
    shortfall_table,
)
from liangji.registers.services import town_resolve
from liangji.registers.town_settings import SettingError


class Command(BaseCommand):
    help = (
        "列出指标未达标背后的人员：liangji shortfall --indicator 代码 --school-year Y "
        "[--unit 名称] [--format table|xlsx]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicator", required=True, help="指标代码，例如 primary_enrollment")
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2023")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--unit", help="村（社区）或学校名称；默认全镇")
        parser.add_argument("--group", help="只列这个特殊群体，例如 建档立卡")
        parser.add_argument("--format", choices=["table", "xlsx"], default="table")
        parser.add_argument("--output", help="xlsx 文件路径（默认 shortfall-<代码>-<学年>.xlsx）")
        parser.add_argument(
            "--full-id", action="store_true", help="导出完整身份证号（默认只显示首尾四位）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code, year = options["indicator"], options["school_year"]
        try:
            if code not in BY_CODE:
                raise IndicatorError(f"未知的指标 {code}；可用的指标：{', '.join(BY_CODE)}")
            town = town_for(town_resolve(options["town"]) if options["town"] else None)
            unit = unit_by_name(town, options["unit"])
            rows = shortfall_list(code=code, school_year=year, unit=unit, group=options["group"])
        except (IndicatorError, SettingError) as exc:
            raise CommandError(str(exc)) from exc
        name = BY_CODE[code].name
        if options["format"] == "xlsx":
            path = Path(options["output"] or f"shortfall-{code}-{year}.xlsx")
            try:
                shortfall_export(
                    code=code,
                    school_year=year,
                    rows=rows,
                    unit=unit,
                    path=path,
                    user=None,
                    full_ids=options["full_id"],
                )
            except OSError as exc:
                raise CommandError(f"无法写入 {path}：{exc.strerror}；请换一个路径") from exc
            self.stdout.write(f"已写入 {path}（{len(rows)} 人）")
            return
        personal_listing_record(
            what=f"{name}未达标名单", school_year=year, unit=unit, count=len(rows), user=None
        )
        table = Table(title=f"{year}学年 {unit.name} {name}：未达标名单 {len(rows)} 人")
        for column in SHORTFALL_HEADER:
            table.add_column(column)
        for line in shortfall_table(rows, full_ids=False):
            table.add_row(*("" if cell is None else str(cell) for cell in line))
        render(self.stdout, table)
