"""Reads for the pages. Every selector takes the acting user and applies the scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liangji.accounts.scope import person_scope_q, scope_filter
from liangji.registers.models import Enrollment, Household, Person, PersonRecord, SchoolYear


@dataclass(frozen=True)
class RegisterCounts:
    households: int
    people: int
    records: int
    pupils: int


def register_counts(*, user: Any, school_year: SchoolYear | None) -> RegisterCounts:
    if school_year is None:
        return RegisterCounts(0, 0, 0, 0)
    records = scope_filter(PersonRecord.objects.filter(school_year=school_year), user)
    return RegisterCounts(
        households=scope_filter(Household.objects.all(), user).count(),
        people=Person.objects.filter(person_scope_q(user, school_year.pk)).count(),
        records=records.count(),
        pupils=scope_filter(
            Enrollment.objects.filter(school_year=school_year), user, "school_id"
        ).count(),
    )
