"""迎检准备 in a real browser (headless Chromium): the plan's timeline chart draws under the
strict Content-Security-Policy, and the readiness page names the veto. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import pytest

from liangji.conftest import ARTIFACTS
from liangji.inspection.choices import SafetyGrade
from liangji.inspection.services.conditions import building_save
from liangji.inspection.services.plan import plan_create_from_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def default_standard() -> None:
    """Earlier transactional tests flush the database, and with it the default standard that
    the data migration loaded; load it again (the migration fills an empty table only)."""
    from django.apps import apps

    migration = importlib.import_module("liangji.inspection.migrations.0002_default_standard")
    migration.load_default_standard(apps, None)


def _login(browser: Any, base: str, username: str) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "x" * 12)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page, errors


def test_the_plan_timeline_draws_and_readiness_names_the_veto(browser, live_server, cast):
    plan_create_from_template(town=cast.town, school_year=cast.year, year_of_plan=2025)
    building_save(school=cast.primary, name="旧平房", area=Decimal("180.0"),
                  safety_grade=SafetyGrade.D, in_use=True, user=None)  # fmt: skip
    page, errors = _login(browser, live_server.url, "olivia")

    page.goto(f"{live_server.url}/inspection/plan/")
    page.wait_for_selector("#plan-timeline canvas")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "inspection-plan.png"), full_page=True)

    page.goto(f"{live_server.url}/inspection/readiness/")
    page.wait_for_load_state("networkidle")
    assert "【一票否决】无D级危房在用：D级危房「旧平房」（180.0㎡）仍在使用" in page.content()
    page.screenshot(path=str(ARTIFACTS / "inspection-readiness.png"), full_page=True)
    assert errors == []
