"""A lockout seen and lifted in a real browser: five wrong passwords hold Alice up, the
administrator finds the lockout in the audit log and the held account on 用户, and unlocks it."""

from __future__ import annotations

from typing import Any

import pytest

from liangji.accounts.testing import CAST_PASSWORD, cast_create
from liangji.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_lockout_is_audited_and_the_administrator_lifts_it(
    browser: Any, live_server: Any
) -> None:
    cast_create()
    base = live_server.url
    alice = browser.new_context().new_page()
    for _ in range(5):
        _login(alice, base, "alice", "wrong-password")
    _login(alice, base, "alice", CAST_PASSWORD)
    assert "登录失败次数过多" in alice.content()

    ada = browser.new_context(viewport={"width": 1360, "height": 900}).new_page()
    _login(ada, base, "ada", CAST_PASSWORD)
    ada.goto(f"{base}/audit/")
    assert "连续登录失败 5 次" in ada.content()
    assert "以用户名 alice 从 127.0.0.1 登录失败" in ada.content()
    ada.goto(f"{base}/users/")
    row = ada.locator("tr", has_text="alice")
    assert "暂停登录（登录失败过多）" in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    ada.screenshot(path=str(ARTIFACTS / "users-held-account.png"), full_page=True)
    row.get_by_role("button", name="解锁").click()
    ada.wait_for_load_state("networkidle")
    assert "已解锁账号 alice" in ada.content()
    assert "暂停登录" not in ada.locator("tr", has_text="alice").inner_text()

    _login(alice, base, "alice", CAST_PASSWORD)
    assert not alice.url.rstrip("/").endswith("/login")
    assert "登录失败次数过多" not in alice.content()
