"""The dashboard's line for 扫盲: graduates whose re-test (复查) is past due."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from liangji.accounts.scope import can
from liangji.literacy.selectors import retests_due
from liangji.overdue import OverdueItem
from liangji.registers.models import SchoolYear

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


def overdue(*, user: Actor, school_year: SchoolYear | None) -> list[OverdueItem]:
    if not can(user, "literacy.view"):
        return []
    count = sum(1 for due in retests_due(user=user, today=timezone.localdate()) if due.overdue)
    if not count:
        return []
    return [OverdueItem("扫盲：脱盲人员复查已到期", count, reverse("literacy:retest_list"))]
