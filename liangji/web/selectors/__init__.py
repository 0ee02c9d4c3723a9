"""Reads for the web pages. Every selector takes the acting user and applies the scope."""

from liangji.registers.rules import age_on
from liangji.web.selectors.registers import (
    PERSON_STATUSES,
    PersonDetail,
    PersonFilters,
    RegisterCounts,
    RollFilters,
    enrollment_list,
    household_list,
    person_detail,
    person_record_list,
    reference_date,
    register_counts,
)

__all__ = [
    "PERSON_STATUSES",
    "PersonDetail",
    "PersonFilters",
    "RegisterCounts",
    "RollFilters",
    "age_on",
    "enrollment_list",
    "household_list",
    "person_detail",
    "person_record_list",
    "reference_date",
    "register_counts",
]
