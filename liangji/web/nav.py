"""The navigation: one entry per page of the top bar, a plain list the shell owns.

A new app with pages adds its entry here (the apps never import the shell). An entry is shown
when its URL name resolves and the user's role has the entry's capability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse

from liangji.accounts.scope import can

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    capability: str
    order: int


NAV_ENTRIES: list[NavEntry] = [
    NavEntry("工作台", "web:dashboard", "dashboard.view", 10),
    NavEntry("人口", "registers:person_list", "population.view", 20),
    NavEntry("户", "registers:household_list", "population.view", 30),
    NavEntry("学籍", "registers:enrollment_list", "rolls.view", 40),
    NavEntry("工作清单", "indicators:worklist", "worklist.view", 50),
    NavEntry("导入", "imports:import_list", "import.run", 60),
    NavEntry("控辍保学", "dropout:home", "dropout.view", 70),
    NavEntry("扫盲", "literacy:home", "literacy.view", 75),
    NavEntry("迎检准备", "inspection:home", "inspection.view", 80),
    NavEntry("报表", "reports:home", "reports.view", 85),
    NavEntry("两基档案", "archive:home", "archive.view", 87),
    NavEntry("学年审核", "registers:year_list", "dashboard.view", 90),
    NavEntry("用户", "accounts:user_list", "users.manage", 100),
    NavEntry("审计日志", "accounts:audit_log", "audit.view", 110),
]


def nav_for(user: Actor, path: str) -> list[dict[str, Any]]:
    """The entries this user sees, each with its URL and whether it is the current page."""
    items = []
    for entry in sorted(NAV_ENTRIES, key=lambda e: e.order):
        if not can(user, entry.capability):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # the app providing this page is not there (yet)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
