"""Writes to the registers. The web application, the CLI and the importer all come here."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.choices import (
    STATUS_AFTER_EVENT,
    TOWN_KINDS,
    Exemption,
    HukouStatus,
    RollEventKind,
)
from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    PersonRecord,
    SchoolYear,
    TownSetting,
    Unit,
    YearTownSettings,
)
from liangji.registers.town_settings import SettingError, TownSettings, setting_parse
from liangji.registers.versions import data_changed


class SchoolYearLocked(Exception):
    """The school year is approved and locked; its data cannot change."""

    def __init__(self, school_year: SchoolYear) -> None:
        super().__init__(f"{school_year} 已审核锁定,数据不能修改;如需修改,请先由镇两基办解锁。")


def school_year_get_or_create(*, year: int) -> SchoolYear:
    if not 1990 <= year <= 2100:
        raise ValueError(f"学年 {year} 不合理,应为四位年份,例如 2024")
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
            raise SettingError(f"没有名为 {name} 的镇(乡、街道)")
        return town
    count = towns.count()
    if count == 1:
        return towns.get()
    if count == 0:
        raise SettingError("数据库中还没有镇;请先导入工作簿(单位表)或运行 liangji demo")
    raise SettingError("有多个镇,请用 --town 指定")


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
    user: Any | None,
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
        summary=f"{town} {year}设置:" + ",".join(f"{k}={v}" for k, v in parsed.items()),
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
    user: Any | None,
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
    enrollment.save()
    data_changed(town=enrollment.school)
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="Enrollment",
        entity_id=enrollment.pk,
        summary=f"{enrollment.name} {enrollment.school} 学籍变动:{kind} {date}",
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
            f"{what}已被其他人修改,您的修改没有保存。请重新打开页面查看最新内容后再修改。"
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


def _person_record_check(record: PersonRecord) -> None:
    """The record's rules, in words the office understands (the database checks them too)."""
    errors: dict[str, str] = {}
    if record.exemption and record.exemption_approved_on is None:
        errors["exemption_approved_on"] = "免学/缓学必须填写批准日期。"
    if record.hukou_status == HukouStatus.MOVED_OUT and record.moved_out_on is None:
        errors["moved_out_on"] = "户籍状态为迁出时必须填写迁出日期。"
    if (
        record.exemption_until is not None
        and record.exemption_approved_on is not None
        and record.exemption_until < record.exemption_approved_on
    ):
        errors["exemption_until"] = "免缓学截止日期不能早于批准日期。"
    today = timezone.localdate()
    for field in ("moved_out_on", "died_on", "exemption_approved_on"):
        value = getattr(record, field)
        if value is not None and value > today:
            errors[field] = f"日期 {value} 晚于今天,请检查。"
    if record.died_on is not None and record.died_on < record.person.birth_date:
        errors["died_on"] = "死亡日期早于出生日期,请检查。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_record_update(
    *,
    record: PersonRecord,
    changes: dict[str, Any],
    expected_version: int,
    user: Any | None,
    summary: str = "",
) -> PersonRecord:
    """Change fields of one yearly record, refusing if anyone saved it since `expected_version`."""
    unknown = set(changes) - set(PERSON_RECORD_EDITABLE)
    if unknown:
        raise ValueError(f"这些字段不能在此修改:{', '.join(sorted(unknown))}")
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
    _person_record_check(current)
    current.version += 1
    current.save(update_fields=[*changed, "version"])
    data_changed(town=current.village)
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="PersonRecord",
        entity_id=current.pk,
        summary=summary or f"修改 {current.person.name}({current.school_year})的人口记录",
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        unit=current.village,
    )
    return current


def person_record_death(
    *, record: PersonRecord, died_on: datetime.date, expected_version: int, user: Any | None
) -> PersonRecord:
    return person_record_update(
        record=record,
        changes={"died_on": died_on},
        expected_version=expected_version,
        user=user,
        summary=f"登记 {record.person.name} 死亡({died_on})",
    )


def person_record_move_out(
    *, record: PersonRecord, moved_out_on: datetime.date, expected_version: int, user: Any | None
) -> PersonRecord:
    return person_record_update(
        record=record,
        changes={"hukou_status": HukouStatus.MOVED_OUT, "moved_out_on": moved_out_on},
        expected_version=expected_version,
        user=user,
        summary=f"登记 {record.person.name} 户籍迁出({moved_out_on})",
    )


def person_record_exemption(
    *,
    record: PersonRecord,
    exemption: Exemption | str,
    approved_on: datetime.date,
    until: datetime.date | None,
    expected_version: int,
    user: Any | None,
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
        summary=f"登记 {record.person.name} {exemption}(批准日期 {approved_on})",
    )


# --- Approval and locking of a school year ----------------------------------------------


@transaction.atomic
def school_year_lock(*, school_year: SchoolYear, user: Any | None) -> SchoolYear:
    """Lock an approved school year: every register service then refuses to change it, and
    each town's settings in force become the year's own."""
    current = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if current.locked:
        return current
    current.locked = True
    current.locked_at = timezone.now()
    current.locked_by = user if user is not None and getattr(user, "pk", None) else None
    current.save(update_fields=["locked", "locked_at", "locked_by"])
    _year_settings_freeze(current)
    data_changed(town=None)  # a school year is every town's
    audit_record(
        user=user,
        action=AuditAction.LOCK,
        entity="SchoolYear",
        entity_id=current.pk,
        summary=f"审核通过并锁定 {current}",
    )
    return current


@transaction.atomic
def school_year_unlock(*, school_year: SchoolYear, reason: str, user: Any | None) -> SchoolYear:
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
        summary=f"解锁 {current}:{reason.strip()}",
        before=before,
    )
    return current
