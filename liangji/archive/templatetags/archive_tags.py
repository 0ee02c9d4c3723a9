"""The archive's section of the person page: a hook the page includes for each yearly record
(`{% archive_record_proofs record %}`), so that the page (owned by registers) stays its owner's
and the archive adds its part without being imported by it."""

from __future__ import annotations

from typing import Any

from django import template

from liangji.accounts.scope import can
from liangji.archive.models import ProofKind
from liangji.archive.selectors import person_proofs

register = template.Library()


@register.inclusion_tag("archive/_person_proofs.html", takes_context=True)
def archive_record_proofs(context: dict[str, Any], record: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    return {
        "record": record,
        "proofs": person_proofs(user=user, record=record) if can(user, "archive.view") else [],
        "can_upload": can(user, "archive.edit"),
        "kinds": ProofKind.choices,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
