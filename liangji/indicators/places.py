"""Where a child is on a day, for lists that read rows through the ORM (the 适龄儿童台账, the
shortfall reasons): the indicator engine's own SQL rules (`definitions.roll_enrolled_on`,
`definitions.exempted_on`) added to a queryset as 0/1 columns, so that a ledger, a shortfall
list and an indicator can never disagree about one child on one day.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.db.models.expressions import RawSQL

from liangji.indicators.definitions import exempted_on, roll_enrolled_on
from liangji.registers.models import Enrollment, PersonRecord


def _flag(condition: str) -> RawSQL:
    # The conditions inline only dates and vocabulary constants of `definitions` (never user
    # input), as everywhere in the engine.
    return RawSQL(f"CASE WHEN {condition} THEN 1 ELSE 0 END", [])


def roll_studying_on(day: datetime.date) -> RawSQL:
    """For an Enrollment queryset: 1 when the roll makes the pupil 在读 on `day`."""
    return _flag(roll_enrolled_on(day, e=connection.ops.quote_name(Enrollment._meta.db_table)))


def record_exempted_on(day: datetime.date) -> RawSQL:
    """For a PersonRecord queryset: 1 when a 免学/缓学 approval is valid on `day`."""
    return _flag(exempted_on(day, r=connection.ops.quote_name(PersonRecord._meta.db_table)))
