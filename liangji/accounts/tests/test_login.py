"""Logging in: throttling of guesses, dormant accounts, the audit row of every login."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from liangji.accounts.testing import CAST_PASSWORD, Cast
from liangji.audit.models import AuditAction, AuditEntry


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.7") -> str:
    response = client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)
    return "ok" if response.status_code == 302 else response.content.decode()


def test_a_login_is_audited_with_the_address(client: Client, cast: Cast) -> None:
    assert _login(client, "alice", CAST_PASSWORD) == "ok"
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == "alice"
    assert entry.summary == "alice 从 10.0.0.7 登录"
    assert entry.unit == cast.town


def test_a_wrong_password_says_so_in_chinese(client: Client, cast: Cast) -> None:
    assert "用户名或密码不正确" in _login(client, "alice", "wrong-password")


def test_five_failures_make_the_account_wait_even_with_the_right_password(
    client: Client, cast: Cast
) -> None:
    for _ in range(5):
        _login(client, "alice", "wrong-password")
    assert "登录失败次数过多" in _login(client, "alice", CAST_PASSWORD)
    # Another address (the office next door) is not held up by someone else's guesses.
    assert _login(client, "alice", CAST_PASSWORD, ip="10.0.0.8") == "ok"


def test_failures_older_than_fifteen_minutes_no_longer_count(client: Client, cast: Cast) -> None:
    from liangji.accounts.models import LoginFailure

    for _ in range(5):
        _login(client, "alice", "wrong-password")
    LoginFailure.objects.update(at=timezone.now() - datetime.timedelta(minutes=16))
    assert _login(client, "alice", CAST_PASSWORD) == "ok"


def test_an_account_unused_for_90_days_is_locked_until_unlocked(client: Client, cast: Cast) -> None:
    cast.vera.last_login = timezone.now() - datetime.timedelta(days=91)
    cast.vera.save()
    assert "该账号已锁定(超过 90 天未登录)" in _login(client, "vera", CAST_PASSWORD)
    cast.vera.refresh_from_db()
    assert cast.vera.locked_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.LOCK, entity_id=str(cast.vera.pk)).exists()

    admin = Client()
    admin.force_login(cast.ada)
    assert admin.post(f"/users/{cast.vera.pk}/unlock/").status_code == 302
    assert _login(client, "vera", CAST_PASSWORD) == "ok"


def test_an_account_used_89_days_ago_still_logs_in(client: Client, cast: Cast) -> None:
    cast.vera.last_login = timezone.now() - datetime.timedelta(days=89)
    cast.vera.save()
    assert _login(client, "vera", CAST_PASSWORD) == "ok"


def test_logout_needs_a_post(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_a_user_changes_their_own_password(client: Client, cast: Cast) -> None:
    client.force_login(cast.vera)
    response = client.post(
        "/password/",
        {"old_password": CAST_PASSWORD, "new_password1": "dong-cun-xin-mima",
         "new_password2": "dong-cun-xin-mima"},
    )  # fmt: skip
    assert response.status_code == 302
    cast.vera.refresh_from_db()
    assert cast.vera.check_password("dong-cun-xin-mima")
    assert AuditEntry.objects.get(entity="User").summary == "vera 修改了自己的密码"
    assert client.get("/").status_code == 200  # still logged in here
