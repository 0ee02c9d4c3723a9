"""The audit log: who did what, written with the write or not at all, and read back filtered."""

from __future__ import annotations

import datetime
import getpass

import pytest
import time_machine
from django.db import transaction

from liangji.accounts.testing import Cast
from liangji.audit.models import AuditAction, AuditEntry
from liangji.audit.selectors import audit_entities, audit_entry_list
from liangji.audit.services import audit_record

pytestmark = pytest.mark.django_db

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def test_a_write_by_a_logged_in_user_names_the_user(cast: Cast) -> None:
    entry = audit_record(
        user=cast.alice,
        action=AuditAction.UPDATE,
        entity="PersonRecord",
        entity_id=12,
        summary="张小明 住址：旧址 → 新址",
        before={"address": "旧址"},
        after={"address": "新址"},
        unit=cast.east,
    )
    entry.refresh_from_db()
    assert (entry.user, entry.actor, entry.entity_id) == (cast.alice, "alice", "12")
    assert (entry.before, entry.after, entry.unit) == (
        {"address": "旧址"},
        {"address": "新址"},
        cast.east,
    )


def test_a_write_from_the_command_line_names_the_system_user() -> None:
    entry = audit_record(user=None, action=AuditAction.IMPORT, entity="ImportJob", summary="导入")
    assert entry.user is None
    assert entry.actor == f"命令行：{getpass.getuser()}"


def test_a_failed_login_names_the_address_and_long_summaries_are_cut() -> None:
    entry = audit_record(
        user=None,
        action=AuditAction.LOGIN_FAILED,
        entity="User",
        summary="密码错误" * 200,
        actor="192.0.2.7",
    )
    assert entry.actor == "192.0.2.7"
    assert len(entry.summary) == 500


def test_the_entry_is_rolled_back_with_the_write_it_records(cast: Cast) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(user=cast.alice, action=AuditAction.DELETE, entity="Household", summary="删户")
        raise RuntimeError("the write failed after its audit row")
    assert not AuditEntry.objects.exists()


def test_the_log_is_filtered_by_actor_action_entity_and_days(cast: Cast) -> None:
    def write(day: int, user, action: str, entity: str) -> None:
        at = datetime.datetime(2024, 10, day, 23, 30, tzinfo=SHANGHAI)
        with time_machine.travel(at, tick=False):
            audit_record(user=user, action=action, entity=entity, summary=f"{day}日")

    write(1, cast.alice, AuditAction.EXPORT, "Worklist")
    write(2, cast.vera, AuditAction.UPDATE, "PersonRecord")
    write(3, cast.alice, AuditAction.UPDATE, "PersonRecord")

    def summaries(**filters) -> list[str]:
        return [e.summary for e in audit_entry_list(**filters)]

    assert summaries() == ["3日", "2日", "1日"]  # newest first
    assert summaries(actor="ALI") == ["3日", "1日"]
    assert summaries(action=AuditAction.UPDATE, entity="PersonRecord") == ["3日", "2日"]
    # Days are the office's days (Asia/Shanghai): 23:30 on the 2nd is still the 2nd.
    assert summaries(date_from=datetime.date(2024, 10, 2), date_to=datetime.date(2024, 10, 2)) == [
        "2日"
    ]
    assert audit_entities() == ["PersonRecord", "Worklist"]
