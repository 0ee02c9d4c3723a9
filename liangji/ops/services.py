"""Backup and restore of an installation: the whole database and the data directory's files.

An archive is one zip file:
- `database.jsonl`: the rows as Django serialises them for `dumpdata` (natural foreign keys,
  JSON Lines so that dumping and loading stream row by row, times to the microsecond), which
  load into SQLite and PostgreSQL alike;
- `files/…`: uploads, generated documents, imported workbooks of the data directory;
- `manifest.json`: what the archive holds, with the SHA-256 and size of every other member.

A restore verifies every checksum before it touches anything, stages the files, loads the rows
in one transaction, and only then moves the files into place.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.versions import data_changed

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


FORMAT = "liangji-backup/1"
DATABASE_MEMBER = "database.jsonl"
MANIFEST_MEMBER = "manifest.json"
FILES_PREFIX = "files/"
# Rows that `migrate` recreates by itself, or that make no sense on another installation.
EXCLUDED_MODELS = ("contenttypes", "auth.permission", "sessions", "admin.logentry")
# Entries of the data directory that are not the office's files: the backups themselves, the
# live SQLite database (it is in database.jsonl), the installation's secret, collected static
# assets (rebuilt by collectstatic), the log, and a restore's staging area.
EXCLUDED_ENTRIES = ("backups", "secret_key", "static", "liangji.log", ".restore-staging")
CHUNK = 1 << 20
BATCH = 2000


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    rows: dict[str, int]
    files: int
    size: int

    def summary_lines(self) -> list[str]:
        total = sum(self.rows.values())
        return [
            f"备份已写入 {self.path}（{self.size / 1e6:.1f} MB）",
            f"  数据库：{total} 行（{len(self.rows)} 类数据）；文件：{self.files} 个",
        ]


@dataclass
class RestoreResult:
    path: Path
    created: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    def summary_lines(self) -> list[str]:
        lines = [f"已从 {self.path.name}（备份于 {self.created}）恢复："]
        for label, count in sorted(self.rows.items()):
            lines.append(f"  {label}：{count} 行")
        lines.append(f"  文件：{self.files} 个")
        return lines


def _data_dir() -> Path:
    return Path(settings.DATA_DIR)


def backup_default_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return _data_dir() / "backups" / f"liangji-{stamp}.zip"


def _database_files() -> set[Path]:
    """The live SQLite file and its companions (never copied as files)."""
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return set()
    name = Path(str(database["NAME"])).resolve()
    return {name, *(name.with_name(name.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}


def data_files(*, also_skip: Iterable[Path] = ()) -> Iterator[tuple[Path, str]]:
    """(path, archive name) of every file of the data directory that belongs in a backup."""
    root = _data_dir().resolve()
    skip = _database_files() | {p.resolve() for p in also_skip}
    for directory, subdirectories, filenames in os.walk(root):
        here = Path(directory)
        if here == root:
            subdirectories[:] = [d for d in subdirectories if d not in EXCLUDED_ENTRIES]
        subdirectories.sort()
        for filename in sorted(filenames):
            path = here / filename
            if (here == root and filename in EXCLUDED_ENTRIES) or path.resolve() in skip:
                continue
            yield path, FILES_PREFIX + path.relative_to(root).as_posix()


def _models() -> list[type[Model]]:
    """The models to back up, in an order where natural keys are defined before their use."""
    app_list = []
    for app_config in apps.get_app_configs():
        if app_config.label in EXCLUDED_MODELS:
            continue
        models = [
            model
            for model in app_config.get_models()
            if model._meta.label_lower not in EXCLUDED_MODELS
            and not model._meta.proxy
            and model._meta.managed
        ]
        app_list.append((app_config, models))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _objects() -> Iterator[Model]:
    for model in _models():
        yield from model._base_manager.order_by("pk").iterator(chunk_size=BATCH)


def _row_counts(path: Path) -> dict[str, int]:
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                counts[json.loads(line)["model"]] += 1
    return dict(counts)


def _database_dump(target: Path) -> None:
    # One transaction, so that the rows are one consistent state even while the application
    # is writing (on SQLite the IMMEDIATE transaction holds writers back for the duration).
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with target.open("w", encoding="utf-8") as stream:
            serializer = serializers.get_serializer("jsonl")()
            serializer.serialize(
                _objects(), stream=stream, use_natural_foreign_keys=True, cls=_ExactEncoder
            )


def _sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _member_write(archive: zipfile.ZipFile, source: Path, name: str) -> dict[str, Any]:
    """Copy one file into the archive, hashing the very bytes written (one read: a file that
    changes meanwhile cannot get a checksum of other contents)."""
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as stream, archive.open(name, "w", force_zip64=True) as sink:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            sink.write(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def backup_create(*, path: Path | None = None, user: Actor | None = None) -> BackupResult:
    """Write one archive of the database and the data directory's files."""
    path = Path(path) if path is not None else backup_default_path()
    if path.exists():
        raise BackupError(f"{path} 已存在；请换一个文件名，以免覆盖已有的备份")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"无法创建目录 {path.parent}：{error.strerror}") from error
    members: dict[str, dict[str, Any]] = {}
    partial = path.with_name(path.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(prefix="liangji-backup-") as scratch:
            dump = Path(scratch) / DATABASE_MEMBER
            _database_dump(dump)
            rows = _row_counts(dump)
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                # The archive itself may be written inside the data directory.
                files = data_files(also_skip=(path, partial))
                for source, name in [(dump, DATABASE_MEMBER), *files]:
                    members[name] = _member_write(archive, source, name)
                manifest = {
                    "format": FORMAT,
                    "created": timezone.localtime().isoformat(timespec="seconds"),
                    "database_vendor": connection.vendor,
                    "rows": rows,
                    "members": members,
                }
                archive.writestr(
                    MANIFEST_MEMBER, json.dumps(manifest, ensure_ascii=False, indent=1)
                )
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"无法写入备份 {path}：{error.strerror}；请检查磁盘空间和权限") from error
    result = BackupResult(path, rows, len(members) - 1, path.stat().st_size)
    with transaction.atomic():
        audit_record(
            user=user,
            action=AuditAction.EXPORT,
            entity="Backup",
            entity_id=path.name[:60],
            summary=f"备份数据库和数据目录到 {path}"
            f"（{sum(rows.values())} 行，{result.files} 个文件）",
            after={"path": str(path), "rows": sum(rows.values()), "files": result.files},
        )
    return result


def _manifest_read(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST_MEMBER))
    except KeyError as error:
        raise BackupError("压缩包中没有 manifest.json，不是 liangji 的备份文件") from error
    except ValueError as error:
        raise BackupError("manifest.json 已损坏，无法读取；请换一个备份文件") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("不认识这个备份的格式；请用同一版本的 liangji 生成的备份")
    return manifest


def archive_verify(path: Path) -> dict[str, Any]:
    """Check every member against the manifest; return the manifest. Changes nothing."""
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest_read(archive)
            members: dict[str, dict[str, Any]] = manifest.get("members", {})
            present = set(archive.namelist()) - {MANIFEST_MEMBER}
            if present != set(members) or DATABASE_MEMBER not in members:
                strays = sorted(present ^ set(members))[:5]
                raise BackupError(
                    f"备份内容与清单不符（{'、'.join(strays) or DATABASE_MEMBER}）；"
                    "文件已被改动或不完整，没有恢复任何内容"
                )
            for name, expected in members.items():
                with archive.open(name) as stream:
                    digest, size = _sha256_of(stream)
                if digest != expected.get("sha256") or size != expected.get("size"):
                    raise BackupError(
                        f"备份中的 {name} 校验失败（SHA-256 不符），文件已损坏或被改动；"
                        "没有恢复任何内容，请换一个备份文件"
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
        raise BackupError(
            f"{path.name} 不是完整的 zip 备份文件（{error}）；没有恢复任何内容"
        ) from error
    except OSError as error:
        raise BackupError(f"无法读取 {path}：{error.strerror}") from error
    return manifest


def database_holds_data() -> bool:
    """Whether the database holds anything of an office (migrations alone create none of it)."""
    return any(
        apps.get_model(label).objects.exists()
        for label in ("accounts.User", "registers.Unit", "registers.Person", "audit.AuditEntry")
    )


def _stage_files(archive: zipfile.ZipFile, manifest: dict[str, Any], staging: Path) -> int:
    count = 0
    for name in manifest["members"]:
        if not name.startswith(FILES_PREFIX):
            continue
        relative = Path(name[len(FILES_PREFIX) :])
        if relative.is_absolute() or ".." in relative.parts:
            raise BackupError(f"备份中的文件名 {name} 不安全，拒绝恢复")
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(name) as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, CHUNK)
        count += 1
    return count


def _files_move_into_place(staging: Path) -> None:
    root = _data_dir()
    for source in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = root / source.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def _constraints(*, immediate: bool) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {'IMMEDIATE' if immediate else 'DEFERRED'}")


def _saved_one_by_one(model: type[Model]) -> bool:
    """Rows that bulk inserts would alter: auto_now stamps are re-set and inherited models
    span two tables; these take the slower raw save of `loaddata`."""
    return bool(model._meta.parents) or any(
        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        for f in model._meta.concrete_fields
    )


def _rows_load(dump: Path) -> None:
    """`loaddata`, but with batched inserts: a county's million rows load in minutes, not hours.

    Foreign keys are checked at commit (Django creates them DEFERRABLE INITIALLY DEFERRED on
    both databases), so the order of the batches does not matter.
    """
    pending: dict[type[Model], list[Model]] = defaultdict(list)
    deferred = []
    models: set[type[Model]] = set()

    def flush(model: type[Model]) -> None:
        model._base_manager.bulk_create(pending.pop(model, []), batch_size=BATCH)

    with dump.open(encoding="utf-8") as stream:
        for item in serializers.deserialize("jsonl", stream, handle_forward_references=True):
            model = type(item.object)
            models.add(model)
            if item.deferred_fields or item.m2m_data or _saved_one_by_one(model):
                item.save()
                if item.deferred_fields:
                    deferred.append(item)
                continue
            pending[model].append(item.object)
            if len(pending[model]) >= BATCH:
                flush(model)
    for model in list(pending):
        flush(model)
    for item in deferred:
        item.save_deferred_fields()
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    if statements:  # PostgreSQL: the next id follows the restored ones
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _database_load(archive: zipfile.ZipFile, user: Actor | None, path: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="liangji-restore-") as scratch:
        dump = Path(scratch) / DATABASE_MEMBER
        with archive.open(DATABASE_MEMBER) as source, dump.open("wb") as sink:
            shutil.copyfileobj(source, sink, CHUNK)
        # Emptying and loading in one transaction: a failure leaves the database as it was.
        with transaction.atomic():
            _constraints(immediate=True)  # PostgreSQL refuses TRUNCATE with checks pending
            call_command("flush", interactive=False, verbosity=0)
            _constraints(immediate=False)
            _rows_load(dump)
            data_changed(town=None)  # figures kept by a running server are of the old data
            audit_record(
                user=user,
                action=AuditAction.RESTORE,
                entity="Backup",
                entity_id=path.name[:60],
                summary=f"从备份 {path.name} 恢复数据库和数据目录",
            )


def backup_restore(*, path: Path, force: bool = False, user: Actor | None = None) -> RestoreResult:
    """Verify the archive, then replace the database's rows and restore the data files."""
    path = Path(path)
    manifest = archive_verify(path)
    call_command("migrate", interactive=False, verbosity=0)
    if database_holds_data() and not force:
        raise BackupError(
            "数据库中已有数据，恢复会用备份替换全部数据。确认要替换，请加 --force 重新运行；"
            "或者先用 liangji backup 备份现有数据"
        )
    staging = _data_dir() / ".restore-staging"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with zipfile.ZipFile(path) as archive:
            files = _stage_files(archive, manifest, staging)
            _database_load(archive, user, path)
        _files_move_into_place(staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    labels = {model._meta.label_lower: str(model._meta.verbose_name) for model in apps.get_models()}
    rows = {labels.get(label, label): count for label, count in manifest["rows"].items()}
    return RestoreResult(path, str(manifest.get("created", "")), rows, files)
