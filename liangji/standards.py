"""The contract between the inspection standard and the apps whose data judge its items.

Inspection judges most automatic items from its own registers; an item whose evidence is kept
by a sibling app (the 扫盲 unit standard, kept by `literacy`) is judged by a function that app
registers here from its AppConfig.ready(). Inspection and literacy sit in the same layer and
never import each other; this module sits below every app and imports none of them.

A judge takes the units to judge (towns and villages) and the school year, and returns, per
unit id, the problems found (empty: the item is met), worded for the readiness page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Judge = Callable[..., dict[int, list[str]]]  # judge(*, units: Iterable[Unit], school_year)

JUDGES: dict[str, Judge] = {}


def judge_register(key: str, judge: Judge) -> None:
    """Declare the judge of one kind of item (idempotent: a re-imported module replaces it)."""
    JUDGES[key] = judge


def judge_run(key: str, *, units: Iterable[Any], school_year: Any) -> dict[int, list[str]]:
    """The problems per unit; a judge that is not installed says so instead of passing."""
    unit_list = list(units)
    judge = JUDGES.get(key)
    if judge is None:
        return {u.pk: [f"判定功能（{key}）未安装，无法判定"] for u in unit_list}
    return judge(units=unit_list, school_year=school_year)
