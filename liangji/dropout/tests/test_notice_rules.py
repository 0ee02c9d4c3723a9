"""The notices by the law and GB/T 9704-2012: the 限期 notice only after the 劝返 notice's
period, a text that fits the child (失学: enrolment), the issuer's own 代字 and a 发文字号
series in date order per issuer and year."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liangji.audit.models import AuditEntry
from liangji.dropout.exports import notice_export
from liangji.dropout.models import CaseKind, CaseStep, MonthlySubmission, Notice, NoticeService
from liangji.dropout.notices import notice_text
from liangji.dropout.services import case_open, case_step_advance, notice_service_record
from liangji.dropout.tests.conftest import child_register
from liangji.dropout.workflow import DropoutError
from liangji.registers.choices import Sex, UnitKind
from liangji.registers.models import Household, Person, PersonRecord, Unit
from liangji.registers.tests.pdfs import pdf_text

RUNGS = [CaseStep.HOME_VISIT, CaseStep.PERSUASION, CaseStep.WRITTEN_REPORT]


def _climb(case, user, *, notice_on=datetime.date(2024, 10, 12)):
    for step, day in zip(RUNGS, [9, 10, 11], strict=True):
        case = case_step_advance(
            case=case, to_step=step, date=datetime.date(2024, 10, day), actors="李村长", user=user
        )
    return case_step_advance(
        case=case, to_step=CaseStep.RETURN_NOTICE, date=notice_on, actors="李村长", user=user
    )


def _resident(name, village, year, birth):
    """A child of the village on no school's roll."""
    person = Person.objects.create(name=name, sex=Sex.FEMALE, birth_date=birth)
    household = Household.objects.create(village=village, number=f"{name}户")
    PersonRecord.objects.create(
        person=person, school_year=year, household=household, village=village
    )
    return person


def _deadline(case, user, day):
    return case_step_advance(
        case=case, to_step=CaseStep.DEADLINE_NOTICE, date=day, actors="李村长", user=user
    )


def test_the_deadline_notice_waits_for_the_return_notices_period(case, alice):
    case = _climb(case, alice)  # the 劝返 notice gives until 27 October
    with pytest.raises(DropoutError, match="期限届满后才能发出限期返校通知书，最早2024年10月28日"):
        _deadline(case, alice, datetime.date(2024, 10, 27))
    case.refresh_from_db()
    assert case.step == CaseStep.RETURN_NOTICE
    assert not Notice.objects.filter(kind="deadline").exists()

    _deadline(case, alice, datetime.date(2024, 10, 28))
    assert Notice.objects.get(kind="deadline").number == "汉镇政〔2024〕1号"


@pytest.fixture
def never_enrolled(town, east, year, alice):
    person = _resident("钱未入", east, year, datetime.date(2016, 2, 3))
    return case_open(
        school_year=year,
        source="reconciliation",
        kind=CaseKind.NEVER_ENROLLED,
        person=person,
        opened_on=datetime.date(2024, 10, 8),
        village_person="李村长",
        school_person="汉镇中心校王校长",
        user=alice,
    )


def test_a_child_who_never_enrolled_gets_an_enrolment_notice_from_the_town(never_enrolled, alice):
    case = _climb(never_enrolled, alice)
    notice = Notice.objects.get(case=case)
    text = notice_text(notice)

    assert (notice.issuer, notice.number) == ("汉镇人民政府", "汉镇政〔2024〕1号")
    assert text.title == "督促入学通知书"
    body = "".join(text.paragraphs)
    assert "系" not in body.split("。")[0]  # no school is named, none invented
    assert "学校学生" not in body and "中心学校" not in body
    assert "至今未入学接受义务教育" in body
    assert "到就近学校办理入学手续" in body
    assert text.signature == "汉镇人民政府"
    pdf = pdf_text(notice_export(user=alice, notice=notice, fmt="pdf").content)
    assert "督促入学通知书" in pdf and "2024年10月12日" in pdf


def test_a_dropout_without_a_school_is_never_called_a_pupil_of_a_school(town, east, year, alice):
    person = _resident("孙无校", east, year, datetime.date(2012, 2, 3))
    case = case_open(
        school_year=year,
        source="manual",
        kind=CaseKind.DROPPED_OUT,
        person=person,
        opened_on=datetime.date(2024, 10, 8),
        absent_since=datetime.date(2024, 9, 20),
        village_person="李村长",
        school_person="汉镇中心校王校长",
        user=alice,
    )
    case = _climb(case, alice)
    text = notice_text(Notice.objects.get(case=case))

    assert text.title == "劝返复学通知书"
    assert text.issuer == "汉镇人民政府"
    body = "".join(text.paragraphs)
    assert "系" not in body.split("。")[0] and "学校学生" not in body
    assert "自2024年9月20日起未接受义务教育" in body


def test_each_school_numbers_its_own_notices_in_date_order(case, alice, town, year, east):
    other = Unit.objects.create(kind=UnitKind.PRIMARY, name="青山中心学校", parent=town)
    person, enrollment = child_register(
        name="周二", village=east, school=other, year=year, birth=datetime.date(2013, 1, 1)
    )
    second = case_open(
        school_year=year,
        source="manual",
        person=person,
        enrollment=enrollment,
        opened_on=datetime.date(2024, 10, 8),
        village_person="李村长",
        school_person="赵校长",
        user=alice,
    )
    _climb(case, alice, notice_on=datetime.date(2024, 10, 14))
    _climb(second, alice, notice_on=datetime.date(2024, 10, 12))

    numbers = dict(Notice.objects.values_list("issuer", "number"))
    assert numbers == {"汉镇小学": "汉镇小〔2024〕1号", "青山中心学校": "青山中心校〔2024〕1号"}


def test_a_notice_dated_before_the_issuers_last_one_is_refused(case, alice, east, school, year):
    person, enrollment = child_register(
        name="吴三", village=east, school=school, year=year, birth=datetime.date(2013, 1, 1)
    )
    later = case_open(
        school_year=year,
        source="manual",
        person=person,
        enrollment=enrollment,
        opened_on=datetime.date(2024, 10, 8),
        village_person="李村长",
        school_person="王老师",
        user=alice,
    )
    _climb(case, alice, notice_on=datetime.date(2024, 10, 14))
    with pytest.raises(DropoutError, match=r"汉镇小〔2024〕1号）成文于2024年10月14日"):
        _climb(later, alice, notice_on=datetime.date(2024, 10, 13))
    later.refresh_from_db()  # the rungs before the notice stay; the notice is refused
    case_step_advance(
        case=later,
        to_step=CaseStep.RETURN_NOTICE,
        date=datetime.date(2024, 10, 14),
        actors="李村长",
        user=alice,
    )
    assert Notice.objects.filter(issuer="汉镇小学").count() == 2


def test_the_proof_of_service_is_recorded_from_the_case_page(client, case, alice, wendy):
    case = _climb(case, alice)
    notice = Notice.objects.get(case=case)
    url = reverse("dropout:notice_service", args=[notice.pk])
    form = {"served_on": "2024-10-13", "method": "直接送达", "received_by": "张大山（父亲）"}

    client.force_login(wendy)  # 西村 sees nothing of 东村's cases
    scan = SimpleUploadedFile("回证.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    assert client.post(url, {**form, "scan": scan}).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 405
    script = SimpleUploadedFile("回证.html", b"<script>", content_type="text/html")
    page = client.post(url, {**form, "scan": script}, follow=True).content.decode()
    assert "未保存" in page and not NoticeService.objects.exists()
    scan = SimpleUploadedFile("回证.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    page = client.post(url, {**form, "scan": scan}, follow=True).content.decode()

    assert "已记录送达回证" in page and "签收人 张大山（父亲）" in page
    service = NoticeService.objects.get()
    assert (service.served_on, service.method) == (datetime.date(2024, 10, 13), "直接送达")
    assert service.scan.file.read() == b"%PDF-1.4 signed"
    assert AuditEntry.objects.filter(entity="NoticeService").count() == 1

    # The 限期 notice then tells when the 劝返 notice was served, not only when it was dated.
    _deadline(case, alice, datetime.date(2024, 10, 28))
    text = "".join(notice_text(Notice.objects.get(kind="deadline")).paragraphs)
    assert "汉镇小学已于2024年10月13日向你送达《劝返回校通知书》" in text


def test_a_service_before_the_notice_or_in_the_future_is_refused(case, alice):
    case = _climb(case, alice)
    notice = Notice.objects.get(case=case)
    scan = SimpleUploadedFile("回证.pdf", b"%PDF-1.4", content_type="application/pdf")
    for day, words in [
        (datetime.date(2024, 10, 11), "不能早于"),
        (datetime.date(2024, 10, 21), "不能晚于今天"),
    ]:
        with pytest.raises(DropoutError, match=words):
            notice_service_record(
                notice=notice,
                served_on=day,
                method="直接送达",
                received_by="张大山",
                scan=scan,
                today=datetime.date(2024, 10, 20),
                user=alice,
            )


def test_administrative_measures_only_after_the_deadline_notices_period(case, alice):
    case = _climb(case, alice)
    case = _deadline(case, alice, datetime.date(2024, 10, 28))  # gives until 12 November
    with pytest.raises(
        DropoutError, match="期限届满仍未返校才能依法采取行政措施，最早2024年11月13日"
    ):
        case_step_advance(
            case=case,
            to_step=CaseStep.ADMIN_MEASURES,
            date=datetime.date(2024, 11, 12),
            actors="镇政府",
            user=alice,
        )
    case_step_advance(
        case=case,
        to_step=CaseStep.ADMIN_MEASURES,
        date=datetime.date(2024, 11, 13),
        actors="镇政府",
        user=alice,
    )
    case.refresh_from_db()
    assert case.step == CaseStep.ADMIN_MEASURES


@time_machine.travel(datetime.datetime(2024, 11, 3, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_the_town_sees_which_schools_submitted_their_monthly_report(
    client, alice, sam, school, town
):
    other = Unit.objects.create(kind=UnitKind.PRIMARY, name="青山中心学校", parent=town)
    client.force_login(sam)
    url = reverse("dropout:monthly_submit")
    page = client.post(url, {"school": school.pk, "month": "2024-10"}, follow=True)
    assert "已上报汉镇小学2024年10月的月报" in page.content.decode()
    again = client.post(url, {"school": school.pk, "month": "2024-10"}, follow=True)
    assert "已于2024年11月3日上报" in again.content.decode()
    elsewhere = client.post(url, {"school": other.pk, "month": "2024-10"}, follow=True)
    assert "未上报" in elsewhere.content.decode()  # not his school: not among his choices
    future = client.post(url, {"school": school.pk, "month": "2024-12"}, follow=True)
    assert "还没到这个月份" in future.content.decode()

    client.force_login(alice)
    page = client.get(reverse("dropout:monthly"), {"school": other.pk, "month": "2024-10"})
    rows = {r.school.name: r.submitted_on for r in page.context["submissions"]}
    assert rows == {"汉镇小学": datetime.date(2024, 11, 3), "青山中心学校": None}
    assert MonthlySubmission.objects.count() == 1
    assert AuditEntry.objects.filter(entity="MonthlySubmission").count() == 1
