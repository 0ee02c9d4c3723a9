"""四查三比对 against errors planted in one town (issue 9): every planted kind is found, with the
people it concerns, and the traps that are not errors (a child at school whose roll is not
linked, 林/刘 and 常/张 born the same day, a dropout who resumed elsewhere) raise no alarm."""

from __future__ import annotations

import pytest

from liangji.indicators.reconciliation import Kind, sounds_alike
from liangji.indicators.selectors import reconciliation_run
from liangji.registers import testing as b


def _id(birth: str, seq: int) -> str:
    from liangji.imports.tests.workbooks import id_number_make

    return id_number_make(b.day(birth), male=seq % 2 == 1, area="510104", seq=seq // 2)


def plant(cast) -> dict[str, list[str]]:
    """Plants one error of each kind (and a few traps); returns kind → the names expected."""
    v, primary, junior = cast.village, cast.primary, cast.junior
    other_village = b.village(cast.town, "团结村")
    second = b.school(cast.town, "汉源二小")
    # Register without roll, school-age: 失学.
    b.person(v, name="失学娃", born="2015-02-02", number="1")
    # Unlinked rolls of children who are at school: a homophone, and an ID typed differently.
    b.person(v, name="张晓明", born="2014-05-05", number="2")
    b.pupil(primary, name="张小明", born="2014-05-05", grade=3, hukou_village="富林村")
    b.person(v, name="周杰", born="2014-06-06", number="3", id_number=_id("2014-06-06", 1))
    b.pupil(primary, name="周杰", born="2014-06-06", grade=3, id_number=_id("2014-06-06", 3))
    # Level 在读 without a roll; an ID disagreeing with the birth date; elsewhere, no proof.
    b.person(v, name="记在读", born="2012-01-01", number="4", education_level="小学在读")
    b.person(v, name="错号", born="1985-03-04", number="5", id_number=_id("1985-03-05", 1))
    b.person(v, name="外读娃", born="2012-01-02", number="6", elsewhere_level="小学")
    b.person(v, name="低保娃", born="2012-01-03", number="7", groups=("低保",))
    # Adults registered twice; homophones; and different surnames born the same day.
    b.person(v, name="王芳", sex="女", born="1990-03-03", number="8")
    b.person(other_village, name="王芳", sex="女", born="1990-03-03", number="8")
    b.person(v, name="刘洋", born="1990-04-04", number="9")
    b.person(other_village, name="刘阳", born="1990-04-04", number="9")
    b.person(v, name="林军", born="1990-05-05", number="10")
    b.person(other_village, name="刘军", born="1990-05-05", number="10")
    b.person(v, name="常红", sex="女", born="1990-06-06", number="11")
    b.person(other_village, name="张红", sex="女", born="1990-06-06", number="11")
    # One ID on two rolls; a child on two rolls without an ID.
    b.pupil(primary, name="赵一", born="2014-01-01", grade=3, id_number=_id("2014-01-01", 5))
    b.pupil(junior, name="赵一", born="2014-01-01", grade=7, id_number=_id("2014-01-01", 5))
    b.pupil(primary, name="黄小龙", born="2013-07-07", grade=4, hukou_village="外省某村")
    b.pupil(second, name="黄小龙", born="2013-07-07", grade=4, hukou_village="外省某村")
    # A roll linked by ID whose name differs from the register.
    sisi = b.person(v, name="陈思思", sex="女", born="2014-03-03", number="12",
                    id_number=_id("2014-03-03", 2))  # fmt: skip
    b.pupil(primary, who=sisi, grade=3, name="陈思斯")
    # Deceased, still 在读.
    dead = b.person(v, name="故童", born="2014-08-08", number="13", died_on="2023-12-01")
    b.pupil(primary, who=dead, grade=3)
    # A dropout at one school while 在读 at another (there since the start of the year).
    both = b.person(v, name="两校生", born="2013-09-09", number="14")
    b.pupil(primary, who=both, grade=4, status="辍学", status_date="2023-11-01")
    b.pupil(second, who=both, grade=4)
    # Trap: a dropout who resumed at another school of the town is no conflict.
    back = b.person(v, name="转校复学", born="2013-10-10", number="15")
    b.pupil(primary, who=back, grade=4, status="辍学", status_date="2023-11-01")
    b.pupil(second, who=back, grade=4, entry_date="2023-12-01")
    return {
        Kind.NO_ROLL: ["失学娃", "低保娃"],
        # The two rolls of 赵一 and of 黄小龙 match nobody either.
        Kind.ROLL_WITHOUT_PERSON: ["周杰", "张小明", "赵一", "赵一", "黄小龙", "黄小龙"],
        Kind.LEVEL_WITHOUT_ROLL: ["记在读"],
        Kind.ID_MISMATCH: ["错号"],
        Kind.ELSEWHERE_WITHOUT_PROOF: ["外读娃"],
        Kind.POOR_NOT_ENROLLED: ["低保娃"],
        Kind.DUPLICATE_PERSON: ["刘洋", "王芳"],
        Kind.DUPLICATE_ID: ["赵一"],
        Kind.DUPLICATE_ROLL: ["黄小龙"],
        Kind.ROLL_DIFFERS: ["陈思斯"],
        Kind.DECEASED_ON_ROLL: ["故童"],
        Kind.DROPOUT_WHILE_STUDYING: ["两校生"],
    }


def found(cast) -> dict[str, list[str]]:
    report = reconciliation_run(school_year=2023, town=cast.town)
    return {
        kind: sorted(line.people[0].name for line in report.of_kind(kind))
        for kind in {line.kind for line in report.lines}
    }


def test_every_planted_kind_is_found_and_nothing_else(cast):
    expected = plant(cast)
    assert found(cast) == {kind: sorted(names) for kind, names in expected.items()}


def test_a_child_at_school_with_an_unlinked_roll_is_not_sent_back_to_school(cast):
    plant(cast)
    report = reconciliation_run(school_year=2023, town=cast.town)
    still_out = {line.people[0].name for line in report.lines if line.resolution == "仍未返校"}
    assert still_out == {"失学娃", "低保娃"}
    [homophone] = [line for line in report.of_kind(Kind.ROLL_WITHOUT_PERSON)
                   if line.people[0].name == "张小明"]  # fmt: skip
    assert [who.name for who in homophone.people] == ["张小明", "张晓明"]
    assert "不是失学" in homophone.details


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [
        ("刘洋", "刘阳", True),
        ("张小明", "张晓明", True),
        ("林军", "刘军", False),  # two families
        ("常红", "张红", False),
        ("王芳", "王芳", False),  # the same name is not a homophone
    ],
)
def test_homophones_compare_surname_and_given_name_apart(a, b, alike):
    assert sounds_alike(a, b) is alike
