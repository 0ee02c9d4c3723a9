"""Template filters of the application: `{% load liangji %}`."""

from __future__ import annotations

from django import template

from liangji.registers.privacy import mask_id

register = template.Library()


@register.filter(name="mask_id")
def mask_id_filter(value: object) -> str:
    """The registers' privacy rule as a filter: `{{ person.id_number|mask_id }}`."""
    return mask_id(value)


@register.filter
def percent(value: object, decimals: int = 2) -> str:
    """A rate already in percent (99.05) as text, or "—" when there is none."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(str(value)):.{int(decimals)}f}%"
    except ValueError:
        return str(value)
