"""Upgrading: YearSubmission (web → registers) and WorkItem (web → indicators) moved by
state-only migrations keep every row and every value of a database that has them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The last state in which both models were the web app's.
BEFORE = [
    ("web", "0002_resolution_one_vocabulary"),
    ("registers", "0002_town_data_version"),
    ("indicators", None),
]
AT = timezone.make_aware(datetime.datetime(2024, 10, 8, 9, 30))


def _migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_the_moved_tables_keep_their_rows_and_values() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(list(executor.loader.applied_migrations)).apps
    unit = old.get_model("registers", "Unit")
    town = unit.objects.create(kind="镇", name="青山镇")
    east = unit.objects.create(kind="村", name="东村", parent=town)
    year = old.get_model("registers", "SchoolYear").objects.create(year=2024)
    alice = old.get_model("accounts", "User").objects.create(
        username="alice", role="town_office", unit=town
    )
    xiaoming = old.get_model("registers", "Person").objects.create(
        name="张小明", sex="男", birth_date=datetime.date(2012, 3, 5)
    )
    old.get_model("web", "YearSubmission").objects.create(
        school_year=year, unit=east, state="approved", note="东村已核对", submitted_at=AT,
        submitted_by=alice, reviewed_at=AT, reviewed_by=alice,
    )  # fmt: skip
    old.get_model("web", "WorkItem").objects.create(
        school_year=year, town=town, list_code="junior_net_enrollment", key="p1",
        person=xiaoming, assigned_unit=east, assigned_by=alice, assigned_at=AT,
        resolution="超龄", resolution_note="已核实出生日期", resolved_at=AT, resolved_by=alice,
        version=3,
    )  # fmt: skip
    content_types = {
        ct.model: ct.pk
        for ct in ContentType.objects.filter(
            app_label="web", model__in=["yearsubmission", "workitem"]
        )
    }

    executor = _migrate(executor.loader.graph.leaf_nodes())

    from liangji.indicators.models import WorkItem
    from liangji.registers.models import YearSubmission

    submission = YearSubmission.objects.get()
    assert (submission.school_year.year, submission.unit.name, submission.state) == (
        2024, "东村", "approved",
    )  # fmt: skip
    assert (submission.note, submission.submitted_at, submission.reviewed_at) == (
        "东村已核对", AT, AT,
    )  # fmt: skip
    assert submission.submitted_by and submission.submitted_by.username == "alice"
    assert submission.reviewed_by and submission.reviewed_by.username == "alice"
    item = WorkItem.objects.get()
    assert (item.school_year.year, item.town.name, item.list_code, item.key) == (
        2024, "青山镇", "junior_net_enrollment", "p1",
    )  # fmt: skip
    assert item.person and item.person.name == "张小明"
    assert item.assigned_unit and item.assigned_unit.name == "东村"
    assert (item.resolution, item.resolution_note, item.resolved_at, item.version) == (
        "超龄", "已核实出生日期", AT, 3,
    )  # fmt: skip
    assert item.resolved_by and item.assigned_by and item.assigned_by.username == "alice"
    # Permissions keep pointing at the same content type, now under the owning app.
    moved = ContentType.objects.get_for_models(YearSubmission, WorkItem)
    for model, ct in moved.items():
        assert ct.app_label == model._meta.app_label
        if model._meta.model_name in content_types:
            assert ct.pk == content_types[model._meta.model_name]
