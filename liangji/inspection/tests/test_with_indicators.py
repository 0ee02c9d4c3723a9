"""Readiness with the real indicators engine: a register where one of two 8-year-olds of 东村 is
not at school makes 东村 not ready (一票否决), named by the engine's own figures."""

from __future__ import annotations

import datetime

from liangji.inspection.readiness import readiness_compute
from liangji.inspection.selectors import indicator_report_for
from liangji.registers.models import Enrollment, Household, Person, PersonRecord


def _child(cast, name: str, number: str) -> Person:
    child = Person.objects.create(name=name, sex="男", birth_date=datetime.date(2016, 3, 1))
    PersonRecord.objects.create(
        person=child,
        school_year=cast.year,
        household=Household.objects.create(village=cast.village, number=number),
        village=cast.village,
    )
    return child


def test_a_child_out_of_school_vetoes_the_village_through_the_indicators_engine(clean_town):
    cast = clean_town
    at_school = _child(cast, "张小明", "001")
    _child(cast, "李小红", "002")  # registered in 东村, on no roll
    Enrollment.objects.create(
        school_year=cast.year, school=cast.primary, person=at_school, name="张小明", sex="男",
        birth_date=at_school.birth_date, grade=2,
    )  # fmt: skip

    report = indicator_report_for(town=cast.town, school_year=cast.year, unit_ids=None)
    result = readiness_compute(
        user=cast.olivia, town=cast.town, school_year=cast.year, report=report,
        today=datetime.date(2025, 5, 1),
    )  # fmt: skip

    assert result is not None
    village = next(row for row in result.units if row.unit == cast.village)
    assert [(r.veto, r.text) for r in village.sorted_reasons()] == [
        (True, "小学适龄儿童入学率 50.00%，未达到目标 100%")
    ]
    assert next(row for row in result.units if row.unit == cast.primary).ready
