"""The register's rules, written once: ages in completed years, and whether a person record can be
true, asked alike by the import (a row of the 人口 sheet) and the record edit service (a form)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from liangji.imports.columns import SHEET_PEOPLE
from liangji.imports.rows import PEOPLE_CELLS, RECORD_COLUMNS, layout_for, person_row_check
from liangji.registers.models import Person, PersonRecord
from liangji.registers.rules import age_on, birth_bounds
from liangji.registers.services import person_record_validate

TODAY = datetime.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (datetime.date(2016, 9, 1), datetime.date(2023, 9, 1), 7),  # domain.md §2
        (datetime.date(2016, 9, 2), datetime.date(2023, 9, 1), 6),
        (datetime.date(2016, 2, 29), datetime.date(2023, 2, 28), 6),
        (datetime.date(2016, 2, 29), datetime.date(2023, 3, 1), 7),
    ],
)
def test_age_in_completed_years(born: datetime.date, day: datetime.date, age: int) -> None:
    assert age_on(born, day) == age


@given(
    born=st.dates(datetime.date(1950, 1, 1), datetime.date(2024, 12, 31)),
    day=st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)),
    low=st.integers(0, 30),
    span=st.integers(0, 40),
)
def test_the_set_wise_age_bounds_agree_with_the_age(
    born: datetime.date, day: datetime.date, low: int, span: int
) -> None:
    born_after, born_by = birth_bounds(day, low, low + span)
    assert (born_after < born <= born_by) == (low <= age_on(born, day) <= low + span)


_dates = st.one_of(st.none(), st.dates(datetime.date(1990, 1, 1), datetime.date(2027, 12, 31)))
records = st.fixed_dictionaries(
    {
        "birth_date": st.dates(datetime.date(1995, 1, 1), datetime.date(2027, 6, 30)),
        "hukou_status": st.sampled_from(["在册", "迁出"]),
        "moved_out_on": _dates,
        "died_on": _dates,
        "exemption": st.sampled_from(["", "免学", "缓学"]),
        "exemption_approved_on": _dates,
        "exemption_until": _dates,
        "elsewhere_level": st.sampled_from(["", "小学", "初中", "高中", "中职", "特教"]),
        "elsewhere_grade": st.one_of(st.none(), st.integers(1, 12)),
    }
)

_COLUMN_OF = {**RECORD_COLUMNS, "hukou_status": "户籍状态", "exemption": "免缓学"}


def _row_door(fields: dict) -> set[str]:
    """The columns the import finds wrong in a 人口 row holding these values."""
    columns = ["村/社区", "户号", "姓名", "性别", "人口类型", *_COLUMN_OF.values()]
    positions = {column: index for index, column in enumerate(columns)}
    assert set(positions) <= set(PEOPLE_CELLS)
    values = {"村/社区": "东村", "户号": "1", "姓名": "张三", "性别": "男", "人口类型": "户籍"}
    for field, value in fields.items():
        values[_COLUMN_OF[field]] = value
    cells: list[object] = [values.get(column) for column in columns]
    _, errors = person_row_check(2, cells, layout_for(SHEET_PEOPLE, positions), today=TODAY)
    return {error.column for error in errors}


def _form_door(fields: dict) -> set[str]:
    """The fields the record edit service refuses for the same values."""
    person = Person(name="张三", sex="男", birth_date=fields["birth_date"])
    record = PersonRecord(person=person, **{k: v for k, v in fields.items() if k != "birth_date"})
    record.exemption_approved_on = fields["exemption_approved_on"]
    try:
        person_record_validate(record, today=TODAY)
    except ValidationError as error:
        return {_COLUMN_OF[field] for field in error.message_dict}
    return set()


@given(records)
def test_the_import_and_the_edit_form_accept_and_refuse_the_same_records(fields: dict) -> None:
    assert _row_door(fields) == _form_door(fields)


def test_each_rule_is_seen_by_both_doors() -> None:
    born = datetime.date(2010, 5, 1)
    cases: list[tuple[dict[str, object], str]] = [
        ({"hukou_status": "迁出"}, "迁出日期"),
        ({"exemption": "缓学"}, "免缓学批准日期"),
        ({"died_on": datetime.date(2009, 1, 1)}, "死亡日期"),
        ({"died_on": datetime.date(2027, 1, 1)}, "死亡日期"),
        (
            {"exemption": "免学", "exemption_approved_on": datetime.date(2027, 1, 1)},
            "免缓学批准日期",
        ),
        (
            {
                "exemption": "免学",
                "exemption_approved_on": datetime.date(2020, 1, 1),
                "exemption_until": datetime.date(2019, 1, 1),
            },
            "免缓学截止日期",
        ),
        ({"elsewhere_level": "初中", "elsewhere_grade": 11}, "在外就读年级"),
        ({"elsewhere_grade": 11}, "在外就读学段"),
    ]
    for changes, column in cases:
        fields = {**_blank(born), **changes}
        assert _row_door(fields) == _form_door(fields) == {column}, changes
    senior = {"elsewhere_level": "中职", "elsewhere_grade": 12}
    assert _row_door({**_blank(born), **senior}) == _form_door({**_blank(born), **senior}) == set()


def _blank(born: datetime.date) -> dict:
    return {
        "birth_date": born, "hukou_status": "在册", "moved_out_on": None, "died_on": None,
        "exemption": "", "exemption_approved_on": None, "exemption_until": None,
        "elsewhere_level": "", "elsewhere_grade": None,
    }  # fmt: skip
