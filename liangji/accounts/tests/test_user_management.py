"""The administrator creates accounts, changes roles, resets passwords; all audited."""

from __future__ import annotations

import pytest
from django.test import Client

from liangji.accounts.models import Role, User
from liangji.accounts.testing import Cast
from liangji.audit.models import AuditAction, AuditEntry


def test_the_administrator_creates_a_village_account(client: Client, cast: Cast) -> None:
    client.force_login(cast.ada)
    response = client.post(
        "/users/new/",
        {
            "username": "xicun2",
            "full_name": "钱西村",
            "role": Role.VILLAGE,
            "unit": cast.west.pk,
            "password": "xi-cun-2024-mima",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="xicun2")
    assert (created.role, created.unit, created.last_name) == (Role.VILLAGE, cast.west, "钱西村")
    assert created.check_password("xi-cun-2024-mima")
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, entity="User")
    assert entry.after == {
        "username": "xicun2",
        "name": "钱西村",
        "role": "village",
        "unit": "西村",
        "is_active": True,
    }


def test_a_role_needs_a_unit_of_its_kind(client: Client, cast: Cast) -> None:
    client.force_login(cast.ada)
    response = client.post(
        "/users/new/",
        {
            "username": "wrong",
            "full_name": "错配",
            "role": Role.VILLAGE,
            "unit": cast.town.pk,
            "password": "xi-cun-2024-mima",
        },
    )
    assert response.status_code == 200
    assert "所属单位必须是" in response.content.decode()
    assert not User.objects.filter(username="wrong").exists()


def test_a_password_reset_is_audited_without_the_password(client: Client, cast: Cast) -> None:
    client.force_login(cast.ada)
    response = client.post(f"/users/{cast.sam.pk}/password/", {"password": "new-pass-2024-ok"})
    assert response.status_code == 302
    cast.sam.refresh_from_db()
    assert cast.sam.check_password("new-pass-2024-ok")
    entry = AuditEntry.objects.get(summary__startswith="重置账号 sam")
    assert "new-pass" not in str(entry.before) + str(entry.after) + entry.summary


def test_the_administrator_cannot_demote_themselves(client: Client, cast: Cast) -> None:
    client.force_login(cast.ada)
    response = client.post(
        f"/users/{cast.ada.pk}/",
        {"full_name": "钱管理", "role": Role.TOWN_OFFICE, "unit": cast.town.pk, "is_active": "on"},
    )
    assert "不能取消自己的管理员角色" in response.content.decode()
    cast.ada.refresh_from_db()
    assert cast.ada.role == Role.ADMIN


def test_the_audit_log_filters_by_action(client: Client, cast: Cast) -> None:
    client.force_login(cast.ada)
    client.post(f"/users/{cast.sam.pk}/password/", {"password": "new-pass-2024-ok"})
    client.post(f"/users/{cast.vera.pk}/unlock/")
    page = client.get("/audit/", {"action": AuditAction.UNLOCK}).content.decode()
    assert "解锁账号 vera" in page
    assert "重置账号 sam" not in page


def test_the_unlock_command_unlocks_and_audits(cast: Cast) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    User.objects.filter(pk=cast.ada.pk).update(locked_at=timezone.now(), lock_reason="测试")
    call_command("unlock", "ada")
    cast.ada.refresh_from_db()
    assert cast.ada.locked_at is None
    assert AuditEntry.objects.get(action=AuditAction.UNLOCK).actor.startswith("命令行")


def test_the_first_administrator_is_created_from_the_command_line(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("LIANGJI_ADMIN_PASSWORD", "guan-li-2024-mima")
    call_command("create-admin", "root")
    admin = User.objects.get(username="root")
    assert (admin.role, admin.unit, admin.check_password("guan-li-2024-mima")) == (
        Role.ADMIN, None, True
    )  # fmt: skip
    monkeypatch.setenv("LIANGJI_ADMIN_PASSWORD", "12345")
    with pytest.raises(CommandError):
        call_command("create-admin", "root2")
