"""Writes of 控辍保学. The pages, the commands and the demo all come here; each write is one
transaction with its audit row. Which moves are allowed is asked of `dropout.workflow`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import File
from django.db import transaction

from liangji.accounts.models import user_or_none
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.dropout.models import (
    AbsenceReport,
    CaseAttachment,
    CaseEntry,
    CaseKind,
    CaseReason,
    CaseSource,
    CaseStatus,
    CaseStep,
    ContactRole,
    DropoutCase,
    EntryKind,
    Guardian,
    MonthlySubmission,
    Notice,
    NoticeKind,
    NoticeService,
    ServiceMethod,
    UnitContact,
)
from liangji.dropout.workflow import (
    KIND_ESCALATION,
    NOTICE_OF_STEP,
    OVER_AGE_YEARS,
    RESOLUTION_RULES,
    STEP_DEADLINE_SETTING,
    DropoutError,
    step_check,
)
from liangji.registers.choices import VILLAGE_KINDS, Resolution, RollEventKind, RollStatus
from liangji.registers.models import Enrollment, Person, PersonRecord, SchoolYear, Unit
from liangji.registers.official import date_arabic
from liangji.registers.rules import age_on
from liangji.registers.services import (
    enrollment_record_event,
    school_year_ensure_unlocked,
    town_settings_get,
)

if TYPE_CHECKING:
    from liangji.accounts.models import Actor, User


@dataclass(frozen=True)
class GuardianInput:
    name: str
    relation: str
    phone: str = ""


def _case_audit(
    *,
    user: Actor | None,
    case: DropoutCase,
    action: str,
    summary: str,
    before: dict[str, Any] | None = None,
) -> None:
    audit_record(
        user=user,
        action=action,
        entity="DropoutCase",
        entity_id=case.pk,
        summary=f"{case.child_name}：{summary}",
        before=before,
        after={
            "kind": case.kind,
            "status": case.status,
            "step": case.step,
            "resolution": case.resolution,
        },
        unit=case.village or case.school or case.town,
    )


def _state(case: DropoutCase) -> dict[str, Any]:
    return {
        "kind": case.kind,
        "status": case.status,
        "step": case.step,
        "resolution": case.resolution,
    }


@transaction.atomic
def contact_set(
    *, unit: Unit, role: ContactRole | str, name: str, phone: str, user: Actor | None
) -> UnitContact:
    """Name (or rename) one of the "七长" of a unit."""
    if not name.strip():
        raise DropoutError(f"请填写{role}的姓名。")
    contact, created = UnitContact.objects.update_or_create(
        unit=unit, role=role, defaults={"name": name.strip(), "phone": phone.strip()}
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        entity="UnitContact",
        entity_id=contact.pk,
        summary=f"{unit} 七长 {role}：{contact.name}",
        after={"role": str(role), "name": contact.name, "phone": contact.phone},
        unit=unit,
    )
    return contact


def _village_of(
    school_year: SchoolYear, person: Person | None, enrollment: Enrollment | None, town: Unit | None
) -> tuple[Unit | None, str]:
    if person is not None:
        record = (
            PersonRecord.objects.filter(person=person, school_year=school_year)
            .select_related("village")
            .first()
        )
        if record is not None:
            return record.village, record.address
    if enrollment is not None and enrollment.hukou_village and town is not None:
        village = Unit.objects.filter(
            parent=town, name=enrollment.hukou_village, kind__in=VILLAGE_KINDS
        ).first()
        return village, ""
    return None, ""


def _contact_name(unit: Unit | None, role: str) -> tuple[str, str]:
    if unit is None:
        return "", ""
    contact = UnitContact.objects.filter(unit=unit, role=role).first()
    return (contact.name, contact.phone) if contact else ("", "")


@transaction.atomic
def case_open(
    *,
    school_year: SchoolYear,
    source: CaseSource | str,
    reason: CaseReason | str = CaseReason.OTHER,
    kind: CaseKind | str = CaseKind.SUSPECTED,
    person: Person | None = None,
    enrollment: Enrollment | None = None,
    opened_on: datetime.date,
    absent_since: datetime.date | None = None,
    village_person: str = "",
    village_person_phone: str = "",
    school_person: str = "",
    school_person_phone: str = "",
    guardians: Sequence[GuardianInput] = (),
    reason_note: str = "",
    source_note: str = "",
    user: Actor | None,
) -> DropoutCase:
    """Open a case for a child (from a shortfall line, a reconciliation line, an absence
    report, an inspector or by hand). The responsible people default to the unit's 村长 and
    校长 contacts."""
    school_year_ensure_unlocked(school_year)
    if person is None and enrollment is None:
        raise DropoutError("请指明儿童：人口记录或学籍至少一项。")
    if person is None and enrollment is not None:
        person = enrollment.person
    school = enrollment.school if enrollment is not None else None
    town = school.town if school is not None else None
    village, address = _village_of(school_year, person, enrollment, town)
    town = town or (village.town if village is not None else None)
    if town is None:
        raise DropoutError("无法确定该儿童所属的镇：请先在人口登记中登记其户籍村，或指明学籍。")
    _open_case_refuse_duplicate(school_year, person, enrollment)
    village_person = village_person.strip() or _contact_name(village, ContactRole.VILLAGE_HEAD)[0]
    school_person = school_person.strip() or _contact_name(school, ContactRole.PRINCIPAL)[0]
    if not village_person or not school_person:
        raise DropoutError(
            "请填写两条线的责任人：村（社区）责任人和学校责任人（或先在“七长”联系人中登记村长和校长）。"
        )
    identity = person or enrollment
    assert identity is not None
    case = DropoutCase(
        school_year=school_year,
        town=town,
        village=village,
        school=school,
        person=person,
        enrollment=enrollment,
        child_name=identity.name,
        child_sex=identity.sex,
        child_birth_date=identity.birth_date,
        grade=enrollment.grade if enrollment is not None else None,
        address=address,
        kind=kind,
        step=CaseStep.REPORTED,
        step_date=opened_on,
        opened_on=opened_on,
        absent_since=absent_since,
        source=source,
        source_note=source_note,
        reason=reason,
        reason_note=reason_note,
        village_person=village_person,
        village_person_phone=village_person_phone
        or _contact_name(village, ContactRole.VILLAGE_HEAD)[1],
        school_person=school_person,
        school_person_phone=school_person_phone or _contact_name(school, ContactRole.PRINCIPAL)[1],
        created_by=user_or_none(user),
    )
    case.full_clean()
    case.save()
    Guardian.objects.bulk_create(
        Guardian(case=case, name=g.name.strip(), relation=g.relation.strip(), phone=g.phone.strip())
        for g in guardians
        if g.name.strip()
    )
    CaseEntry.objects.create(
        case=case,
        kind=EntryKind.OPENED,
        step=CaseStep.REPORTED,
        date=opened_on,
        outcome=f"{CaseSource(source).label}：{source_note}".rstrip("："),
        recorded_by=_user_or_none(user),
    )
    _case_audit(user=user, case=case, action=AuditAction.CREATE, summary=f"立案（{kind}）")
    return case


def _user_or_none(user: Actor | None) -> User | None:
    return user_or_none(user)


def _open_case_refuse_duplicate(
    school_year: SchoolYear, person: Person | None, enrollment: Enrollment | None
) -> None:
    open_cases = DropoutCase.objects.filter(status=CaseStatus.OPEN)
    if (
        person is not None and open_cases.filter(school_year=school_year, person=person).exists()
    ) or (enrollment is not None and open_cases.filter(enrollment=enrollment).exists()):
        raise DropoutError("该儿童本学年已有未销号的个案，请在原个案中继续记录。")


@transaction.atomic
def absence_report(
    *,
    enrollment: Enrollment,
    absent_since: datetime.date,
    reported_on: datetime.date,
    valid_reason: bool,
    reason_text: str = "",
    reason: CaseReason | str = CaseReason.OTHER,
    guardians: Sequence[GuardianInput] = (),
    school_person: str = "",
    user: Actor | None,
) -> AbsenceReport:
    """A school reports a pupil absent. Absent more than the town's N days without a valid
    reason opens a 疑似辍学 case (or a 辍学 case past M days); an open case takes the report."""
    if reported_on < absent_since:
        raise DropoutError("报告日期不能早于缺课起始日期。")
    report = AbsenceReport(
        school=enrollment.school,
        enrollment=enrollment,
        absent_since=absent_since,
        reported_on=reported_on,
        valid_reason=valid_reason,
        reason_text=reason_text.strip(),
        reported_by=_user_or_none(user),
    )
    report.full_clean()
    town = enrollment.school.town
    settings = town_settings_get(town) if town is not None else None
    days_absent = (reported_on - absent_since).days
    if not valid_reason and settings is not None:
        existing = DropoutCase.objects.filter(enrollment=enrollment, status=CaseStatus.OPEN).first()
        if existing is not None:
            report.case = existing
        elif days_absent > int(settings.values["dropout.suspected_after_days"]):
            past_dropout = days_absent > int(settings.values["dropout.dropout_after_days"])
            report.case = case_open(
                school_year=enrollment.school_year,
                source=CaseSource.ABSENCE,
                kind=CaseKind.DROPPED_OUT if past_dropout else CaseKind.SUSPECTED,
                reason=reason,
                reason_note=reason_text,
                enrollment=enrollment,
                opened_on=reported_on,
                absent_since=absent_since,
                guardians=guardians,
                school_person=school_person,
                source_note=f"自{absent_since:%Y-%m-%d}缺课{days_absent}天",
                user=user,
            )
            if past_dropout:
                _roll_mark_dropped_out(report.case, absent_since, settings, user)
    report.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="AbsenceReport",
        entity_id=report.pk,
        summary=f"{enrollment.name} 自{absent_since}缺课 报告于{reported_on}",
        after={"valid_reason": valid_reason, "case": report.case_id},
        unit=enrollment.school,
    )
    return report


def _roll_mark_dropped_out(
    case: DropoutCase, absent_since: datetime.date, settings: Any, user: Actor | None
) -> None:
    """Not back within M days: the roll says 辍学 from the day the month ran out."""
    enrollment = case.enrollment
    if enrollment is None or enrollment.status != RollStatus.STUDYING:
        return
    on = absent_since + datetime.timedelta(days=int(settings.values["dropout.dropout_after_days"]))
    year = enrollment.school_year
    if year.first_day <= on <= year.last_day:
        enrollment_record_event(
            enrollment=enrollment,
            kind=RollEventKind.DROPPED_OUT,
            date=on,
            note="控辍保学：疑似辍学逾期未返校",
            user=user,
        )


@transaction.atomic
def case_escalate_due(
    *, today: datetime.date, user: Actor | None, town: Unit | None = None
) -> list[DropoutCase]:
    """Turn every open suspected case whose child has not come back in time into a dropout."""
    escalated = []
    for from_kind, (to_kind, setting_key) in KIND_ESCALATION.items():
        cases = DropoutCase.objects.filter(status=CaseStatus.OPEN, kind=from_kind)
        if town is not None:
            cases = cases.filter(town=town)
        towns = {
            t.pk: town_settings_get(t) for t in Unit.objects.filter(pk__in=cases.values("town_id"))
        }
        for case in cases.select_for_update(of=("self",)).select_related(
            "enrollment__school_year", "town"
        ):
            settings = towns[case.town_id]
            start = case.absent_since or case.opened_on
            if (today - start).days <= int(settings.values[setting_key]):
                continue
            before = _state(case)
            case.kind = to_kind
            case.version += 1
            case.save(update_fields=["kind", "version"])
            CaseEntry.objects.create(
                case=case,
                kind=EntryKind.ESCALATED,
                step=case.step,
                date=today,
                outcome=f"自{start:%Y-%m-%d}起超过{settings.values[setting_key]}天未返校，转为辍学",
                recorded_by=_user_or_none(user),
            )
            _roll_mark_dropped_out(case, start, settings, user)
            _case_audit(
                user=user, case=case, action=AuditAction.UPDATE, summary="转为辍学", before=before
            )
            escalated.append(case)
    return escalated


def _attach(
    case: DropoutCase, entry: CaseEntry | None, files: Sequence[File], user: Actor | None
) -> None:
    for upload in files:
        attachment = CaseAttachment(
            case=case,
            entry=entry,
            description=getattr(upload, "name", ""),
            uploaded_by=_user_or_none(user),
        )
        attachment.file.save(
            str(getattr(upload, "name", "附件")).rsplit("/", 1)[-1], upload, save=False
        )
        attachment.save()


def _case_lock(case: DropoutCase) -> DropoutCase:
    """Re-read a case for a write: refused in a locked school year (its record is approved),
    and under a row lock so that two people advancing the same case cannot both succeed."""
    school_year_ensure_unlocked(case.school_year)
    return (
        DropoutCase.objects.select_for_update(of=("self",))
        .select_related("town", "school", "village")
        .get(pk=case.pk)
    )


@transaction.atomic
def case_attempt_record(
    *,
    case: DropoutCase,
    date: datetime.date,
    actors: str,
    method: str,
    said: str,
    outcome: str,
    files: Sequence[File] = (),
    user: Actor | None,
) -> CaseEntry:
    """Record one more attempt at the current step (a second visit, a phone call …)."""
    case = _case_lock(case)
    if case.status != CaseStatus.OPEN:
        raise DropoutError("个案已销号；如需继续处理，请先重新打开。")
    entry = _entry_create(
        case, EntryKind.ATTEMPT, case.step, date, actors, method, said, outcome, user
    )
    _attach(case, entry, files, user)
    _case_audit(
        user=user,
        case=case,
        action=AuditAction.UPDATE,
        summary=f"{CaseStep(case.step).label}记录 {date}",
    )
    return entry


def _entry_create(
    case: DropoutCase,
    kind: str,
    step: str,
    date: datetime.date,
    actors: str,
    method: str,
    said: str,
    outcome: str,
    user: Actor | None,
) -> CaseEntry:
    if not actors.strip():
        raise DropoutError("请填写参与人（谁去做的）。")
    if date < case.step_date:
        raise DropoutError(f"日期 {date} 早于当前步骤的日期 {case.step_date}。")
    entry = CaseEntry(
        case=case,
        kind=kind,
        step=step,
        date=date,
        actors=actors.strip(),
        method=method,
        said=said.strip(),
        outcome=outcome.strip(),
        recorded_by=_user_or_none(user),
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def case_step_advance(
    *,
    case: DropoutCase,
    to_step: CaseStep | str,
    date: datetime.date,
    actors: str,
    method: str = "",
    said: str = "",
    outcome: str = "",
    files: Sequence[File] = (),
    user: Actor | None,
) -> DropoutCase:
    """Climb one rung (declared in `workflow.NEXT_STEP`), recording what was done; reaching a
    notice step issues the numbered notice."""
    case = _case_lock(case)
    step_check(status=case.status, step=case.step, to_step=to_step)
    if to_step == CaseStep.ADMIN_MEASURES:
        _escalation_check(case, date)
    before = _state(case)
    entry = _entry_create(
        case, EntryKind.ADVANCED, to_step, date, actors, method, said, outcome, user
    )
    _attach(case, entry, files, user)
    case.step = to_step
    case.step_date = date
    case.version += 1
    case.save(update_fields=["step", "step_date", "version"])
    if to_step in NOTICE_OF_STEP:
        _notice_issue(case, NOTICE_OF_STEP[to_step], date, user)
    _case_audit(
        user=user,
        case=case,
        action=AuditAction.UPDATE,
        summary=f"进入“{CaseStep(to_step).label}” {date}",
        before=before,
    )
    return case


def _town_abbr(town: Unit, stored: str) -> str:
    # Default 机关代字 of the town government: its first character, its kind and 政 (汉镇政).
    level = {"街道": "街"}.get(town.kind, town.kind)
    return stored or f"{town.name[:1]}{level}政"


def _school_abbr(school: Unit) -> str:
    """A school's own 机关代字, from its name: 汉镇小学 → 汉镇小, 汉镇中心学校 → 汉镇中心校."""
    name = school.name
    for suffix, short in (("学校", "校"), ("小学", "小"), ("中学", "中")):
        if name.endswith(suffix):
            return name[: -len(suffix)] + short
    return name


def _notice_issuer(case: DropoutCase, kind: str, stored_town_abbr: str) -> tuple[Unit, str, str]:
    """(unit, 发文机关, 机关代字): the child's school sends the 劝返回校通知书; the town
    government sends the 限期 notice, and every notice of a child with no school (失学: the
    town government's duty to see the child enrolled, 义务教育法 第十三条)."""
    if kind == NoticeKind.RETURN and case.school is not None:
        return case.school, case.school.name, _school_abbr(case.school)
    return case.town, f"{case.town.name}人民政府", _town_abbr(case.town, stored_town_abbr)


def _notice_issue(
    case: DropoutCase, kind: str, issued_on: datetime.date, user: Actor | None
) -> Notice:
    settings = town_settings_get(case.town)
    step = CaseStep.RETURN_NOTICE if kind == NoticeKind.RETURN else CaseStep.DEADLINE_NOTICE
    days = int(settings.values[STEP_DEADLINE_SETTING[step]])
    if kind == NoticeKind.DEADLINE:
        _deadline_notice_check(case, issued_on)
    unit, issuer, abbr = _notice_issuer(case, kind, settings.values["dropout.town_doc_abbr"])
    year = issued_on.year
    # Numbers run per issuing unit and calendar year, in the order of the dates (GB/T 9704:
    # 发文字号 in sequence). Two cases issuing at once would read the same maximum: the unit's
    # row lock makes them take turns (the constraint would refuse the second as an error).
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    series = Notice.objects.filter(issuer_unit=unit, year=year)
    last = series.order_by("-sequence").first()
    if last is not None and last.issued_on > issued_on:
        raise DropoutError(
            f"{issuer}{year}年的上一份通知书（{last.number}）成文于{date_arabic(last.issued_on)}，"
            f"发文字号须按日期顺序编排，本通知书的日期不能早于{date_arabic(last.issued_on)}。"
        )
    sequence = (last.sequence if last else 0) + 1
    notice = Notice.objects.create(
        case=case,
        town=case.town,
        kind=kind,
        year=year,
        sequence=sequence,
        number=f"{abbr}〔{year}〕{sequence}号",
        issuer=issuer,
        issuer_unit=unit,
        issued_on=issued_on,
        return_by=issued_on + datetime.timedelta(days=days),
        issued_by=_user_or_none(user),
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="Notice",
        entity_id=notice.pk,
        summary=f"{case.child_name}：{notice.get_kind_display()} {notice.number}",
        unit=case.village or case.school or case.town,
    )
    return notice


@transaction.atomic
def notice_service_record(
    *,
    notice: Notice,
    served_on: datetime.date,
    method: ServiceMethod | str,
    received_by: str,
    scan: File,
    today: datetime.date,
    user: Actor | None,
) -> NoticeService:
    """Record that a notice reached the guardians, with the scan of the signed 送达回证."""
    case = _case_lock(notice.case)
    if served_on < notice.issued_on:
        raise DropoutError(f"送达日期不能早于通知书的成文日期（{date_arabic(notice.issued_on)}）。")
    if served_on > today:
        raise DropoutError("送达日期不能晚于今天。")
    if not received_by.strip():
        raise DropoutError("请填写签收人（受送达人）的姓名。")
    attachment = CaseAttachment(
        case=case, description=f"{notice.number} 送达回证", uploaded_by=_user_or_none(user)
    )
    attachment.file.save(
        str(getattr(scan, "name", "送达回证")).rsplit("/", 1)[-1], scan, save=False
    )
    attachment.save()
    service = NoticeService.objects.create(
        notice=notice,
        served_on=served_on,
        method=method,
        received_by=received_by.strip(),
        scan=attachment,
        recorded_by=_user_or_none(user),
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="NoticeService",
        entity_id=service.pk,
        summary=(
            f"{case.child_name}：{notice.number} 于{date_arabic(served_on)}{method}，"
            f"签收人 {service.received_by}"
        ),
        unit=case.village or case.school or case.town,
    )
    return service


@transaction.atomic
def monthly_report_submit(
    *, school: Unit, month_start: datetime.date, today: datetime.date, user: Actor | None
) -> MonthlySubmission:
    """The school declares its monthly report for the month submitted (once per month)."""
    if month_start > today:
        raise DropoutError("还没到这个月份，不能上报该月月报。")
    done = MonthlySubmission.objects.filter(school=school, month=month_start).first()
    if done is not None:
        raise DropoutError(
            f"{school.name}{month_start.year}年{month_start.month}月的月报已于"
            f"{date_arabic(done.submitted_on)}上报。"
        )
    submission = MonthlySubmission.objects.create(
        school=school, month=month_start, submitted_on=today, submitted_by=_user_or_none(user)
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="MonthlySubmission",
        entity_id=submission.pk,
        summary=f"{school.name}上报{month_start.year}年{month_start.month}月控辍保学月报",
        unit=school,
    )
    return submission


def _escalation_check(case: DropoutCase, date: datetime.date) -> None:
    """Administrative measures (义务教育法 第五十八条) follow the 限期 notice only after its
    period has run out without the child back."""
    deadline = case.notices.filter(kind=NoticeKind.DEADLINE).order_by("-issued_on").first()
    if deadline is not None and date <= deadline.return_by:
        allowed = deadline.return_by + datetime.timedelta(days=1)
        raise DropoutError(
            f"限期返校通知书（{deadline.number}）的期限到{date_arabic(deadline.return_by)}，"
            f"期限届满仍未返校才能依法采取行政措施，最早{date_arabic(allowed)}。"
        )


def _deadline_notice_check(case: DropoutCase, issued_on: datetime.date) -> None:
    """The 限期 notice follows the 劝返 notice only once the period that notice gave the
    guardians has run out: before then they are still within their time."""
    earlier = case.notices.filter(kind=NoticeKind.RETURN).order_by("-issued_on").first()
    if earlier is not None and issued_on <= earlier.return_by:
        allowed = earlier.return_by + datetime.timedelta(days=1)
        raise DropoutError(
            f"《劝返回校通知书》（{earlier.number}）给监护人的期限到{date_arabic(earlier.return_by)}，"
            f"期限届满后才能发出限期返校通知书，最早{date_arabic(allowed)}。"
        )


@transaction.atomic
def case_close(
    *,
    case: DropoutCase,
    resolution: Resolution | str,
    resolved_on: datetime.date,
    resolution_school: str = "",
    resolution_region: str = "",
    registration_error: str = "",
    resolution_note: str = "",
    files: Sequence[File] = (),
    user: Actor | None,
) -> DropoutCase:
    """动态销号: close with a resolution and the evidence `workflow.RESOLUTION_RULES` asks for.
    A return, a transfer or a death is written on the child's roll as well."""
    case = _case_lock(case)
    if case.status != CaseStatus.OPEN:
        raise DropoutError("个案已经销号。")
    rule = RESOLUTION_RULES.get(resolution)
    if rule is None or not rule.closes:
        raise DropoutError(f"“{resolution}”不能作为销号原因；仍未返校的个案应继续劝返。")
    if resolved_on < case.opened_on:
        raise DropoutError(f"销号日期 {resolved_on} 早于立案日期 {case.opened_on}。")
    if resolution == Resolution.RETURNED and not resolution_school and case.school is not None:
        resolution_school = case.school.name
    before = _state(case)
    case.resolution = resolution
    case.resolved_on = resolved_on
    case.resolution_school = resolution_school.strip()
    case.resolution_region = resolution_region
    case.registration_error = registration_error
    case.resolution_note = resolution_note.strip()
    missing = [
        getattr(DropoutCase._meta.get_field(name), "verbose_name", name)
        for name in rule.fields
        if not getattr(case, name)
    ]
    if missing:
        raise DropoutError(f"“{resolution}”销号须填写：{'、'.join(map(str, missing))}。")
    if rule.needs_attachment and not files:
        raise DropoutError(f"“{resolution}”销号须上传证明材料：{rule.evidence}。")
    if resolution == Resolution.OVER_AGE and (
        case.child_birth_date is None or age_on(case.child_birth_date, resolved_on) < OVER_AGE_YEARS
    ):
        raise DropoutError(f"该儿童在 {resolved_on} 未满 {OVER_AGE_YEARS} 周岁，不能以超龄销号。")
    case.status = CaseStatus.CLOSED
    case.version += 1
    case.full_clean()
    case.save()
    entry = CaseEntry.objects.create(
        case=case,
        kind=EntryKind.CLOSED,
        step=case.step,
        date=resolved_on,
        outcome=f"销号：{resolution} {case.resolution_school} {case.resolution_note}".strip(),
        recorded_by=_user_or_none(user),
    )
    _attach(case, entry, files, user)
    _roll_follow_resolution(case, user)
    _case_audit(
        user=user,
        case=case,
        action=AuditAction.UPDATE,
        summary=f"销号（{resolution}）",
        before=before,
    )
    return case


# The roll event each resolution writes on the child's roll, and the statuses it applies to.
_ROLL_EVENT_OF_RESOLUTION: dict[str, tuple[str, frozenset[str]]] = {
    Resolution.RETURNED: (
        RollEventKind.RESUMED,
        frozenset({RollStatus.DROPPED_OUT, RollStatus.SUSPENDED}),
    ),
    Resolution.TRANSFERRED: (
        RollEventKind.TRANSFERRED_OUT,
        frozenset({RollStatus.STUDYING, RollStatus.DROPPED_OUT}),
    ),
    Resolution.DECEASED: (
        RollEventKind.DECEASED,
        frozenset({RollStatus.STUDYING, RollStatus.DROPPED_OUT, RollStatus.SUSPENDED}),
    ),
}


def _roll_follow_resolution(case: DropoutCase, user: Actor | None) -> None:
    enrollment = case.enrollment
    if enrollment is None or case.resolution not in _ROLL_EVENT_OF_RESOLUTION:
        return
    enrollment = Enrollment.objects.select_related("school_year", "school").get(pk=enrollment.pk)
    kind, applies_to = _ROLL_EVENT_OF_RESOLUTION[case.resolution]
    if enrollment.status not in applies_to:
        return
    assert case.resolved_on is not None
    year = enrollment.school_year
    if not year.first_day <= case.resolved_on <= year.last_day:
        raise DropoutError(
            f"销号日期 {case.resolved_on} 不在 {year} 之内，"
            f"无法写入学籍；请在下一学年的学籍中登记。"
        )
    enrollment_record_event(
        enrollment=enrollment,
        kind=kind,
        date=case.resolved_on,
        other_school=case.resolution_school if kind == RollEventKind.TRANSFERRED_OUT else "",
        note=f"控辍保学销号：{case.resolution}",
        user=user,
    )


@transaction.atomic
def case_reopen(
    *, case: DropoutCase, reason: str, date: datetime.date, user: Actor | None
) -> DropoutCase:
    """Reopen a closed case (the child left again, the evidence was wrong …), with a reason."""
    case = _case_lock(case)
    if case.status != CaseStatus.CLOSED:
        raise DropoutError("个案未销号，无需重新打开。")
    if not reason.strip():
        raise DropoutError("请填写重新打开的原因。")
    _open_case_refuse_duplicate(case.school_year, case.person, case.enrollment)
    before = _state(case) | {"resolved_on": str(case.resolved_on)}
    case.status = CaseStatus.OPEN
    case.resolution = ""
    case.resolved_on = None
    case.step_date = max(case.step_date, date)
    case.version += 1
    case.save()
    CaseEntry.objects.create(
        case=case,
        kind=EntryKind.REOPENED,
        step=case.step,
        date=date,
        outcome=reason.strip(),
        recorded_by=_user_or_none(user),
    )
    _case_audit(
        user=user,
        case=case,
        action=AuditAction.UPDATE,
        summary=f"重新打开：{reason}",
        before=before,
    )
    return case
