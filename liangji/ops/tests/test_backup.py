"""Backup and restore: every row and every file comes back; a damaged archive changes nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from liangji.accounts.models import Role, User
from liangji.audit.models import AuditAction, AuditEntry
from liangji.demo.generator import town_workbooks_write
from liangji.imports.services import workbook_import
from liangji.ops.services import (
    DATABASE_MEMBER,
    BackupError,
    backup_create,
    backup_restore,
)
from liangji.registers.models import Enrollment, Person, PersonRecord, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(tmp_path: Path, settings: Any) -> Path:
    """An office's data directory: a town of 300 people over two years, a user, two files."""
    data = tmp_path / "office"
    data.mkdir()
    settings.DATA_DIR = data
    for workbook in town_workbooks_write(
        tmp_path / "workbooks", people_per_town=300, years=(2023, 2024), seed=11
    ):
        assert workbook_import(path=workbook.path, school_year=workbook.year).ok
    town = Unit.objects.get(kind__in=["镇", "乡"])
    User.objects.create_user(
        "wang.fang", password="a-long-password-1", role=Role.TOWN_OFFICE, unit=town
    )
    (data / "uploads").mkdir()
    (data / "uploads" / "证明材料.pdf").write_bytes(b"%PDF-1.4 proof of study elsewhere")
    (data / "generated" / "2024").mkdir(parents=True)
    (data / "generated" / "2024" / "indicators.xlsx").write_bytes(bytes(range(256)) * 10)
    (data / "backups").mkdir()
    (data / "backups" / "older.zip").write_bytes(b"an older backup is not backed up again")
    return data


def all_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of every liangji model (and users), as serialised by Django."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label.startswith(("contenttypes", "sessions", "admin")):
            continue
        if model._meta.label_lower == "auth.permission":
            continue
        queryset = model._base_manager.order_by("pk")
        rows[model._meta.label_lower] = serializers.serialize(
            "python", queryset, use_natural_foreign_keys=True
        )
    return rows


def people_per_village_and_year() -> list[dict[str, Any]]:
    return list(
        PersonRecord.objects.values("village__name", "school_year__year")
        .annotate(people=Count("id"))
        .order_by("village__name", "school_year__year")
    )


def empty_everything(tmp_path: Path, settings: Any) -> Path:
    """A fresh installation: an empty database and an empty data directory."""
    with connection.cursor() as cursor:  # PostgreSQL refuses TRUNCATE with checks pending
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    settings.DATA_DIR = fresh
    assert Person.objects.count() == 0
    return fresh


def test_a_restore_into_an_empty_installation_reproduces_every_row_and_file(
    office: Path, tmp_path: Path, settings: Any
) -> None:
    backup = backup_create(path=tmp_path / "backup.zip")
    before = all_rows()
    figures = people_per_village_and_year()
    assert len(figures) == 24  # 12 villages x 2 school years
    fresh = empty_everything(tmp_path, settings)

    result = backup_restore(path=backup.path)

    after = all_rows()
    audit_before, audit_after = before.pop("audit.auditentry"), after.pop("audit.auditentry")
    # The restore invalidates every figure a running server kept: the data version moves on.
    versions_before = before.pop("registers.towndataversion")
    versions_after = after.pop("registers.towndataversion")
    assert [v["pk"] for v in versions_after] == [v["pk"] for v in versions_before]
    assert all(
        a["fields"]["version"] > b["fields"]["version"]
        for a, b in zip(versions_after, versions_before, strict=True)
    )
    assert after == before
    # The backup's own audit row was written after the dump, so it is not in the archive; the
    # restore adds its row to the restored log.
    assert audit_before[-1]["fields"]["action"] == AuditAction.EXPORT
    assert [r["fields"] for r in audit_after[:-1]] == [r["fields"] for r in audit_before[:-1]]
    assert audit_after[-1]["fields"]["action"] == AuditAction.RESTORE
    assert people_per_village_and_year() == figures
    assert (fresh / "uploads" / "证明材料.pdf").read_bytes() == b"%PDF-1.4 proof of study elsewhere"
    assert (fresh / "generated" / "2024" / "indicators.xlsx").read_bytes() == bytes(range(256)) * 10
    assert not (fresh / "backups").exists()
    assert result.files == 2
    assert any("人员" in line for line in result.summary_lines())


def test_the_archive_lists_every_member_with_its_checksum_and_leaves_out_backups(
    office: Path, tmp_path: Path
) -> None:
    backup = backup_create(path=tmp_path / "backup.zip")
    with zipfile.ZipFile(backup.path) as archive:
        names = set(archive.namelist())
    assert names == {
        "manifest.json",
        DATABASE_MEMBER,
        "files/uploads/证明材料.pdf",
        "files/generated/2024/indicators.xlsx",
    }
    assert backup.rows["registers.person"] == Person.objects.count()
    assert backup.rows["registers.enrollment"] == Enrollment.objects.count()
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, entity="Backup")
    assert str(backup.path) in entry.summary


def test_the_default_archive_goes_to_the_backups_directory(office: Path) -> None:
    backup = backup_create()
    assert backup.path.parent == office / "backups"
    assert backup.path.name.startswith("liangji-") and backup.path.suffix == ".zip"


def test_an_archive_written_inside_the_data_directory_does_not_hold_itself(office: Path) -> None:
    backup = backup_create(path=office / "uploads" / "today.zip")
    with zipfile.ZipFile(backup.path) as archive:
        assert not [n for n in archive.namelist() if n.endswith((".zip", ".partial"))]


def rewrite_member(source: Path, target: Path, member: str, change: Any) -> None:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            copy.writestr(info, change(data) if info.filename == member else data)


def test_a_tampered_archive_is_refused_and_nothing_changes(office: Path, tmp_path: Path) -> None:
    backup = backup_create(path=tmp_path / "backup.zip")
    tampered = tmp_path / "tampered.zip"
    rewrite_member(
        backup.path,
        tampered,
        DATABASE_MEMBER,
        lambda data: data.replace(b'"name": "', b'"name": "X', 1),
    )
    Person.objects.filter(pk=Person.objects.order_by("pk").first().pk).update(name="改过的名字")  # type: ignore[union-attr]

    with pytest.raises(BackupError, match=r"database\.jsonl 校验失败"):
        backup_restore(path=tampered, force=True)

    assert Person.objects.filter(name="改过的名字").count() == 1
    assert not AuditEntry.objects.filter(action=AuditAction.RESTORE).exists()


def test_a_truncated_or_foreign_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(b"PK\x03\x04 only the beginning of a zip")
    with pytest.raises(BackupError, match="不是完整的 zip 备份文件"):
        backup_restore(path=truncated)
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w") as archive:
        archive.writestr("readme.txt", "not a liangji backup")
    with pytest.raises(BackupError, match=r"没有 manifest\.json"):
        backup_restore(path=foreign)
    with pytest.raises(BackupError, match="找不到备份文件"):
        backup_restore(path=tmp_path / "missing.zip")


def test_a_database_with_data_is_only_replaced_with_force(office: Path, tmp_path: Path) -> None:
    backup = backup_create(path=tmp_path / "backup.zip")
    Person.objects.filter(pk=Person.objects.order_by("pk").first().pk).update(name="改过的名字")  # type: ignore[union-attr]
    with pytest.raises(BackupError, match="--force"):
        backup_restore(path=backup.path)
    assert Person.objects.filter(name="改过的名字").exists()

    backup_restore(path=backup.path, force=True)

    assert not Person.objects.filter(name="改过的名字").exists()
    assert User.objects.filter(username="wang.fang").exists()


def test_the_commands_print_what_they_did(office: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("backup", str(tmp_path / "cli.zip"), stdout=out)
    assert "备份已写入" in out.getvalue()
    with pytest.raises(CommandError, match="已存在"):
        call_command("backup", str(tmp_path / "cli.zip"))
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(tmp_path / "cli.zip"))
    out = io.StringIO()
    call_command("restore", str(tmp_path / "cli.zip"), "--force", stdout=out)
    assert "恢复" in out.getvalue() and "文件：2 个" in out.getvalue()
