import datetime
from decimal import Decimal

import pytest

from liangji.registers.models import Unit
from liangji.registers.services import town_settings_get, town_settings_update
from liangji.registers.town_settings import SettingError, TownSettings, setting_parse


def test_defaults_are_the_domain_defaults():
    settings = TownSettings.from_stored({})
    assert settings.reference_date(2023) == datetime.date(2023, 9, 1)
    assert settings.primary_ages == (7, 12)
    assert settings.junior_ages == (13, 15)
    assert settings.exclude_disabled_from_enrollment is True
    assert settings.count_suspension_as_dropout is False
    assert settings.rate_decimals == 2
    assert settings.rate_rounding == "half_up"
    assert settings.target("primary_dropout") == Decimal("0.2")


@pytest.mark.parametrize(
    ("key", "raw", "stored"),
    [
        ("reference_date", "9-1", "09-01"),
        ("primary_ages", "6 - 11", "6-11"),
        ("count_home_schooling_as_enrolled", "否", "false"),
        ("rate_decimals", "1", "1"),
        ("rate_rounding", "truncate", "truncate"),
        ("target.junior_net_enrollment", "97.5%", "97.5"),
    ],
)
def test_values_are_normalised(key, raw, stored):
    assert setting_parse(key, raw) == stored


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("reference_date", "02-30"),
        ("primary_ages", "12-7"),
        ("rate_rounding", "bankers"),
        ("target.primary_enrollment", "101"),
        ("no_such_key", "1"),
    ],
)
def test_bad_values_are_refused_with_a_message(key, raw):
    with pytest.raises(SettingError):
        setting_parse(key, raw)


@pytest.mark.django_db
def test_update_is_stored_and_audited():
    town = Unit.objects.create(kind="镇", name="汉源镇")
    town_settings_update(town=town, changes={"rate_decimals": "1"}, user=None)
    assert town_settings_get(town).rate_decimals == 1
    from liangji.audit.models import AuditEntry

    entry = AuditEntry.objects.get()
    assert entry.before == {"rate_decimals": "2"} and entry.after == {"rate_decimals": "1"}


@pytest.mark.django_db
def test_the_command_changes_a_years_own_settings_only_while_it_is_unlocked():
    from django.core.management import CommandError, call_command

    from liangji.registers.models import SchoolYear
    from liangji.registers.services import school_year_lock, school_year_unlock

    town = Unit.objects.create(kind="镇", name="汉源镇")
    year = school_year_lock(school_year=SchoolYear.objects.create(year=2023), user=None)
    with pytest.raises(CommandError, match="已审核锁定"):
        call_command("settings", "--school-year", "2023", "primary_ages=7-11")
    call_command("settings", "primary_ages=6-11")  # the town's: the years to come
    assert town_settings_get(town, year).primary_ages == (7, 12)
    school_year_unlock(school_year=year, reason="目标调整", user=None)
    call_command("settings", "--school-year", "2023", "primary_ages=7-11")
    assert town_settings_get(town, year).primary_ages == (7, 11)
    assert town_settings_get(town).primary_ages == (6, 11)
