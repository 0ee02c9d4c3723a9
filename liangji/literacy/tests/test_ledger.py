"""The 扫盲对象 ledger against hand-built registers (reference date 2023-09-01)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from liangji.literacy.selectors import (
    LedgerFilters,
    ledger_counts,
    ledger_list,
    lost_ability_list,
)
from liangji.literacy.services import certificate_issue, literacy_test_record, session_record
from liangji.literacy.tests.conftest import open_class, result
from liangji.registers import testing as b

D = datetime.date


def _ledger(cast, user=None, **filters):
    rows = ledger_list(
        user=user or cast.alice, school_year=2023, town=cast.town, filters=LedgerFilters(**filters)
    )
    return [(row.name, row.status) for row in rows]


def test_the_ledger_is_the_illiterate_aged_15_to_50_on_the_reference_date(cast):
    v = cast.village
    b.person(v, name="满五十", born="1972-09-02", education_level="文盲", number="010")
    b.person(v, name="五十一岁", born="1972-09-01", education_level="文盲", number="011")
    b.person(v, name="满十五", born="2008-09-01", education_level="半文盲", number="012")
    b.person(v, name="十四岁", born="2008-09-02", education_level="文盲", number="013")
    b.person(v, name="已脱盲", born="1985-01-01", education_level="脱盲", number="014")
    b.person(v, name="初中毕业", born="1985-01-02", education_level="初中毕业", number="015")
    assert _ledger(cast) == [
        ("王秀英", "not_enrolled"),
        ("李桂兰", "not_enrolled"),
        ("满五十", "not_enrolled"),
        ("满十五", "not_enrolled"),
    ]


def test_the_same_exclusions_as_the_indicators(cast):
    v = cast.village
    b.migrant(v, name="流动人口", born="1985-01-01", education_level="文盲", number="020")
    b.person(v, name="早已迁出", born="1985-01-02", education_level="文盲", number="021",
             hukou_status="迁出", moved_out_on="2023-08-31")  # fmt: skip
    b.person(v, name="后来迁出", born="1985-01-03", education_level="文盲", number="022",
             hukou_status="迁出", moved_out_on="2023-12-01")  # fmt: skip
    b.person(v, name="早已去世", born="1985-01-04", education_level="文盲", number="023",
             died_on="2023-09-01")  # fmt: skip
    b.person(v, name="后来去世", born="1985-01-05", education_level="文盲", number="024",
             died_on="2024-01-10")  # fmt: skip
    assert _ledger(cast) == [
        ("王秀英", "not_enrolled"),
        ("李桂兰", "not_enrolled"),
        ("后来迁出", "moved_away"),
        ("后来去世", "deceased"),
    ]


def test_those_who_lost_the_ability_to_learn_are_listed_apart_with_the_evidence(cast):
    b.person(cast.village, name="刘某", born="1975-05-05", education_level="文盲", number="030",
             lost_learning_ability=True, disability="智力",
             note="县残联鉴定智力残疾一级（2021-05-10）")  # fmt: skip
    assert ("刘某", "not_enrolled") not in _ledger(cast)
    [apart] = lost_ability_list(user=cast.alice, school_year=2023, town=cast.town)
    assert (apart.name, apart.age, apart.disability, apart.evidence) == (
        "刘某", 48, "智力", "县残联鉴定智力残疾一级（2021-05-10）"
    )  # fmt: skip


def test_each_line_says_where_the_person_stands(cast, klass, members):
    wang, li = members
    session_record(klass=klass, date=D(2023, 10, 10), hours=Decimal("2"), content="拼音 a o e",
                   present=[wang, li], user=cast.alice)  # fmt: skip
    session_record(klass=klass, date=D(2023, 10, 12), hours=Decimal("2.5"), content="常用字 1–20",
                   present=[wang], user=cast.alice)  # fmt: skip
    rows = {row.name: row for row in ledger_list(user=cast.alice, school_year=2023, town=cast.town)}
    assert (rows["王秀英"].status, rows["王秀英"].class_name, rows["王秀英"].hours) == (
        "learning", "富林村扫盲一班", Decimal("4.5")
    )  # fmt: skip
    assert rows["李桂兰"].hours == Decimal("2")
    test = literacy_test_record(klass=klass, date=D(2024, 6, 1),
                                results=[result(wang, 1500), result(li, 900)],
                                user=cast.alice)  # fmt: skip
    assert _ledger(cast) == [("王秀英", "tested"), ("李桂兰", "failed")]
    passed = test.results.get(member=wang)
    certificate = certificate_issue(result=passed, issued_on=D(2024, 6, 5), user=cast.alice)
    rows = {row.name: row for row in ledger_list(user=cast.alice, school_year=2023, town=cast.town)}
    assert (rows["王秀英"].status, rows["王秀英"].certificate) == ("passed", certificate.number)
    counts = ledger_counts(rows.values())
    assert (counts["passed"], counts["failed"], counts["total"]) == (1, 1, 2)


def test_filters_by_village_age_band_sex_and_status(cast):
    b.person(cast.community, name="张建国", born="2005-02-02", education_level="文盲", number="040")
    assert _ledger(cast, village_id=cast.community.pk) == [("张建国", "not_enrolled")]
    assert _ledger(cast, age_band="15-24") == [("张建国", "not_enrolled")]
    assert _ledger(cast, age_band="35-50") == [("王秀英", "not_enrolled")]
    assert _ledger(cast, sex="男") == [("张建国", "not_enrolled")]
    assert _ledger(cast, status="learning") == []


def test_a_village_cadre_sees_her_own_village_only(cast):
    b.person(cast.community, name="张建国", born="2005-02-02", education_level="文盲", number="040")
    assert _ledger(cast, user=cast.wendy) == [("张建国", "not_enrolled")]
    assert [name for name, _ in _ledger(cast, user=cast.victor)] == ["王秀英", "李桂兰"]


def test_a_class_of_another_village_does_not_take_these_learners(cast):
    other = open_class(cast, village=cast.community, name="城关扫盲班")
    assert other.village == cast.community
