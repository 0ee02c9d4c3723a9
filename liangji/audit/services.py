"""The one function every important write calls, inside the write's own transaction."""

from __future__ import annotations

import getpass
from typing import Any, Protocol

from django.contrib.auth.base_user import AbstractBaseUser

from liangji.audit.models import AuditAction, AuditEntry


class Acting(Protocol):
    """Whoever acts: a user, the anonymous user, or a command line's stand-in (no pk). The audit
    app sits below accounts, so it names no user model."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...


def _actor_name(user: Acting | None) -> str:
    if isinstance(user, AbstractBaseUser) and user.is_authenticated:
        return str(user.get_username())
    try:
        return f"命令行：{getpass.getuser()}"
    except OSError:
        return "命令行"


def audit_record(
    *,
    user: Acting | None,
    action: AuditAction | str,
    entity: str,
    summary: str,
    entity_id: str | int = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Any | None = None,
    actor: str = "",
) -> AuditEntry:
    """Write one audit row. Call it inside the transaction of the write it records.

    `actor` names who acted when nobody is logged in (a failed login: the address)."""
    return AuditEntry.objects.create(
        user_id=user.pk if user is not None and user.pk else None,
        actor=actor[:150] or _actor_name(user),
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        summary=summary[:500],
        before=before,
        after=after,
        unit=unit,
    )
