"""Writes to accounts: logins, locks, and the administrator's user management. All audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from liangji.accounts.models import Actor, LoginFailure, Role, User
from liangji.accounts.scope import ROLE_UNIT_KINDS
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.models import Unit

LOGIN_FAILURES_ALLOWED = 5
LOGIN_FAILURE_WINDOW = datetime.timedelta(minutes=15)
DORMANT_AFTER = datetime.timedelta(days=90)


def login_throttled(*, username: str, ip: str) -> bool:
    """Too many recent failures for this account from this address: the caller must wait."""
    since = timezone.now() - LOGIN_FAILURE_WINDOW
    recent = LoginFailure.objects.filter(username=username.lower(), ip=ip, at__gte=since)
    return recent.count() >= LOGIN_FAILURES_ALLOWED


@transaction.atomic
def login_failure_record(*, username: str, ip: str) -> None:
    """A wrong password (or an unknown name) in the audit log; the failure that reaches the
    limit is a lockout of the account from that address and is logged as one."""
    name = username.lower()[:150]
    LoginFailure.objects.create(username=name, ip=ip[:45])
    user = User.objects.filter(username__iexact=name).select_related("unit").first()
    audit_record(
        user=None,
        actor=f"匿名（{ip or '地址不明'}）",
        action=AuditAction.LOGIN_FAILED,
        entity="User",
        entity_id=user.pk if user else "",
        summary=f"以用户名 {name} 从 {ip} 登录失败" + ("" if user else "（无此账号）"),
        unit=user.unit if user else None,
    )
    if login_throttled(username=name, ip=ip):
        minutes = int(LOGIN_FAILURE_WINDOW.total_seconds() // 60)
        audit_record(
            user=None,
            actor=f"匿名（{ip or '地址不明'}）",
            action=AuditAction.LOCK,
            entity="User",
            entity_id=user.pk if user else "",
            summary=(
                f"账号 {name} 从 {ip} 连续登录失败 {LOGIN_FAILURES_ALLOWED} 次，"
                f"该地址暂停登录 {minutes} 分钟"
            ),
            unit=user.unit if user else None,
        )


def login_throttled_usernames() -> set[str]:
    """Accounts held up right now by failed logins from some address (shown on 用户)."""
    since = timezone.now() - LOGIN_FAILURE_WINDOW
    rows = (
        LoginFailure.objects.filter(at__gte=since)
        .values("username", "ip")
        .annotate(failures=Count("id"))
        .filter(failures__gte=LOGIN_FAILURES_ALLOWED)
    )
    return {row["username"] for row in rows}


@transaction.atomic
def login_succeeded(*, user: User, ip: str) -> None:
    """Forget this address's failures for the account and write the login to the audit log."""
    LoginFailure.objects.filter(username=user.username.lower(), ip=ip).delete()
    audit_record(
        user=user,
        action=AuditAction.LOGIN,
        entity="User",
        entity_id=user.pk,
        summary=f"{user.username} 从 {ip} 登录",
        unit=user.unit,
    )


def user_is_dormant(user: User, *, now: datetime.datetime | None = None) -> bool:
    # The last active administrator is never locked for dormancy: nobody else could unlock
    # the others, and the office PC (`liangji unlock`) is not always at hand.
    if user.role == Role.ADMIN and not _other_admin_can_unlock(user):
        return False
    # The last use of the account: its last login, or its creation when it never logged in; an
    # administrator's unlock starts the count again.
    moments = [m for m in (user.last_login or user.date_joined, user.unlocked_at) if m is not None]
    return bool(moments) and (now or timezone.now()) - max(moments) > DORMANT_AFTER


def _other_admin_can_unlock(user: User) -> bool:
    others = User.objects.filter(role=Role.ADMIN, is_active=True, locked_at__isnull=True)
    return others.exclude(pk=user.pk).exists()


@transaction.atomic
def user_lock(*, user: User, reason: str, actor: Actor | None) -> User:
    user.locked_at = timezone.now()
    user.lock_reason = reason[:200]
    user.save(update_fields=["locked_at", "lock_reason"])
    audit_record(
        user=actor,
        action=AuditAction.LOCK,
        entity="User",
        entity_id=user.pk,
        summary=f"锁定账号 {user.username}：{reason}",
        unit=user.unit,
    )
    return user


@transaction.atomic
def user_unlock(*, user: User, actor: Actor | None) -> User:
    before = {"locked_at": str(user.locked_at or ""), "lock_reason": user.lock_reason}
    user.locked_at = None
    user.lock_reason = ""
    user.unlocked_at = timezone.now()
    user.save(update_fields=["locked_at", "lock_reason", "unlocked_at"])
    LoginFailure.objects.filter(username=user.username.lower()).delete()
    audit_record(
        user=actor,
        action=AuditAction.UNLOCK,
        entity="User",
        entity_id=user.pk,
        summary=f"解锁账号 {user.username}",
        before=before,
        unit=user.unit,
    )
    return user


def user_role_unit_validate(*, role: str, unit: Unit | None) -> None:
    """A role needs a unit of the right kind (the administrator none)."""
    if role == Role.ADMIN:
        if unit is not None:
            raise ValidationError("系统管理员不属于任何单位，请不要选择单位。")
        return
    kinds = ROLE_UNIT_KINDS.get(role)
    if kinds is None:
        raise ValidationError(f"未知角色：{role}")
    if unit is None or unit.kind not in kinds:
        expected = "、".join(sorted(kinds))
        raise ValidationError(f"角色“{Role(role).label}”的所属单位必须是{expected}。")


def _user_snapshot(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.last_name,
        "role": user.role,
        "unit": user.unit.name if user.unit else "",
        "is_active": user.is_active,
    }


@transaction.atomic
def user_create(
    *,
    username: str,
    full_name: str,
    role: str,
    unit: Unit | None,
    password: str,
    actor: Actor | None,
) -> User:
    user_role_unit_validate(role=role, unit=unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"用户名 {username} 已被使用。")
    user = User(username=username, last_name=full_name, role=role, unit=unit)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        user=actor,
        action=AuditAction.CREATE,
        entity="User",
        entity_id=user.pk,
        summary=f"新建账号 {username}（{Role(role).label}）",
        after=_user_snapshot(user),
        unit=unit,
    )
    return user


@transaction.atomic
def user_update(
    *, user: User, full_name: str, role: str, unit: Unit | None, is_active: bool, actor: Actor
) -> User:
    user_role_unit_validate(role=role, unit=unit)
    if user.pk == actor.pk and (role != Role.ADMIN or not is_active):
        raise ValidationError("不能取消自己的管理员角色或停用自己的账号。")
    before = _user_snapshot(user)
    user.last_name, user.role, user.unit, user.is_active = full_name, role, unit, is_active
    user.full_clean()
    user.save()
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        entity="User",
        entity_id=user.pk,
        summary=f"修改账号 {user.username}",
        before=before,
        after=_user_snapshot(user),
        unit=unit,
    )
    return user


@transaction.atomic
def user_password_reset(*, user: User, password: str, actor: Actor) -> User:
    """A new password from the administrator also lifts a lock and the failed-login wait:
    the user was told to ask the administrator, and this is what the administrator does."""
    validate_password(password, user)
    was_held = user.locked_at is not None or user.username.lower() in login_throttled_usernames()
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        user=actor,
        action=AuditAction.UPDATE,
        entity="User",
        entity_id=user.pk,
        summary=f"重置账号 {user.username} 的密码",
        unit=user.unit,
    )
    if was_held:
        user_unlock(user=user, actor=actor)
    return user


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """A user changing their own password (the old one was checked by the form)."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="User",
        entity_id=user.pk,
        summary=f"{user.username} 修改了自己的密码",
        unit=user.unit,
    )
    return user
