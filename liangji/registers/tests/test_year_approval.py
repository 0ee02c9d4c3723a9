"""Approving a school year: villages and schools submit, the office approves and locks."""

from __future__ import annotations

import pytest
from django.test import Client

from liangji.accounts.testing import Cast
from liangji.audit.models import AuditAction, AuditEntry
from liangji.registers.models import SchoolYear, SubmissionState, YearSubmission
from liangji.registers.tests.register import Register, register_create


@pytest.fixture
def register(cast: Cast) -> Register:
    return register_create(cast)


def test_a_village_submits_and_the_office_approves(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.vera)
    client.post("/years/submit/", {"note": "已核对"})
    assert YearSubmission.objects.get(unit=cast.east).state == SubmissionState.SUBMITTED
    client.force_login(cast.alice)
    client.post(f"/years/review/{cast.east.pk}/", {"decision": "approve"})
    assert YearSubmission.objects.get(unit=cast.east).state == SubmissionState.APPROVED
    assert "审核通过" in client.get("/years/").content.decode()


def test_returning_a_submission_needs_a_reason(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.sam)
    client.post("/years/submit/")
    client.force_login(cast.alice)
    response = client.post(f"/years/review/{cast.primary.pk}/", {"decision": "return"}, follow=True)
    assert "退回时请写明需要修改的内容" in response.content.decode()
    client.post(f"/years/review/{cast.primary.pk}/", {"decision": "return", "note": "缺三年级"})
    assert YearSubmission.objects.get(unit=cast.primary).state == SubmissionState.RETURNED
    client.force_login(cast.sam)
    client.post("/years/submit/", {"note": "已补三年级"})
    assert YearSubmission.objects.get(unit=cast.primary).state == SubmissionState.SUBMITTED


def test_the_office_of_another_town_cannot_review(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.vera)
    client.post("/years/submit/")
    client.force_login(cast.oscar)
    assert client.post(f"/years/review/{cast.east.pk}/", {"decision": "approve"}).status_code == 404
    assert YearSubmission.objects.get(unit=cast.east).state == SubmissionState.SUBMITTED


def test_locking_and_unlocking_with_a_reason(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    client.post("/years/lock/", {"override_reason": "县局要求今日上报"})
    assert SchoolYear.objects.get(year=2024).locked
    client.force_login(cast.vera)
    response = client.post("/years/submit/", follow=True)
    assert "已审核锁定" in response.content.decode()

    client.force_login(cast.alice)
    response = client.post("/years/unlock/", {"reason": ""}, follow=True)
    assert "解锁学年必须填写原因" in response.content.decode()
    assert SchoolYear.objects.get(year=2024).locked
    client.post("/years/unlock/", {"reason": "更正东村两名儿童的出生日期"})
    assert not SchoolYear.objects.get(year=2024).locked
    entry = AuditEntry.objects.get(action=AuditAction.UNLOCK)
    assert entry.summary == "解锁 2024—2025学年：更正东村两名儿童的出生日期"


def test_villages_and_leaders_cannot_lock(client: Client, cast: Cast, register: Register) -> None:
    for user in (cast.vera, cast.lee, cast.ian):
        client.force_login(user)
        assert client.post("/years/lock/").status_code == 403
    assert not SchoolYear.objects.get(year=2024).locked


def test_a_year_is_not_locked_while_units_have_not_submitted(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.vera)
    client.post("/years/submit/")
    client.force_login(cast.alice)
    page = client.post("/years/lock/", follow=True).content.decode()
    assert "还有 3 个单位未提交数据（青山中学、青山小学、西村），不能锁定" in page
    assert not SchoolYear.objects.get(year=2024).locked
    assert not AuditEntry.objects.filter(action=AuditAction.LOCK).exists()


def test_the_office_may_lock_anyway_with_a_written_reason_which_is_audited(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    client.post("/years/lock/", {"override_reason": "县局要求今日上报，各校数据已电话核对"})
    assert SchoolYear.objects.get(year=2024).locked
    override = AuditEntry.objects.get(action=AuditAction.LOCK, summary__contains="未提交")
    assert override.summary == (
        "2024—2025学年 在 4 个单位未提交时锁定：县局要求今日上报，各校数据已电话核对"
    )
    assert override.after is not None
    assert override.after["unsubmitted"] == ["青山中学", "青山小学", "东村", "西村"]
    assert override.user == cast.alice


def test_once_every_unit_has_submitted_the_year_locks_without_a_reason(
    client: Client, cast: Cast, register: Register
) -> None:
    for user in (cast.vera, cast.wang, cast.sam):
        client.force_login(user)
        client.post("/years/submit/")
    YearSubmission.objects.create(
        school_year=register.year, unit=cast.junior, state=SubmissionState.SUBMITTED
    )
    client.force_login(cast.alice)
    client.post("/years/lock/")
    assert SchoolYear.objects.get(year=2024).locked
