"""Writes of the reports app: every export and every reveal of personal data is audited, in the
same transaction as the bookkeeping of the export."""

from __future__ import annotations

import dataclasses
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from liangji.accounts.models import user_or_none
from liangji.accounts.scope import scope_for
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.imports.services import _database_url, process_alive
from liangji.registers.models import SchoolYear, Unit
from liangji.reports.models import DocumentKind, Narrative, ReportJob, ReportJobState

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


@transaction.atomic
def report_export_record(
    *,
    user: Actor | None,
    what: str,
    unit: Unit,
    school_year: int,
    rows: int,
    fmt: str,
    full_ids: bool = False,
    target: str = "",
) -> None:
    """Who exported which report of which unit, and how many lines of it."""
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="Report",
        entity_id=what[:40],
        summary=(
            f"导出 {school_year} 学年 {unit.name} {what}（{fmt}，{rows} 行）"
            f"{'（含完整身份证号）' if full_ids else ''}{f' 至 {target}' if target else ''}"
        ),
        unit=unit,
    )


@transaction.atomic
def report_ids_reveal(
    *, user: Actor | None, what: str, unit: Unit, school_year: int, rows: int
) -> None:
    """Full ID numbers shown on a report page: a reveal of personal data."""
    audit_record(
        user=user,
        action=AuditAction.REVEAL,
        entity="Report",
        entity_id=what[:40],
        summary=f"显示完整身份证号：{school_year} 学年 {unit.name} {what}（{rows} 人）",
        unit=unit,
    )


@transaction.atomic
def narrative_save(
    *, town: Unit, school_year: SchoolYear, document: str, texts: dict[str, str], user: Actor | None
) -> int:
    """Keep the office's narrative sections of one document for one school year."""
    changed = 0
    for section, text in texts.items():
        narrative, created = Narrative.objects.get_or_create(
            town=town, school_year=school_year, document=document, section=section
        )
        if created or narrative.text != text:
            narrative.text = text
            narrative.updated_by = user_or_none(user)
            narrative.full_clean()
            narrative.save()
            changed += 1
    if changed:
        audit_record(
            user=user,
            action=AuditAction.UPDATE,
            entity="Narrative",
            entity_id=document,
            summary=f"修改 {town.name} {school_year.year} 学年{DocumentKind(document).label}文稿"
            f"（{changed} 部分）",
            unit=town,
        )
    return changed


def reports_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "reports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@transaction.atomic
def report_job_create(
    *, report: str, fmt: str, school_year: SchoolYear, town: Unit, unit: Unit, user: Actor | None
) -> ReportJob:
    job = ReportJob.objects.create(
        report=report, fmt=fmt, school_year=school_year.year, town=town, unit=unit,
        user=user_or_none(user),
    )  # fmt: skip
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="ReportJob",
        entity_id=job.pk,
        summary=f"生成 {school_year.year} 学年 {unit.name} {report}（{fmt}）",
        unit=unit,
    )
    return job


def report_job_start(job: ReportJob) -> subprocess.Popen[bytes]:
    """Run the job in a detached process (as imports do): no request waits for it."""
    log = (reports_dir() / f"job-{job.pk}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "liangji", "report-job", str(job.pk)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,
        env={**os.environ, "DATABASE_URL": _database_url()},
    )


def report_job_check_alive(job: ReportJob) -> ReportJob:
    """A running job whose process is gone is shown as failed, not as running forever."""
    running = {ReportJobState.QUEUED, ReportJobState.RUNNING}
    if job.state not in running or job.worker_pid is None or process_alive(job.worker_pid):
        return job
    ReportJob.objects.filter(pk=job.pk, state=job.state).update(
        state=ReportJobState.FAILED,
        message="生成进程意外中止（例如电脑重启或内存不足）；请重新生成。",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def report_job_run(job: ReportJob) -> ReportJob:
    """Generate the report of a job into the data directory and file a document into the
    archive; the job row carries the progress for the page that shows it."""
    from liangji.reports.catalogue import report_get, report_request

    ReportJob.objects.filter(pk=job.pk).update(
        state=ReportJobState.RUNNING, stage="准备", worker_pid=os.getpid()
    )

    def progress(stage: str, done: int, total: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(stage=stage[:40], done=done, total=total)

    try:
        spec = report_get(job.report)
        request = report_request(
            school_year=job.school_year, town=job.town, unit=job.unit, user=job.user,
            unit_ids=scope_for(job.user).unit_ids if job.user else None,
            today=timezone.localdate(),
        )  # fmt: skip
        request = dataclasses.replace(request, progress=progress)
        content = spec.render(request, job.fmt)
        path = reports_dir() / f"{job.pk}-{spec.title}-{job.unit.name}-{job.school_year}.{job.fmt}"
        path.write_bytes(content)
        _archive(job, spec.name, spec.title, path, content, request)
    except Exception as exc:  # recorded on the job; nothing was half-written
        logging.getLogger("liangji").exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            state=ReportJobState.FAILED,
            message=f"生成失败：{exc}"[:1000],
            finished_at=timezone.now(),
        )
    else:
        ReportJob.objects.filter(pk=job.pk).update(
            state=ReportJobState.DONE, stage="", file_path=str(path), finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


# Where each generated document goes in the 两基档案 catalogue.
ARCHIVE_ENTRIES = {
    "doc-indicators": "A1-3",
    "doc-self-check": "A2-4",
    "doc-briefing": "A2-9",
}


def _archive(
    job: ReportJob, name: str, title: str, path: Path, content: bytes, request: Any
) -> None:
    entry = ARCHIVE_ENTRIES.get(name)
    if entry is None:
        return
    from liangji.archive.services import archive_file_generated

    archive_file_generated(
        user=job.user,
        unit=job.unit,
        school_year=request.school_year,
        entry_code=entry,
        title=f"{job.unit.name}{title}",
        filename=path.name,
        content=content,
        figures={},
        key=f"reports.{name}.{job.fmt}",
        generator=f"reports.{name}",
    )
