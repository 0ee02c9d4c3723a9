"""The dashboard: indicator cards against targets, charts' data, and other apps' overdue work."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from liangji.accounts.testing import Cast
from liangji.overdue import OverdueItem
from liangji.registers.models import SchoolYear
from liangji.registers.tests.register import Register, register_create
from liangji.web import dashboard


@pytest.fixture
def register(cast: Cast) -> Register:
    return register_create(cast)


def _chart(page: str) -> dict:  # type: ignore[type-arg]
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page)
    assert match is not None
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_the_town_office_sees_every_indicator_against_its_target(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    page = client.get("/").content.decode()
    assert page.count("data-code=") == 11
    # 李小红 (14) is on no roll: the junior enrolment misses its target by one child, linked to
    # the work list of the town.
    assert "初中净入学率" in page
    assert f"/worklist/?code=junior_net_enrollment&amp;unit={cast.town.pk}" in page
    chart = _chart(page)
    assert [v["name"] for v in chart["villages"]] == ["东村", "西村"]
    assert chart["villages"][0]["values"]["primary_enrollment"] == 100.0
    assert [s["name"] for s in chart["schools"]] == ["青山中学", "青山小学"]
    assert chart["trend"]["years"] == ["2024—2025"]


def test_a_village_sees_its_own_cards_and_no_other_village(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.vera)
    page = client.get("/").content.decode()
    assert "<h1>东村</h1>" in page
    assert page.count("data-code=") == 9  # villages carry the nine population indicators
    assert _chart(page)["villages"] == [
        {"name": "东村", "values": _chart(page)["villages"][0]["values"]}
    ]


def test_the_trend_covers_past_years(client: Client, cast: Cast, register: Register) -> None:
    SchoolYear.objects.create(year=2023, locked=True)
    client.force_login(cast.alice)
    chart = _chart(client.get("/").content.decode())
    assert chart["trend"]["years"] == ["2023—2024", "2024—2025"]
    # 2023 has no records: nobody to count, so no rate.
    assert chart["trend"]["series"]["primary_enrollment"] == [None, 100.0]
    # The locked year's rates are cached; asking again answers the same.
    assert _chart(client.get("/").content.decode())["trend"] == chart["trend"]


def test_other_apps_add_their_overdue_work(
    client: Client, cast: Cast, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    def visits(*, user: object, school_year: object) -> list[OverdueItem]:
        return [OverdueItem("控辍保学：超期未家访", 3, "/dropout/", "bad")]

    def broken(*, user: object, school_year: object) -> list[OverdueItem]:
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboard, "OVERDUE_SOURCES", [visits, broken])
    client.force_login(cast.alice)
    page = client.get("/").content.decode()
    assert page.count("控辍保学：超期未家访：3") == 1
    assert "部分待办事项暂时无法显示（网页应用）" in page
