"""The dashboard's line for the 两基档案 (the contract of `liangji/overdue.py`): what the user's
unit still misses for the school year shown, and generated documents whose figures changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from liangji.accounts.scope import can
from liangji.archive.selectors import completeness
from liangji.archive.services import unit_level_of
from liangji.overdue import OverdueItem
from liangji.registers.models import SchoolYear

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


def overdue(*, user: Actor, school_year: SchoolYear | None) -> list[OverdueItem]:
    unit = getattr(user, "unit", None)
    if school_year is None or unit is None or not can(user, "archive.view"):
        return []
    if unit_level_of(unit) is None:
        return []  # a county: its towns' archives are on the archive page, town by town
    result = completeness(user=user, unit=unit, school_year=school_year)
    if not result.missing:
        return []
    url = f"{reverse('archive:home')}?unit={unit.pk}"
    # The shell appends the count ("…：71"), so the label names what is counted, not the number.
    detail = f"完整率 {result.percent}%"
    if result.claimed_without_file:
        detail += f"；登记“有证明”却无文件 {result.claimed_without_file} 人"
    label = f"两基档案：缺少的必备材料（{detail}）"
    return [OverdueItem(label, len(result.missing), url, "warn")]
