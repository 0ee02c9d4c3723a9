"""The event form of the dropout rates (domain.md §3) on literal rolls of school year 2023."""

from __future__ import annotations

from liangji.registers import testing as b


def test_who_is_on_the_roll_on_the_first_day(cast):
    b.pupil(cast.primary, name="甲", grade=3)
    b.pupil(cast.primary, name="乙", grade=3, status="休学", status_date="2023-06-01")
    b.pupil(cast.primary, name="丙", grade=3, entry_date="2023-10-01")  # joined mid-year
    b.pupil(cast.primary, name="丁", grade=3, status="辍学", status_date="2023-08-15")
    b.pupil(cast.primary, name="戊", grade=3, status="转出", status_date="2023-12-01")
    assert cast.figures("primary_dropout") == (1, 3)  # 甲 乙 戊; 戊 left with no school


def test_exits_that_are_dropouts_and_exits_that_are_not(cast):
    b.pupil(cast.primary, name="辍学", grade=4, status="辍学", status_date="2024-03-01")
    b.pupil(
        cast.primary,
        name="转走",
        grade=4,
        status="转出",
        status_date="2023-11-01",
        transfer_school="雅安小学",
    )
    b.pupil(cast.primary, name="无校", grade=4, status="转出", status_date="2023-11-02")
    b.pupil(cast.primary, name="病故", grade=4, status="死亡", status_date="2024-01-01")
    b.pupil(cast.primary, name="毕业", grade=6, status="毕业", status_date="2024-07-01")
    resumed = b.pupil(cast.primary, name="复学", grade=4)  # left and came back: 在读 again
    b.event(resumed, "辍学", "2023-10-10")
    b.event(resumed, "复学", "2023-11-10")
    assert cast.figures("primary_dropout") == (2, 6)
    assert cast.figures("primary_dropout", "富林小学") == (2, 6)


def test_suspension_counts_as_dropout_only_with_the_setting(cast):
    b.pupil(cast.junior, name="休学", grade=8, status="休学", status_date="2023-12-01")
    b.pupil(cast.junior, name="旧休学", grade=8, status="休学", status_date="2023-06-01")
    b.pupil(cast.junior, name="在读", grade=8)
    assert cast.figures("junior_dropout") == (0, 3)
    b.configure(cast.town, count_suspension_as_dropout="true")
    # Only a suspension dated within the year is a dropout of the year.
    assert cast.figures("junior_dropout") == (1, 3)


def test_a_nine_year_school_is_split_by_grade(cast):
    nine = b.school(cast.town, "汉源九年一贯制学校", kind="九年一贯制")
    b.pupil(nine, name="小", grade=3, status="辍学", status_date="2023-11-11")
    b.pupil(nine, name="中", grade=6)
    b.pupil(nine, name="大", grade=7, status="辍学", status_date="2023-11-11")
    b.pupil(nine, name="长", grade=9)
    b.pupil(nine, name="幼", grade=8)
    assert cast.figures("primary_dropout", "汉源九年一贯制学校") == (1, 2)
    assert cast.figures("junior_dropout", "汉源九年一贯制学校") == (1, 3)


def test_schools_of_other_towns_and_years_are_not_counted(cast):
    other_town = b.town("富庄镇")
    b.pupil(b.school(other_town, "富庄小学"), name="外镇", grade=2)
    b.pupil(cast.primary, name="去年", grade=2, year=2022)
    b.pupil(cast.primary, name="今年", grade=2)
    assert cast.figures("primary_dropout") == (0, 1)


# -- domain.md §3, "Event-form dropout, precisely" (issue 9) -------------------------------------
def test_a_dropout_dated_on_the_first_day_is_in_the_denominator_and_the_numerator(cast):
    """Did not come back after the summer: still on the register on the morning of 1 Sept."""
    b.pupil(cast.junior, name="未返校", grade=8, status="辍学", status_date="2023-09-01")
    b.pupil(cast.junior, name="在读", grade=8)
    b.pupil(cast.junior, name="暑假前", grade=8, status="辍学", status_date="2023-08-31")
    assert cast.figures("junior_dropout") == (1, 2)
    # …and not again in the year before, where 1 Sept 2023 is outside the year.
    b.pupil(cast.junior, name="去年在读", grade=8, year=2022)
    assert cast.figures("junior_dropout", year=2022) == (0, 1)


def test_a_pupil_who_joined_during_the_year_and_dropped_out_is_counted(cast):
    """学年内辍学学生数 ÷ 学年初在校生数: the numerator is not a subset of the start roll."""
    b.pupil(cast.primary, name="甲", grade=3)
    b.pupil(cast.primary, name="乙", grade=3)
    b.pupil(
        cast.primary,
        name="插班",
        grade=3,
        entry_date="2023-10-15",
        status="辍学",
        status_date="2024-03-01",
    )
    assert cast.figures("primary_dropout") == (1, 2)
    assert cast.figures("primary_dropout", "富林小学") == (1, 2)


def test_a_dropout_who_re_enrolled_at_another_school_of_the_town_has_resumed(cast):
    from liangji.indicators.selectors import shortfall_list

    child = b.person(cast.village, name="李明", born="2010-05-05")
    other = b.school(cast.town, "汉源二中", kind="初中")
    b.pupil(cast.junior, who=child, grade=8, status="辍学", status_date="2023-11-01")
    b.pupil(other, who=child, grade=8, entry_date="2023-12-01")
    b.pupil(cast.junior, name="在读", grade=8)
    assert cast.figures("junior_dropout") == (0, 2)
    assert shortfall_list(code="junior_dropout", school_year=2023, unit=cast.town) == []


def test_a_dropout_who_went_to_a_school_of_another_town_counts(cast):
    """Only a school of the town shows the child resumed: the town's own rolls say so."""
    elsewhere = b.school(b.town("富庄镇"), "富庄中学", kind="初中")
    gone = b.person(cast.village, name="外镇", born="2010-05-05")
    b.pupil(cast.junior, who=gone, grade=8, status="辍学", status_date="2023-11-01")
    b.pupil(elsewhere, who=gone, grade=8, entry_date="2023-12-01")
    b.pupil(cast.junior, name="在读", grade=8)
    assert cast.figures("junior_dropout") == (1, 2)


# -- a person is one dropout at most per year (issue 9) ------------------------------------------
def test_a_child_who_drops_out_at_two_schools_of_the_town_is_one_dropout(cast):
    """Left 富林小学 with no school found, joined 汉源二小 and dropped out there too: one dropout
    of the year, counted at the school he left last; the list names him once."""
    from liangji.indicators.selectors import dropout_crosscheck, shortfall_list

    child = b.person(cast.village, name="李明", born="2013-05-05")
    second = b.school(cast.town, "汉源二小")
    b.pupil(cast.primary, who=child, grade=4, status="转出", status_date="2023-10-01")
    b.pupil(second, who=child, grade=4, entry_date="2023-10-10", status="辍学",
            status_date="2023-12-01")  # fmt: skip
    b.pupil(cast.primary, name="在读", grade=4)

    assert cast.figures("primary_dropout") == (1, 2)
    assert cast.figures("primary_dropout", "富林小学") == (0, 2)
    assert cast.figures("primary_dropout", "汉源二小") == (1, 0)
    rows = shortfall_list(code="primary_dropout", school_year=2023, unit=cast.town)
    assert [(r.name, r.school) for r in rows] == [("李明", "汉源二小")]
    # The flow form counts both exits; the 校验表 says why the forms differ by one.
    [left] = [p for r in dropout_crosscheck(school_year=2023, town=cast.town) for p in r.pupils]
    assert (left.name, left.flow_exits, left.event_dropout, left.explained) == ("李明", 1, 0, True)
    assert "再次辍学" in left.explanation


def test_two_roll_rows_of_one_dropout_count_once(cast):
    """The same child twice on a school's roll, both rows 辍学: one dropout."""
    from liangji.indicators.selectors import shortfall_list

    child = b.person(cast.village, name="王芳", born="2010-02-02")
    b.pupil(cast.junior, who=child, grade=8, status="辍学", status_date="2023-11-01")
    b.pupil(cast.junior, who=child, grade=8, status="辍学", status_date="2023-11-01")
    assert cast.figures("junior_dropout") == (1, 2)
    rows = shortfall_list(code="junior_dropout", school_year=2023, unit=cast.town)
    assert [r.name for r in rows] == ["王芳"]


def test_a_primary_dropout_who_then_left_junior_school_is_a_junior_dropout_only(cast):
    child = b.person(cast.village, name="赵刚", born="2011-03-03")
    b.pupil(cast.primary, who=child, grade=6, status="辍学", status_date="2023-09-20")
    b.pupil(cast.junior, who=child, grade=7, entry_date="2023-10-08", status="辍学",
            status_date="2024-04-01")  # fmt: skip
    assert cast.figures("primary_dropout") == (0, 1)
    assert cast.figures("junior_dropout") == (1, 0)
