"""The one invalidation rule for computed figures: every write that can change a town's
figures calls `data_changed(town=...)` inside its transaction.

Whatever keeps computed figures (the dashboard's indicators, the trend) keys them by
`data_version(town)`, read before computing. A write bumps the counter in the same transaction
as the data, so no reader sees new data under an old version; figures computed from data read
after a bump are kept under the older version and simply never asked for again.

Callers: the register services (person records, rolls, settings, lock and unlock), the
importer, and any app that writes into the register (literacy results, dropout outcomes go
through the register services). A write that does not know its town passes `town=None`: every
town is invalidated.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Greatest

from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import TownDataVersion, Unit

T = TypeVar("T")

# One computation per key at a time in a process: 200 requests arriving together on a cold
# key wait for the first one instead of each computing the same figures.
_computing: dict[str, threading.Lock] = {}
_computing_guard = threading.Lock()


def _next() -> Greatest:
    # At least the clock in microseconds: a restored backup brings back older counters, and a
    # version must never be one a running process already kept figures under.
    return Greatest(F("version") + 1, Value(time.time_ns() // 1000))


def _bump(town_ids: list[int]) -> None:
    rows = TownDataVersion.objects.filter(town_id__in=town_ids)
    if rows.update(version=_next()) == len(town_ids):
        return
    known = set(rows.values_list("town_id", flat=True))
    for town_id in town_ids:
        if town_id in known:
            continue
        try:
            with transaction.atomic():  # a savepoint: another writer may create the row first
                TownDataVersion.objects.create(town_id=town_id, version=time.time_ns() // 1000)
        except IntegrityError:
            TownDataVersion.objects.filter(town_id=town_id).update(version=_next())


def data_changed(*, town: Unit | int | None) -> None:
    """Invalidate every figure computed for `town`: a town, one of its villages or schools, or
    a town's id; None (or a county): every town. Call it inside the transaction of the write."""
    if isinstance(town, int):
        ids = [town]
    elif town is not None and town.town is not None:  # a village or school counts for its town
        ids = [town.town.pk]
    else:
        ids = list(Unit.objects.filter(kind__in=TOWN_KINDS).values_list("pk", flat=True))
    if ids:
        _bump(sorted(ids))


def data_version_latest() -> int:
    """The latest version of any town: it moves whenever any town's data changes (versions
    are at least the clock, so a later change always has a higher one)."""
    latest = TownDataVersion.objects.aggregate(latest=Max("version"))["latest"]
    return int(latest or 0)


def data_version(town: Unit | int) -> int:
    """The town's current data version (0 before its first change)."""
    town_id = town if isinstance(town, int) else town.pk
    version = (
        TownDataVersion.objects.filter(town_id=town_id).values_list("version", flat=True).first()
    )
    return version or 0


def kept(key: str, compute: Callable[[], T], seconds: int) -> T:
    """`compute()`, kept `seconds` in the cache under `key`, which must hold the data version
    read before the data (`data_version`, `data_version_latest`): a write moves the key."""
    value: T | None = cache.get(key)
    if value is not None:
        return value
    with _computing_guard:
        lock = _computing.setdefault(key, threading.Lock())
    with lock:
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
    with _computing_guard:
        _computing.pop(key, None)
    return value
