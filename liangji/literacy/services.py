"""Writes of the literacy work. The pages, the command line, the importer and the demo all come
here; each write is one transaction with its audit row, and a locked school year refuses it.

A person's 文化程度 is the register's: passing and relapsing change it through
`registers.services.person_record_update` (optimistic version, audited), never here directly.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.context import context_for
from liangji.indicators.engine import fetch
from liangji.literacy.models import (
    Attendance,
    Certificate,
    CertificateCounter,
    ClassMember,
    ClassSession,
    ClassStatus,
    ClassTeacher,
    LiteracyClass,
    LiteracyTest,
    LostAbilityJudgement,
    Retest,
    TechTraining,
    TestResult,
    VenueKind,
)
from liangji.literacy.rules import characters_standard, ledger_condition, records_from_sql
from liangji.registers.choices import VILLAGE_KINDS, EducationLevel
from liangji.registers.models import Person, PersonRecord, SchoolYear, Unit
from liangji.registers.services import (
    person_record_update,
    school_year_ensure_unlocked,
    town_settings_get,
)

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


class LiteracyError(ValueError):
    """A literacy write that cannot be done; the message says why and what to do instead."""


@dataclass(frozen=True)
class TeacherInput:
    name: str
    unit: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ResultInput:
    member: ClassMember
    characters_known: int
    reading: bool
    accounts: bool
    writing: bool


def _user_or_none(user: Actor | None) -> Any:
    return user if getattr(user, "pk", None) else None


def _not_in_future(day: datetime.date, what: str) -> None:
    if day > timezone.localdate():
        raise LiteracyError(f"{what} {day} 晚于今天，请检查。")


def _audit(
    *, user: Actor | None, action: str, entity: str, pk: int, summary: str, unit: Unit, **kw: Any
) -> None:
    audit_record(
        user=user, action=action, entity=entity, entity_id=pk, summary=summary, unit=unit, **kw
    )


# -- classes --------------------------------------------------------------------------------


@transaction.atomic
def class_open(
    *,
    school_year: SchoolYear,
    village: Unit,
    name: str,
    planned_hours: int,
    opened_on: datetime.date,
    venue_kind: VenueKind | str = VenueKind.SCHOOL,
    venue: str = "",
    textbook: str = "",
    schedule: str = "",
    teachers: Sequence[TeacherInput] = (),
    user: Actor | None,
) -> LiteracyClass:
    """Open an 扫盲班 of a village (its 文化技术学校 or a teaching point)."""
    school_year_ensure_unlocked(school_year)
    if village.kind not in VILLAGE_KINDS or village.town is None:
        raise LiteracyError("扫盲班须属于一个村或社区。")
    if not name.strip():
        raise LiteracyError("请填写班名。")
    if planned_hours < 1:
        raise LiteracyError("计划课时应为正整数。")
    _not_in_future(opened_on, "开班日期")
    if LiteracyClass.objects.filter(school_year=school_year, village=village, name=name.strip()):
        raise LiteracyError(f"{village.name}本学年已有名为“{name.strip()}”的扫盲班。")
    klass = LiteracyClass.objects.create(
        school_year=school_year,
        town=village.town,
        village=village,
        name=name.strip(),
        venue_kind=venue_kind,
        venue=venue.strip(),
        textbook=textbook.strip(),
        schedule=schedule.strip(),
        planned_hours=planned_hours,
        opened_on=opened_on,
        created_by=_user_or_none(user),
    )
    ClassTeacher.objects.bulk_create(
        ClassTeacher(klass=klass, name=t.name.strip(), unit=t.unit.strip(), phone=t.phone.strip())
        for t in teachers
        if t.name.strip()
    )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="LiteracyClass",
        pk=klass.pk,
        summary=f"开办扫盲班 {village.name}{klass.name}（{opened_on}，计划{planned_hours}课时）",
        unit=village,
        after={"teachers": [t.name for t in teachers if t.name.strip()]},
    )
    return klass


@transaction.atomic
def class_teacher_add(
    *, klass: LiteracyClass, teacher: TeacherInput, user: Actor | None
) -> ClassTeacher:
    school_year_ensure_unlocked(klass.school_year)
    if not teacher.name.strip():
        raise LiteracyError("请填写教师姓名。")
    row = ClassTeacher.objects.create(
        klass=klass,
        name=teacher.name.strip(),
        unit=teacher.unit.strip(),
        phone=teacher.phone.strip(),
    )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="ClassTeacher",
        pk=row.pk,
        summary=f"{klass.name} 增加教师 {row.name}",
        unit=klass.village,
    )
    return row


@transaction.atomic
def class_close(
    *, klass: LiteracyClass, closed_on: datetime.date, user: Actor | None
) -> LiteracyClass:
    """结业: the learners are free to join another class."""
    school_year_ensure_unlocked(klass.school_year)
    if klass.status == ClassStatus.CLOSED:
        raise LiteracyError("该班已结业。")
    if closed_on < klass.opened_on:
        raise LiteracyError("结业日期不能早于开班日期。")
    _not_in_future(closed_on, "结业日期")
    klass.status, klass.closed_on = ClassStatus.CLOSED, closed_on
    klass.save(update_fields=["status", "closed_on"])
    klass.members.update(in_open_class=False)
    _audit(
        user=user,
        action=AuditAction.UPDATE,
        entity="LiteracyClass",
        pk=klass.pk,
        summary=f"扫盲班 {klass.village.name}{klass.name} 结业（{closed_on}）",
        unit=klass.village,
    )
    return klass


def ledger_person_ids(
    *, school_year: SchoolYear, town: Unit, person_ids: Sequence[int]
) -> set[int]:
    """Which of these people are 扫盲对象 of the town in the school year (the ledger's rule)."""
    if not person_ids:
        return set()
    terms = context_for(school_year=school_year.year, town=town).terms
    ids = ", ".join(str(int(pk)) for pk in person_ids)
    condition = ledger_condition(terms)
    sql = f"SELECT r.person_id {records_from_sql()} AND r.person_id IN ({ids}) AND {condition}"
    return {int(row[0]) for row in fetch(sql, [school_year.pk, town.pk])}  # type: ignore[call-overload]


@transaction.atomic
def class_members_add(
    *, klass: LiteracyClass, persons: Sequence[Person], joined_on: datetime.date, user: Actor | None
) -> list[ClassMember]:
    """Take learners from the ledger into an open class; a person is in one open class at a time."""
    school_year_ensure_unlocked(klass.school_year)
    if klass.status != ClassStatus.OPEN:
        raise LiteracyError("该班已结业，不能再增加学员。")
    if joined_on < klass.opened_on:
        raise LiteracyError(f"入班日期 {joined_on} 早于开班日期 {klass.opened_on}。")
    _not_in_future(joined_on, "入班日期")
    wanted = {p.pk: p for p in persons}
    on_ledger = ledger_person_ids(
        school_year=klass.school_year, town=klass.town, person_ids=list(wanted)
    )
    in_village = set(
        PersonRecord.objects.filter(
            school_year=klass.school_year, village=klass.village, person_id__in=list(wanted)
        ).values_list("person_id", flat=True)
    )
    refused = [p.name for pk, p in wanted.items() if pk not in on_ledger or pk not in in_village]
    if refused:
        raise LiteracyError(
            f"{'、'.join(refused)} 不是{klass.village.name}本学年的扫盲对象"
            "（15–50周岁、文盲或半文盲），不能入班。"
        )
    busy = ClassMember.objects.filter(
        person_id__in=list(wanted), in_open_class=True
    ).select_related("person", "klass")
    if busy:
        names = "、".join(f"{m.person.name}（在{m.klass.name}）" for m in busy)
        raise LiteracyError(f"{names} 已在另一个开班中的扫盲班，同一时间只能在一个班学习。")
    members = ClassMember.objects.bulk_create(
        ClassMember(klass=klass, person=p, joined_on=joined_on) for p in wanted.values()
    )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="ClassMember",
        pk=klass.pk,
        summary=f"{klass.name} 入班 {len(members)} 人："
        + "、".join(p.name for p in wanted.values()),
        unit=klass.village,
        after={"persons": sorted(wanted)},
    )
    return list(ClassMember.objects.filter(klass=klass, person_id__in=list(wanted)))


@transaction.atomic
def session_record(
    *,
    klass: LiteracyClass,
    date: datetime.date,
    hours: Decimal,
    content: str,
    present: Sequence[ClassMember],
    user: Actor | None,
) -> ClassSession:
    """One lesson with its roll call: the hours each learner attended follow from it."""
    school_year_ensure_unlocked(klass.school_year)
    if klass.status != ClassStatus.OPEN:
        raise LiteracyError("该班已结业，不能再登记上课。")
    if date < klass.opened_on:
        raise LiteracyError(f"上课日期 {date} 早于开班日期 {klass.opened_on}。")
    _not_in_future(date, "上课日期")
    if not Decimal(0) < hours <= Decimal(12):
        raise LiteracyError("课时应大于 0、不超过 12。")
    if not content.strip():
        raise LiteracyError("请填写教学内容。")
    strangers = [m for m in present if m.klass_id != klass.pk]
    if strangers:
        raise LiteracyError("点名册中有不属于本班的学员。")
    session = ClassSession.objects.create(
        klass=klass, date=date, hours=hours, content=content.strip()
    )
    Attendance.objects.bulk_create(Attendance(session=session, member=m) for m in present)
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="ClassSession",
        pk=session.pk,
        summary=f"{klass.name} {date} 上课 {hours} 课时，出勤 {len(present)} 人",
        unit=klass.village,
        after={"members": sorted(m.pk for m in present)},
    )
    return session


# -- tests and certificates -----------------------------------------------------------------


def _passes(characters: int, standard: int, reading: bool, accounts: bool, writing: bool) -> bool:
    """The individual standard (domain §4): the characters, and reading, accounts and writing."""
    return characters >= standard and reading and accounts and writing


@transaction.atomic
def literacy_test_record(
    *,
    klass: LiteracyClass,
    date: datetime.date,
    results: Sequence[ResultInput],
    examiner: str = "",
    user: Actor | None,
) -> LiteracyTest:
    """A test session of a class with each learner's result, judged against the standard of the
    class's village kind (1,500 characters in a 村, 2,000 in a 社区 by default)."""
    school_year_ensure_unlocked(klass.school_year)
    year = klass.school_year
    if not year.first_day <= date <= year.last_day:
        raise LiteracyError(f"测验日期 {date} 不在 {year} 之内。")
    if date < klass.opened_on:
        raise LiteracyError(f"测验日期 {date} 早于开班日期 {klass.opened_on}。")
    _not_in_future(date, "测验日期")
    if not results:
        raise LiteracyError("请至少登记一名学员的成绩。")
    if any(r.member.klass_id != klass.pk for r in results):
        raise LiteracyError("成绩中有不属于本班的学员。")
    if len({r.member.pk for r in results}) != len(results):
        raise LiteracyError("同一学员在一次测验中只能有一条成绩。")
    standard = characters_standard(klass.village, town_settings_get(klass.town))
    test = LiteracyTest.objects.create(klass=klass, date=date, examiner=examiner.strip())
    TestResult.objects.bulk_create(
        TestResult(
            test=test,
            member=r.member,
            characters_known=r.characters_known,
            standard=standard,
            reading=r.reading,
            accounts=r.accounts,
            writing=r.writing,
            passed=_passes(r.characters_known, standard, r.reading, r.accounts, r.writing),
        )
        for r in results
    )
    passed = sum(
        _passes(r.characters_known, standard, r.reading, r.accounts, r.writing) for r in results
    )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="LiteracyTest",
        pk=test.pk,
        summary=(
            f"{klass.name} {date} 识字测验 {len(results)} 人，"
            f"通过 {passed} 人（标准 {standard} 字）"
        ),
        unit=klass.village,
    )
    return test


def _certificate_serial(town: Unit, year: int) -> int:
    """The next serial of the town's year. The counter row is locked (PostgreSQL: row lock;
    SQLite: the write transaction is already exclusive), so concurrent issues queue; the unique
    constraint on (town, year, serial) is the last guard."""
    CertificateCounter.objects.get_or_create(town=town, year=year)
    counter = CertificateCounter.objects.select_for_update().get(town=town, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def certificate_number(town: Unit, year: int, serial: int, abbr: str) -> str:
    """汉镇脱盲〔2025〕第0007号: the town's abbreviation (setting, else its name)."""
    return f"{abbr or town.name}脱盲〔{year}〕第{serial:04d}号"


def _register_level_set(
    *, person: Person, school_year: SchoolYear, level: str, summary: str, user: Actor | None
) -> PersonRecord:
    record = PersonRecord.objects.filter(person=person, school_year=school_year).first()
    if record is None:
        raise LiteracyError(
            f"{person.name} 在 {school_year} 没有人口记录，无法修改文化程度；"
            "请先导入该学年的文化户口册。"
        )
    return person_record_update(
        record=record,
        changes={"education_level": level},
        expected_version=record.version,
        user=user,
        summary=summary,
    )


@transaction.atomic
def certificate_issue(
    *, result: TestResult, issued_on: datetime.date, user: Actor | None, number: str = ""
) -> Certificate:
    """Issue the 脱盲证书 of a passed result: number it, and make the register say 脱盲 from the
    test date (through the register services, audited), so the literacy indicators move now.
    `number`: a certificate issued on paper before (the import's 证书编号）； it still takes the
    next serial of the town's year, so the serials stay unique."""
    test = result.test
    klass = test.klass
    school_year_ensure_unlocked(klass.school_year)
    if not result.passed:
        raise LiteracyError("该学员测验未通过，不能发脱盲证书。")
    if Certificate.objects.filter(result=result).exists():
        raise LiteracyError("该成绩已发过脱盲证书。")
    if issued_on < test.date:
        raise LiteracyError(f"发证日期 {issued_on} 早于测验日期 {test.date}。")
    _not_in_future(issued_on, "发证日期")
    person = result.member.person
    settings = town_settings_get(klass.town)
    number = number.strip()
    if number and Certificate.objects.filter(town=klass.town, number=number).exists():
        raise LiteracyError(f"本镇已有编号为 {number} 的脱盲证书；请核对证书编号。")
    serial = _certificate_serial(klass.town, issued_on.year)
    number = number or certificate_number(
        klass.town, issued_on.year, serial, settings.literacy_certificate_abbr
    )
    certificate = Certificate.objects.create(
        town=klass.town,
        village=klass.village,
        school_year=klass.school_year,
        person=person,
        result=result,
        year=issued_on.year,
        serial=serial,
        number=number,
        passed_on=test.date,
        issued_on=issued_on,
        issued_by=_user_or_none(user),
    )
    # A graduate leaves the class: free to join another one should a re-test find a relapse.
    ClassMember.objects.filter(pk=result.member_id).update(in_open_class=False)
    _register_level_set(
        person=person,
        school_year=klass.school_year,
        level=EducationLevel.LITERATE_AGAIN,
        summary=f"{person.name} 脱盲（测验日期 {test.date}，证书 {number}）：文化程度改为脱盲",
        user=user,
    )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="Certificate",
        pk=certificate.pk,
        summary=f"发放脱盲证书 {number}：{person.name}（{klass.village.name}）",
        unit=klass.village,
        after={"person": person.pk, "passed_on": test.date.isoformat()},
    )
    return certificate


# -- re-tests (复查) and relapse (复盲) -------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def retest_due_on(certificate: Certificate, settings_months: int) -> datetime.date:
    return add_months(certificate.passed_on, settings_months)


@transaction.atomic
def retest_record(
    *,
    certificate: Certificate,
    date: datetime.date,
    characters_known: int,
    reading: bool,
    accounts: bool,
    writing: bool,
    user: Actor | None,
) -> Retest:
    """Re-test a graduate once the period has passed (setting, one year by default). A failed
    re-test is a relapse: the register's level goes back to 半文盲 in the school year of the
    re-test, dated and audited, and the person is back on that year's ledger."""
    # The school year runs 1 Sept – 31 Aug whatever the reference date (domain §2).
    school_year = SchoolYear.objects.filter(
        year=date.year if date.month >= 9 else date.year - 1
    ).first()
    if school_year is None:
        raise LiteracyError(f"复查日期 {date} 所在学年还没有数据；请先导入该学年的文化户口册。")
    school_year_ensure_unlocked(school_year)
    if Retest.objects.filter(certificate=certificate).exists():
        raise LiteracyError("该证书已复查过。")
    settings = town_settings_get(certificate.town)
    due = retest_due_on(certificate, settings.literacy_retest_after_months)
    if date < due:
        raise LiteracyError(
            f"脱盲后 {settings.literacy_retest_after_months} 个月方可复查，"
            f"{certificate.person.name} 应在 {due} 以后复查。"
        )
    _not_in_future(date, "复查日期")
    standard = characters_standard(certificate.village, settings)
    passed = _passes(characters_known, standard, reading, accounts, writing)
    retest = Retest.objects.create(
        certificate=certificate,
        school_year=school_year,
        town=certificate.town,
        village=certificate.village,
        date=date,
        characters_known=characters_known,
        standard=standard,
        reading=reading,
        accounts=accounts,
        writing=writing,
        passed=passed,
        recorded_by=_user_or_none(user),
    )
    person = certificate.person
    if not passed:
        _register_level_set(
            person=person,
            school_year=school_year,
            level=EducationLevel.SEMI_LITERATE,
            summary=(
                f"{person.name} 复盲（复查日期 {date}，证书 {certificate.number}）："
                "文化程度改为半文盲"
            ),
            user=user,
        )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="Retest",
        pk=retest.pk,
        summary=f"复查 {person.name}（{certificate.number}）{date}：{'巩固' if passed else '复盲'}",
        unit=certificate.village,
    )
    return retest


# -- 丧失学习能力: the evidence behind the register's flag --------------------------------------


@transaction.atomic
def lost_ability_judgement_record(
    *,
    record: PersonRecord,
    judged_on: datetime.date,
    judged_by: str,
    grounds: str,
    document: str = "",
    user: Actor | None,
) -> LostAbilityJudgement:
    """Record who judged that a person lost the ability to learn, when and on what grounds,
    for a person the register already marks so (the flag is the register's, set by import or
    on the person's page; this is its evidence)."""
    school_year_ensure_unlocked(record.school_year)
    if not record.lost_learning_ability:
        raise LiteracyError(
            f"{record.person.name} 在文化户口册中没有标记“丧失学习能力”；"
            "请先在人口记录中标记，再登记鉴定依据。"
        )
    if not judged_by.strip() or not grounds.strip():
        raise LiteracyError("请填写鉴定机构和鉴定结论与依据。")
    _not_in_future(judged_on, "鉴定日期")
    if LostAbilityJudgement.objects.filter(person=record.person, judged_on=judged_on).exists():
        raise LiteracyError(f"{record.person.name} 在 {judged_on} 已有一条鉴定记录。")
    village = record.village
    town = village.town
    assert town is not None  # a person record's village belongs to a town
    judgement = LostAbilityJudgement.objects.create(
        person=record.person,
        town=town,
        village=village,
        judged_on=judged_on,
        judged_by=judged_by.strip(),
        grounds=grounds.strip(),
        document=document.strip(),
        recorded_by=_user_or_none(user),
    )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="LostAbilityJudgement",
        pk=judgement.pk,
        summary=f"登记 {record.person.name} 丧失学习能力鉴定（{judged_on},{judgement.judged_by})",
        unit=village,
        after={"grounds": judgement.grounds, "document": judgement.document},
    )
    return judgement


# -- practical technical training -----------------------------------------------------------


@transaction.atomic
def training_record(
    *,
    school_year: SchoolYear,
    village: Unit,
    topic: str,
    date: datetime.date,
    hours: Decimal,
    participants: int,
    note: str = "",
    user: Actor | None,
) -> TechTraining:
    school_year_ensure_unlocked(school_year)
    if village.kind not in VILLAGE_KINDS or village.town is None:
        raise LiteracyError("实用技术培训须属于一个村或社区。")
    if not topic.strip():
        raise LiteracyError("请填写培训内容。")
    if hours <= 0 or participants < 1:
        raise LiteracyError("课时和参训人数应为正数。")
    _not_in_future(date, "培训日期")
    training = TechTraining.objects.create(
        school_year=school_year,
        town=village.town,
        village=village,
        topic=topic.strip(),
        date=date,
        hours=hours,
        participants=participants,
        note=note.strip(),
    )
    _audit(
        user=user,
        action=AuditAction.CREATE,
        entity="TechTraining",
        pk=training.pk,
        summary=f"{village.name} 实用技术培训：{training.topic}（{date}，{participants}人）",
        unit=village,
    )
    return training
