"""The one function every important write calls, inside the write's own transaction."""

from __future__ import annotations

import getpass
from typing import Any

from liangji.audit.models import AuditAction, AuditEntry


def _actor_name(user: Any | None) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.get_username())
    try:
        return f"命令行：{getpass.getuser()}"
    except OSError:
        return "命令行"


def audit_record(
    *,
    user: Any | None,
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
        user=user if user is not None and getattr(user, "pk", None) else None,
        actor=actor[:150] or _actor_name(user),
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        summary=summary[:500],
        before=before,
        after=after,
        unit=unit,
    )
