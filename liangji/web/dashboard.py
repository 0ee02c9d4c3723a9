"""What the dashboard shows beyond the indicators: overdue work, registered by other apps.

An app with deadlines (控辍保学 visits, 整改 tasks) registers a provider, typically in its
AppConfig.ready():

    from liangji.web.dashboard import OverdueItem, overdue_provider_register

    @overdue_provider_register
    def dropout_overdue(user, school_year):
        n = case_overdue_count(user=user)          # the app's own scoped selector
        return [OverdueItem("控辍保学:超期未处理的个案", n, reverse("dropout:home"))] if n else []

A provider takes the acting user (and the school year shown, possibly None), applies its own
scope and returns a short list. One failing provider must not take the dashboard down: its
error is logged and a line says that part could not be shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liangji.registers.models import SchoolYear

logger = logging.getLogger("liangji.web")


@dataclass(frozen=True)
class OverdueItem:
    label: str
    count: int
    url: str
    severity: str = "warn"  # "warn" | "bad"


OverdueProvider = Callable[[Any, SchoolYear | None], list[OverdueItem]]
OVERDUE_PROVIDERS: list[OverdueProvider] = []


def overdue_provider_register(provider: OverdueProvider) -> OverdueProvider:
    """Add a provider (idempotent, so that a re-imported module does not count twice)."""
    if provider not in OVERDUE_PROVIDERS:
        OVERDUE_PROVIDERS.append(provider)
    return provider


def overdue_items(*, user: Any, school_year: SchoolYear | None) -> list[OverdueItem]:
    items: list[OverdueItem] = []
    for provider in OVERDUE_PROVIDERS:
        try:
            items.extend(provider(user, school_year))
        except Exception:  # one app's failure must not hide the rest of the dashboard
            logger.exception("overdue provider %r failed", provider)
            name = getattr(provider, "__name__", "")
            items.append(OverdueItem(f"部分待办事项暂时无法显示({name})", 0, "", "bad"))
    return items
