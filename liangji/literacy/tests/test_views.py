"""The literacy pages: a class walked through by the town office, scope, exports audited."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from liangji.audit.models import AuditAction, AuditEntry
from liangji.literacy.models import Certificate, ClassSession, LiteracyClass, TestResult

D = datetime.date


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_a_class_walked_through_its_pages(cast):
    alice = _client(cast.alice)
    response = alice.post(reverse("literacy:class_new"), {
        "village": cast.village.pk, "name": "富林村扫盲一班", "venue_kind": "文化技术学校",
        "venue": "村委会", "textbook": "《扫盲识字课本》", "schedule": "每周二晚",
        "planned_hours": "120", "opened_on": "2023-10-08", "teacher_name": "赵老师",
        "teacher_unit": "富林小学", "teacher_phone": "13800000001",
    })  # fmt: skip
    klass = LiteracyClass.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/classes/{klass.pk}/")
    page = alice.get(reverse("literacy:class_detail", args=[klass.pk]))
    assert "王秀英" in page.content.decode()  # offered from the ledger
    learners = [cast.wang.person.pk, cast.li.person.pk]
    alice.post(reverse("literacy:class_members", args=[klass.pk]),
               {"persons": learners, "joined_on": "2023-10-08"})  # fmt: skip
    wang, li = klass.members.order_by("id")
    for day in ("2023-10-10", "2023-10-12"):
        roll_call = {"date": day, "hours": "2", "content": "常用字", "present": [wang.pk, li.pk]}
        alice.post(reverse("literacy:session_new", args=[klass.pk]), roll_call)
    assert ClassSession.objects.count() == 2
    alice.post(reverse("literacy:test_new", args=[klass.pk]), {
        "date": "2024-06-01", f"chars_{wang.pk}": "1520", f"reading_{wang.pk}": "on",
        f"accounts_{wang.pk}": "on", f"writing_{wang.pk}": "on", f"chars_{li.pk}": "700",
    })  # fmt: skip
    passed = TestResult.objects.get(member=wang)
    assert passed.passed and not TestResult.objects.get(member=li).passed
    response = alice.post(reverse("literacy:certificate_issue", args=[passed.pk]),
                          {"issued_on": "2024-06-05"}, follow=True)  # fmt: skip
    assert "已发放脱盲证书 汉源镇脱盲〔2024〕第0001号" in "".join(_messages(response))
    cast.wang.refresh_from_db()
    assert cast.wang.education_level == "脱盲"
    ledger = alice.get(reverse("literacy:ledger")).content.decode()
    assert "汉源镇脱盲〔2024〕第0001号" in ledger


def test_a_village_cadre_sees_and_records_her_own_village_only(cast, klass, members):
    wendy = _client(cast.wendy)
    assert wendy.get(reverse("literacy:class_detail", args=[klass.pk])).status_code == 404
    response = wendy.post(reverse("literacy:session_new", args=[klass.pk]),
                          {"date": "2023-10-10", "hours": "2", "content": "拼音"})  # fmt: skip
    assert response.status_code == 404 and not ClassSession.objects.exists()
    assert "王秀英" not in wendy.get(reverse("literacy:ledger")).content.decode()
    victor = _client(cast.victor)
    assert victor.get(reverse("literacy:class_detail", args=[klass.pk])).status_code == 200
    # The certificate is issued in the town government's name: not by a village.
    assert victor.post(reverse("literacy:certificate_issue", args=[1])).status_code == 403


def test_the_ledger_exports_the_roster_as_text_and_the_export_is_audited(cast):
    cast.wang.person.name = '=HYPERLINK("http://x","点我")'
    cast.wang.person.save()
    response = _client(cast.alice).get(reverse("literacy:ledger") + "?format=xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_name("扫盲对象花名册").to_python()
    assert rows[1][:4] == ["序号", "村（社区）", "户号", "姓名"]
    assert rows[2][3] == '=HYPERLINK("http://x","点我")'
    assert (
        AuditEntry.objects.filter(action=AuditAction.EXPORT, entity="LiteracyLedger").count() == 1
    )


@pytest.mark.parametrize(
    "name",
    ["literacy:home", "literacy:ledger", "literacy:class_list", "literacy:certificate_list",
     "literacy:retest_list", "literacy:training_list", "literacy:shortfall"],
)  # fmt: skip
def test_every_list_page_renders_and_exports(cast, klass, members, name):
    alice = _client(cast.alice)
    assert alice.get(reverse(name)).status_code == 200
    if name != "literacy:home":
        export = alice.get(reverse(name) + "?format=xlsx")
        assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert not Certificate.objects.exists()
