"""The 适龄儿童 ledger: every registered, living child of 7–15 on 1 Sept 2024 and where the
child is on the ledger date (20 Oct 2024, inside the school year)."""

import datetime

from liangji.dropout.selectors import ledger_place_counts, ledger_school_age
from liangji.dropout.services import case_close
from liangji.dropout.tests.conftest import child_register
from liangji.registers.choices import Resolution
from liangji.registers.models import Household, Person, PersonRecord

ON = datetime.date(2024, 10, 20)


def registered(name, village, year, birth, **fields):
    person = Person.objects.create(name=name, sex="女", birth_date=birth)
    household, _ = Household.objects.get_or_create(village=village, number="1")
    PersonRecord.objects.create(
        person=person, school_year=year, household=household, village=village, **fields
    )
    return person


def test_each_child_is_placed_once(xiaoming, east, west, school, year, alice, victor):
    born = datetime.date(2013, 1, 1)
    registered(
        "深圳读",
        east,
        year,
        born,
        elsewhere_level="小学",
        elsewhere_school="深圳一小",
        elsewhere_region="广东",
        elsewhere_proof=True,
    )
    registered("无证明", east, year, born, elsewhere_level="小学", elsewhere_proof=False)
    registered("送教", east, year, born, home_schooling=True, disability="智力")
    registered(
        "缓学", east, year, born, exemption="缓学", exemption_approved_on=datetime.date(2024, 8, 1)
    )
    registered("已毕业", east, year, datetime.date(2009, 9, 2), education_level="初中毕业")
    registered("失学", west, year, datetime.date(2016, 5, 5), education_level="学龄前")
    child_register(
        name="辍学",
        village=west,
        school=school,
        year=year,
        birth=born,
        status="辍学",
        status_date=datetime.date(2024, 9, 20),
    )
    # Not on the ledger: dead before the ledger date, a migrant child, too young, too old.
    registered("已故", east, year, born, died_on=datetime.date(2024, 10, 1))
    registered("流动", east, year, born, population_type="流动")
    registered("太小", east, year, datetime.date(2018, 9, 2))
    registered("太大", east, year, datetime.date(2008, 8, 31))

    rows = ledger_school_age(user=alice, school_year=year, today=ON)
    assert sorted((r.name, r.place, r.school, r.grade) for r in rows) == sorted(
        [
            ("张小明", "在校", "汉镇小学", 5),
            ("深圳读", "在外有证明", "广东 深圳一小", None),
            ("无证明", "在外无证明", "", None),
            ("送教", "送教上门", "", None),
            ("缓学", "免缓学", "", None),
            ("已毕业", "已毕业", "", None),
            ("失学", "失学", "", None),
            ("辍学", "辍学", "", None),
        ]
    )
    counts = {place: n for place, _, n in ledger_place_counts(rows)}
    assert counts["在校"] == 1 and counts["辍学"] == 1 and counts["失学"] == 1
    # Victor (东村) sees only the children of his village.
    assert sorted(r.name for r in ledger_school_age(user=victor, school_year=year, today=ON)) == [
        "已毕业",
        "张小明",
        "无证明",
        "深圳读",
        "缓学",
        "送教",
    ]


def test_a_closed_case_shows_its_resolution_on_the_ledger(case, alice, year):
    case_close(
        case=case,
        resolution=Resolution.RETURNED,
        resolved_on=datetime.date(2024, 10, 15),
        user=alice,
    )
    (row,) = ledger_school_age(user=alice, school_year=year, today=ON)
    assert (row.case_id, row.case_resolution) == (case.pk, "复学")


def test_the_ledger_reads_the_engines_rule_for_the_ledger_date(school, east, town, year, alice):
    """One place per child per day (domain.md §3), the same rule as the indicators: an exemption
    approved after the ledger date is not yet valid; a dropout who re-enrolled at another school
    of the town is at school."""
    from liangji.registers.models import Enrollment, Unit

    born = datetime.date(2013, 1, 1)
    registered(
        "缓学未批",
        east,
        year,
        born,
        exemption="缓学",
        exemption_approved_on=datetime.date(2024, 11, 1),
    )
    person, _ = child_register(
        name="转校复学", village=east, school=school, year=year, birth=born,
        status="辍学", status_date=datetime.date(2024, 9, 20),
    )  # fmt: skip
    other = Unit.objects.create(kind="小学", name="汉镇二小", parent=town)
    Enrollment.objects.create(
        school_year=year, school=other, person=person, name="转校复学", sex="男", birth_date=born,
        grade=5, entry_date=datetime.date(2024, 10, 8),
    )  # fmt: skip

    rows = {
        r.name: (r.place, r.school)
        for r in ledger_school_age(user=alice, school_year=year, today=ON)
    }

    assert rows["缓学未批"][0] == "失学"
    assert rows["转校复学"] == ("在校", "汉镇二小")


def test_the_ledgers_out_of_school_children_are_the_enrolment_shortfall(
    school, east, west, town, year, alice
):
    """One place per child per day (domain.md §3): on the reference date the ledger's 辍学 and
    失学 children of primary age are the primary enrolment rate's shortfall, child for child,
    and its 失学 are the statistical tables' 未入学(失学). 李小红's roll was written as 李晓红
    and is linked to no one: neither the indicators nor the ledger count her at school (the
    reconciliation asks the office to link it)."""
    from liangji.indicators.context import context_for
    from liangji.indicators.engine import person_counts
    from liangji.indicators.facts import fact_get
    from liangji.indicators.selectors import shortfall_list
    from liangji.registers.models import Enrollment, SchoolYear

    born = datetime.date(2014, 3, 3)
    child_register(name="在读", village=east, school=school, year=year, birth=born)
    registered("李小红", east, year, born)
    Enrollment.objects.create(
        school_year=year, school=school, person=None, name="李晓红", sex="女", birth_date=born,
        grade=5, hukou_village="东村",
    )  # fmt: skip
    registered("失学", west, year, datetime.date(2016, 5, 5), education_level="学龄前")
    child_register(
        name="辍学", village=west, school=school, year=year, birth=born,
        status="辍学", status_date=datetime.date(2024, 6, 10),
    )  # fmt: skip
    child_register(
        name="迟复学", village=west, school=school, year=year, birth=born,
        status_date=datetime.date(2024, 10, 15),
    )  # fmt: skip
    # Rolls of last year only: a dropout of last year, a 15-year-old who finished junior school.
    last_year = SchoolYear.objects.create(year=2023)
    for name, birth, grade, status in (
        ("去年辍学", born, 4, "辍学"),
        ("初中毕业", datetime.date(2009, 5, 5), 9, "毕业"),
    ):
        person = registered(name, west, year, birth)
        Enrollment.objects.create(
            school_year=last_year, school=school, person=person, name=name, sex="女",
            birth_date=birth, grade=grade, status=status, status_date=datetime.date(2024, 3, 1),
        )  # fmt: skip

    rows = ledger_school_age(user=alice, school_year=year, today=datetime.date(2024, 9, 1))
    place = {r.name: r.place for r in rows}
    out = {r.name for r in rows if r.place in ("辍学", "失学") and r.age <= 12}
    shortfall = shortfall_list(code="primary_enrollment", school_year=2024, unit=town)
    assert out == {r.name for r in shortfall} == {"李小红", "失学", "辍学", "迟复学", "去年辍学"}
    assert (place["去年辍学"], place["初中毕业"], place["在读"]) == ("辍学", "已毕业", "在校")
    never = sorted(name for name, where in place.items() if where == "失学")
    terms = context_for(school_year=2024, town=town).terms
    counted = person_counts(
        terms=terms, town_id=town.pk, keys=["r.village_id"],
        conditions=[fact_get("never_enrolled").sql(terms)],
    )  # fmt: skip
    assert never == ["失学", "李小红"]
    assert sum(int(str(n)) for _, n in counted) == len(never)
