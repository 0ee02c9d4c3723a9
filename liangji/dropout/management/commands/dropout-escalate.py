"""liangji dropout-escalate: the daily check that turns overdue suspected dropouts into dropouts.

Run it once a day (the office PC's scheduled task); the town office can also run it from the
控辍保学 page. It lists the open cases past their step's deadline as well.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from liangji.dropout.models import CaseStatus, DropoutCase
from liangji.dropout.selectors import overdue_q, town_settings_many
from liangji.dropout.services import case_escalate_due
from liangji.dropout.workflow import DropoutError, step_deadline
from liangji.registers.services import SchoolYearLocked, town_resolve
from liangji.registers.town_settings import SettingError


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"日期 {raw} 格式不对，应写作 2024-10-08") from None


class Command(BaseCommand):
    help = "控辍保学每日检查：疑似辍学逾期未返校的转为辍学，并列出逾期未处理的个案"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument("--today", help="按哪一天检查（默认今天），例如 2024-10-08")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        try:
            town = town_resolve(options["town"])
            escalated = case_escalate_due(today=today, user=None, town=town)
        except (SettingError, DropoutError, SchoolYearLocked) as exc:
            raise CommandError(str(exc)) from exc
        for case in escalated:
            self.stdout.write(
                f"转为辍学：{case.child_name}（自 {case.absent_since or case.opened_on}）"
            )
        settings = town_settings_many([town.pk])
        overdue = (
            DropoutCase.objects.filter(town=town, status=CaseStatus.OPEN)
            .filter(overdue_q(settings, today))
            .select_related("village", "school")
            .order_by("step_date")
        )
        count = 0
        for case in overdue:
            count += 1
            deadline = step_deadline(settings[town.pk], case.step, case.step_date)
            self.stdout.write(
                f"逾期：{case.child_name} {case.village or ''} {case.school or ''} "
                f"{case.get_step_display()}后应于 {deadline} 前进入下一步"
                f"（责任人 {case.village_person}、{case.school_person}）"
            )
        self.stdout.write(f"{town} {today}：{len(escalated)} 个个案转为辍学，{count} 个个案逾期。")
