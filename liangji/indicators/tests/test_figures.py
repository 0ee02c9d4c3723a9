"""The figures as shown (indicators.figures): kept per town, school year and data version, and
frozen for an approved year.

汉源镇 in 2023 (reference date 2023-09-01): 小明, 7, is in grade 1 of 富林小学; 小刚, 12, has no
roll. 小学入学率 is 1/2 = 50.00 % with the default primary ages 7-12, 1/1 = 100.00 % with 7-11.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from liangji.indicators.figures import indicators_report
from liangji.indicators.selectors import indicator_trends
from liangji.indicators.tests import builders as b
from liangji.registers.models import SchoolYear
from liangji.registers.services import (
    person_record_death,
    school_year_lock,
    school_year_unlock,
    town_settings_update,
)


def _rate(town, year: int = b.YEAR) -> Decimal | None:
    return (
        indicators_report(school_year=year, town=town)
        .unit("汉源镇")
        .get("primary_enrollment")
        .value
    )


@pytest.fixture
def xiaogang(cast):
    xiaoming = b.person(cast.village, born="2016-05-01", name="张小明")
    b.pupil(cast.primary, who=xiaoming, grade=1)
    return b.person(cast.village, born="2011-05-01", name="李小刚", number="002")


def _approve(year: int = b.YEAR) -> SchoolYear:
    # The lock stores the figures (the indicators app's hook, in the lock's transaction).
    return school_year_lock(school_year=SchoolYear.objects.get(year=year), user=None)


def test_kept_figures_move_with_every_write(cast, xiaogang):
    assert _rate(cast.town) == Decimal("50.00")
    person_record_death(
        record=xiaogang, died_on=datetime.date(2023, 8, 1), expected_version=1, user=None
    )
    assert _rate(cast.town) == Decimal("100.00")
    town_settings_update(town=cast.town, changes={"rate_decimals": "1"}, user=None)
    assert _rate(cast.town) == Decimal("100.0")


def test_the_scope_is_applied_to_the_kept_report(cast, xiaogang):
    whole = indicators_report(school_year=b.YEAR, town=cast.town)
    assert {u.name for u in whole.units} >= {"汉源镇", "富林村", "富林小学"}
    village_only = indicators_report(school_year=b.YEAR, town=cast.town, unit_ids={cast.village.pk})
    assert [u.name for u in village_only.units] == ["富林村"]
    assert indicators_report(school_year=b.YEAR, town=cast.town, unit_ids=set()).units == []


def test_a_setting_changed_after_locking_does_not_move_the_locked_year(cast, xiaogang):
    _approve()
    b.school_year(2024)
    town_settings_update(town=cast.town, changes={"primary_ages": "7-11"}, user=None)
    assert _rate(cast.town) == Decimal("50.00")  # approved
    school_year_unlock(school_year=SchoolYear.objects.get(year=b.YEAR), reason="核对", user=None)
    assert _rate(cast.town) == Decimal("50.00")  # the year keeps its own settings
    report = indicators_report(school_year=2024, town=cast.town)
    assert report.settings["primary_ages"] == "7-11"  # the years not approved follow the town


def test_a_year_setting_can_be_changed_while_unlocked_only(cast, xiaogang):
    year = _approve()
    with pytest.raises(Exception, match="已审核锁定"):
        town_settings_update(
            town=cast.town, changes={"primary_ages": "7-11"}, user=None, school_year=year
        )
    school_year_unlock(school_year=year, reason="目标调整", user=None)
    town_settings_update(
        town=cast.town, changes={"primary_ages": "7-11"}, user=None, school_year=year
    )
    assert _rate(cast.town) == Decimal("100.00")


def test_the_approved_figures_are_what_is_shown_not_a_recomputation(cast, xiaogang):
    _approve()
    # A write behind the services' back (no version bump, year locked): the shown figure is
    # still the approved one.
    xiaogang.delete()
    assert _rate(cast.town) == Decimal("50.00")
    assert indicator_trends(town=cast.town)["primary_enrollment"][0][1].value == Decimal("50.00")


def test_unlock_correct_relock_shows_the_corrected_figures_and_trend(cast, xiaogang):
    _approve()
    assert indicator_trends(town=cast.town)["primary_enrollment"][0][1].value == Decimal("50.00")
    year = school_year_unlock(
        school_year=SchoolYear.objects.get(year=b.YEAR), reason="小刚已于8月死亡", user=None
    )
    person_record_death(
        record=xiaogang, died_on=datetime.date(2023, 8, 1), expected_version=1, user=None
    )
    assert _rate(cast.town) == Decimal("100.00")
    _approve()
    assert year.pk == SchoolYear.objects.get(locked=True).pk
    assert _rate(cast.town) == Decimal("100.00")
    assert indicator_trends(town=cast.town)["primary_enrollment"][0][1].value == Decimal("100.00")
