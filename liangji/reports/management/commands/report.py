from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liangji.indicators.report import IndicatorError
from liangji.registers.services import town_resolve
from liangji.registers.town_settings import SettingError
from liangji.reports.catalogue import check_unit, report_get, report_request, reports_all
from liangji.reports.services import report_export_record


class Command(BaseCommand):
    help = (
        "报表：liangji report list;"
        "liangji report NAME --school-year Y [--unit 名称] [--format xlsx|pdf|docx] [--output FILE]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="报表名称（list 列出全部报表）")
        parser.add_argument("--school-year", type=int, help="学年，例如 2023")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--unit", help="村（社区）或学校名称；默认全镇")
        parser.add_argument("--format", choices=["xlsx", "pdf", "docx"])
        parser.add_argument("--output", help="输出文件（默认 <报表>-<单位>-<学年>.<格式>）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["name"] == "list":
            for spec in reports_all():
                units = "、".join(sorted({_unit_word(k) for k in spec.unit_kinds}))
                self.stdout.write(
                    f"{spec.name}\t{spec.title}\t{spec.kind}\t{'/'.join(spec.formats)}\t{units}"
                )
            return
        if options["school_year"] is None:
            raise CommandError("请用 --school-year 指定学年，例如 --school-year 2023")
        try:
            spec = report_get(options["name"])
            town = town_resolve(options["town"]) if options["town"] else None
            request = report_request(
                school_year=options["school_year"],
                town=town,
                unit_name=options["unit"],
                today=timezone.localdate(),
            )
            check_unit(spec, request.unit)
            fmt = options["format"] or spec.formats[0]
            content = spec.render(request, fmt)
        except (IndicatorError, SettingError) as exc:
            raise CommandError(str(exc)) from exc
        year = request.school_year.year
        path = Path(options["output"] or f"{spec.name}-{request.unit.name}-{year}.{fmt}")
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc.strerror}；请换一个路径") from exc
        report_export_record(
            user=None, what=spec.title, unit=request.unit, school_year=year, rows=0, fmt=fmt,
            target=str(path),
        )  # fmt: skip
        self.stdout.write(f"已写入 {path}")


def _unit_word(kind: str) -> str:
    from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS

    if kind in VILLAGE_KINDS:
        return "村"
    if kind in SCHOOL_KINDS:
        return "学校"
    return "镇"
