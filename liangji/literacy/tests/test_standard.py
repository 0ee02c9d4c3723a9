"""The unit standard of 《扫除文盲工作条例》 (domain §4) at its boundaries, on exact fractions."""

from __future__ import annotations

import datetime
from decimal import Decimal

from liangji.indicators.context import context_for
from liangji.literacy.models import Certificate, Retest
from liangji.literacy.rules import relapse_value
from liangji.literacy.selectors import standard_compute, standard_for_user, standard_shortfall
from liangji.literacy.services import certificate_issue, literacy_test_record
from liangji.literacy.tests.conftest import result
from liangji.registers import testing as b
from liangji.registers.town_settings import TownSettings

D = datetime.date
DEFAULTS = TownSettings.from_stored({})


def _units(cast, user=None):
    units = standard_for_user(user=user or cast.alice, school_year=2023, town=cast.town)
    return {u.name: u for u in units}


def _figures(unit):
    v = unit.unit_literacy
    return (v.numerator, v.denominator, v.value, v.target, v.met)


def test_a_village_at_95_percent_meets_the_rural_standard_and_one_less_does_not(cast):
    # 富林村 already has 王秀英 and 李桂兰 (illiterate): 38 literate of 40 is exactly 95 %.
    b.people(cast.village, 38, born="1970-01-01", education_level="初中毕业")
    assert _figures(_units(cast)["富林村"]) == (38, 40, Decimal("95.00"), Decimal("95"), True)
    b.person(cast.village, name="又一人", born="1971-01-01", education_level="文盲", number="090")
    assert _figures(_units(cast)["富林村"]) == (38, 41, Decimal("92.68"), Decimal("95"), False)


def test_a_community_needs_98_percent(cast):
    b.people(cast.community, 49, born="1970-01-01", education_level="高中及以上")
    b.person(cast.community, name="居民甲", born="1971-01-01", education_level="半文盲")
    assert _figures(_units(cast)["城关社区"]) == (49, 50, Decimal("98.00"), Decimal("98"), True)
    b.person(cast.community, name="居民乙", born="1971-01-02", education_level="文盲", number="2")
    # 49/51 = 96.08 %: short of 98 % although it is far above the rural 95 %.
    assert _figures(_units(cast)["城关社区"])[4] is False


def test_the_population_is_born_after_1_october_1949_aged_15_or_over_minus_lost_ability(cast):
    v = cast.community
    b.person(v, name="建国当日", born="1949-10-01", education_level="文盲", number="1")
    b.person(v, name="建国次日", born="1949-10-02", education_level="小学毕业", number="2")
    b.person(v, name="满十五", born="2008-09-01", education_level="初中在读", number="3")
    b.person(v, name="十四岁", born="2008-09-02", education_level="文盲", number="4")
    b.person(v, name="失能", born="1960-01-01", education_level="文盲", number="5",
             lost_learning_ability=True)  # fmt: skip
    b.person(v, name="迁出", born="1960-01-02", education_level="文盲", number="6",
             hukou_status="迁出", moved_out_on="2023-01-01")  # fmt: skip
    assert _figures(_units(cast)["城关社区"])[:2] == (2, 2)


def test_the_town_adds_its_villages_and_is_judged_rural_as_a_town(cast):
    b.people(cast.village, 38, born="1970-01-01", education_level="初中毕业")
    b.people(cast.community, 10, born="1970-01-01", education_level="初中毕业")
    town = _units(cast)["汉源镇"]
    assert (town.kind, town.urban) == ("town", False)
    assert _figures(town) == (48, 50, Decimal("96.00"), Decimal("95"), True)
    b.configure(cast.town, literacy__town_area="urban")
    assert _figures(_units(cast)["汉源镇"])[3:] == (Decimal("98"), False)


def test_the_relapse_rate_must_stay_under_5_percent():
    def value(relapsed, retested):
        v = relapse_value(relapsed=relapsed, retested=retested, settings=DEFAULTS)
        return v.value, v.met, v.shortfall

    assert value(1, 20) == (Decimal("5.00"), False, 1)  # exactly 5 % is not under 5 %
    assert value(1, 21) == (Decimal("4.76"), True, 0)
    assert value(3, 40) == (Decimal("7.50"), False, 2)
    assert value(0, 0) == (None, None, 0)


def test_a_village_cadre_sees_the_standard_of_her_village_only(cast):
    assert list(_units(cast, cast.wendy)) == ["城关社区"]


def test_the_people_behind_each_shortfall(cast, klass, members):
    test = literacy_test_record(klass=klass, date=D(2024, 6, 1),
                                results=[result(members[0], 1500)], user=cast.alice)  # fmt: skip
    certificate = certificate_issue(result=test.results.get(), issued_on=D(2024, 6, 2),
                                    user=cast.alice)  # fmt: skip
    Retest.objects.create(
        certificate=certificate, school_year=cast.year, town=cast.town, village=cast.village,
        date=D(2024, 8, 1), characters_known=900, standard=1500, reading=True, accounts=True,
        writing=True, passed=False,
    )  # fmt: skip
    behind = standard_shortfall(user=cast.alice, school_year=2023, town=cast.town)
    assert [(p.name, p.reason) for p in behind["unit_literacy"]] == [
        ("李桂兰", "文化程度记为半文盲")
    ]
    assert [p.name for p in behind["relapse_rate"]] == ["王秀英"]
    ctx = context_for(school_year=2023, town=cast.town)
    [town, *_] = standard_compute(ctx=ctx, village_ids=None)
    assert town.relapse_rate is not None
    assert (town.relapse_rate.numerator, town.relapse_rate.denominator) == (1, 1)
    assert town.met is False
    assert Certificate.objects.count() == 1
