"""四查三比对 on literal registers: every finding names its people and a resolution."""

from __future__ import annotations

from liangji.indicators.reconciliation import Kind, id_number_problem
from liangji.indicators.selectors import reconciliation_run
from liangji.registers import testing as b


def _lines(cast, kind, **kwargs):
    report = reconciliation_run(school_year=2023, town=cast.town, **kwargs)
    return [([who.name for who in line.people], line.resolution) for line in report.of_kind(kind)]


def test_school_age_children_on_no_roll(cast):
    b.pupil(cast.primary, who=b.person(cast.village, name="在读", born="2015-01-01"), grade=2)
    b.person(cast.village, name="失学", born="2015-01-02")
    b.person(cast.village, name="聋童", born="2015-01-03", disability="听力")
    b.person(cast.village, name="在外", born="2015-01-04", elsewhere_level="小学")
    b.person(cast.village, name="初中毕业", born="2008-01-04", education_level="初中毕业")
    b.person(cast.village, name="成人", born="1990-01-04")
    assert _lines(cast, Kind.NO_ROLL) == [(["失学"], "仍未返校"), (["聋童"], "送教上门")]


def test_rolls_matching_no_person(cast):
    b.person(cast.village, name="张晓明", born="2014-05-05")
    b.person(cast.village, name="李华", born="2014-07-07", number="2")
    b.pupil(cast.primary, name="张小明", born="2014-05-05", grade=3, hukou_village="富林村")
    b.pupil(cast.primary, name="李华", born="2014-07-17", grade=3, hukou_village="富林村")
    b.pupil(cast.primary, name="外来娃", born="2014-01-01", grade=3, hukou_village="外省某村")
    b.pupil(cast.primary, name="无名氏", born="2014-02-02", grade=3, hukou_village="富林村")
    report = reconciliation_run(school_year=2023, town=cast.town)
    lines = report.of_kind(Kind.ROLL_WITHOUT_PERSON)
    found = {line.people[0].name: (line.resolution, line.suggestion[:4]) for line in lines}
    assert found == {
        "张小明": ("登记错误", "登记错误"),  # sounds like 张晓明, same birth date
        "李华": ("登记错误", "登记错误"),  # same name, birth date ten days apart
        "外来娃": ("登记错误", "外在本："),
        "无名氏": ("登记错误", "查无此人"),
    }
    homophone = next(line for line in lines if line.people[0].name == "张小明")
    assert [who.name for who in homophone.people] == ["张小明", "张晓明"]


def test_recorded_level_in_school_without_a_roll(cast):
    b.person(cast.village, name="记在读", born="2012-01-01", education_level="小学在读")
    assert _lines(cast, Kind.LEVEL_WITHOUT_ROLL) == [(["记在读"], "登记错误")]
    assert _lines(cast, Kind.NO_ROLL) == []  # one finding, not two


def test_id_numbers_disagreeing_with_the_record():
    assert id_number_problem("11010519491231002X", b.day("1949-12-31"), "女") is None
    assert id_number_problem("11010519491231002X", b.day("1949-12-30"), "女") == (
        "号码中的出生日期为 1949-12-31，登记为 1949-12-30"
    )
    assert id_number_problem("11010519491231002X", b.day("1949-12-31"), "男") == (
        "号码中的性别为女，登记为男"
    )
    assert id_number_problem("110105194912310021", b.day("1949-12-31"), "女") == (
        "身份证号校验码不正确（可能有一位抄错）"
    )
    assert id_number_problem("110105491231002", b.day("1949-12-31"), "女") is None


def test_id_mismatch_lines(cast):
    b.person(cast.village, name="错号", born="1949-12-30", sex="女", id_number="11010519491231002X")
    assert _lines(cast, Kind.ID_MISMATCH) == [(["错号"], "登记错误")]


def test_the_same_person_twice(cast):
    other = b.village(cast.town, "团结村")
    b.person(cast.village, name="王芳", sex="女", born="2013-03-03")
    b.person(other, name="王芳", sex="女", born="2013-03-03")
    b.person(cast.village, name="刘洋", born="2013-04-04", number="2")
    b.person(other, name="刘阳", born="2013-04-04", number="2")
    b.person(other, name="陈星", born="2013-04-04", number="3")  # same day, different name
    assert sorted(_lines(cast, Kind.DUPLICATE_PERSON)) == [
        (["刘洋", "刘阳"], "登记错误"),
        (["王芳", "王芳"], "登记错误"),
    ]


def test_the_same_id_on_two_rolls(cast):
    b.pupil(cast.primary, name="赵一", born="2014-01-01", grade=3, id_number="510000201401010011")
    b.pupil(cast.junior, name="赵一", born="2014-01-01", grade=7, id_number="510000201401010011")
    assert _lines(cast, Kind.DUPLICATE_ID) == [(["赵一", "赵一"], "登记错误")]


def test_studying_elsewhere_without_proof(cast):
    b.person(
        cast.village, name="有证明", born="2012-01-01", elsewhere_level="小学", elsewhere_proof=True
    )
    b.person(cast.village, name="无证明", born="2012-01-02", elsewhere_level="小学")
    assert _lines(cast, Kind.ELSEWHERE_WITHOUT_PROOF) == [(["无证明"], "在外就读")]


def test_poor_children_not_enrolled(cast):
    b.person(cast.village, name="低保娃", born="2012-01-01", groups=("低保",))
    enrolled = b.person(cast.village, name="建档娃", born="2012-01-02", groups=("建档立卡",))
    b.pupil(cast.primary, who=enrolled, grade=5)
    assert _lines(cast, Kind.POOR_NOT_ENROLLED) == [(["低保娃"], "仍未返校")]


def test_a_village_sees_only_its_own_lines(cast):
    other = b.village(cast.town, "团结村")
    b.person(cast.village, name="富林娃", born="2015-01-02")
    b.person(other, name="团结娃", born="2015-01-02", sex="女")
    assert _lines(cast, Kind.NO_ROLL, unit_ids={other.pk}) == [(["团结娃"], "仍未返校")]
    assert reconciliation_run(school_year=2023, town=cast.town, unit_ids=set()).lines == []
