"""Reads of import jobs, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from liangji.accounts.models import Actor
from liangji.accounts.scope import access_in, scope_for, scope_unit_ids
from liangji.imports.models import ImportJob


def import_jobs_visible(user: Actor) -> QuerySet[ImportJob]:
    """Import jobs started by the user or by someone of the user's scope (the same office)."""
    if scope_for(user).is_empty:
        return ImportJob.objects.none()
    own_scope = Q(user=user) | Q(user__unit_id__in=sorted(scope_unit_ids(user)))
    return ImportJob.objects.filter(own_scope).select_related("user")


def access_import_job(user: Actor, pk: object) -> ImportJob:
    return access_in(import_jobs_visible(user), pk, "导入任务")
