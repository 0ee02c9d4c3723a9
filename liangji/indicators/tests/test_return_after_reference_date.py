"""A pupil back at school (复学) after the reference date (domain.md §3: the status on the
reference date decides). 富林村's children are 10 on 1 Sept 2023; the year is 2023."""

from __future__ import annotations

from liangji.indicators.selectors import shortfall_list
from liangji.registers import testing as b


def test_a_return_after_1_september_is_not_enrolment_on_1_september(cast):
    """A roll written 复学 on 2023-10-15 (休学 before it, as the import reads the word)."""
    back = b.person(cast.village, name="复学", born="2013-03-03")
    b.pupil(cast.primary, who=back, grade=5, status_date="2023-10-15")
    at_school = b.person(cast.village, name="在读", born="2013-04-04")
    b.pupil(cast.primary, who=at_school, grade=5)
    assert cast.figures("primary_enrollment") == (1, 2)
    [row] = shortfall_list(code="primary_enrollment", school_year=2023, unit=cast.town)
    assert row.name == "复学"
    assert row.reason == "2023-10-15才复学（富林小学5年级），统计时点未在读"
    # The dropout rate: 休学 is on the register on 1 Sept and is no dropout.
    assert cast.figures("primary_dropout") == (0, 2)


def test_a_return_in_time_for_1_september_is_enrolment(cast):
    back = b.person(cast.village, name="复学", born="2013-03-03")
    b.pupil(cast.primary, who=back, grade=5, status_date="2023-09-01")
    assert cast.figures("primary_enrollment") == (1, 1)


def test_a_pupil_who_left_after_1_september_and_came_back_was_at_school_on_it(cast):
    """Dropped out on 20 Sept, back on 15 Oct: 在读 on 1 Sept; resumed, so no dropout."""
    child = b.person(cast.village, name="回来", born="2013-03-03")
    roll = b.pupil(cast.primary, who=child, grade=5, status_date="2023-10-15")
    b.event(roll, "辍学", "2023-09-20")
    b.event(roll, "复学", "2023-10-15")
    assert cast.figures("primary_enrollment") == (1, 1)
    assert cast.figures("primary_dropout") == (0, 1)


def test_a_dropout_of_last_year_back_after_1_september_is_not_on_the_start_roll(cast):
    """辍学 in June (last school year), back on 15 Oct: off the register on 1 Sept, so not in
    学年初在校生数, and not a dropout of this year (his exit belongs to the year before)."""
    child = b.person(cast.village, name="回来", born="2013-03-03")
    roll = b.pupil(cast.primary, who=child, grade=5, status_date="2023-10-15")
    b.event(roll, "辍学", "2023-06-10")
    b.event(roll, "复学", "2023-10-15")
    b.pupil(cast.primary, name="在读", grade=5)
    assert cast.figures("primary_enrollment") == (0, 1)
    assert cast.figures("primary_dropout") == (0, 1)
