from __future__ import annotations

from django import template

from liangji.audit.labels import entity_label as _entity_label

register = template.Library()


@register.filter
def entity_label(entity: str) -> str:
    return _entity_label(entity)
