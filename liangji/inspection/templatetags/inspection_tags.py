"""The town picker of the inspection pages, shown only to users who see more than one town."""

from __future__ import annotations

from typing import Any

from django import template

from liangji.accounts.models import Role
from liangji.indicators.definitions import DEFINITIONS
from liangji.inspection.selectors import towns_visible

register = template.Library()


@register.inclusion_tag("inspection/_town_picker.html", takes_context=True)
def town_picker(context: dict[str, Any], town: Any = None) -> dict[str, Any]:
    request = context["request"]
    # Only a county inspector sees several towns; everyone else works in one.
    towns = list(towns_visible(request.user)) if request.user.role == Role.INSPECTOR else []
    return {"towns": towns, "town": town}


_INDICATOR_NAMES = {d.code: d.name for d in DEFINITIONS}


@register.filter
def indicator_names(codes: str) -> str:
    """ "primary_enrollment,literacy_15_50" → "小学适龄儿童入学率、15–50周岁人口非文盲率"."""
    names = [_INDICATOR_NAMES.get(c.strip(), c.strip()) for c in codes.split(",") if c.strip()]
    return "、".join(names)
