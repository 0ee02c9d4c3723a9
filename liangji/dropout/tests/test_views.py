"""Every page as the town office (Alice), a village (Victor: 东村, Wendy: 西村) and the school
(Sam); wrong methods; another village's case is a 404. Time is frozen on 20 Oct 2024."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from liangji.audit.models import AuditEntry
from liangji.dropout.models import CaseStatus, CaseStep, DropoutCase, Notice
from liangji.dropout.services import case_open, case_step_advance, contact_set
from liangji.dropout.tests.conftest import child_register

TODAY = datetime.datetime(2024, 10, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def west_case(west, school, year, alice):
    person, enrollment = child_register(
        name="赵西西", village=west, school=school, year=year, birth=datetime.date(2013, 1, 1)
    )
    return case_open(
        school_year=year,
        source="manual",
        person=person,
        enrollment=enrollment,
        opened_on=datetime.date(2024, 10, 1),
        village_person="孙村长",
        school_person="王老师",
        user=alice,
    )


def login(client, user):
    client.force_login(user)
    return client


def test_the_case_list_shows_the_scope_and_the_overdue(client, case, west_case, alice, victor):
    page = login(client, alice).get(reverse("dropout:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "张小明" in text and "赵西西" in text
    assert "逾期" in text  # reported 8 Oct, no home visit by 11 Oct
    client.logout()
    text = login(client, victor).get(reverse("dropout:home")).content.decode()
    assert "张小明" in text and "赵西西" not in text


def test_the_case_list_needs_a_fixed_number_of_queries(
    client, case, west_case, alice, east, school, year
):
    login(client, alice).get(reverse("dropout:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dropout:home"))
    for n in range(5):
        person, enrollment = child_register(
            name=f"多{n}", village=east, school=school, year=year, birth=datetime.date(2012, 2, 2)
        )
        case_open(
            school_year=year,
            source="manual",
            person=person,
            enrollment=enrollment,
            opened_on=datetime.date(2024, 10, 2),
            village_person="李",
            school_person="王",
            user=alice,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("dropout:home"))
    assert len(many) == len(few)


def test_a_village_gets_404_for_another_villages_case(client, west_case, victor, wendy):
    assert (
        login(client, victor).get(reverse("dropout:case_detail", args=[west_case.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("dropout:case_advance", args=[west_case.pk]), {"to_step": "home_visit"}
        ).status_code
        == 404
    )
    client.logout()
    assert (
        login(client, wendy).get(reverse("dropout:case_detail", args=[west_case.pk])).status_code
        == 200
    )


def test_anonymous_users_go_to_the_login_page(client, case):
    response = client.get(reverse("dropout:case_detail", args=[case.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_wrong_methods_are_refused(client, case, alice):
    login(client, alice)
    assert client.get(reverse("dropout:case_advance", args=[case.pk])).status_code == 405
    assert client.post(reverse("dropout:home")).status_code == 405


def test_recording_advancing_and_closing_through_the_page(client, case, victor):
    login(client, victor)
    url = reverse("dropout:case_advance", args=[case.pk])
    response = client.post(
        url,
        {
            "to_step": "home_visit",
            "date": "2024-10-10",
            "actors": "李村长、王老师",
            "method": "上门",
            "said": "家长同意下周送回",
            "outcome": "待观察",
            "attachments": SimpleUploadedFile("家访照片.jpg", b"jpeg"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.step == CaseStep.HOME_VISIT
    # A leap over a rung is refused with the reason, not an error page.
    response = client.post(
        url,
        {"to_step": "return_notice", "date": "2024-10-11", "actors": "李村长", "method": "上门"},
        follow=True,
    )
    assert "下一步只能是“联合劝返”" in response.content.decode()
    # Closing as transferred without the receiving school's proof is refused.
    close = reverse("dropout:case_close", args=[case.pk])
    response = client.post(
        close,
        {"resolution": "转学", "resolved_on": "2024-10-15", "resolution_school": "河镇小学"},
        follow=True,
    )
    assert "证明材料" in response.content.decode()
    client.post(
        close,
        {
            "resolution": "转学",
            "resolved_on": "2024-10-15",
            "resolution_school": "河镇小学",
            "attachments": SimpleUploadedFile("接收证明.pdf", b"%PDF"),
        },
    )
    case.refresh_from_db()
    assert (case.status, case.resolution) == (CaseStatus.CLOSED, "转学")
    page = client.get(reverse("dropout:case_detail", args=[case.pk])).content.decode()
    assert "家访照片.jpg" in page and "接收证明.pdf" in page


def test_a_school_reports_an_absence_that_becomes_a_case(client, xiaoming, sam, east, alice):
    _, enrollment = xiaoming
    login(client, sam)
    assert client.get(reverse("dropout:absence_new")).status_code == 200
    form = {
        "enrollment": enrollment.pk,
        "absent_since": "2024-10-08",
        "reported_on": "2024-10-18",
        "reason": "学习困难",
        "school_person": "王老师",
        "guardian_name": "张大山",
        "guardian_relation": "父亲",
    }
    # 东村 has no 村长 on file yet: nothing is written and the page says what is missing.
    refused = client.post(reverse("dropout:absence_new"), form)
    assert "村（社区）责任人" in refused.content.decode()
    assert not DropoutCase.objects.exists()
    contact_set(unit=east, role="村长", name="李村长", phone="139", user=alice)
    response = client.post(reverse("dropout:absence_new"), form)
    case = DropoutCase.objects.get(enrollment=enrollment)
    assert response["Location"] == reverse("dropout:case_detail", args=[case.pk])
    assert (case.kind, case.village_person, case.school_person) == ("疑似辍学", "李村长", "王老师")
    assert [g.name for g in case.guardians.all()] == ["张大山"]


def test_notices_download_as_pdf_and_word_and_are_audited(client, case, victor, alice):
    day = datetime.date(2024, 10, 8)
    for offset, step in enumerate(
        [CaseStep.HOME_VISIT, CaseStep.PERSUASION, CaseStep.WRITTEN_REPORT, CaseStep.RETURN_NOTICE],
        start=1,
    ):
        case_step_advance(
            case=case,
            to_step=step,
            date=day + datetime.timedelta(days=offset),
            actors="王老师",
            user=alice,
        )
    notice = Notice.objects.get(case=case)
    login(client, victor)
    pdf = client.get(reverse("dropout:notice_download", args=[notice.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("dropout:notice_download", args=[notice.pk, "docx"]))
    assert docx.status_code == 200
    assert AuditEntry.objects.filter(action="export", entity="Notice").count() == 2


def test_ledgers_and_reports_render_and_export(client, case, alice, xiaoming, east, school, year):
    child_register(
        name="钱失学",
        village=east,
        school=school,
        year=year,
        birth=datetime.date(2015, 6, 1),
        status="辍学",
        status_date=datetime.date(2024, 9, 10),
    )
    login(client, alice)
    page = client.get(reverse("dropout:ledger", args=["age"])).content.decode()
    assert "钱失学" in page and "立案" in page
    export = client.get(reverse("dropout:ledger", args=["age"]) + "?format=xlsx")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[1][:2] == ["村（社区）", "姓名"]
    assert sorted((r[1], r[5]) for r in rows[2:]) == [("张小明", "在校就读"), ("钱失学", "辍学")]
    for kind in ("suspected", "dropped"):
        assert client.get(reverse("dropout:ledger", args=[kind])).status_code == 200
        assert (
            client.get(reverse("dropout:ledger", args=[kind]) + "?format=xlsx").status_code == 200
        )
    assert client.get(reverse("dropout:ledger", args=["nonsense"])).status_code == 404
    review = client.get(reverse("dropout:review")).content.decode()
    assert "张小明" in review and "8—30天" in review
    assert client.get(reverse("dropout:review") + "?format=xlsx").status_code == 200
    monthly = client.get(reverse("dropout:monthly"), {"school": school.pk, "month": "2024-10"})
    assert "月末未销号" in monthly.content.decode()
    exported = client.get(
        reverse("dropout:monthly"), {"school": school.pk, "month": "2024-10", "format": "xlsx"}
    )
    assert exported.status_code == 200
    assert AuditEntry.objects.filter(action="export").count() == 5


def test_contacts_are_named_per_unit(client, victor, east, west):
    login(client, victor)
    response = client.post(
        reverse("dropout:contacts"),
        {"unit": east.pk, "role": "村长", "name": "李村长", "phone": "139"},
    )
    assert response.status_code == 302
    assert "李村长" in client.get(reverse("dropout:contacts")).content.decode()
    assert (
        client.post(
            reverse("dropout:contacts"), {"unit": west.pk, "role": "村长", "name": "冒名"}
        ).status_code
        == 404
    )


def test_the_town_office_runs_the_daily_check_from_the_page(client, case, alice, victor):
    # Frozen on 20 Oct: absent since 30 Sept is 20 days, not yet a dropout.
    login(client, victor)
    assert client.post(reverse("dropout:escalate")).status_code == 404
    client.logout()
    response = login(client, alice).post(reverse("dropout:escalate"), follow=True)
    assert "0 个疑似辍学个案逾期未返校" in response.content.decode()
    case.refresh_from_db()
    assert case.kind == "疑似辍学"


def test_the_ledger_page_needs_a_fixed_number_of_queries(
    client, xiaoming, alice, east, school, year
):
    login(client, alice).get(reverse("dropout:ledger", args=["age"]))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dropout:ledger", args=["age"]))
    for n in range(6):
        child_register(
            name=f"童{n}",
            village=east,
            school=school,
            year=year,
            birth=datetime.date(2012, 4, 1 + n),
            status="辍学" if n % 2 else "在读",
            status_date=datetime.date(2024, 9, 20) if n % 2 else None,
        )
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("dropout:ledger", args=["age"]))
    assert "童5" in page.content.decode()
    assert len(many) == len(few)


def test_the_county_inspector_reads_but_does_not_write(client, case, town, alice):
    from liangji.accounts.models import Role, User

    inspector = User.objects.create_user(
        username="ivan", password="x" * 12, role=Role.INSPECTOR, unit=town.parent
    )
    login(client, inspector)
    assert "张小明" in client.get(reverse("dropout:home")).content.decode()
    assert client.get(reverse("dropout:case_detail", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("dropout:case_advance", args=[case.pk]),
        {"to_step": "home_visit", "date": "2024-10-10", "actors": "督导"},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.step == CaseStep.REPORTED


def test_a_user_without_a_unit_sees_no_case(client, case):
    from liangji.accounts.models import Role, User

    stray = User.objects.create_user(username="stray", password="x" * 12, role=Role.ADMIN)
    login(client, stray)
    assert client.get(reverse("dropout:home")).status_code == 403
    assert client.get(reverse("dropout:case_detail", args=[case.pk])).status_code == 403


def test_an_attachment_a_browser_could_run_is_refused(client, case, alice):
    login(client, alice)
    response = client.post(
        reverse("dropout:case_attempt", args=[case.pk]),
        {
            "date": "2024-10-10",
            "actors": "王老师",
            "method": "上门",
            "attachments": SimpleUploadedFile("page.html", b"<script>alert(1)</script>"),
        },
        follow=True,
    )
    assert "类型不支持" in response.content.decode()
    assert not case.attachments.exists()


def test_the_dashboard_shows_the_users_overdue_cases(client, case, alice, wendy):
    # Frozen on 20 Oct: 张小明 was reported on 8 Oct and not visited by 11 Oct.
    page = login(client, alice).get(reverse("web:dashboard")).content.decode()
    assert "控辍保学：逾期未处理的个案" in page
    client.logout()
    page = login(client, wendy).get(reverse("web:dashboard")).content.decode()
    assert "控辍保学：逾期未处理的个案" not in page
