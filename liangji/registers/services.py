"""Writes to the registers. The web application, the CLI and the importer all come here."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.choices import STATUS_AFTER_EVENT, TOWN_KINDS, RollEventKind
from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    SchoolYear,
    TownSetting,
    Unit,
)
from liangji.registers.town_settings import SettingError, TownSettings, setting_parse


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


def town_settings_get(town: Unit) -> TownSettings:
    stored = dict(TownSetting.objects.filter(town=town).values_list("key", "value"))
    return TownSettings.from_stored(stored)


@transaction.atomic
def town_settings_update(*, town: Unit, changes: dict[str, str], user: Any | None) -> TownSettings:
    """Validate every change first, then store them all with one audit row."""
    parsed = {key: setting_parse(key, raw) for key, raw in changes.items()}
    before = town_settings_get(town).as_dict()
    for key, value in parsed.items():
        TownSetting.objects.update_or_create(town=town, key=key, defaults={"value": value})
    after = town_settings_get(town)
    audit_record(
        user=user,
        action=AuditAction.SETTINGS,
        entity="TownSetting",
        entity_id=town.pk,
        summary=f"{town} 设置:" + ",".join(f"{k}={v}" for k, v in parsed.items()),
        before={k: before[k] for k in parsed},
        after=parsed,
        unit=town,
    )
    return after


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
