"""Writes to accounts: logins, locks, and the administrator's user management. All audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liangji.accounts.models import LoginFailure, Role, User
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


def login_failure_record(*, username: str, ip: str) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip=ip[:45])


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
    # The last use of the account: its last login, or its creation when it never logged in; an
    # administrator's unlock starts the count again.
    moments = [m for m in (user.last_login or user.date_joined, user.unlocked_at) if m is not None]
    return bool(moments) and (now or timezone.now()) - max(moments) > DORMANT_AFTER


@transaction.atomic
def user_lock(*, user: User, reason: str, actor: Any | None) -> User:
    user.locked_at = timezone.now()
    user.lock_reason = reason[:200]
    user.save(update_fields=["locked_at", "lock_reason"])
    audit_record(
        user=actor,
        action=AuditAction.LOCK,
        entity="User",
        entity_id=user.pk,
        summary=f"锁定账号 {user.username}:{reason}",
        unit=user.unit,
    )
    return user


@transaction.atomic
def user_unlock(*, user: User, actor: Any | None) -> User:
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
            raise ValidationError("系统管理员不属于任何单位,请不要选择单位。")
        return
    kinds = ROLE_UNIT_KINDS.get(role)
    if kinds is None:
        raise ValidationError(f"未知角色:{role}")
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
    *, username: str, full_name: str, role: str, unit: Unit | None, password: str, actor: Any
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
        summary=f"新建账号 {username}({Role(role).label})",
        after=_user_snapshot(user),
        unit=unit,
    )
    return user


@transaction.atomic
def user_update(
    *, user: User, full_name: str, role: str, unit: Unit | None, is_active: bool, actor: Any
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
def user_password_reset(*, user: User, password: str, actor: Any) -> User:
    validate_password(password, user)
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
