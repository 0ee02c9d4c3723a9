"""The dashboard's lines for 迎检准备: overdue plan tasks and overdue rectifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from liangji.accounts.scope import can
from liangji.inspection.selectors import rectifications_overdue, tasks_overdue
from liangji.overdue import OverdueItem
from liangji.registers.models import SchoolYear

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


def overdue(*, user: Actor, school_year: SchoolYear | None) -> list[OverdueItem]:
    if not can(user, "inspection.view"):
        return []
    today = timezone.localdate()
    items = []
    tasks = len(tasks_overdue(user=user, today=today, school_year=school_year))
    if tasks:
        items.append(
            OverdueItem("迎检准备：超期未完成的工作任务", tasks, reverse("inspection:plan"))
        )
    rectifications = len(rectifications_overdue(user=user, today=today, school_year=school_year))
    if rectifications:
        url = reverse("inspection:rectification_list")
        items.append(OverdueItem("迎检准备：超期未销号的整改任务", rectifications, url, "bad"))
    return items
