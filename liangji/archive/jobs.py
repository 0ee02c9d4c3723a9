"""Generation and export in a background process, with progress (as imports run): the page
creates an `ArchiveJob`, `archive_job_start` launches `liangji archive run-job ID` detached from
the web worker, and the job row carries progress and the result."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from liangji.accounts.models import user_or_none
from liangji.archive.models import ArchiveJob, JobKind, JobState
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record

# Reused from the importer: which database URL the child must open, and whether a job's
# process is still alive (both are the importer's background-process mechanics).
from liangji.imports.services import _database_url, process_alive
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor


PROGRESS_INTERVAL = 0.5


def exports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "archive-exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@transaction.atomic
def archive_job_create(
    *, user: ArchiveActor, kind: JobKind | str, unit: Unit, year_from: int, year_to: int
) -> ArchiveJob:
    job = ArchiveJob.objects.create(
        kind=kind,
        unit=unit,
        year_from=year_from,
        year_to=year_to,
        user=user_or_none(user),
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="ArchiveJob",
        entity_id=job.pk,
        summary=f"{job.get_kind_display()}：{unit.name} {year_from}—{year_to}学年",
        unit=unit,
    )
    return job


def archive_job_start(job: ArchiveJob) -> subprocess.Popen[bytes]:
    log = (exports_dir() / f"job-{job.pk}.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "liangji", "archive", "run-job", str(job.pk)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        start_new_session=True,  # survives the web worker that started it
        env={**os.environ, "DATABASE_URL": _database_url()},
    )


def archive_job_check_alive(job: ArchiveJob) -> ArchiveJob:
    if job.state != JobState.RUNNING or job.worker_pid is None or process_alive(job.worker_pid):
        return job
    ArchiveJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
        state=JobState.FAILED,
        message="后台进程意外中止（例如电脑重启）；已生成的文件已保存，请重新开始。",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


class _Progress:
    def __init__(self, job: ArchiveJob) -> None:
        self.job, self.last = job, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL and done != total:
            return
        self.last = now
        ArchiveJob.objects.filter(pk=self.job.pk).update(done=done, total=total)


def archive_job_run(job: ArchiveJob) -> ArchiveJob:
    """Run a job in this process (the background process, or a test)."""
    from liangji.archive.export import archive_export
    from liangji.archive.selectors import unit_subtree
    from liangji.archive.services import archive_generate

    ArchiveJob.objects.filter(pk=job.pk).update(state=JobState.RUNNING, worker_pid=os.getpid())
    progress = _Progress(job)
    try:
        if job.kind == JobKind.EXPORT:
            target = (
                exports_dir() / f"archive-{job.pk}-{job.unit_id}-{job.year_from}-{job.year_to}.zip"
            )
            result = archive_export(
                user=job.user, unit=job.unit, year_from=job.year_from, year_to=job.year_to,
                target=target, progress=progress,
            )  # fmt: skip
            message = f"已导出 {result.files} 个文件（{result.size / 1e6:.1f} MB）"
            ArchiveJob.objects.filter(pk=job.pk).update(
                result_path=str(target.relative_to(Path(settings.DATA_DIR))),
                result_size=result.size,
            )
        else:
            count = 0
            units = unit_subtree(job.user, job.unit) if job.user else [job.unit]
            for school_year in SchoolYear.objects.filter(
                year__gte=job.year_from, year__lte=job.year_to
            ).order_by("year"):
                count += archive_generate(
                    user=job.user, units=units, school_year=school_year, progress=progress
                )
            message = f"已生成并归档 {count} 个文件"
        ArchiveJob.objects.filter(pk=job.pk).update(
            state=JobState.DONE, message=message, finished_at=timezone.now()
        )
    except Exception as error:  # the page must say it failed, never spin forever
        ArchiveJob.objects.filter(pk=job.pk).update(
            state=JobState.FAILED,
            message=f"任务失败：{error}"[:1000],
            finished_at=timezone.now(),
        )
        raise
    job.refresh_from_db()
    return job
