"""domain.md §3, rule by rule, on literal registers of 富林村 (reference date 2023-09-01)."""

from __future__ import annotations

from typing import Any

import pytest

from liangji.registers import testing as b


# -- ages: completed years on the reference date ------------------------------------------------
@pytest.mark.parametrize(
    ("born", "counted"),
    [
        ("2016-09-01", True),  # 7th birthday on the reference date: 7
        ("2016-08-31", True),  # 7 the day before
        ("2016-09-02", False),  # turns 7 the day after: still 6
        ("2016-02-29", True),  # a leap-day child is 7 by September
        ("2010-09-02", True),  # turns 13 the day after: still 12
        ("2010-09-01", False),  # 13 on the reference date
    ],
)
def test_primary_age_range_is_7_to_12_completed_years(cast, born, counted):
    b.person(cast.village, born=born)
    assert cast.figures("primary_enrollment") == (0, 1 if counted else 0)


def test_primary_age_range_follows_the_setting(cast):
    b.configure(cast.town, primary_ages="6-11")
    b.person(cast.village, born="2017-09-01")  # 6
    b.person(cast.village, born="2011-09-01")  # 12
    assert cast.figures("primary_enrollment") == (0, 1)


@pytest.mark.parametrize(
    ("reference_date", "born", "counted"),
    [
        ("03-01", "2008-02-29", True),  # 15 on 2023-03-01
        ("03-01", "2008-03-02", False),  # 14
        ("02-28", "2008-02-29", False),  # the leap-day birthday falls on 1 March in 2023
        ("02-28", "2008-02-28", True),
    ],
)
def test_leap_day_birthdays_against_other_reference_dates(cast, reference_date, born, counted):
    b.configure(cast.town, reference_date=reference_date)
    b.person(cast.village, born=born, education_level="初中在读")
    assert cast.figures("primary_completion_15") == ((1, 1) if counted else (0, 0))


# -- alive and registered on the reference date -------------------------------------------------
def test_deaths_and_move_outs_count_only_when_dated_after_the_reference_date(cast):
    b.person(cast.village, born="2015-05-01", died_on="2023-08-31")
    b.person(cast.village, born="2015-05-02", died_on="2023-09-02")
    b.person(cast.village, born="2015-05-03", hukou_status="迁出", moved_out_on="2023-08-01")
    b.person(cast.village, born="2015-05-04", hukou_status="迁出", moved_out_on="2023-10-01")
    b.person(cast.village, born="2015-05-05", died_on="2023-09-01")  # died on the day: gone
    assert cast.figures("primary_enrollment") == (0, 2)


def test_migrants_are_counted_apart_from_the_registered(cast):
    enrolled = b.migrant(cast.village, born="2013-03-03")
    b.pupil(cast.primary, who=enrolled, grade=4)
    b.migrant(cast.village, born="2012-03-03")  # on no roll
    b.migrant(cast.village, born="2007-03-03")  # 16: too old
    assert cast.figures("migrant_enrollment") == (1, 2)
    assert cast.figures("primary_enrollment") == (0, 0)


# -- exclusions ---------------------------------------------------------------------------------
def test_a_valid_exemption_is_excluded_and_an_expired_or_later_one_is_not(cast):
    valid: dict[str, Any] = {"exemption": "缓学", "exemption_approved_on": "2023-06-01"}
    b.person(cast.village, born="2015-01-01", exemption_until="2024-08-31", **valid)
    b.person(cast.village, born="2015-01-02", **valid)  # no end date: valid
    b.person(cast.village, born="2015-01-03", exemption_until="2023-08-31", **valid)  # expired
    b.person(
        cast.village,
        born="2015-01-04",
        exemption="免学",
        exemption_approved_on="2023-09-10",  # approved after the reference date
    )
    assert cast.figures("primary_enrollment") == (0, 2)
    b.configure(cast.town, exclude_exempted_from_enrollment="false")
    assert cast.figures("primary_enrollment") == (0, 4)


@pytest.mark.parametrize(
    ("disability", "excluded"),
    [
        ("视力", True),
        ("听力", True),
        ("言语", True),
        ("智力", True),
        ("肢体", False),
        ("精神", False),
    ],
)
def test_only_the_three_class_disabled_leave_the_enrolment_population(cast, disability, excluded):
    b.person(cast.village, born="2014-04-04", disability=disability)
    assert cast.figures("primary_enrollment") == (0, 0 if excluded else 1)
    assert cast.figures("disabled_enrollment") == (0, 1 if excluded else 0)


def test_the_three_class_disabled_stay_when_the_setting_is_off(cast):
    b.configure(cast.town, exclude_disabled_from_enrollment="false")
    b.person(cast.village, born="2014-04-04", disability="智力")
    assert cast.figures("primary_enrollment") == (0, 1)


# -- what counts as enrolled --------------------------------------------------------------------
def test_enrolled_on_the_reference_date(cast):
    on_roll = b.person(cast.village, born="2015-01-01")
    b.pupil(cast.primary, who=on_roll, grade=2)
    suspended_before = b.person(cast.village, born="2015-01-02")
    b.pupil(cast.primary, who=suspended_before, grade=2, status="休学", status_date="2023-08-20")
    suspended_later = b.person(cast.village, born="2015-01-03")
    b.pupil(cast.primary, who=suspended_later, grade=2, status="休学", status_date="2023-10-08")
    joined_later = b.person(cast.village, born="2015-01-04")
    b.pupil(cast.primary, who=joined_later, grade=2, entry_date="2023-10-01")
    joined_on_the_day = b.person(cast.village, born="2015-01-05")
    b.pupil(cast.primary, who=joined_on_the_day, grade=2, entry_date="2023-09-01")
    last_years_roll_only = b.person(cast.village, born="2015-01-06")
    b.pupil(cast.primary, who=last_years_roll_only, grade=1, year=2022)
    assert cast.figures("primary_enrollment") == (3, 6)


def test_a_roll_in_another_town_is_enrolment_too(cast):
    neighbour = b.school(b.town("富庄镇"), "富庄初中", kind="初中")
    pupil = b.person(cast.village, born="2009-01-01")
    b.pupil(neighbour, who=pupil, grade=8)
    assert cast.figures("junior_net_enrollment") == (1, 1)
    assert cast.figures("junior_dropout") == (0, 0)  # the roll is 富庄镇's school's


def test_studying_elsewhere_counts_at_its_level(cast):
    b.person(cast.village, born="2015-01-01", elsewhere_level="小学", elsewhere_proof=True)
    b.person(cast.village, born="2015-01-02", elsewhere_level="小学", elsewhere_proof=False)
    b.person(cast.village, born="2009-01-01", elsewhere_level="初中", elsewhere_proof=True)
    b.person(cast.village, born="2009-01-02", elsewhere_level="高中", elsewhere_proof=True)
    b.person(cast.village, born="2009-01-03", elsewhere_level="小学", elsewhere_proof=True)
    # A missing proof is a warning for the reconciliation, not a silent exclusion.
    assert cast.figures("primary_enrollment") == (2, 2)
    assert cast.figures("junior_net_enrollment") == (2, 3)  # 初中 and 高中, not 小学
    assert cast.figures("junior_gross_enrollment") == (1, 3)  # only 初中


def test_junior_gross_counts_junior_pupils_of_any_age(cast):
    b.pupil(cast.junior, who=b.person(cast.village, born="2009-05-05"), grade=8)  # 14
    b.pupil(cast.junior, who=b.person(cast.village, born="2007-05-05"), grade=9)  # 16
    b.pupil(cast.primary, who=b.person(cast.village, born="2010-05-05"), grade=6)  # 13, primary
    b.person(cast.village, born="2008-05-05")  # 15, on no roll
    assert cast.figures("junior_gross_enrollment") == (2, 3)
    assert cast.figures("junior_net_enrollment") == (1, 3)


def test_special_school_and_home_teaching_count_as_enrolled_at_no_level(cast):
    special = b.school(cast.town, "汉源特校", kind="特殊教育学校")
    deaf = b.person(cast.village, born="2009-06-06", disability="听力")
    b.pupil(special, who=deaf, grade=7)
    at_home = b.person(cast.village, born="2012-06-06", disability="智力", home_schooling=True)
    physical = b.person(cast.village, born="2009-07-07", disability="肢体", home_schooling=True)
    assert cast.figures("disabled_enrollment") == (2, 2)
    b.configure(cast.town, exclude_disabled_from_enrollment="false")
    assert cast.figures("primary_enrollment") == (1, 1)  # at_home
    # Neither the special school's grade 7 nor home teaching is junior secondary.
    assert cast.figures("junior_net_enrollment") == (0, 2)
    assert cast.figures("junior_gross_enrollment") == (0, 2)
    assert at_home and physical


def test_home_teaching_is_not_enrolment_when_the_setting_is_off(cast):
    b.configure(cast.town, count_home_schooling_as_enrolled="false")
    b.person(cast.village, born="2012-06-06", disability="智力", home_schooling=True)
    assert cast.figures("disabled_enrollment") == (0, 1)


# -- graduates ----------------------------------------------------------------------------------
def test_primary_graduates_count_for_primary_enrolment(cast):
    graduate = b.person(cast.village, born="2011-10-10")  # 11
    b.pupil(cast.primary, who=graduate, grade=6, year=2022, status="毕业", status_date="2023-07-01")
    by_level = b.person(cast.village, born="2011-10-11", education_level="小学毕业")
    only_in_school = b.person(cast.village, born="2011-10-12", education_level="小学在读")
    assert cast.figures("primary_enrollment") == (2, 3)
    assert by_level and only_in_school


def test_primary_completion_of_fifteen_year_olds(cast):
    b.school_year(2022)
    graduated = b.person(cast.village, born="2008-03-03")
    b.pupil(
        cast.primary, who=graduated, grade=6, year=2022, status="毕业", status_date="2023-07-01"
    )
    in_junior = b.person(cast.village, born="2008-03-04")
    b.pupil(cast.junior, who=in_junior, grade=9)
    b.person(cast.village, born="2008-03-05", education_level="初中肄业")
    b.person(cast.village, born="2008-03-06", education_level="小学肄业")
    b.person(cast.village, born="2008-03-07", disability="智力")  # disabled are included
    late = b.person(cast.village, born="2008-03-08")  # graduates after the reference date
    b.pupil(cast.primary, who=late, grade=6, status="毕业", status_date="2024-07-01")
    assert cast.figures("primary_completion_15") == (3, 6)


def test_junior_completion_of_seventeen_year_olds(cast):
    graduated = b.person(cast.village, born="2006-03-03")
    b.pupil(cast.junior, who=graduated, grade=9, year=2022, status="毕业", status_date="2023-06-30")
    b.person(cast.village, born="2006-03-04", elsewhere_level="中职", elsewhere_proof=True)
    b.person(cast.village, born="2006-03-05", education_level="高中及以上")
    b.person(cast.village, born="2006-03-06", education_level="初中肄业")
    primary_graduate = b.person(cast.village, born="2006-03-07")
    b.pupil(
        cast.primary,
        who=primary_graduate,
        grade=6,
        year=2022,
        status="毕业",
        status_date="2023-06-30",
    )
    assert cast.figures("junior_completion_17") == (3, 5)


# -- literacy -----------------------------------------------------------------------------------
def test_illiteracy_and_literacy(cast):
    b.person(cast.village, born="2008-01-01", education_level="文盲")  # 15
    b.person(cast.village, born="2008-01-02", education_level="半文盲", lost_learning_ability=True)
    b.person(cast.village, born="2008-01-03", education_level="初中在读")
    b.person(cast.village, born="1973-01-01", education_level="脱盲")  # 50: literate again
    b.person(cast.village, born="1972-09-01", education_level="文盲")  # 51
    b.person(cast.village, born="1990-01-01", education_level="半文盲")
    assert cast.figures("illiteracy_15") == (1, 2)
    assert cast.figures("literacy_15_50") == (2, 4)


# -- units --------------------------------------------------------------------------------------
def test_villages_add_up_to_the_town_and_groups_are_reported(cast):
    other = b.village(cast.town, "团结村")
    left_behind = b.person(cast.village, born="2015-01-01", groups=("留守儿童",))
    b.pupil(cast.primary, who=left_behind, grade=2)
    b.person(other, born="2015-01-02", groups=("留守儿童", "低保"))
    assert cast.figures("primary_enrollment", "富林村") == (1, 1)
    assert cast.figures("primary_enrollment", "团结村") == (0, 1)
    assert cast.figures("primary_enrollment") == (1, 2)
    assert cast.figures("primary_enrollment", "留守儿童") == (1, 2)
    assert cast.figures("primary_enrollment", "低保") == (0, 1)
