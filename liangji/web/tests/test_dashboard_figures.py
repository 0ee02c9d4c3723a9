"""The dashboard's figures: computed once per data version, frozen for an approved year
(issue 10). 青山镇 in 2024: 张小明 (9) on the roll of 青山小学, 李小红 (14) on no roll."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from liangji.accounts.testing import Cast
from liangji.indicators import figures
from liangji.registers.models import SchoolYear
from liangji.registers.services import (
    person_record_death,
    school_year_approve,
    school_year_unlock,
    town_settings_update,
)
from liangji.registers.tests.register import Register, register_create
from liangji.web.selectors.dashboard import dashboard_build


@pytest.fixture
def register(cast: Cast) -> Register:
    return register_create(cast)


def _card(cast: Cast, code: str, year: int = 2024) -> Decimal | None:
    board = dashboard_build(
        user=cast.alice, school_year=SchoolYear.objects.get(year=year), town_id=None
    )
    assert board.focus is not None
    return board.focus.get(code).value


def _trend_2024(cast: Cast, code: str) -> float | None:
    board = dashboard_build(
        user=cast.alice, school_year=SchoolYear.objects.get(year=2025), town_id=None
    )
    trend = board.chart["trend"]
    return trend["series"][code][trend["years"].index("2024—2025")]  # type: ignore[no-any-return]


def test_a_second_dashboard_computes_nothing_until_a_write(
    client: Client, cast: Cast, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed: list[int] = []
    compute = figures.indicators_compute

    def counting(**kwargs):  # type: ignore[no-untyped-def]
        computed.append(kwargs["school_year"])
        return compute(**kwargs)

    monkeypatch.setattr(figures, "indicators_compute", counting)
    client.force_login(cast.alice)
    client.get("/")
    client.force_login(cast.vera)  # another user of the town: the same kept report, her scope
    assert "东村" in client.get("/").content.decode()
    assert computed == [2024]
    person_record_death(
        record=register.xiaohong_record,
        died_on=datetime.date(2024, 8, 1),
        expected_version=1,
        user=cast.alice,
    )
    client.get("/")
    assert computed == [2024, 2024]


def test_a_setting_changed_after_locking_does_not_move_the_approved_figures(
    cast: Cast, register: Register
) -> None:
    assert _card(cast, "primary_enrollment") == Decimal("100.00")
    school_year_approve(school_year=register.year, user=cast.alice, override_reason="测试")
    town_settings_update(town=cast.town, changes={"primary_ages": "10-12"}, user=cast.alice)
    assert _card(cast, "primary_enrollment") == Decimal("100.00")


def test_unlock_correct_relock_moves_the_card_and_the_trend(cast: Cast, register: Register) -> None:
    SchoolYear.objects.create(year=2025)
    school_year_approve(school_year=register.year, user=cast.alice, override_reason="测试")
    assert _trend_2024(cast, "junior_net_enrollment") == 0.0  # 李小红, 14, on no roll
    school_year_unlock(school_year=register.year, reason="李小红已于8月死亡", user=cast.alice)
    person_record_death(
        record=register.xiaohong_record,
        died_on=datetime.date(2024, 8, 1),
        expected_version=1,
        user=cast.alice,
    )
    school_year_approve(school_year=register.year, user=cast.alice, override_reason="测试")
    assert _trend_2024(cast, "junior_net_enrollment") is None  # no one left to count
    assert _card(cast, "junior_net_enrollment") is None


def test_the_page_is_kept_per_browser_until_a_write(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    client.get("/")  # the browser receives its CSRF cookie with its first page
    kept = client.get("/").content
    assert client.get("/").content == kept  # the same bytes, CSRF token included: kept
    village = Client()
    village.force_login(cast.vera)
    village.get("/")
    assert village.get("/").content != kept  # another browser, another user: her own page
    person_record_death(
        record=register.xiaohong_record,
        died_on=datetime.date(2024, 8, 1),
        expected_version=1,
        user=cast.alice,
    )
    assert client.get("/").content != kept
