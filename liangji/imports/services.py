"""The workbook import: the one entry point of the CLI, the browser jobs and the demo.

Every row is validated first; then, in ONE transaction, the changes are written in batches
(style.md rule 3). A file with any error is rejected whole unless the caller asks to skip the
invalid rows.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import logging
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import psutil
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import ProtectedError
from django.utils import timezone

from liangji.accounts.models import user_or_none
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.imports.columns import SHEET_PEOPLE, SHEET_ROLLS
from liangji.imports.conflicts import NO_OVERWRITE, OVERWRITE_HINT, Conflict, Overwrite
from liangji.imports.database import database_refusal, tables_analyze, towns_lock
from liangji.imports.error_report import (
    ErrorReportUnwritable,
    error_report_path,
    error_report_write,
)
from liangji.imports.extra_sheets import sheet_handler
from liangji.imports.models import ImportJob, ImportJobState
from liangji.imports.planning import Counts, Plan, import_plan, per_unit_counts
from liangji.imports.reader import WorkbookError, sheets_extra, sheets_open
from liangji.imports.removals import Removals, removal_blockers, removals_describe
from liangji.imports.validation import RowError, Validated, workbook_validate
from liangji.imports.writer import PlanWriter, edit_marks_clear
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.services import (
    SchoolYearLocked,
    school_year_ensure_unlocked,
    school_year_get_or_create,
)
from liangji.registers.versions import data_changed

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


Progress = Callable[[str, int, int | None], None]
# The order of the summary; 人员 is the lasting identity, 人口 the record of the school year.
COUNT_LABELS = {"单位": "单位", "户": "户", "人员": "人员身份", "人口": "人口记录", "学籍": "学籍"}
ERRORS_SHOWN = 20
CONFLICTS_KEPT_ON_JOB = 200  # listed on the preview page, each with its own choice
LOCK_WAIT_REPORTED = 0.5  # seconds; a shorter wait for another import is not worth a line


@dataclass
class ImportResult:
    path: Path
    school_year: int
    dry_run: bool = False
    skip_invalid: bool = False
    overwrite: Overwrite = NO_OVERWRITE
    rejected: bool = False
    changed: bool = False
    counts: dict[str, Counts] = field(default_factory=dict)
    villages: dict[str, int] = field(default_factory=dict)  # people rows per village
    schools: dict[str, int] = field(default_factory=dict)  # pupils per school
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    removals: Removals = field(default_factory=Removals)
    skipped_rows: int = 0
    error_report: Path | None = None
    # Why the error report could not be written (the errors are then only in the summary).
    error_report_problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary_lines(self) -> list[str]:
        head = f"{self.path.name}，{self.school_year}—{self.school_year + 1}学年"
        if self.rejected:
            lines = [f"{head}：文件被拒绝，没有写入任何数据。共 {len(self.errors)} 个问题。"]
            lines += [error.line() for error in self.errors[:ERRORS_SHOWN]]
            if len(self.errors) > ERRORS_SHOWN:
                lines.append(f"……其余 {len(self.errors) - ERRORS_SHOWN} 个问题见错误报告")
            lines += self.error_report_lines()
            return lines
        verb = "预检（未写入）" if self.dry_run else "导入完成"
        lines = [f"{head}：{verb}" + ("" if self.changed else "，无变化")]
        if self.removals.alert:
            lines.append(f"!!! {self.removals.alert}")
        for key, label in COUNT_LABELS.items():
            c = self.counts.get(key)
            if c is not None and (c.created or c.updated or c.unchanged or c.removed or c.kept):
                lines.append(
                    f"  {label}：新增 {c.created}，修改 {c.updated}，无变化 {c.unchanged}，"
                    f"删除 {c.removed}" + (f"，保留系统中的修改 {c.kept}" if c.kept else "")
                )
        lines += _counts_lines("各村（社区）人口：", self.villages)
        lines += _counts_lines("各学校学生：", self.schools)
        lines += self.notes
        lines += self.removal_lines()
        lines += self.conflict_lines()
        if self.skipped_rows:
            lines.append(
                f"跳过了 {self.skipped_rows} 个有错误的行（共 {len(self.errors)} 个问题）："
            )
            lines += [error.line() for error in self.errors[:ERRORS_SHOWN]]
            lines += self.error_report_lines()
        if self.warnings:
            lines.append(f"警告 {len(self.warnings)} 条：")
            lines += [f"  {warning}" for warning in self.warnings[:ERRORS_SHOWN]]
        return lines

    def removal_lines(self) -> list[str]:
        removals = self.removals
        if not removals.per_unit:
            return []
        verb = "将删除" if self.dry_run else "已删除"
        lines = _counts_lines(f"{verb}（文件中没有）的记录：", removals.per_unit)
        lines += [f"  {line}" for line in removals.lines[:ERRORS_SHOWN]]
        shown = min(len(removals.lines), ERRORS_SHOWN)
        if sum(removals.per_unit.values()) > shown:
            lines.append(f"  ……共 {sum(removals.per_unit.values())} 条")
        return lines

    @property
    def conflicts_kept(self) -> list[Conflict]:
        return [c for c in self.conflicts if not c.overwritten]

    @property
    def conflicts_overwritten(self) -> list[Conflict]:
        return [c for c in self.conflicts if c.overwritten]

    def conflict_lines(self) -> list[str]:
        lines: list[str] = []
        if kept := self.conflicts_kept:
            lines.append(
                f"冲突 {len(kept)} 处：以下记录在上次导入后在系统中修改过（或身份证号与系统不同），"
                + ("导入时将保留系统中的内容：" if self.dry_run else "已保留系统中的内容：")
            )
            lines += _conflicts_listed(kept)
        if overwritten := self.conflicts_overwritten:
            lines.append(
                f"按您的选择（--overwrite-edits），以下 {len(overwritten)} 处在系统中修改过的内容"
                + ("将被文件覆盖：" if self.dry_run else "已被文件覆盖：")
            )
            lines += _conflicts_listed(overwritten)
        if kept:
            lines.append(OVERWRITE_HINT)
        return lines

    def error_report_lines(self) -> list[str]:
        if self.error_report:
            return [f"错误报告：{self.error_report}"]
        if self.error_report_problem:
            return [self.error_report_problem]
        return []

    def as_json(self) -> dict[str, Any]:
        """The summary kept on an ImportJob and shown by the browser."""
        return {
            "file": self.path.name,
            "school_year": self.school_year,
            "ok": self.ok,
            "rejected": self.rejected,
            "dry_run": self.dry_run,
            "changed": self.changed,
            "counts": {key: c.as_dict() for key, c in self.counts.items()},
            "villages": self.villages,
            "schools": self.schools,
            "warnings": self.warnings,
            "notes": self.notes,
            "skipped_rows": self.skipped_rows,
            "error_count": len(self.errors),
            "overwrite_edits": self.overwrite.everything,
            "conflict_count": len(self.conflicts),
            "conflicts_overwritten": len(self.conflicts_overwritten),
            "conflicts": [c.as_dict() for c in self.conflicts[:CONFLICTS_KEPT_ON_JOB]],
            "removal_alert": self.removals.alert,
            "removals": self.removals.lines,
            "removals_per_unit": self.removals.per_unit,
            "errors": [
                {"sheet": e.sheet, "row": e.row, "column": e.column, "message": e.message}
                for e in self.errors[:200]
            ],
            "error_report": str(self.error_report) if self.error_report else "",
            "error_report_problem": self.error_report_problem,
            "summary": self.summary_lines(),
        }


def _conflicts_listed(conflicts: list[Conflict]) -> list[str]:
    lines = [f"  {c.line()}" for c in conflicts[:ERRORS_SHOWN]]
    if len(conflicts) > ERRORS_SHOWN:
        lines.append(f"  ……其余 {len(conflicts) - ERRORS_SHOWN} 处见错误报告的“冲突”工作表")
    return lines


def _counts_lines(title: str, counts: dict[str, int], per_line: int = 8) -> list[str]:
    """A title and the counts, eight units to a line (a county has hundreds of villages)."""
    items = [f"{name} {count}" for name, count in counts.items()]
    if not items:
        return []
    return [title] + [
        "  " + "，".join(items[i : i + per_line]) for i in range(0, len(items), per_line)
    ]


def _reject(result: ImportResult, errors: list[RowError]) -> ImportResult:
    result.rejected = True
    result.errors = errors
    return result


def _file_errors(error: WorkbookError) -> list[RowError]:
    return [RowError(p.sheet, p.row, p.column, p.message) for p in error.problems]


def _no_rows_error(validated: Validated) -> RowError | None:
    if validated.seen[SHEET_PEOPLE] or validated.seen[SHEET_ROLLS]:
        return None
    return RowError(
        "",
        0,
        "",
        "文件中没有数据行（人口表和学籍表都是空的）；请在模板的表头下面逐行填写后再导入",
    )


def _memory_trim() -> None:
    """Return freed heap memory to the system (glibc), so that calamine's cells, freed after
    validation, do not stay in the process's peak while the plan and the writes grow."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def workbook_import(
    *,
    path: Path,
    school_year: int,
    user: Actor | None = None,
    skip_invalid: bool = False,
    dry_run: bool = False,
    overwrite: Overwrite = NO_OVERWRITE,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate the workbook, then (unless dry_run) write it for school year `school_year`.

    Records edited in the application since the last import are kept, and listed as
    conflicts, except those `overwrite` chooses the file for (all of them, or the chosen ones).
    """
    path = Path(path)
    result = ImportResult(
        path=path,
        school_year=school_year,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        overwrite=overwrite,
    )
    if not 1990 <= school_year <= 2100:
        return _reject(
            result, [RowError("", 0, "", f"学年 {school_year} 不合理；请写四位年份，例如 2024")]
        )
    existing_year = SchoolYear.objects.filter(year=school_year).first()
    if existing_year is not None and existing_year.locked:
        return _reject(result, [RowError("", 0, "", str(SchoolYearLocked(existing_year)))])
    try:
        readers = sheets_open(path)
        extra_sheets = _file_errors(WorkbookError(sheets_extra(path)))
    except WorkbookError as error:
        return _reject(result, _file_errors(error))
    validated = workbook_validate(
        readers, year=school_year, today=datetime.date.today(), progress=progress
    )
    del readers  # the sheets' cells are released; hand the memory back before planning
    _memory_trim()
    no_rows = _no_rows_error(validated)
    if no_rows is not None:
        return _reject(result, [no_rows, *validated.errors])
    result.warnings = validated.warnings
    validated.errors[:0] = extra_sheets  # a sheet of rows left out is the file's first problem
    if validated.errors:
        if not skip_invalid:
            _error_report(result, validated.errors)
            return _reject(result, validated.errors)
        result.errors = validated.errors
        result.skipped_rows = len({(e.sheet, e.row) for e in validated.errors})
    skipped = {e.sheet for e in validated.errors}
    result.villages, result.schools = per_unit_counts(validated)
    if progress is not None:
        progress("比对现有数据", 0, None)
    if dry_run:
        plan = import_plan(
            validated,
            school_year=existing_year or SchoolYear(year=school_year),
            skipped=skipped,
            overwrite=overwrite,
        )
        _finish(result, plan)
        result.notes += [
            f"{sheet}表 {len(rows)} 行：确认导入时与系统中的数据核对后写入"
            for sheet, rows in validated.extra.items()
            if rows
        ]
        if blockers := removal_blockers(plan) or _choice_errors(plan):
            return _reject(result, blockers)
    else:
        try:
            _write(result, validated, skipped=skipped, user=user, progress=progress)
        except SchoolYearLocked as error:
            return _reject(result, [RowError("", 0, "", str(error))])
        except ImportRefused as refused:
            return _reject(result, refused.errors)
        except (IntegrityError, ProtectedError, DatabaseError) as error:
            # The database constraints are the last guard; the transaction has been rolled back.
            return _reject(result, [RowError("", 0, "", database_refusal(error))])
        if result.changed:
            tables_analyze()
    if result.errors or result.conflicts:
        _error_report(result, result.errors, result.conflicts)
    return result


def _error_report(
    result: ImportResult, errors: list[RowError], conflicts: list[Conflict] | None = None
) -> None:
    """Write the error report; when it cannot be written the errors stay in the summary."""
    target = error_report_path(result.path)
    try:
        result.error_report = error_report_write(
            source=result.path, errors=errors, conflicts=conflicts or [], target=target
        )
    except ErrorReportUnwritable as problem:
        result.error_report_problem = str(problem)


def _finish(result: ImportResult, plan: Plan) -> ImportResult:
    result.counts = dict(plan.counts)
    result.changed = plan.changes_anything
    result.notes += plan.notes
    result.conflicts = plan.conflicts
    result.removals = removals_describe(plan)
    return result


class ImportRefused(Exception):
    """The plan deletes rows other work still holds; nothing is written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


def _lock_waiting(progress: Progress | None, seconds: float) -> None:
    if progress is not None:
        progress(f"等待本镇的另一个导入完成（已等 {seconds:.0f} 秒）", 0, None)


def _write(
    result: ImportResult,
    validated: Validated,
    *,
    skipped: set[str],
    user: Actor | None,
    progress: Progress | None,
) -> ImportResult:
    with transaction.atomic():
        waited = towns_lock(
            (u.name for u in validated.units if u.kind in TOWN_KINDS),
            waiting=lambda seconds: _lock_waiting(progress, seconds),
        )
        if waited >= LOCK_WAIT_REPORTED:
            result.notes.append(
                f"本镇的另一个导入正在写入，本次导入等它完成后才开始（等待了 {waited:.1f} 秒）"
            )
        year = school_year_get_or_create(year=result.school_year)
        school_year_ensure_unlocked(year)
        plan = import_plan(validated, school_year=year, skipped=skipped, overwrite=result.overwrite)
        _finish(result, plan)
        if blockers := removal_blockers(plan) or _choice_errors(plan):
            raise ImportRefused(blockers)
        edit_marks_clear(plan)
        if plan.changes_anything:
            PlanWriter(plan, validated, progress).apply()
        _extra_sheets_write(result, validated, year=year, units=plan.unit_ids, user=user)
        if not plan.changes_anything:
            # Re-importing the same file writes nothing else (the year row may be new).
            return result
        town = Unit.objects.filter(pk__in=plan.unit_ids.values(), kind__in=TOWN_KINDS).first()
        data_changed(town=town)  # None (no town in the workbook): every town
        audit_record(
            user=user,
            action=AuditAction.IMPORT,
            entity="Workbook",
            entity_id=result.path.name[:60],
            summary=f"导入 {result.path.name}（{year}）："
            + "；".join(
                f"{COUNT_LABELS[k]} +{c.created}/~{c.updated}/-{c.removed}"
                for k, c in plan.counts.items()
                if k in COUNT_LABELS
            )
            + _overwritten_summary(result.conflicts_overwritten),
            after={
                "file": result.path.name,
                "school_year": result.school_year,
                "counts": {k: c.as_dict() for k, c in plan.counts.items()},
                "skipped_rows": result.skipped_rows,
                # What the user chose the file for, by name: the audit answers "who replaced
                # the death date the village recorded".
                "overwritten": [
                    {"sheet": c.sheet, "row": c.row, "who": c.who, "key": c.key}
                    for c in result.conflicts_overwritten
                ],
                "kept": len(result.conflicts_kept),
            },
            unit=town,
        )
    return result


def _extra_sheets_write(
    result: ImportResult, validated: Validated, *, year: SchoolYear, units: dict, user: Any
) -> None:
    """The rows of the sheets other apps handle （扫盲）， after the register they refer to; a
    row that does not fit what is there refuses the whole import (the transaction rolls back)."""
    for sheet, rows in validated.extra.items():
        handler = sheet_handler(sheet)
        if handler is None or not rows:
            continue
        outcome = handler.apply(rows, school_year=year, units=units, user=user)
        if outcome.errors:
            raise ImportRefused(outcome.errors)
        result.changed = result.changed or outcome.changed
        result.notes += outcome.notes


def _overwritten_summary(conflicts: list[Conflict]) -> str:
    if not conflicts:
        return ""
    return f"；按用户选择以文件覆盖系统中的修改 {len(conflicts)} 处：" + "、".join(
        dict.fromkeys(c.who for c in conflicts)
    )


def _choice_errors(plan: Plan) -> list[RowError]:
    return [RowError("", 0, "", problem) for problem in plan.overwrite.problems(plan.conflicts)]


# ---------------------------------------------------------------------------------------------
# Background imports for the browser: the request stores the upload and starts a detached
# process; the process (command `import-job`) records its progress on the ImportJob row.

PROGRESS_INTERVAL = 0.5  # seconds between progress writes to the job row


def uploads_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@transaction.atomic
def import_job_create(
    *, upload: UploadedFile | Path, school_year: int, user: Actor | None, skip_invalid: bool = False
) -> ImportJob:
    """Store the uploaded workbook under LIANGJI_DATA_DIR/uploads and queue a job for it."""
    original = (
        Path(upload.name or "workbook.xlsx").name
        if isinstance(upload, UploadedFile)
        else upload.name
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = (
        uploads_dir() / f"{stamp}-{uuid.uuid4().hex[:8]}{Path(original).suffix.lower() or '.xlsx'}"
    )
    if isinstance(upload, UploadedFile):
        with target.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    else:
        shutil.copyfile(upload, target)
    job = ImportJob.objects.create(
        file_path=str(target),
        original_name=original[:255],
        school_year=school_year,
        user=user_or_none(user),
        skip_invalid=skip_invalid,
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="ImportJob",
        entity_id=job.pk,
        summary=f"上传导入文件 {original}（{school_year}学年）",
    )
    return job


def _database_url() -> str:
    """The URL of the database this process uses, so that the job's process uses the same one
    (the environment may not name it: the embedded default, or a test database)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    auth = f"{quote(user)}{':' + quote(password) if password else ''}@" if user else ""
    host, port = settings_dict.get("HOST") or "", settings_dict.get("PORT") or ""
    return (
        f"postgres://{auth}{host}{':' + str(port) if port else ''}/{quote(settings_dict['NAME'])}"
    )


def process_alive(pid: int) -> bool:
    """Whether the worker still runs. psutil asks the system the same way on Linux and Windows
    (where `os.kill(pid, 0)` would end the process instead of probing it); an exited child not yet
    reaped is a zombie: gone."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # someone else's process: it exists
        return True


def import_job_check_alive(job: ImportJob) -> ImportJob:
    """A running job whose process is gone is marked 失败. Its import ran in one transaction,
    which the database rolled back when the process died, so nothing was half-written."""
    running = {ImportJobState.CHECKING, ImportJobState.IMPORTING}
    if job.state not in running or job.worker_pid is None or process_alive(job.worker_pid):
        return job
    ImportJob.objects.filter(pk=job.pk, state=job.state).update(
        state=ImportJobState.FAILED,
        message="导入进程意外中止（例如电脑重启或内存不足），没有写入任何数据；请重新上传文件。",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def import_job_start(
    job: ImportJob, *, confirm: bool, overwrite: Overwrite = NO_OVERWRITE
) -> subprocess.Popen[bytes]:
    """Launch the job in a detached process so that no request waits for it.

    `overwrite` (with `confirm`): the conflicts the preview listed that the user chose the file
    for (all, or those whose keys were ticked).
    """
    if confirm:
        updated = ImportJob.objects.filter(
            pk=job.pk, state=ImportJobState.AWAITING_CONFIRMATION
        ).update(
            state=ImportJobState.QUEUED,
            stage="等待导入",
            done=0,
            total=None,
            overwrite_edits=overwrite.everything,
            overwrite_keys=sorted(overwrite.keys),
        )
        if not updated:
            raise ValueError("只有“待确认”状态的导入任务才能确认导入")
    command = [sys.executable, "-m", "liangji", "import-job", str(job.pk)]
    if confirm:
        command.append("--confirm")
    log = (uploads_dir() / f"job-{job.pk}.log").open("ab")
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,  # survives the web worker that started it
        env={**os.environ, "DATABASE_URL": _database_url()},
    )


class JobProgress:
    """Writes progress to the job row, at most every PROGRESS_INTERVAL seconds.

    Inside the import's transaction an update on the same connection would stay invisible
    until the end, so PostgreSQL gets it through a second, autocommitting connection. SQLite
    has one writer at a time: there the row keeps the last stage reported before the writes.
    """

    def __init__(self, job: ImportJob) -> None:
        self.job, self.last = job, 0.0
        self.side: BaseDatabaseWrapper | None = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(
                stage=stage[:40], done=done, total=total
            )
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET stage = %s, done = %s, total = %s "
                    "WHERE id = %s",
                    [stage[:40], done, total, self.job.pk],
                )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _job_lines(result: ImportResult) -> list[str]:
    # The job page links the error report itself; its path on the server is no news to users.
    report = {f"错误报告：{result.error_report}"} if result.error_report else set()
    return [line for line in result.summary_lines() if line not in report]


def _as_uploaded(text: str, job: ImportJob) -> str:
    """Messages name the file as the user uploaded it, not as it is stored."""
    stored = Path(job.file_path).name
    return text.replace(stored, job.original_name) if job.original_name and stored else text


def _job_overwrite(job: ImportJob) -> Overwrite:
    return Overwrite(everything=job.overwrite_edits, keys=frozenset(job.overwrite_keys or ()))


def import_job_run(job: ImportJob, *, confirm: bool) -> ImportJob:
    """The dry run (→ 待确认) or, confirmed, the import (→ 完成 / 已拒绝); a crash → 失败."""
    state = ImportJobState.IMPORTING if confirm else ImportJobState.CHECKING
    ImportJob.objects.filter(pk=job.pk).update(
        state=state, stage="读取文件", done=0, total=None, worker_pid=os.getpid()
    )
    progress = JobProgress(job)
    try:
        result = workbook_import(
            path=Path(job.file_path),
            school_year=job.school_year,
            user=job.user,
            skip_invalid=job.skip_invalid,
            dry_run=not confirm,
            overwrite=_job_overwrite(job) if confirm else NO_OVERWRITE,
            progress=progress,
        )
    except Exception:  # recorded on the job; the import's transaction was rolled back
        logging.getLogger("liangji").exception("import job %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            state=ImportJobState.FAILED,
            # The exception's own text is English and names the stored file: it goes to the
            # log; the user reads what happened and what to do.
            message=(
                f"导入{job.original_name or '工作簿'}时出错，没有写入任何数据。"
                "详情已记入系统日志，请联系系统管理员。"
            ),
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    finally:
        progress.close()
    if result.rejected:
        final = ImportJobState.REJECTED
    elif confirm:
        final = ImportJobState.DONE
    else:
        final = ImportJobState.AWAITING_CONFIRMATION
    ImportJob.objects.filter(pk=job.pk).update(
        state=final,
        stage="",
        result=result.as_json(),
        message=_as_uploaded("\n".join(_job_lines(result)[:3]), job)[:1000],
        error_report=str(result.error_report or ""),
        finished_at=timezone.now() if final != ImportJobState.AWAITING_CONFIRMATION else None,
    )
    job.refresh_from_db()
    return job
