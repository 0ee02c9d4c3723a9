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
