"""The archive in a real browser (headless Chromium): a proof uploaded on the person page raises
the village's completeness; a spot check is drawn and a sampled person's chain opens.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from liangji.accounts.testing import CAST_PASSWORD
from liangji.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def default_catalogue() -> None:
    """Earlier transactional tests flush the catalogue the data migration loaded; load it again
    (the migration fills an empty table only)."""
    from django.apps import apps

    migration = importlib.import_module("liangji.archive.migrations.0002_default_catalogue")
    migration.catalogue_load(apps, None)


def _login(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", CAST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_a_proof_raises_completeness_and_a_spot_check_opens_a_chain(
    browser: Any, live_server: Any, cast: Any, people: Any, tmp_path: Path
) -> None:
    base = live_server.url
    page = _login(browser, base, "vera")
    page.goto(f"{base}/archive/?unit={cast.east.pk}")
    assert page.inner_text("#completeness-percent") == "0.0%"

    scan = tmp_path / "张小明在外就读证明.pdf"
    scan.write_bytes(b"%PDF-1.4 proof")
    page.goto(f"{base}/people/{people.xiaoming.person_id}/")
    form = page.locator(f"#proofs-{people.xiaoming.pk} form")
    form.locator("select[name=kind]").select_option("在外就读证明")
    form.locator("input[type=file]").set_input_files(str(scan))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已归档（第1版" in page.inner_text(f"#proofs-{people.xiaoming.pk}")
    page.goto(f"{base}/archive/?unit={cast.east.pk}")
    assert page.inner_text("#completeness-percent") == "20.0%"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "archive-home.png"), full_page=True)

    page = _login(browser, base, "ian")
    page.goto(f"{base}/archive/spot-checks/")
    page.select_option("#id_unit", str(cast.east.pk))
    page.fill("#id_size", "2")
    page.fill("#id_seed", "42")
    page.click("#draw button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click("#sample tbody tr:first-child a")
    page.wait_for_load_state("networkidle")
    assert "证据链" in page.inner_text("h1")
    assert "各学年人口记录、证明与指标" in page.content()
    page.screenshot(path=str(ARTIFACTS / "archive-chain.png"), full_page=True)
