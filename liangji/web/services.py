"""Writes of the web application's own records: work-list lines, yearly submissions and the
year's approval."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.figures import figures_approve
from liangji.registers.choices import Resolution
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.services import RecordChanged, school_year_ensure_unlocked, school_year_lock
from liangji.web.models import SUBMISSION_TRANSITIONS, SubmissionState, WorkItem, YearSubmission
from liangji.web.selectors.years import year_approvals


def _subject(key: str) -> dict[str, int]:
    """ "p12" → person 12, "e7" → enrollment 7."""
    if len(key) > 1 and key[0] in "pe" and key[1:].isdigit():
        return {"person_id" if key[0] == "p" else "enrollment_id": int(key[1:])}
    raise ValidationError(f"无效的清单行:{key}")


def _item_get(
    *, school_year: SchoolYear, town: Unit, list_code: str, key: str
) -> tuple[WorkItem, bool]:
    return WorkItem.objects.select_for_update().get_or_create(
        school_year=school_year, town=town, list_code=list_code, key=key, defaults=_subject(key)
    )


@transaction.atomic
def work_items_assign(
    *,
    school_year: SchoolYear,
    town: Unit,
    list_code: str,
    keys: list[str],
    unit: Unit | None,
    user: Any,
) -> int:
    """Assign lines to a village or school (None: withdraw the assignment). Returns the count."""
    if unit is not None and unit.parent_id != town.pk:
        raise ValidationError(f"{unit.name} 不属于 {town.name},不能分派。")
    now = timezone.now()
    for key in keys:
        item, _ = _item_get(school_year=school_year, town=town, list_code=list_code, key=key)
        item.assigned_unit, item.assigned_at, item.assigned_by = unit, now, user
        item.version += 1
        item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="WorkItem",
        entity_id=list_code,
        summary=f"{school_year} {list_code}:{len(keys)} 条分派给 {unit.name if unit else '(无)'}",
        after={"keys": keys[:200], "unit": unit.name if unit else ""},
        unit=town,
    )
    return len(keys)


@transaction.atomic
def work_item_resolve(
    *,
    school_year: SchoolYear,
    town: Unit,
    list_code: str,
    key: str,
    resolution: Resolution | str,
    note: str,
    expected_version: int,
    user: Any,
) -> WorkItem:
    """Record how a line was handled ("" reopens it).

    `expected_version` is the version the user saw (0: the line had no record yet); a save over
    someone else's later change is refused.
    """
    if resolution and resolution not in Resolution.values:
        raise ValidationError(f"未知的处理结果:{resolution}")
    item, created = _item_get(school_year=school_year, town=town, list_code=list_code, key=key)
    if not created and item.version != expected_version:
        raise RecordChanged("该清单事项")
    before = {"resolution": item.resolution, "note": item.resolution_note}
    item.resolution, item.resolution_note = resolution, note[:500]
    item.resolved_at = timezone.now() if resolution else None
    item.resolved_by = user if resolution else None
    item.version += 1
    item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="WorkItem",
        entity_id=item.pk,
        summary=f"{school_year} {list_code} {key}:{resolution or '重新打开'}",
        before=before,
        after={"resolution": item.resolution, "note": item.resolution_note},
        unit=item.assigned_unit or town,
    )
    return item


def _submission_move(
    *, school_year: SchoolYear, unit: Unit, to: SubmissionState, note: str, user: Any
) -> YearSubmission:
    school_year_ensure_unlocked(school_year)
    submission = (
        YearSubmission.objects.select_for_update()
        .filter(school_year=school_year, unit=unit)
        .first()
    )
    current = submission.state if submission is not None else ""
    if to not in SUBMISSION_TRANSITIONS[current]:
        now_label = SubmissionState(current).label if current else "未提交"
        raise ValidationError(f"{unit.name} 的数据当前为“{now_label}”,不能改为“{to.label}”。")
    if submission is None:
        submission = YearSubmission(school_year=school_year, unit=unit)
    submission.state, submission.note = to, note[:500]
    if to == SubmissionState.SUBMITTED:
        submission.submitted_at, submission.submitted_by = timezone.now(), user
        submission.reviewed_at, submission.reviewed_by = None, None
    else:
        submission.reviewed_at, submission.reviewed_by = timezone.now(), user
    submission.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="YearSubmission",
        entity_id=submission.pk,
        summary=f"{unit.name} {school_year} 数据:{to.label}" + (f"({note})" if note else ""),
        unit=unit,
    )
    return submission


@transaction.atomic
def year_submission_submit(
    *, school_year: SchoolYear, unit: Unit, note: str, user: Any
) -> YearSubmission:
    return _submission_move(
        school_year=school_year, unit=unit, to=SubmissionState.SUBMITTED, note=note, user=user
    )


@transaction.atomic
def year_submission_review(
    *, school_year: SchoolYear, unit: Unit, approve: bool, note: str, user: Any
) -> YearSubmission:
    if not approve and not note.strip():
        raise ValidationError("退回时请写明需要修改的内容。")
    to = SubmissionState.APPROVED if approve else SubmissionState.RETURNED
    return _submission_move(school_year=school_year, unit=unit, to=to, note=note, user=user)


def _unsubmitted(*, user: Any, school_year: SchoolYear) -> list[Unit]:
    done = {SubmissionState.SUBMITTED, SubmissionState.APPROVED}
    return [
        a.unit for a in year_approvals(user=user, school_year=school_year) if a.state not in done
    ]


@transaction.atomic
def school_year_approve(
    *, school_year: SchoolYear, user: Any, override_reason: str = ""
) -> SchoolYear:
    """The office approves and locks the year: its settings and its figures are frozen with it
    (what is shown for it from now on is what was approved).

    Refused while villages or schools of the office have not submitted, unless the office says
    in writing why it locks anyway; that reason and the units are audited."""
    if SchoolYear.objects.filter(pk=school_year.pk, locked=True).exists():
        return SchoolYear.objects.get(pk=school_year.pk)
    missing = _unsubmitted(user=user, school_year=school_year)
    reason = override_reason.strip()
    names = [unit.name for unit in missing]
    if missing and not reason:
        shown = "、".join(names[:12]) + ("……" if len(names) > 12 else "")
        raise ValidationError(
            f"还有 {len(names)} 个单位未提交数据({shown}),不能锁定。"
            "请等待各单位提交;如确需现在锁定,请填写不等待提交的原因。"
        )
    locked = school_year_lock(school_year=school_year, user=user)
    figures_approve(school_year=locked)
    if missing:
        audit_record(
            user=user,
            action=AuditAction.LOCK,
            entity="SchoolYear",
            entity_id=locked.pk,
            summary=f"{locked} 在 {len(names)} 个单位未提交时锁定:{reason[:300]}",
            after={"unsubmitted": names[:500], "reason": reason[:500]},
        )
    return locked
