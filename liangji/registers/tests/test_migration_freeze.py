"""Upgrading: a year locked before settings were kept per year keeps the settings in force at
the upgrade (migration 0006)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("registers", "0005_year_town_settings")]
AFTER = [("registers", "0006_freeze_settings_of_locked_years")]


@pytest.mark.django_db(transaction=True)
def test_locked_years_get_the_settings_in_force_at_the_upgrade() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    town = old.get_model("registers", "Unit").objects.create(kind="镇", name="汉源镇")
    old.get_model("registers", "TownSetting").objects.create(
        town=town, key="primary_ages", value="7-11"
    )
    year = old.get_model("registers", "SchoolYear").objects.create(year=2023, locked=True)
    old.get_model("registers", "SchoolYear").objects.create(year=2024, locked=False)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from liangji.registers.models import YearTownSettings

    kept = YearTownSettings.objects.get()
    assert (kept.school_year_id, kept.town_id) == (year.pk, town.pk)
    assert kept.values == {"primary_ages": "7-11"}
