"""The contract between the apps and the dashboard of the web shell: one line of overdue work.

An app with deadlines (控辍保学 visits, 整改 tasks) has a `dashboard.py` with a function
`overdue(*, user, school_year) -> list[OverdueItem]` that applies its own scope; the shell
(`liangji/web/dashboard.py`) lists those functions and shows what they return. This module sits
below every app and imports none of them, so that no app has to import the shell.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OverdueItem:
    label: str
    count: int
    url: str
    severity: str = "warn"  # "warn" | "bad"
