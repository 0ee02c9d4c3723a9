"""A literacy class walked in a real browser by the town office: open a class, add learners from
the ledger, record two sessions, record a test, issue a certificate, and see the 15–50 非文盲率
move on the dashboard."""

from __future__ import annotations

from typing import Any

import pytest

from liangji.accounts.testing import CAST_PASSWORD, cast_create
from liangji.conftest import ARTIFACTS
from liangji.registers import testing as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", CAST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _literacy_card(page: Any, base: str) -> str:
    page.goto(f"{base}/")
    return str(page.locator(".card[data-code=literacy_15_50] .card-meta").inner_text())


def test_a_class_from_opening_to_certificate_moves_the_dashboard(
    browser: Any, live_server: Any
) -> None:
    cast = cast_create()
    for number, (name, born) in enumerate([("王秀英", "1980-03-02"), ("李桂兰", "1990-07-07")]):
        b.person(cast.east, name=name, sex="女", born=born, year=2024, number=f"L{number}",
                 education_level="文盲")  # fmt: skip
    b.person(cast.east, name="张识字", born="1985-01-01", year=2024, number="L9",
             education_level="初中毕业")  # fmt: skip
    base = live_server.url
    page = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    _login(page, base)
    assert "1 / 3" in _literacy_card(page, base)

    page.goto(f"{base}/literacy/classes/new/")
    page.select_option("#id_village", label="东村")
    page.fill("#id_name", "东村扫盲一班")
    page.fill("#id_planned_hours", "120")
    page.fill("#id_opened_on", "2024-10-08")
    page.fill("#id_teacher_name", "赵老师")
    page.click("form.panel button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "已开班" in page.content()

    members = page.locator("#members-form")
    members.locator("select[name=persons]").select_option(
        [o for o in members.locator("option").all_inner_texts()]
    )
    members.locator("input[name=joined_on]").fill("2024-10-08")
    members.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "学员已入班" in page.content()

    for day, content in (("2024-10-10", "拼音 a o e"), ("2024-10-12", "常用字 1–50")):
        session = page.locator("#session-form")
        session.locator("input[name=date]").fill(day)
        session.locator("input[name=hours]").fill("2")
        session.locator("input[name=content]").fill(content)
        for box in session.locator("input[type=checkbox]").all():
            box.check()
        session.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert "已登记上课和出勤" in page.content()
    assert "\t2\t4\t" in page.locator("#class-members tr[data-member=王秀英]").inner_text()

    test = page.locator("#test-form")
    test.locator("input[name=date]").fill("2025-06-01")
    wang = test.locator("tr[data-member=王秀英]")
    wang.locator("input[type=number]").fill("1520")
    for box in wang.locator("input[type=checkbox]").all():
        box.check()
    test.locator("tr[data-member=李桂兰] input[type=number]").fill("800")
    test.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已登记测验成绩" in page.content()

    row = page.locator("#class-members tr[data-member=王秀英]")
    row.locator("input[name=issued_on]").fill("2025-06-05")
    row.get_by_role("button", name="发放脱盲证书").click()
    page.wait_for_load_state("networkidle")
    assert "已发放脱盲证书 青山镇脱盲〔2025〕第0001号" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "literacy-class.png"), full_page=True)

    assert "2 / 3" in _literacy_card(page, base)
    page.goto(f"{base}/literacy/")
    assert "青山镇" in page.content()
    page.screenshot(path=str(ARTIFACTS / "literacy-overview.png"), full_page=True)
