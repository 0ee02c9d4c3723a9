"""The layout every page extends: navigation, school-year picker, user, security headers."""

from __future__ import annotations

from django.test import Client

from liangji.accounts.testing import Cast
from liangji.registers.models import SchoolYear
from liangji.registers.privacy import mask_id


def test_the_layout_names_the_user_role_unit_and_years(client: Client, cast: Cast) -> None:
    SchoolYear.objects.create(year=2023)
    SchoolYear.objects.create(year=2024, locked=True)
    client.force_login(cast.vera)
    page = client.get("/").content.decode()
    assert "张东村" in page
    assert "村/社区 · 东村" in page
    assert "2024—2025（已锁定）" in page
    assert 'href="/"' in page


def test_navigation_hides_pages_of_missing_apps_and_other_roles(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    page = client.get("/").content.decode()
    assert "工作台" in page
    assert "审计日志" not in page  # administrators only


def test_every_page_carries_a_strict_content_security_policy(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


def test_choosing_a_school_year_keeps_it_in_the_session(client: Client, cast: Cast) -> None:
    SchoolYear.objects.create(year=2023)
    SchoolYear.objects.create(year=2024)
    client.force_login(cast.alice)
    assert "2024—2025学年" in client.get("/").content.decode()
    response = client.post("/school-year/", {"year": "2023", "next": "/"})
    assert response.status_code == 302
    assert "2023—2024学年" in client.get("/").content.decode()


def test_mask_id_keeps_only_the_first_and_last_four_characters() -> None:
    assert mask_id("51180219900307123X") == "5118**********123X"
    assert mask_id("511802900307123") == "5118*******7123"
    assert mask_id("") == ""
    assert mask_id(None) == ""
    assert mask_id("1234") == "****"
