"""liangji inspection_plan --school-year Y --year 2025 [--town 名称]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.inspection.services.errors import InspectionRuleError
from liangji.inspection.services.plan import plan_create_from_template
from liangji.registers.models import SchoolYear
from liangji.registers.services import town_resolve
from liangji.registers.town_settings import SettingError


class Command(BaseCommand):
    help = "按五个阶段的模板为镇创建两基迎国检工作方案"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2024")
        parser.add_argument("--year", type=int, required=True, help="方案年度，例如 2025")
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")

    def handle(self, *args: Any, **options: Any) -> None:
        school_year = SchoolYear.objects.filter(year=options["school_year"]).first()
        if school_year is None:
            raise CommandError(f"没有 {options['school_year']} 学年的数据；请先导入该学年的工作簿")
        if not 2000 <= options["year"] <= 2100:
            raise CommandError(f"方案年度 {options['year']} 不合理，应为四位年份")
        try:
            town = town_resolve(options["town"])
            plan = plan_create_from_template(
                town=town, school_year=school_year, year_of_plan=options["year"], user=None
            )
        except (SettingError, InspectionRuleError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已创建：{plan.title}")
        for phase in plan.phases.order_by("order"):
            self.stdout.write(
                f"  {phase.order}. {phase.name} {phase.starts_on}—{phase.ends_on}"
                f"（{phase.tasks.count()} 项任务）"
            )
