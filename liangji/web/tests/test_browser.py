"""The application in a real browser (headless Chromium through Playwright) against a live server.

Screenshots of the dashboard, a person page and the import page go to test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from liangji.accounts.testing import CAST_PASSWORD, Cast, cast_create
from liangji.conftest import ARTIFACTS
from liangji.registers.tests.register import Register, register_create, workbook_write

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world() -> tuple[Cast, Register]:
    cast = cast_create()
    return cast, register_create(cast)


class Session:
    """One logged-in browser page, collecting console errors (a CSP violation is one)."""

    def __init__(self, browser: Any, base: str, username: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1360, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(f"{base}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", CAST_PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("networkidle")

    def _console(self, message: Any) -> None:
        # 404/403 pages the test asks for on purpose log "Failed to load resource".
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(message.text)

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return response

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize("username", ["alice", "lee", "vera", "sam", "ian"])
def test_each_role_sees_its_dashboard_with_charts(
    browser: Any, live_server: Any, world: tuple[Cast, Register], username: str
) -> None:
    session = Session(browser, live_server.url, username)
    page = session.page
    if username == "ian":  # the county inspector chooses the town (白水镇 comes first)
        with page.expect_navigation():
            page.select_option("#town-select", str(world[0].town.pk))
        page.wait_for_load_state("networkidle")
    assert page.locator(".card").count() >= 2
    page.wait_for_selector("#chart-trend canvas")
    if username in {"alice", "lee", "ian"}:
        page.wait_for_selector("#chart-villages canvas")
        page.wait_for_selector("#chart-schools canvas")
    assert session.errors == []
    session.close()


def test_the_administrator_lands_on_the_user_list(
    browser: Any, live_server: Any, world: tuple[Cast, Register]
) -> None:
    session = Session(browser, live_server.url, "ada")
    assert session.page.locator("h1").inner_text() == "用户"
    assert session.page.locator("text=审计日志").count() == 1
    assert session.errors == []
    session.close()


def test_a_village_cannot_open_another_villages_person(
    browser: Any, live_server: Any, world: tuple[Cast, Register]
) -> None:
    _, register = world
    session = Session(browser, live_server.url, "vera")
    assert session.open(f"/people/{register.xiaoming.pk}/").status == 200
    response = session.open(f"/people/{register.xiaohong.pk}/")
    assert response.status == 404
    assert "没有找到该人员，或您无权查看" in session.page.content()
    assert "李小红" not in session.page.content()
    session.close()


def test_the_person_page_reveals_the_id_number_on_request(
    browser: Any, live_server: Any, world: tuple[Cast, Register]
) -> None:
    _, register = world
    session = Session(browser, live_server.url, "alice")
    page = session.page
    session.open(f"/people/{register.xiaoming.pk}/")
    assert page.locator("#id-number").inner_text().startswith("5118**********1234")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=显示完整身份证号")
    page.wait_for_selector("text=511802201503011234")
    assert page.locator("text=显示完整身份证号").count() == 0
    assert session.errors == []
    session.close()


def test_an_import_in_the_browser_with_progress_errors_and_confirmation(
    browser: Any,
    live_server: Any,
    world: tuple[Cast, Register],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The import runs in a detached process: it must open this test's database file.
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{connection.settings_dict['NAME']}")
    session = Session(browser, live_server.url, "alice")
    page = session.page

    session.open("/imports/")
    page.set_input_files("#id_workbook", str(workbook_write(tmp_path / "有错误.xlsx", bad=True)))
    page.fill("#id_school_year", "2024")
    page.click("text=上传并预检")
    page.wait_for_selector("#import-status >> text=已拒绝", timeout=60_000)
    assert "性别" in page.locator("#import-status").inner_text()
    with page.expect_download() as download:
        page.click('a:has-text("下载错误报告")')
    assert download.value.suggested_filename == "有错误-错误报告.xlsx"
    session.shot("import.png")

    session.open("/imports/")
    page.set_input_files("#id_workbook", str(workbook_write(tmp_path / "正确.xlsx", bad=False)))
    page.fill("#id_school_year", "2024")
    page.click("text=上传并预检")
    page.wait_for_selector("#import-status >> text=待确认", timeout=60_000)
    page.click("text=确认导入")
    page.wait_for_selector("#import-status >> text=完成", timeout=60_000)
    assert session.errors == []
    session.close()


def test_a_reimport_in_the_browser_overwrites_only_the_ticked_conflicts(
    browser: Any,
    live_server: Any,
    world: tuple[Cast, Register],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import datetime

    from liangji.imports.services import workbook_import
    from liangji.registers.models import PersonRecord
    from liangji.registers.services import person_record_death

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{connection.settings_dict['NAME']}")
    september = workbook_write(tmp_path / "九月.xlsx", bad=False)
    assert workbook_import(path=september, school_year=2024).ok
    # The village records two deaths in the browser; then the office re-imports September.
    died = datetime.date(2024, 9, 30)
    for name in ("周一", "周二"):
        record = PersonRecord.objects.get(person__name=name)
        person_record_death(record=record, died_on=died, expected_version=1, user=None)
    session = Session(browser, live_server.url, "alice")
    page = session.page
    session.open("/imports/")
    page.set_input_files("#id_workbook", str(september))
    page.fill("#id_school_year", "2024")
    page.click("text=上传并预检")
    page.wait_for_selector("#conflict-table", timeout=60_000)
    rows = page.locator("#conflict-table input[name=overwrite]")
    select_all = page.locator("#conflict-table input[data-select-all]")
    assert rows.count() == 2

    select_all.check()
    assert rows.nth(0).is_checked() and rows.nth(1).is_checked()
    rows.nth(0).uncheck()  # 周一's death stays: "all" no longer holds
    assert not select_all.is_checked() and rows.nth(1).is_checked()
    session.shot("import-conflicts.png")
    page.click("text=确认导入")
    page.wait_for_selector("#import-status >> text=完成", timeout=60_000)

    assert PersonRecord.objects.get(person__name="周一").died_on == died
    assert PersonRecord.objects.get(person__name="周二").died_on is None
    assert "按您的选择，1 处已被文件覆盖" in page.locator("#import-status").inner_text()
    assert session.errors == []
    session.close()


def test_the_demo_town_looks_like_a_working_office(
    browser: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screenshots of a town with real-looking data: the demo town, small."""
    from liangji.accounts.demo import DEMO_PASSWORD, demo_accounts_create
    from liangji.demo.services import demo_registers_load
    from liangji.registers.models import PersonRecord

    monkeypatch.setenv("LIANGJI_DEMO_PEOPLE", "1500")
    demo_registers_load(stdout_write=lambda line: None)
    demo_accounts_create(stdout_write=lambda line: None)
    monkeypatch.setattr("liangji.web.tests.test_browser.CAST_PASSWORD", DEMO_PASSWORD)
    session = Session(browser, live_server.url, "office")
    page = session.page
    page.wait_for_selector("#chart-villages canvas")
    page.wait_for_selector("#chart-schools canvas")
    page.wait_for_timeout(300)  # let the charts finish drawing before the picture
    session.shot("dashboard.png")
    # A child with a roll, several school years and groups: the fullest person page.
    record = (
        PersonRecord.objects.filter(person__enrollments__isnull=False, groups__isnull=False)
        .order_by("person_id")
        .first()
    )
    assert record is not None
    session.open(f"/people/{record.person_id}/")
    session.shot("person.png")
    session.open("/people/?age_min=6&age_max=15")
    session.shot("people.png")
    session.open("/worklist/")
    session.shot("worklist.png")
    assert session.errors == []
    session.close()
