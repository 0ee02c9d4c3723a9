"""The demo step of 扫盲: classes, sessions, tests, certificates, re-tests and relapses in the
demo town, so that every literacy page shows real work.

Registered in liangji.demo.services.DEMO_STEPS after the registers and the accounts. The year
before the latest: a class per village that met, was tested (passes and failures), whose
graduates got their certificates and was closed; the next September's register is brought up
to date for them (脱盲), as the villages would. The latest year: the graduates are re-tested a
year on (one relapses), a class is tested (a pass waits for its certificate, one fails) and
another is still learning. All through the services, so the demo exercises the pages' code.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from liangji.accounts.models import Role, User
from liangji.indicators.context import context_for
from liangji.literacy.models import ClassMember, LiteracyClass
from liangji.literacy.selectors import LedgerRow, LedgerStatus, ledger_rows
from liangji.literacy.services import (
    ResultInput,
    TeacherInput,
    certificate_issue,
    class_close,
    class_members_add,
    class_open,
    literacy_test_record,
    retest_record,
    session_record,
    training_record,
)
from liangji.registers.choices import TOWN_KINDS, VILLAGE_KINDS, EducationLevel
from liangji.registers.models import Person, PersonRecord, SchoolYear, Unit
from liangji.registers.services import person_record_update

Write = Callable[[str], None]
D = datetime.date
LESSONS = ["拼音 a o e", "常用字 1–50", "常用字 51–100", "认识钞票和记账", "写便条和请假条",
           "读报纸标题", "常用字复习", "农时节气与识字"]  # fmt: skip
TRAININGS = ["果树嫁接与修剪", "生猪科学养殖", "电商开网店入门", "家政服务技能"]


def _free(rows: list[LedgerRow], village: Unit, count: int) -> list[Person]:
    waiting = LedgerStatus.NOT_ENROLLED
    chosen = [r.person_id for r in rows if r.village_id == village.pk and r.status == waiting]
    chosen = chosen[:count]
    people = Person.objects.in_bulk(chosen)
    return [people[pk] for pk in chosen]


def _most_learners(rows: list[LedgerRow], town: Unit) -> list[Unit]:
    """The three villages with the most people not yet in a class: where classes open."""
    waiting = Counter(r.village_id for r in rows if r.status == LedgerStatus.NOT_ENROLLED)
    ids = [pk for pk, _ in waiting.most_common(3)]
    by_id = Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).in_bulk(ids)
    return [by_id[pk] for pk in ids]


def _class(year: SchoolYear, village: Unit, name: str, people: list[Person], office: User,
           lessons: int) -> tuple[LiteracyClass, list[ClassMember]]:  # fmt: skip
    opened = D(year.year, 10, 9)
    klass = class_open(
        school_year=year, village=village, name=name, planned_hours=120, opened_on=opened,
        venue=f"{village.name}村（居）民文化技术学校", textbook="《农民识字课本》",
        schedule="每周二、四晚 19:00–21:00",
        teachers=[TeacherInput(f"{village.name}小学赵老师", f"{village.name}小学", "13900000001")],
        user=office,
    )  # fmt: skip
    members = class_members_add(klass=klass, persons=people, joined_on=opened, user=office)
    for index in range(lessons):
        present = [m for i, m in enumerate(members) if (i + index) % 5]  # one in five absent
        session_record(klass=klass, date=opened + datetime.timedelta(days=7 * (index + 1)),
                       hours=Decimal(2), content=LESSONS[index % len(LESSONS)], present=present,
                       user=office)  # fmt: skip
    return klass, members


def _test(klass: LiteracyClass, members: list[ClassMember], day: datetime.date, office: User,
          failing: int) -> list:  # type: ignore[type-arg]  # fmt: skip
    results = [
        ResultInput(member=m, characters_known=1200 if i < failing else 1560 + 10 * i,
                    reading=True, accounts=i >= failing, writing=True)
        for i, m in enumerate(members)
    ]  # fmt: skip
    test = literacy_test_record(klass=klass, date=day, results=results, examiner="镇两基办",
                                user=office)  # fmt: skip
    return list(test.results.filter(passed=True).order_by("id"))


def demo_literacy_create(*, stdout_write: Write) -> None:
    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    years = list(SchoolYear.objects.order_by("-year")[:2])
    office = User.objects.filter(role=Role.TOWN_OFFICE, unit=town).first()
    if town is None or len(years) < 2 or office is None:
        raise RuntimeError("示范镇、两个学年或镇两基办账号尚未创建，无法生成扫盲示范数据")
    if LiteracyClass.objects.filter(town=town).exists():
        stdout_write("扫盲：示范数据已存在，跳过")
        return
    latest, previous = years
    # The year before: classes tested and closed, certificates issued.
    rows = ledger_rows(ctx=context_for(school_year=previous.year, town=town), village_ids=None)
    villages = _most_learners(rows, town)
    certificates = []
    for village in villages:
        people = _free(rows, village, 6)
        if len(people) < 2:
            continue
        klass, members = _class(previous, village, f"{village.name}扫盲班", people, office, 6)
        for result in _test(klass, members, D(previous.year + 1, 5, 20), office, failing=1):
            certificates.append(certificate_issue(result=result,
                                                  issued_on=D(previous.year + 1, 5, 28),
                                                  user=office))  # fmt: skip
        class_close(klass=klass, closed_on=D(previous.year + 1, 6, 30), user=office)
    # The next September's register says 脱盲 for them, as the villages would record it.
    for certificate in certificates:
        record = PersonRecord.objects.filter(person=certificate.person, school_year=latest).first()
        if record is not None and record.education_level != EducationLevel.LITERATE_AGAIN:
            person_record_update(record=record, changes={"education_level": "脱盲"},
                                 expected_version=record.version, user=office,
                                 summary=f"{certificate.person.name} 文化程度：脱盲")  # fmt: skip
    # The latest year: re-tests a year on (one relapse), a tested class, a learning class.
    retested = relapsed = 0
    for index, certificate in enumerate(certificates):
        if not PersonRecord.objects.filter(person=certificate.person, school_year=latest).exists():
            continue
        fails = index == 0
        retest_record(certificate=certificate, date=D(latest.year + 1, 6, 10),
                      characters_known=900 if fails else 1620, reading=not fails,
                      accounts=not fails, writing=True, user=office)  # fmt: skip
        retested, relapsed = retested + 1, relapsed + fails
    rows = ledger_rows(ctx=context_for(school_year=latest.year, town=town), village_ids=None)
    villages = _most_learners(rows, town)
    issued = len(certificates)
    for number, village in enumerate(villages):
        people = _free(rows, village, 5)
        if len(people) < 2:
            continue
        lessons = 8 if number == 0 else 3
        klass, members = _class(latest, village, f"{village.name}扫盲班（{latest.year}）", people,
                                office, lessons)  # fmt: skip
        if number == 0:
            passed = _test(klass, members, D(latest.year + 1, 6, 5), office, failing=1)
            for result in passed[:-1]:  # the last one waits for its certificate
                certificate_issue(result=result, issued_on=D(latest.year + 1, 6, 12), user=office)
                issued += 1
    for index, village in enumerate(villages):
        training_record(school_year=latest, village=village, topic=TRAININGS[index % 4],
                        date=D(latest.year, 11, 5 + index), hours=Decimal(3),
                        participants=20 + 3 * index, user=office)  # fmt: skip
    stdout_write(
        f"扫盲：{LiteracyClass.objects.filter(town=town).count()} 个扫盲班，"
        f"脱盲证书 {issued} 张，复查 {retested} 人（复盲 {relapsed} 人）"
    )
