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
    assert "该账号已锁定（超过 90 天未登录）" in _login(client, "vera", CAST_PASSWORD)
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


def test_logout_needs_a_post_and_a_get_shows_the_button(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    page = client.get("/logout/")
    assert page.status_code == 200 and "确定要退出两基工作系统吗" in page.content.decode()
    assert client.get("/").status_code == 200  # still logged in
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302
    assert "您已退出登录" in client.get("/logout/").content.decode()


def test_error_pages_never_show_english_exception_texts(client: Client, cast: Cast) -> None:
    client.force_login(cast.vera)
    missing = client.get("/no-such-page/").content.decode()
    assert "Resolver404" not in missing and "您要找的页面或记录不存在" in missing
    denied = client.get("/users/")
    assert denied.status_code == 403
    text = denied.content.decode()
    assert "users.manage" not in text and "您的角色无权进行此操作" in text


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


# Behind nginx (LIANGJI_TRUSTED_PROXIES: 127.0.0.1, ::1) every request comes from 127.0.0.1.
def _login_via(client: Client, username: str, password: str, forwarded: str, proxy: str) -> str:
    response = client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return "ok" if response.status_code == 302 else response.content.decode()


def test_behind_the_trusted_proxy_the_forwarded_address_is_the_client(
    client: Client, cast: Cast
) -> None:
    # A client that writes its own header only adds to the left of what nginx appends.
    assert _login_via(client, "alice", CAST_PASSWORD, "1.2.3.4, 203.0.113.5", "127.0.0.1") == "ok"
    assert AuditEntry.objects.get(action=AuditAction.LOGIN).summary == "alice 从 203.0.113.5 登录"


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(
    client: Client, cast: Cast
) -> None:
    assert _login_via(client, "alice", CAST_PASSWORD, "203.0.113.5", "10.0.0.7") == "ok"
    assert AuditEntry.objects.get(action=AuditAction.LOGIN).summary == "alice 从 10.0.0.7 登录"


def test_guesses_through_the_proxy_hold_up_only_the_guessers_address(
    client: Client, cast: Cast
) -> None:
    for _ in range(5):
        _login_via(client, "ada", "wrong-password", "203.0.113.66", "127.0.0.1")
    assert "登录失败次数过多" in _login_via(
        client, "ada", CAST_PASSWORD, "203.0.113.66", "127.0.0.1"
    )
    # The administrator at her own desk, through the same nginx, is not shut out.
    assert _login_via(client, "ada", CAST_PASSWORD, "10.20.0.8", "127.0.0.1") == "ok"


def test_every_failed_login_and_the_lockout_are_in_the_audit_log(
    client: Client, cast: Cast
) -> None:
    for _ in range(5):
        _login(client, "alice", "wrong-password")
    _login(client, "nobody", "wrong-password")
    failures = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("pk")
    assert [entry.summary for entry in failures][-2:] == [
        "以用户名 alice 从 10.0.0.7 登录失败",
        "以用户名 nobody 从 10.0.0.7 登录失败（无此账号）",
    ]
    assert failures.count() == 6
    assert failures.first().actor == "匿名（10.0.0.7）"  # type: ignore[union-attr]
    lock = AuditEntry.objects.get(action=AuditAction.LOCK)
    assert lock.summary == "账号 alice 从 10.0.0.7 连续登录失败 5 次，该地址暂停登录 15 分钟"
    assert lock.entity_id == str(cast.alice.pk)


def test_the_user_page_shows_the_held_account_and_the_administrator_lifts_it(
    client: Client, cast: Cast
) -> None:
    for _ in range(5):
        _login(client, "alice", "wrong-password")
    admin = Client()
    admin.force_login(cast.ada)
    page = admin.get("/users/").content.decode()
    assert "暂停登录（登录失败过多）" in page and f"/users/{cast.alice.pk}/unlock/" in page
    assert admin.post(f"/users/{cast.alice.pk}/unlock/").status_code == 302
    assert "暂停登录" not in admin.get("/users/").content.decode()
    assert _login(client, "alice", CAST_PASSWORD) == "ok"


def test_a_password_reset_lifts_the_lock(client: Client, cast: Cast) -> None:
    cast.vera.last_login = timezone.now() - datetime.timedelta(days=91)
    cast.vera.save()
    assert "已锁定" in _login(client, "vera", CAST_PASSWORD)
    admin = Client()
    admin.force_login(cast.ada)
    admin.post(f"/users/{cast.vera.pk}/password/", {"password": "dong-cun-xin-mima-2"})
    cast.vera.refresh_from_db()
    assert cast.vera.locked_at is None
    assert _login(client, "vera", "dong-cun-xin-mima-2") == "ok"


def test_the_only_administrator_is_never_locked_for_dormancy(client: Client, cast: Cast) -> None:
    cast.ada.last_login = timezone.now() - datetime.timedelta(days=400)
    cast.ada.save()
    assert _login(client, "ada", CAST_PASSWORD) == "ok"


def test_the_audit_log_names_objects_in_chinese(client: Client, cast: Cast) -> None:
    _login(client, "alice", "wrong-password")
    admin = Client()
    admin.force_login(cast.ada)
    page = admin.get("/audit/").content.decode()
    assert f"用户 #{cast.alice.pk}" in page
    assert ">User<" not in page and "User #" not in page
