"""The dashboard's line for 控辍保学: the user's open cases past their step's deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from liangji.accounts.scope import can
from liangji.dropout.selectors import case_overdue_count
from liangji.overdue import OverdueItem
from liangji.registers.models import SchoolYear

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


def overdue(*, user: Actor, school_year: SchoolYear | None) -> list[OverdueItem]:
    if not can(user, "dropout.view"):
        return []
    count = case_overdue_count(user=user, today=timezone.localdate())
    if not count:
        return []
    url = f"{reverse('dropout:home')}?status=open&overdue=on"
    return [OverdueItem("控辍保学：逾期未处理的个案", count, url, "bad")]
