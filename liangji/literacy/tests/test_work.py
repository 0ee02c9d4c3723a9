"""Classes, tests, certificates and relapse: the rules of domain §4 and their effect on the
register and the indicators."""

from __future__ import annotations

import datetime
import io
import json
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from liangji.audit.models import AuditEntry
from liangji.literacy.models import Certificate, ClassMember, TestResult
from liangji.literacy.selectors import ledger_list
from liangji.literacy.services import (
    LiteracyError,
    TeacherInput,
    certificate_issue,
    class_close,
    class_members_add,
    class_teacher_add,
    literacy_test_record,
    retest_record,
    session_record,
    training_record,
)
from liangji.literacy.tests.conftest import open_class, result
from liangji.registers import testing as b
from liangji.registers.models import PersonRecord
from liangji.registers.services import SchoolYearLocked

D = datetime.date


def _level(record: PersonRecord) -> str:
    record.refresh_from_db()
    return record.education_level


def _indicators() -> dict[str, tuple[int, int]]:
    out = io.StringIO()
    call_command("indicators", "--school-year", "2023", "--format", "json", stdout=out)
    town = json.loads(out.getvalue())["units"][0]
    return {
        v["code"]: (v["numerator"], v["denominator"])
        for v in town["indicators"]
        if v["code"] in {"literacy_15_50", "illiteracy_15"}
    }


def _pass(cast, klass, members, *characters):
    test = literacy_test_record(
        klass=klass,
        date=D(2024, 6, 1),
        results=[result(m, n) for m, n in zip(members, characters, strict=True)],
        user=cast.alice,
    )
    return list(test.results.order_by("id"))


# -- classes --------------------------------------------------------------------------------
def test_a_person_is_in_one_open_class_at_a_time(cast, klass, members):
    second = open_class(cast, name="富林村扫盲二班")
    with pytest.raises(LiteracyError, match="已在另一个开班中的扫盲班"):
        class_members_add(klass=second, persons=[cast.wang.person], joined_on=D(2023, 11, 1),
                          user=cast.alice)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassMember.objects.create(klass=second, person=cast.wang.person, joined_on=D(2023, 11, 1))
    class_close(klass=klass, closed_on=D(2023, 12, 30), user=cast.alice)
    [moved] = class_members_add(klass=second, persons=[cast.wang.person],
                                joined_on=D(2024, 1, 2), user=cast.alice)  # fmt: skip
    assert moved.in_open_class


def test_only_people_of_the_ledger_join_a_class(cast, klass):
    literate = b.person(cast.village, name="刘识字", born="1985-01-01",
                        education_level="初中毕业", number="050")  # fmt: skip
    with pytest.raises(LiteracyError, match="刘识字 不是富林村本学年的扫盲对象"):
        class_members_add(klass=klass, persons=[literate.person], joined_on=D(2023, 10, 8),
                          user=cast.alice)  # fmt: skip


def test_hours_per_learner_follow_the_roll_call_and_every_write_is_audited(cast, klass, members):
    wang, li = members
    session_record(klass=klass, date=D(2023, 10, 10), hours=Decimal("2"), content="拼音",
                   present=[wang, li], user=cast.alice)  # fmt: skip
    session_record(klass=klass, date=D(2023, 10, 12), hours=Decimal("1.5"), content="常用字",
                   present=[li], user=cast.alice)  # fmt: skip
    training_record(school_year=cast.year, village=cast.village, topic="核桃嫁接技术",
                    date=D(2023, 11, 3), hours=Decimal("3"), participants=26,
                    user=cast.alice)  # fmt: skip
    class_teacher_add(klass=klass, teacher=TeacherInput("钱老师"), user=cast.alice)
    entities = list(AuditEntry.objects.order_by("id").values_list("entity", flat=True))
    assert entities == ["LiteracyClass", "ClassMember", "ClassSession", "ClassSession",
                        "TechTraining", "ClassTeacher"]  # fmt: skip


# -- tests ----------------------------------------------------------------------------------
def test_the_standard_is_1500_characters_in_a_village_and_2000_in_a_community(cast, klass, members):
    low, exact = _pass(cast, klass, members, 1499, 1500)
    assert (low.standard, low.passed, exact.passed) == (1500, False, True)
    citizen = b.person(cast.community, name="城关居民", born="1985-01-01", education_level="文盲",
                       number="060")  # fmt: skip
    urban = open_class(cast, village=cast.community, name="城关扫盲班")
    [member] = class_members_add(klass=urban, persons=[citizen.person], joined_on=D(2023, 10, 8),
                                 user=cast.alice)  # fmt: skip
    [short] = _pass(cast, urban, [member], 1999)
    assert (short.standard, short.passed) == (2000, False)


def test_characters_alone_do_not_pass_reading_accounts_and_writing_are_needed(cast, klass, members):
    test = literacy_test_record(klass=klass, date=D(2024, 6, 1),
                                results=[result(members[0], 1800, skills=False)],
                                user=cast.alice)  # fmt: skip
    assert test.results.get().passed is False


def test_the_database_refuses_a_pass_below_the_standard(cast, klass, members):
    [row] = _pass(cast, klass, members[:1], 1600)
    with pytest.raises(IntegrityError), transaction.atomic():
        TestResult.objects.filter(pk=row.pk).update(characters_known=1000)


# -- certificates move the register and the indicators --------------------------------------
def test_a_certificate_makes_the_register_say_literate_and_moves_both_indicators(cast, klass):
    fifteen = b.person(cast.village, name="少年甲", born="2008-01-01", education_level="文盲",
                       number="070")  # fmt: skip
    members = class_members_add(
        klass=klass, persons=[cast.wang.person, cast.li.person, fifteen.person],
        joined_on=D(2023, 10, 8), user=cast.alice,
    )  # fmt: skip
    before = _indicators()
    assert before == {"illiteracy_15": (1, 1), "literacy_15_50": (0, 3)}
    wang, li, young = _pass(cast, klass, members, 1500, 800, 1600)
    assert _indicators() == before  # a test alone changes nothing: the certificate does
    certificate_issue(result=wang, issued_on=D(2024, 6, 5), user=cast.alice)
    certificate_issue(result=young, issued_on=D(2024, 6, 5), user=cast.alice)
    assert _indicators() == {"illiteracy_15": (0, 1), "literacy_15_50": (2, 3)}
    assert (_level(cast.wang), _level(cast.li), _level(fifteen)) == ("脱盲", "半文盲", "脱盲")
    change = AuditEntry.objects.get(entity="PersonRecord", entity_id=str(cast.wang.pk))
    assert change.before == {"education_level": "文盲"}
    assert change.after == {"education_level": "脱盲"}
    assert "测验日期 2024-06-01" in change.summary
    with pytest.raises(LiteracyError, match="未通过"):
        certificate_issue(result=li, issued_on=D(2024, 6, 5), user=cast.alice)


def test_certificates_are_numbered_per_town_and_year(cast, klass, members):
    wang, li = _pass(cast, klass, members, 1500, 1500)
    first = certificate_issue(result=wang, issued_on=D(2024, 6, 5), user=cast.alice)
    second = certificate_issue(result=li, issued_on=D(2024, 6, 5), user=cast.alice)
    assert (first.number, second.number) == (
        "汉源镇脱盲〔2024〕第0001号",
        "汉源镇脱盲〔2024〕第0002号",
    )
    with pytest.raises(LiteracyError, match="已发过"):
        certificate_issue(result=wang, issued_on=D(2024, 6, 6), user=cast.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=second.pk).update(serial=1)


@pytest.mark.django_db(transaction=True)
def test_certificate_numbers_stay_unique_when_clerks_issue_at_the_same_moment(cast):
    klass = open_class(cast)
    people = [
        b.person(cast.village, name=f"学员{i}", born="1985-01-01", education_level="文盲",
                 number=f"1{i:02d}").person
        for i in range(6)
    ]  # fmt: skip
    members = class_members_add(klass=klass, persons=people, joined_on=D(2023, 10, 8),
                                user=cast.alice)  # fmt: skip
    results = _pass(cast, klass, members, *[1500] * 6)
    start = threading.Barrier(len(results))
    errors: list[BaseException] = []

    def issue(row: TestResult) -> None:
        try:
            start.wait()
            certificate_issue(result=row, issued_on=D(2024, 6, 5), user=None)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(row,)) for row in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(Certificate.objects.values_list("serial", flat=True)) == [1, 2, 3, 4, 5, 6]


# -- relapse --------------------------------------------------------------------------------
def test_a_failed_retest_a_year_later_is_a_relapse_back_on_the_next_years_ledger(
    cast, klass, members
):
    wang, _ = _pass(cast, klass, members, 1500, 900)
    certificate = certificate_issue(result=wang, issued_on=D(2024, 6, 5), user=cast.alice)
    record_2024 = b.person(cast.village, identity=cast.wang.person, year=2024, born="1980-03-02",
                           education_level="脱盲")  # fmt: skip
    with pytest.raises(LiteracyError, match="应在 2025-06-01 以后复查"):
        retest_record(certificate=certificate, date=D(2025, 5, 31), characters_known=1600,
                      reading=True, accounts=True, writing=True, user=cast.alice)  # fmt: skip
    retest = retest_record(certificate=certificate, date=D(2025, 6, 2), characters_known=1200,
                           reading=True, accounts=False, writing=True, user=cast.alice)  # fmt: skip
    assert retest.passed is False and retest.school_year.year == 2024
    assert _level(record_2024) == "半文盲"
    assert _level(cast.wang) == "脱盲"  # the year of the pass keeps its figure
    rows = ledger_list(user=cast.alice, school_year=2024, town=cast.town)
    assert [(r.name, r.status) for r in rows] == [("王秀英", "relapsed")]


# -- locked years ---------------------------------------------------------------------------
def test_a_locked_school_year_refuses_every_write(cast, klass, members):
    wang, _li = _pass(cast, klass, members, 1500, 1500)
    cast.year.locked = True
    cast.year.save()
    writes = [
        lambda: open_class(cast, name="锁定后开班"),
        lambda: class_teacher_add(klass=klass, teacher=TeacherInput("孙老师"), user=cast.alice),
        lambda: class_members_add(klass=klass, persons=[], joined_on=D(2023, 10, 9),
                                  user=cast.alice),
        lambda: session_record(klass=klass, date=D(2023, 10, 10), hours=Decimal(2),
                               content="拼音", present=[], user=cast.alice),
        lambda: literacy_test_record(klass=klass, date=D(2024, 6, 2),
                                     results=[result(members[0], 1500)], user=cast.alice),
        lambda: certificate_issue(result=wang, issued_on=D(2024, 6, 5), user=cast.alice),
        lambda: class_close(klass=klass, closed_on=D(2024, 6, 30), user=cast.alice),
        lambda: training_record(school_year=cast.year, village=cast.village, topic="养殖",
                                date=D(2023, 11, 3), hours=Decimal(2), participants=3,
                                user=cast.alice),
    ]  # fmt: skip
    for write in writes:
        with pytest.raises(SchoolYearLocked):
            write()
    assert not Certificate.objects.exists()
    assert _level(cast.wang) == "文盲"


def test_a_retest_in_a_locked_year_is_refused_and_the_register_kept(cast, klass, members):
    wang, _ = _pass(cast, klass, members, 1500, 900)
    certificate = certificate_issue(result=wang, issued_on=D(2024, 6, 5), user=cast.alice)
    record_2024 = b.person(cast.village, identity=cast.wang.person, year=2024, born="1980-03-02",
                           education_level="脱盲")  # fmt: skip
    record_2024.school_year.locked = True
    record_2024.school_year.save()
    with pytest.raises(SchoolYearLocked):
        retest_record(certificate=certificate, date=D(2025, 6, 2), characters_known=100,
                      reading=False, accounts=False, writing=False, user=cast.alice)  # fmt: skip
    assert _level(record_2024) == "脱盲"
