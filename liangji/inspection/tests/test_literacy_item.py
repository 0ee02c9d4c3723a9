"""L05 基本扫除文盲单位标准 is judged from the literacy app's unit standard (registered with
liangji/standards.py), for the town and each village, and shows in the readiness."""

from __future__ import annotations

import datetime

from liangji.inspection.choices import JudgedBy
from liangji.inspection.models import StandardItem
from liangji.inspection.readiness import readiness_compute
from liangji.inspection.rules import register_problems
from liangji.registers import testing as b
from liangji.registers.choices import UnitKind
from liangji.registers.models import Unit


def test_the_unit_standard_item_reads_the_literacy_figures(db):
    town = b.town("汉源镇")
    village = b.village(town, "富林村")
    community = Unit.objects.create(kind=UnitKind.COMMUNITY, name="城关社区", parent=town)
    year = b.school_year(2023)
    b.people(village, 18, born="1970-01-01", education_level="初中毕业")
    b.people(village, 2, born="1971-01-01", education_level="文盲")
    item = StandardItem.objects.get(code="L05")
    assert (item.judged_by, item.aspect.name) == (JudgedBy.LITERACY, "扫除青壮年文盲")
    problems = register_problems(JudgedBy.LITERACY, [town, village, community], year)
    shortfall = "非文盲率 90.00%（18/20），未达到农村标准 95%，差 1 人"
    assert problems == {town.pk: [shortfall], village.pk: [shortfall], community.pk: []}
    readiness = readiness_compute(
        user=None, town=town, school_year=year, report=None, today=datetime.date(2024, 3, 1)
    )
    assert readiness is not None
    row = next(u for u in readiness.units if u.unit == village)
    assert f"基本扫除文盲单位标准：{shortfall}" in [r.text for r in row.reasons]
