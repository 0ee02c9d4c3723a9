"""Import in the browser: upload, background check with live progress, preview, confirm, and
the row error report (an audited export). The work runs in the importer's detached process."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import capability_required
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.downloads import download, download_file
from liangji.imports.conflicts import NO_OVERWRITE, Overwrite
from liangji.imports.forms import ImportUploadForm
from liangji.imports.models import ACTIVE_STATES, ImportJob, ImportJobState
from liangji.imports.selectors import access_import_job, import_jobs_visible
from liangji.imports.services import (
    COUNT_LABELS,
    import_job_check_alive,
    import_job_create,
    import_job_start,
)
from liangji.imports.template import template_write
from liangji.registers.school_year import school_year_of

logger = logging.getLogger("liangji.web")


@require_http_methods(["GET", "POST"])
@capability_required("import.run")
def import_list(request: HttpRequest) -> HttpResponse:
    current = school_year_of(request)
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"school_year": current.year if current else None},
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = import_job_create(
                upload=form.cleaned_data["workbook"],
                school_year=form.cleaned_data["school_year"],
                user=request.user,
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        if _started(request, job, confirm=False):
            return redirect("imports:import_detail", pk=job.pk)
    jobs = import_jobs_visible(request.user).order_by("-created_at", "-id")[:30]
    return render(request, "imports/import_list.html", {"form": form, "jobs": jobs})


def _started(
    request: HttpRequest, job: ImportJob, *, confirm: bool, overwrite: Overwrite = NO_OVERWRITE
) -> bool:
    """Launch the background process; if the machine refuses, say so instead of a 500."""
    try:
        import_job_start(job, confirm=confirm, overwrite=overwrite)
    except OSError as exc:
        logger.exception("import job %s could not start", job.pk)
        messages.error(
            request, f"无法启动后台导入进程（{exc.__class__.__name__}），请稍后重试或联系管理员。"
        )
        return False
    return True


def _job_context(job: ImportJob) -> dict[str, object]:
    result = job.result or {}
    counts = [
        (label, result.get("counts", {}).get(key))
        for key, label in COUNT_LABELS.items()
        if result.get("counts", {}).get(key)
    ]
    return {
        "job": job,
        "active": job.state in ACTIVE_STATES,
        "awaiting": job.state == ImportJobState.AWAITING_CONFIRMATION,
        "result": result,
        "counts": counts,
        "has_report": bool(job.error_report) and Path(job.error_report).is_file(),
    }


@require_GET
@capability_required("import.run")
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_job_check_alive(access_import_job(request.user, pk))
    return render(request, "imports/import_detail.html", _job_context(job))


@require_GET
@capability_required("import.run")
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment htmx polls while the job runs; once final it stops asking."""
    job = import_job_check_alive(access_import_job(request.user, pk))
    return render(request, "imports/_import_status.html", _job_context(job))


@require_POST
@capability_required("import.run")
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(request.user, pk)
    # "全部" covers the conflicts the page did not list too; otherwise the ticked rows only.
    overwrite = Overwrite(
        everything=request.POST.get("overwrite_edits") == "on",
        keys=frozenset(request.POST.getlist("overwrite")),
    )
    try:
        started = _started(request, job, confirm=True, overwrite=overwrite)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        if started:
            messages.info(request, "已开始导入，请稍候。")
    return redirect("imports:import_detail", pk=job.pk)


@require_GET
@capability_required("import.run")
def import_error_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = access_import_job(request.user, pk)
    path = Path(job.error_report) if job.error_report else None
    if path is None or not path.is_file():
        messages.error(request, "该导入任务没有错误报告（或文件已被删除）。")
        return redirect("imports:import_detail", pk=job.pk)
    with transaction.atomic():
        audit_record(
            user=request.user,
            action=AuditAction.EXPORT,
            entity="ImportJob",
            entity_id=job.pk,
            summary=f"下载导入错误报告：{job.original_name}（{job.school_year}学年）",
            unit=getattr(request.user, "unit", None),
        )
    name = f"{Path(job.original_name or 'workbook').stem}-错误报告.xlsx"
    return download_file(path, filename=name)


@require_GET
@capability_required("import.run")
def import_template(request: HttpRequest) -> HttpResponse:
    """The blank workbook with its instructions sheet (no personal data: not audited)."""
    with tempfile.TemporaryDirectory() as directory:
        path = template_write(Path(directory) / "template.xlsx")
        content = path.read_bytes()
    return download(
        content,
        filename="两基导入模板.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
