"""Synthetic towns written as the canonical import workbook (product.md "The import workbook").

One seeded `random.Random` per town (never the global one), so the same seed gives the same
workbooks, byte for byte. A town is first built as a population with lasting facts (birth,
household, school path, and the dated events of its life: dropout, transfer, death, move-out),
then each school year's workbook is read off that population. The years therefore agree with
each other: the same people one year older, pupils a grade higher, deaths and moves persisting.

Towns are built and written one at a time with XlsxWriter's constant_memory mode, so a county
of 20 towns x 25,000 people stays within the memory of one town.

Modules: `model` (the data of a town), `town` (units, households, people), `events` (school
paths and the dated events of the years), `year` (the rows of one school year), `workbook`
(writing the files).
"""

from liangji.demo.generator.model import (
    GAP_KINDS,
    PEOPLE_HEADERS,
    ROLL_HEADERS,
    UNIT_HEADERS,
    id_check_digit,
    town_names,
)
from liangji.demo.generator.workbook import YearWorkbook, town_build, town_workbooks_write

__all__ = [
    "GAP_KINDS",
    "PEOPLE_HEADERS",
    "ROLL_HEADERS",
    "UNIT_HEADERS",
    "YearWorkbook",
    "id_check_digit",
    "town_build",
    "town_names",
    "town_workbooks_write",
]
