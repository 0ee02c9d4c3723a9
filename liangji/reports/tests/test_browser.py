"""In a real browser: the office writes a narrative section of the self-check report, generates
it in the background, watches the progress and downloads the Word file."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from docx import Document

from liangji.accounts.testing import CAST_PASSWORD
from liangji.conftest import ARTIFACTS
from liangji.reports.tests.conftest import World, world_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INTRO = "我镇于2023年10月组织开展两基迎国检自查工作。"


@pytest.fixture
def world() -> World:
    return world_create()


def test_the_office_generates_the_self_check_report_and_downloads_it(
    browser: Any, live_server: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The report is generated in a detached process: it must open this test's database file.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{connection.settings_dict['NAME']}")
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", CAST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/reports/")
    page.click("text=文稿：两基指标报告、自查报告、汇报材料")
    page.click("[data-narrative=self_check]")
    page.fill("#id_intro", INTRO)
    page.click("#narrative-save")
    page.wait_for_selector("text=已保存")
    page.click("[data-generate=doc-self-check-docx]")
    page.wait_for_selector("#job-download", timeout=90_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-job.png"), full_page=True)
    with page.expect_download() as info:
        page.click("#job-download")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = download.path()
    text = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "青山镇两基迎国检自查报告" in text
    assert INTRO in text
    assert "小学适龄儿童入学率为 66.67%" in text
    assert errors == []
    context.close()
