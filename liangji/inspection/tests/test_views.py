"""The pages: each answers its owner, refuses outsiders (404 for another unit's rows, 403 for
a role that may not act) and wrong HTTP methods, and writes through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liangji.accounts.models import Role, User
from liangji.audit.models import AuditEntry
from liangji.inspection.choices import RectificationStatus
from liangji.inspection.dashboard import overdue
from liangji.inspection.models import (
    Evidence,
    PlanTask,
    Rectification,
    SchoolBuilding,
    SelfCheck,
    StandardItem,
    WorkPlan,
)
from liangji.inspection.services.agreements import agreement_sign
from liangji.inspection.services.conditions import building_save
from liangji.inspection.services.plan import plan_create_from_template, plan_task_create
from liangji.inspection.services.rectification import rectification_submit
from liangji.inspection.services.self_checks import self_check_create, self_check_result_set
from liangji.inspection.tests.conftest import DAY
from liangji.registers.choices import UnitKind
from liangji.registers.models import Unit


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def checks(cast):
    """A self-check of each school: Pat's (青石小学) and Quinn's (青石中学)."""
    return {
        school.name: self_check_create(
            unit=school, school_year=cast.year, checked_on=DAY, user=None
        )
        for school in (cast.primary, cast.junior)
    }


def test_a_school_user_sees_only_its_own_self_checks(cast, checks):
    page = _client(cast.pat).get(reverse("inspection:self_check_list"))

    assert page.status_code == 200
    assert [c.unit.name for c in page.context["checks"]] == ["青石小学"]


def test_a_school_user_gets_404_for_another_schools_self_check(cast, checks):
    pat = _client(cast.pat)
    theirs = checks["青石中学"]

    assert (
        pat.get(reverse("inspection:self_check_detail", args=[checks["青石小学"].pk])).status_code
        == 200
    )
    assert pat.get(reverse("inspection:self_check_detail", args=[theirs.pk])).status_code == 404
    assert pat.get(reverse("inspection:self_check_report", args=[theirs.pk])).status_code == 404
    p11 = StandardItem.objects.get(code="P11")
    response = pat.post(
        reverse("inspection:self_check_result", args=[theirs.pk, p11.pk]),
        {"result": "达标", "comment": ""},
    )
    assert response.status_code == 404
    assert not theirs.results.filter(item=p11).exists()


def test_the_town_office_sees_every_self_check(cast, checks):
    page = _client(cast.olivia).get(reverse("inspection:self_check_list"))

    assert sorted(c.unit.name for c in page.context["checks"]) == ["青石中学", "青石小学"]


def test_a_school_records_a_failed_item_and_a_rectification_follows(cast, checks):
    mine = checks["青石小学"]
    q01 = StandardItem.objects.get(code="Q01")
    response = _client(cast.pat).post(
        reverse("inspection:self_check_result", args=[mine.pk, q01.pk]),
        {"result": "未达标", "comment": "音乐课未开足"},
    )

    assert response.status_code == 302
    task = Rectification.objects.get(self_check_result__item=q01)
    assert (task.unit, task.status) == (cast.primary, RectificationStatus.OPEN)
    assert AuditEntry.objects.filter(entity="SelfCheckResult", user=cast.pat).exists()


def test_a_refused_rule_is_a_message_not_an_error_page(cast, checks):
    response = _client(cast.pat).post(
        reverse("inspection:self_check_submit", args=[checks["青石小学"].pk]),
        {"summary": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert "个检查项目没有结果" in response.content.decode()
    assert SelfCheck.objects.get(pk=checks["青石小学"].pk).status == "填写中"


def test_only_the_town_office_creates_the_plan(cast):
    url = reverse("inspection:plan")

    assert _client(cast.pat).post(url, {"year_of_plan": 2025}).status_code == 403
    assert _client(cast.olivia).post(url, {"year_of_plan": 2025}).status_code == 302
    assert WorkPlan.objects.get().year_of_plan == 2025

    page = _client(cast.olivia).get(url)
    assert page.status_code == 200
    assert page.context["timeline"]["rows"][0] == {
        "label": "1. 宣传发动",
        "start": "2025-03-01",
        "end": "2025-04-30",
        "kind": "phase",
        "percent": None,
        "overdue": False,
    }
    html = page.content.decode()
    assert 'id="plan-timeline-data"' in html and "inspection/timeline.js" in html
    assert "<script>" not in html  # the CSP allows no inline script


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "plan",
        "organisation",
        "standard",
        "conditions",
        "self_check_list",
        "visit_list",
        "rectification_list",
        "applications",
        "agreements",
        "readiness",
    ],
)
def test_every_page_answers_the_office_and_a_school(cast, name):
    for user in (cast.olivia, cast.pat):
        assert _client(user).get(reverse(f"inspection:{name}")).status_code == 200


def test_pages_refuse_anonymous_users_and_wrong_methods(cast):
    assert Client().get(reverse("inspection:readiness")).status_code == 302  # to the login
    assert _client(cast.olivia).delete(reverse("inspection:readiness")).status_code == 405
    assert _client(cast.olivia).get(reverse("inspection:building_add")).status_code == 405


def test_the_readiness_page_shows_the_veto_first(clean_town):

    building_save(
        school=clean_town.primary,
        name="旧平房",
        area=Decimal("180.0"),
        safety_grade="D",
        in_use=True,
        user=None,
    )

    html = _client(clean_town.olivia).get(reverse("inspection:readiness")).content.decode()

    assert "【一票否决】无D级危房在用：D级危房「旧平房」（180.0㎡）仍在使用" in html


def test_the_rectification_list_runs_a_fixed_number_of_queries(
    cast, checks, django_assert_max_num_queries
):

    for code in ["Q01", "Q02", "Q03", "Q04"]:
        self_check_result_set(
            self_check=checks["青石小学"],
            item=StandardItem.objects.get(code=code),
            result="未达标",
            comment="未开足",
            user=None,
        )
    client = _client(cast.olivia)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("inspection:rectification_list"))
    # The four failed items, and T01 of each school (no teachers on file) judged automatically.
    assert len(page.context["tasks"]) == 6


def test_a_village_cannot_verify_a_rectification(cast, checks):

    result = self_check_result_set(
        self_check=checks["青石小学"],
        item=StandardItem.objects.get(code="Q01"),
        result="未达标",
        comment="未开足",
        user=None,
    )
    rectification_submit(
        rectification=result.rectification, measure="补开", evidence_note="课表", user=None
    )
    url = reverse("inspection:rectification_verify", args=[result.rectification.pk])

    assert _client(cast.pat).post(url, {"comment": ""}).status_code == 403
    assert _client(cast.olivia).post(url, {"comment": "已核实"}).status_code == 302
    result.rectification.refresh_from_db()
    assert result.rectification.status == RectificationStatus.CLOSED
    assert result.rectification.review_comment == "已核实"


def test_the_dashboard_lists_overdue_rectifications_of_the_users_scope(cast, checks):

    # T01 of each school was judged failed on 20 April 2025, due 20 May 2025: overdue since.
    office = overdue(user=cast.olivia, school_year=cast.year)
    school = overdue(user=cast.pat, school_year=cast.year)

    assert [(i.label, i.count) for i in office] == [("迎检准备：超期未销号的整改任务", 2)]
    assert [(i.label, i.count) for i in school] == [("迎检准备：超期未销号的整改任务", 1)]


def test_evidence_is_uploaded_and_downloaded_only_within_scope(cast, checks):

    mine = checks["青石小学"]
    c01 = StandardItem.objects.get(code="C01")
    upload = SimpleUploadedFile("鉴定报告.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    pat = _client(cast.pat)

    response = pat.post(
        reverse("inspection:self_check_evidence", args=[mine.pk, c01.pk]),
        {"title": "校舍安全鉴定报告", "file": upload},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.self_check_result is not None and evidence.self_check_result.item == c01
    download = pat.get(reverse("inspection:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download.getvalue() == b"%PDF-1.4 test"
    assert AuditEntry.objects.filter(entity="Evidence", action="export", user=cast.pat).exists()
    quinn = _client(cast.quinn)
    assert quinn.get(reverse("inspection:evidence_download", args=[evidence.pk])).status_code == 404


def test_a_county_inspector_picks_a_town_of_the_county_and_no_other(cast):

    county = cast.town.parent
    Unit.objects.create(kind=UnitKind.TOWN, name="白水镇", parent=county)
    elsewhere = Unit.objects.create(kind=UnitKind.TOWN, name="外县镇")
    ian = User.objects.create_user(
        username="ian", password="x" * 12, role=Role.INSPECTOR, unit=county
    )
    client = _client(ian)

    page = client.get(reverse("inspection:readiness"), {"town": cast.town.pk})
    assert page.context["town"] == cast.town
    assert 'id="town-select"' in page.content.decode()
    # The choice holds on the next page without ?town=.
    assert client.get(reverse("inspection:home")).context["town"] == cast.town
    assert client.get(reverse("inspection:readiness"), {"town": elsewhere.pk}).status_code == 404


def test_the_office_edits_the_standard_and_a_school_may_not(cast):
    item = StandardItem.objects.get(code="Q03")
    url = reverse("inspection:standard_item_edit", args=[item.pk])
    data = {
        "name": "学业质量", "requirement": "学业成绩合格率达到90%", "judged_by": "自查",
        "indicator_codes": "", "evidence": "质量监测成绩", "applies_to_school": "on",
        "active": "on",
    }  # fmt: skip

    assert _client(cast.pat).post(url, data).status_code == 403
    assert _client(cast.olivia).post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.requirement == "学业成绩合格率达到90%"
    assert AuditEntry.objects.filter(entity="StandardItem", user=cast.olivia).exists()


def test_a_village_updates_the_progress_of_its_own_task_only(cast):

    plan = plan_create_from_template(town=cast.town, school_year=cast.year, year_of_plan=2025)
    own = plan_task_create(
        phase=plan.phases.get(order=2), title="东村更新文化户口册", owner_unit=cast.village,
        owner_person="村主任", starts_on=DAY, deadline=DAY, user=None,
    )  # fmt: skip
    towns_task = PlanTask.objects.get(phase__order=1, order=1)
    victor = _client(cast.victor)

    response = victor.post(
        reverse("inspection:task_edit", args=[own.pk]), {"status": "进行中", "percent": 50}
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.percent) == ("进行中", 50)
    assert victor.get(reverse("inspection:task_edit", args=[towns_task.pk])).status_code == 404


def test_the_office_adds_a_task_to_a_phase_and_takes_a_d_building_out_of_use(cast):

    plan = plan_create_from_template(town=cast.town, school_year=cast.year, year_of_plan=2025)
    phase = plan.phases.get(order=3)
    olivia = _client(cast.olivia)
    response = olivia.post(
        reverse("inspection:task_add", args=[phase.pk]),
        {"title": "青石小学旧平房停用", "owner_unit": cast.primary.pk, "owner_person": "校长",
         "starts_on": "2025-06-01", "deadline": "2025-06-15"},
    )  # fmt: skip
    assert response.status_code == 302
    assert PlanTask.objects.get(title="青石小学旧平房停用").phase == phase
    assert (
        _client(cast.pat).post(reverse("inspection:task_add", args=[phase.pk]), {}).status_code
        == 403
    )

    building = building_save(school=cast.primary, name="旧平房", area=Decimal("180.0"),
                             safety_grade="D", in_use=True, user=None)  # fmt: skip
    response = _client(cast.pat).post(
        reverse("inspection:building_update", args=[building.pk]), {"safety_grade": "D"}
    )
    assert response.status_code == 302
    assert SchoolBuilding.objects.get(pk=building.pk).in_use is False
    quinn = _client(cast.quinn)
    assert quinn.post(reverse("inspection:building_update", args=[building.pk]),
                      {"safety_grade": "A", "in_use": "on"}).status_code == 404  # fmt: skip


def test_the_readiness_page_runs_as_many_queries_for_nine_units_as_for_three(cast):
    client = _client(cast.olivia)
    url = reverse("inspection:readiness")
    client.get(url)  # warm the session and the school-year lookup
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(3):
        Unit.objects.create(kind=UnitKind.VILLAGE, name=f"新村{number}", parent=cast.town)
        school = Unit.objects.create(
            kind=UnitKind.PRIMARY, name=f"新小学{number}", parent=cast.town
        )
        building_save(school=school, name="教学楼", area=Decimal("500.0"), safety_grade="D",
                      in_use=True, user=None)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)

    assert len(page.context["result"].units) == 9
    assert len(many) == len(few)


def test_the_agreements_page_names_the_indicators_in_chinese(cast):
    agreement_sign(
        unit=cast.village, school_year=cast.year, signed_on=DAY, town_signatory="王建国",
        unit_signatory="东村主任", indicator_codes=["primary_enrollment", "literacy_15_50"],
        tasks="", user=None,
    )  # fmt: skip

    html = _client(cast.victor).get(reverse("inspection:agreements")).content.decode()

    assert "小学适龄儿童入学率、15–50周岁人口非文盲率" in html
    assert "primary_enrollment" not in html


def test_the_office_re_dates_a_phase_and_adds_a_standard_item(cast):
    plan = plan_create_from_template(town=cast.town, school_year=cast.year, year_of_plan=2025)
    phase = plan.phases.get(order=1)
    olivia = _client(cast.olivia)

    response = olivia.post(
        reverse("inspection:phase_edit", args=[phase.pk]),
        {"name": "宣传发动", "starts_on": "2025-02-20", "ends_on": "2025-04-30"},
    )
    assert response.status_code == 302
    phase.refresh_from_db()
    assert str(phase.starts_on) == "2025-02-20"
    refused = olivia.post(
        reverse("inspection:phase_edit", args=[phase.pk]),
        {"name": "宣传发动", "starts_on": "2025-05-01", "ends_on": "2025-04-30"},
    )
    assert "阶段的开始日期晚于结束日期" in refused.content.decode()

    aspect = StandardItem.objects.get(code="Q01").aspect
    response = olivia.post(
        reverse("inspection:standard_item_add"),
        {"aspect": aspect.pk, "code": "Q06", "name": "课后服务", "requirement": "开展课后服务",
         "judged_by": "自查", "indicator_codes": "", "evidence": "课后服务安排",
         "applies_to_school": "on", "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    added = StandardItem.objects.get(code="Q06")
    assert (added.aspect, added.order) == (aspect, 6)
    assert _client(cast.pat).get(reverse("inspection:standard_item_add")).status_code == 403
