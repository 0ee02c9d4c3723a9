"""Template filters of the application: `{% load liangji %}`."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def mask_id(value: object) -> str:
    """An ID number with only its first and last four characters: 5118**********1234."""
    text = "" if value is None else str(value).strip()
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


@register.filter
def percent(value: object, decimals: int = 2) -> str:
    """A rate already in percent (99.05) as text, or "—" when there is none."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(str(value)):.{int(decimals)}f}%"
    except ValueError:
        return str(value)
