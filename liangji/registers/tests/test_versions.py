"""The one invalidation rule: every register write that can move a figure bumps its town's
data version in the same transaction (registers.versions)."""

from __future__ import annotations

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import transaction

from liangji.registers import testing as b
from liangji.registers.choices import RollEventKind
from liangji.registers.services import (
    enrollment_record_event,
    person_record_death,
    school_year_lock,
    school_year_unlock,
    town_settings_update,
)
from liangji.registers.versions import data_changed, data_version, data_version_latest, kept

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    hanyuan, other = b.town("汉源镇"), b.town("白水镇")
    return hanyuan, other, b.village(hanyuan, "富林村"), b.school(hanyuan, "富林小学")


def test_a_town_starts_at_version_0_and_each_change_moves_it(towns):
    hanyuan, _other, _village, _school = towns
    assert data_version(hanyuan) == 0
    data_changed(town=hanyuan)
    first = data_version(hanyuan)
    data_changed(town=hanyuan)
    assert 0 < first < data_version(hanyuan)


def test_a_village_or_school_counts_for_its_town_only(towns):
    hanyuan, other, village, school = towns
    data_changed(town=village)
    data_changed(town=school)
    assert data_version(hanyuan) > 0
    assert data_version(other) == 0


def test_none_changes_every_town(towns):
    hanyuan, other, _village, _school = towns
    data_changed(town=None)
    assert data_version(hanyuan) > 0 and data_version(other) > 0


def test_a_rolled_back_write_leaves_the_version(towns):
    hanyuan, _other, _village, _school = towns
    with pytest.raises(RuntimeError), transaction.atomic():
        data_changed(town=hanyuan)
        raise RuntimeError("the write failed")
    assert data_version(hanyuan) == 0


def test_settings_change_the_town_version(towns):
    hanyuan, other, _village, _school = towns
    town_settings_update(town=hanyuan, changes={"rate_decimals": "1"}, user=None)
    assert data_version(hanyuan) > 0
    assert data_version(other) == 0


def test_a_record_edit_and_a_roll_event_change_the_town_version(towns):
    hanyuan, other, village, school = towns
    record = b.person(village, born="2012-05-01")
    person_record_death(
        record=record, died_on=datetime.date(2024, 1, 5), expected_version=1, user=None
    )
    after_death = data_version(hanyuan)
    assert after_death > 0
    roll = b.pupil(school, grade=5, who=record)
    enrollment_record_event(
        enrollment=roll, kind=RollEventKind.DECEASED, date=datetime.date(2024, 1, 5), user=None
    )
    assert data_version(hanyuan) > after_death
    assert data_version(other) == 0


def test_lock_and_unlock_change_every_town(towns):
    hanyuan, other, _village, _school = towns
    year = b.school_year(2023)
    school_year_lock(school_year=year, user=None)
    locked = data_version(hanyuan), data_version(other)
    assert min(locked) > 0
    school_year_unlock(school_year=year, reason="更正一条死亡登记", user=None)
    assert data_version(hanyuan) > locked[0] and data_version(other) > locked[1]


def test_a_restored_backup_starts_every_town_at_a_version_never_used(towns, tmp_path):
    from liangji.ops.services import backup_create, backup_restore

    hanyuan, other, _village, _school = towns
    data_changed(town=hanyuan)
    backup = backup_create(path=tmp_path / "backup.zip").path
    data_changed(town=hanyuan)
    before = data_version(hanyuan), data_version(other)
    backup_restore(path=backup, force=True)
    assert data_version(hanyuan) > before[0] and data_version(other) > before[1]


def test_the_latest_version_moves_with_any_town(towns):
    hanyuan, other, _village, _school = towns
    assert data_version_latest() == 0
    data_changed(town=hanyuan)
    after_hanyuan = data_version_latest()
    data_changed(town=other)
    assert 0 < after_hanyuan < data_version_latest()


def test_kept_computes_once_for_callers_arriving_together():
    computed: list[int] = []

    def compute() -> str:
        computed.append(1)
        time.sleep(0.2)  # long enough for every caller to arrive while it computes
        return "figures"

    barrier = threading.Barrier(8)

    def caller(_: int) -> str:
        barrier.wait()
        return kept("liangji:test:kept-together:1", compute, 60)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(caller, range(8)))
    assert answers == ["figures"] * 8
    assert computed == [1]
    assert kept("liangji:test:kept-together:2", compute, 60) == "figures"  # a new version
    assert computed == [1, 1]
