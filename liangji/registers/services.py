"""Writes to the registers. The web application, the CLI and the importer all come here."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liangji.accounts.models import user_or_none
from liangji.accounts.scope import scope_for
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.choices import (
    SCHOOL_KINDS,
    STATUS_AFTER_EVENT,
    TOWN_KINDS,
    VILLAGE_KINDS,
    Exemption,
    HukouStatus,
    RollEventKind,
)
from liangji.registers.models import (
    SUBMISSION_TRANSITIONS,
    Enrollment,
    EnrollmentEvent,
    PersonRecord,
    SchoolYear,
    SubmissionState,
    TownSetting,
    Unit,
    YearSubmission,
    YearTownSettings,
)
from liangji.registers.rules import RecordDates, person_record_problems
from liangji.registers.town_settings import SettingError, TownSettings, setting_parse
from liangji.registers.versions import data_changed

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


class SchoolYearLocked(Exception):
    """The school year is approved and locked; its data cannot change."""

    def __init__(self, school_year: SchoolYear) -> None:
        super().__init__(f"{school_year} 已审核锁定，数据不能修改；如需修改，请先由镇两基办解锁。")


def school_year_get_or_create(*, year: int) -> SchoolYear:
    if not 1990 <= year <= 2100:
        raise ValueError(f"学年 {year} 不合理，应为四位年份，例如 2024")
    school_year, _ = SchoolYear.objects.get_or_create(year=year)
    return school_year


def school_year_ensure_unlocked(school_year: SchoolYear) -> None:
    if SchoolYear.objects.filter(pk=school_year.pk, locked=True).exists():
        raise SchoolYearLocked(school_year)


def town_resolve(name: str | None) -> Unit:
    """The town named, or the only town when no name is given."""
    towns = Unit.objects.filter(kind__in=TOWN_KINDS)
    if name:
        town = towns.filter(name=name).first()
        if town is None:
            raise SettingError(f"没有名为 {name} 的镇（乡、街道）")
        return town
    count = towns.count()
    if count == 1:
        return towns.get()
    if count == 0:
        raise SettingError("数据库中还没有镇；请先导入工作簿（单位表）或运行 liangji demo")
    raise SettingError("有多个镇，请用 --town 指定")


def _current_settings(town: Unit) -> dict[str, str]:
    return dict(TownSetting.objects.filter(town=town).values_list("key", "value"))


def town_settings_get(town: Unit, school_year: SchoolYear | None = None) -> TownSettings:
    """The settings in force for `school_year`: its own once it has been locked, else the
    town's current settings (which the years not yet approved follow)."""
    if school_year is not None:
        kept = YearTownSettings.objects.filter(school_year=school_year, town=town).first()
        if kept is not None:
            return TownSettings.from_stored(kept.values)
    return TownSettings.from_stored(_current_settings(town))


@transaction.atomic
def town_settings_update(
    *,
    town: Unit,
    changes: dict[str, str],
    user: Actor | None,
    school_year: SchoolYear | None = None,
) -> TownSettings:
    """Validate every change first, then store them all with one audit row.

    Without `school_year`: the town's settings, for every year without settings of its own.
    With it: that year's own settings (refused while the year is locked)."""
    parsed = {key: setting_parse(key, raw) for key, raw in changes.items()}
    before = town_settings_get(town, school_year).as_dict()
    if school_year is None:
        for key, value in parsed.items():
            TownSetting.objects.update_or_create(town=town, key=key, defaults={"value": value})
    else:
        school_year_ensure_unlocked(school_year)
        kept, _ = YearTownSettings.objects.select_for_update().get_or_create(
            school_year=school_year, town=town, defaults={"values": before}
        )
        kept.values = {**kept.values, **parsed}
        kept.save(update_fields=["values"])
    data_changed(town=town)
    after = town_settings_get(town, school_year)
    year = f"{school_year} " if school_year is not None else ""
    audit_record(
        user=user,
        action=AuditAction.SETTINGS,
        entity="YearTownSettings" if school_year is not None else "TownSetting",
        entity_id=town.pk,
        summary=f"{town} {year}设置：" + ",".join(f"{k}={v}" for k, v in parsed.items()),
        before={k: before[k] for k in parsed},
        after=parsed,
        unit=town,
    )
    return after


def _year_settings_freeze(school_year: SchoolYear) -> None:
    """Every town's settings in force become the year's own (kept from an earlier lock)."""
    kept = set(
        YearTownSettings.objects.filter(school_year=school_year).values_list("town_id", flat=True)
    )
    YearTownSettings.objects.bulk_create(
        YearTownSettings(
            school_year=school_year, town=town, values=town_settings_get(town).as_dict()
        )
        for town in Unit.objects.filter(kind__in=TOWN_KINDS).exclude(pk__in=kept)
    )


@transaction.atomic
def enrollment_record_event(
    *,
    enrollment: Enrollment,
    kind: RollEventKind | str,
    date: datetime.date,
    other_school: str = "",
    note: str = "",
    user: Actor | None,
) -> EnrollmentEvent:
    """Record a dated change on a roll and bring the roll's status up to date."""
    school_year = enrollment.school_year
    school_year_ensure_unlocked(school_year)
    if not school_year.first_day <= date <= school_year.last_day:
        raise ValueError(f"变动日期 {date} 不在 {school_year} 之内")
    before = {"status": enrollment.status, "status_date": str(enrollment.status_date or "")}
    event = EnrollmentEvent.objects.create(
        enrollment=enrollment, kind=kind, date=date, other_school=other_school, note=note
    )
    latest = enrollment.events.order_by("-date", "-id").first()
    assert latest is not None  # the event just written
    enrollment.status = STATUS_AFTER_EVENT[latest.kind]
    enrollment.status_date = latest.date if latest.kind != RollEventKind.ENTERED else None
    if latest.kind == RollEventKind.ENTERED and enrollment.entry_date is None:
        enrollment.entry_date = latest.date
    if latest.kind == RollEventKind.TRANSFERRED_OUT:
        enrollment.transfer_school = latest.other_school
    enrollment.version += 1
    enrollment.edited_at = timezone.now()
    enrollment.save()
    data_changed(town=enrollment.school)
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="Enrollment",
        entity_id=enrollment.pk,
        summary=f"{enrollment.name} {enrollment.school} 学籍变动：{kind} {date}",
        before=before,
        after={"status": enrollment.status, "status_date": str(enrollment.status_date or "")},
        unit=enrollment.school,
    )
    return event


# --- Person records edited through the web application (and any other caller) -------------


class RecordChanged(Exception):
    """Someone else saved the record after the caller read it (optimistic locking)."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what}已被其他人修改，您的修改没有保存。请重新打开页面查看最新内容后再修改。"
        )


# The fields of a yearly record a user may change; identity and placement are the importer's.
PERSON_RECORD_EDITABLE = (
    "population_type",
    "hukou_status",
    "moved_out_on",
    "died_on",
    "address",
    "disability",
    "education_level",
    "lost_learning_ability",
    "exemption",
    "exemption_approved_on",
    "exemption_until",
    "elsewhere_school",
    "elsewhere_region",
    "elsewhere_level",
    "elsewhere_grade",
    "elsewhere_proof",
    "home_schooling",
    "note",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def person_record_validate(record: PersonRecord, *, today: datetime.date | None = None) -> None:
    """The register's rules (the importer asks the same function), as a form's field errors."""
    facts = RecordDates(
        birth_date=record.person.birth_date,
        hukou_status=record.hukou_status,
        moved_out_on=record.moved_out_on,
        died_on=record.died_on,
        exemption=record.exemption,
        exemption_approved_on=record.exemption_approved_on,
        exemption_until=record.exemption_until,
        elsewhere_level=record.elsewhere_level,
        elsewhere_grade=record.elsewhere_grade,
    )
    problems = person_record_problems(facts, today=today or timezone.localdate())
    if problems:
        errors: dict[str, list[str]] = {}
        for problem in problems:
            errors.setdefault(problem.field, []).append(problem.message)
        raise ValidationError(errors)


@transaction.atomic
def person_record_update(
    *,
    record: PersonRecord,
    changes: dict[str, Any],
    expected_version: int,
    user: Actor | None,
    summary: str = "",
) -> PersonRecord:
    """Change fields of one yearly record, refusing if anyone saved it since `expected_version`."""
    unknown = set(changes) - set(PERSON_RECORD_EDITABLE)
    if unknown:
        raise ValueError(f"这些字段不能在此修改：{', '.join(sorted(unknown))}")
    school_year_ensure_unlocked(record.school_year)
    # Row lock (PostgreSQL) / write transaction (SQLite): two saves of one version cannot both win.
    current = (
        PersonRecord.objects.select_for_update()
        .select_related("person", "village", "school_year")
        .get(pk=record.pk)
    )
    if current.version != expected_version:
        raise RecordChanged("该人口记录")
    before = {k: _plain(getattr(current, k)) for k in changes}
    for key, value in changes.items():
        setattr(current, key, value)
    after = {k: _plain(getattr(current, k)) for k in changes}
    changed = [k for k in changes if before[k] != after[k]]
    if not changed:
        return current
    person_record_validate(current)
    current.version += 1
    current.edited_at = timezone.now()
    current.save(update_fields=[*changed, "version", "edited_at"])
    data_changed(town=current.village)
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="PersonRecord",
        entity_id=current.pk,
        summary=summary or f"修改 {current.person.name}（{current.school_year}）的人口记录",
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        unit=current.village,
    )
    return current


def person_record_death(
    *, record: PersonRecord, died_on: datetime.date, expected_version: int, user: Actor | None
) -> PersonRecord:
    return person_record_update(
        record=record,
        changes={"died_on": died_on},
        expected_version=expected_version,
        user=user,
        summary=f"登记 {record.person.name} 死亡（{died_on}）",
    )


def person_record_move_out(
    *, record: PersonRecord, moved_out_on: datetime.date, expected_version: int, user: Actor | None
) -> PersonRecord:
    return person_record_update(
        record=record,
        changes={"hukou_status": HukouStatus.MOVED_OUT, "moved_out_on": moved_out_on},
        expected_version=expected_version,
        user=user,
        summary=f"登记 {record.person.name} 户籍迁出（{moved_out_on}）",
    )


def person_record_exemption(
    *,
    record: PersonRecord,
    exemption: Exemption | str,
    approved_on: datetime.date,
    until: datetime.date | None,
    expected_version: int,
    user: Actor | None,
) -> PersonRecord:
    return person_record_update(
        record=record,
        changes={
            "exemption": exemption,
            "exemption_approved_on": approved_on,
            "exemption_until": until,
        },
        expected_version=expected_version,
        user=user,
        summary=f"登记 {record.person.name} {exemption}（批准日期 {approved_on}）",
    )


# --- Approval and locking of a school year ----------------------------------------------

# What other apps keep of a year at its approval, stored in the lock's transaction (the
# indicators app registers its approved figures from its AppConfig.ready(): registers cannot
# import it). A hook that fails makes the lock fail: an approved year without its figures
# would be shown recomputed.
YEAR_LOCKED_HOOKS: list[Callable[[SchoolYear], None]] = []


def year_locked_hook_register(hook: Callable[[SchoolYear], None]) -> None:
    if hook not in YEAR_LOCKED_HOOKS:
        YEAR_LOCKED_HOOKS.append(hook)


@transaction.atomic
def school_year_lock(*, school_year: SchoolYear, user: Actor | None) -> SchoolYear:
    """Lock an approved school year: every register service then refuses to change it, and
    each town's settings in force become the year's own."""
    current = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if current.locked:
        return current
    current.locked = True
    current.locked_at = timezone.now()
    current.locked_by = user_or_none(user)
    current.save(update_fields=["locked", "locked_at", "locked_by"])
    _year_settings_freeze(current)
    for hook in YEAR_LOCKED_HOOKS:
        hook(current)
    data_changed(town=None)  # a school year is every town's
    audit_record(
        user=user,
        action=AuditAction.LOCK,
        entity="SchoolYear",
        entity_id=current.pk,
        summary=f"审核通过并锁定 {current}",
    )
    return current


def _unsubmitted(*, user: Actor, school_year: SchoolYear) -> list[Unit]:
    """The villages and schools of the user's scope that have not submitted the year."""
    scope = scope_for(user)
    done = YearSubmission.objects.filter(
        school_year=school_year,
        state__in=[SubmissionState.SUBMITTED, SubmissionState.APPROVED],
    ).values("unit_id")
    return list(
        Unit.objects.filter(
            pk__in=scope.village_ids | scope.school_ids, kind__in=VILLAGE_KINDS | SCHOOL_KINDS
        )
        .exclude(pk__in=done)
        .order_by("parent__name", "kind", "name")
    )


@transaction.atomic
def school_year_approve(
    *, school_year: SchoolYear, user: Actor, override_reason: str = ""
) -> SchoolYear:
    """The office approves and locks the year (`school_year_lock`: its settings and figures
    are frozen with it).

    Refused while villages or schools of the office have not submitted, unless the office says
    in writing why it locks anyway; the reason and the units are audited."""
    if SchoolYear.objects.filter(pk=school_year.pk, locked=True).exists():
        return SchoolYear.objects.get(pk=school_year.pk)
    missing = [unit.name for unit in _unsubmitted(user=user, school_year=school_year)]
    reason = override_reason.strip()
    if missing and not reason:
        shown = "、".join(missing[:12]) + ("……" if len(missing) > 12 else "")
        raise ValidationError(
            f"还有 {len(missing)} 个单位未提交数据（{shown}），不能锁定。"
            "请等待各单位提交；如确需现在锁定，请填写不等待提交的原因。"
        )
    locked = school_year_lock(school_year=school_year, user=user)
    if missing:
        audit_record(
            user=user,
            action=AuditAction.LOCK,
            entity="SchoolYear",
            entity_id=locked.pk,
            summary=f"{locked} 在 {len(missing)} 个单位未提交时锁定：{reason[:300]}",
            after={"unsubmitted": missing[:500], "reason": reason[:500]},
        )
    return locked


@transaction.atomic
def school_year_unlock(*, school_year: SchoolYear, reason: str, user: Actor | None) -> SchoolYear:
    """Unlock a year for corrections; the reason is required and kept in the audit log."""
    if not reason.strip():
        raise ValidationError("解锁学年必须填写原因。")
    current = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if not current.locked:
        return current
    before = {"locked_at": str(current.locked_at or ""), "locked_by": str(current.locked_by or "")}
    current.locked = False
    current.locked_at = None
    current.locked_by = None
    current.save(update_fields=["locked", "locked_at", "locked_by"])
    data_changed(town=None)
    audit_record(
        user=user,
        action=AuditAction.UNLOCK,
        entity="SchoolYear",
        entity_id=current.pk,
        summary=f"解锁 {current}：{reason.strip()}",
        before=before,
    )
    return current


def _submission_move(
    *, school_year: SchoolYear, unit: Unit, to: SubmissionState, note: str, user: Actor
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
        raise ValidationError(f"{unit.name} 的数据当前为“{now_label}”，不能改为“{to.label}”。")
    if submission is None:
        submission = YearSubmission(school_year=school_year, unit=unit)
    submission.state, submission.note = to, note[:500]
    if to == SubmissionState.SUBMITTED:
        submission.submitted_at, submission.submitted_by = timezone.now(), user_or_none(user)
        submission.reviewed_at, submission.reviewed_by = None, None
    else:
        submission.reviewed_at, submission.reviewed_by = timezone.now(), user_or_none(user)
    submission.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="YearSubmission",
        entity_id=submission.pk,
        summary=f"{unit.name} {school_year} 数据：{to.label}" + (f"（{note}）" if note else ""),
        unit=unit,
    )
    return submission


@transaction.atomic
def year_submission_submit(
    *, school_year: SchoolYear, unit: Unit, note: str, user: Actor
) -> YearSubmission:
    return _submission_move(
        school_year=school_year, unit=unit, to=SubmissionState.SUBMITTED, note=note, user=user
    )


@transaction.atomic
def year_submission_review(
    *, school_year: SchoolYear, unit: Unit, approve: bool, note: str, user: Actor
) -> YearSubmission:
    if not approve and not note.strip():
        raise ValidationError("退回时请写明需要修改的内容。")
    to = SubmissionState.APPROVED if approve else SubmissionState.RETURNED
    return _submission_move(school_year=school_year, unit=unit, to=to, note=note, user=user)
