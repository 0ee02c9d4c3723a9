"""What the dashboard shows beyond the indicators: the overdue work of the apps with deadlines.

A plain list, read by the shell: each entry is an app's `dashboard.overdue` function (see
`liangji/overdue.py` for the contract). A new app with deadlines adds its function here; the apps
never import the shell. One failing app must not take the dashboard down: its error is logged
and a line says that part could not be shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.apps import apps

from liangji.archive import dashboard as archive_dashboard
from liangji.dropout import dashboard as dropout_dashboard
from liangji.inspection import dashboard as inspection_dashboard
from liangji.literacy import dashboard as literacy_dashboard
from liangji.overdue import OverdueItem
from liangji.registers.models import SchoolYear

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


logger = logging.getLogger("liangji.web")

OverdueSource = Callable[..., list[OverdueItem]]

OVERDUE_SOURCES: list[OverdueSource] = [
    dropout_dashboard.overdue,
    inspection_dashboard.overdue,
    literacy_dashboard.overdue,
    archive_dashboard.overdue,
]


def overdue_items(*, user: Actor, school_year: SchoolYear | None) -> list[OverdueItem]:
    items: list[OverdueItem] = []
    for source in OVERDUE_SOURCES:
        try:
            items.extend(source(user=user, school_year=school_year))
        except Exception:  # one app's failure must not hide the rest of the dashboard
            logger.exception("overdue source %s.%s failed", source.__module__, source.__name__)
            app = apps.get_containing_app_config(source.__module__)
            name = app.verbose_name if app is not None else source.__module__
            items.append(OverdueItem(f"部分待办事项暂时无法显示（{name}）", 0, "", "bad"))
    return items
