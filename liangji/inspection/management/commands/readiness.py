"""liangji readiness --school-year Y [--town 名称] [--format table|json]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liangji.archive.selectors import COMMAND_LINE
from liangji.archive.selectors import completeness as unit_completeness
from liangji.inspection.readiness import UnitReadiness, readiness_compute
from liangji.inspection.selectors import indicator_report_for
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.services import town_resolve
from liangji.registers.town_settings import SettingError


class Command(BaseCommand):
    help = "迎检条件：镇和各村（社区）、学校是否具备迎检条件及原因（一票否决在前）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2024")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            town = town_resolve(options["town"])
        except SettingError as exc:
            raise CommandError(str(exc)) from exc
        school_year = SchoolYear.objects.filter(year=options["school_year"]).first()
        if school_year is None:
            raise CommandError(f"没有 {options['school_year']} 学年的数据；请先导入该学年的工作簿")
        report = indicator_report_for(town=town, school_year=school_year, unit_ids=None)
        result = readiness_compute(
            user=None, town=town, school_year=school_year, report=report,
            today=timezone.localdate(),
        )  # fmt: skip
        assert result is not None and result.town is not None  # the CLI sees its whole town
        rows = [result.town, *result.units]
        archive = {row.unit.pk: _archive_line(row.unit, school_year) for row in rows}
        if options["format"] == "json":
            out = [_as_json(row) | {"archive": archive[row.unit.pk][1]} for row in rows]
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        if report is None:
            self.stdout.write("注意：本学年的指标无法计算，涉及指标的项目按未达到处理。")
        for row in rows:
            verdict = "具备迎检条件" if row.ready else "一票否决" if row.vetoed else "尚不具备"
            self.stdout.write(f"{row.unit.name}：{verdict}")
            for reason in row.sorted_reasons():
                self.stdout.write(f"    {'【一票否决】' if reason.veto else ''}{reason.text}")
            self.stdout.write(f"    {archive[row.unit.pk][0]}")
        ready = sum(1 for row in result.units if row.ready)
        self.stdout.write(f"合计：{len(result.units)} 个单位，{ready} 个具备迎检条件。")


def _archive_line(unit: Unit, school_year: SchoolYear) -> tuple[str, dict[str, Any]]:
    """The unit's own archive completeness (一要就有), shown beside its readiness."""
    result = unit_completeness(user=COMMAND_LINE, unit=unit, school_year=school_year)
    percent = "—" if result.percent is None else f"{result.percent}%"
    text = f"两基档案完整率 {percent}（缺 {len(result.missing)} 项"
    if result.claimed_without_file:
        text += f"，其中登记“有证明”却无文件 {result.claimed_without_file} 人"
    return text + ")", {
        "percent": None if result.percent is None else str(result.percent),
        "missing": len(result.missing),
        "claimed_without_file": result.claimed_without_file,
    }


def _as_json(row: UnitReadiness) -> dict[str, Any]:
    return {
        "unit": row.unit.name,
        "ready": row.ready,
        "vetoed": row.vetoed,
        "reasons": [
            {"text": r.text, "veto": r.veto, "item": r.item_code} for r in row.sorted_reasons()
        ],
    }
