"""Pages of the 两基档案. Thin: read through `selectors`, write through `services`; every page is
scoped by `accounts.scope` and guarded by a capability; every download is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import (
    access_person,
    access_person_record,
    access_unit,
    can,
    capability_required,
)
from liangji.archive import jobs, selectors, services, spotchecks
from liangji.archive.chain import person_chain
from liangji.archive.consistency import documents_stale
from liangji.archive.forms import (
    EntryForm,
    ExportForm,
    ProofForm,
    ReplaceForm,
    SpotCheckForm,
    UploadForm,
    VerdictForm,
)
from liangji.archive.models import (
    ArchiveJob,
    CatalogueEntry,
    JobKind,
    JobState,
    SpotCheck,
    SpotCheckItem,
)
from liangji.archive.services import ArchiveError
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.school_year import school_year_for

MISSING_SHOWN = 200


def _school_year(request: HttpRequest) -> SchoolYear | None:
    # The middleware of issue 12 sets request.school_year; until it is installed everywhere,
    # read the same session key through the same function.
    if hasattr(request, "school_year"):
        return request.school_year  # type: ignore[no-any-return]
    return school_year_for(request)


def _form_errors(form: Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}：{text}" if label else text)
    return ";".join(parts)


def _chosen_unit(request: HttpRequest) -> Unit | None:
    """The unit asked for (?unit=ID, in scope), else the user's own (a county: its first town)."""
    user = request.user
    if request.GET.get("unit"):
        return access_unit(user, request.GET["unit"])
    own = getattr(user, "unit", None)
    if own is not None and services.unit_level_of(own) is not None:
        return own  # type: ignore[no-any-return]
    return selectors.archive_units(user).filter(kind__in=["镇", "乡", "街道"]).first()


def _home_url(unit: Unit) -> str:
    return f"{reverse('archive:home')}?unit={unit.pk}"


def _writable(request: HttpRequest, unit: Unit) -> bool:
    return can(request.user, "archive.edit") and unit.pk in selectors.visible_unit_ids(request.user)


@require_GET
@capability_required("archive.view")
def home(request: HttpRequest) -> HttpResponse:
    school_year = _school_year(request)
    unit = _chosen_unit(request)
    if school_year is None or unit is None:
        return render(request, "archive/empty.html", {})
    user = request.user
    result = selectors.completeness(user=user, unit=unit, school_year=school_year)
    level = services.unit_level_of(unit)
    documents = selectors.unit_documents(user=user, unit=unit, school_year=school_year)
    tree = [
        (entry, depth, documents.get(entry.pk, []))
        for entry, depth in selectors.catalogue_tree()
        if level in entry.unit_levels
    ]
    context = {
        "unit": unit,
        "school_year": school_year,
        "units": list(selectors.archive_units(user)),
        "completeness": result,
        "missing": result.missing[:MISSING_SHOWN],
        "more_missing": max(len(result.missing) - MISSING_SHOWN, 0),
        "stale": documents_stale(user=user, unit=unit, school_year=school_year),
        "tree": tree,
        "can_edit": _writable(request, unit),
        "can_catalogue": can(user, "archive.catalogue"),
        "can_spotcheck": can(user, "archive.spotcheck"),
        "can_export": can(user, "archive.export"),
        "upload_form": UploadForm(),
        "jobs": list(ArchiveJob.objects.filter(unit=unit).order_by("-created_at")[:5]),
    }
    return render(request, "archive/home.html", context)


@require_POST
@capability_required("archive.edit")
def upload(request: HttpRequest) -> HttpResponse:
    unit = access_unit(request.user, request.POST.get("unit"))
    school_year = _school_year(request)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"未上传：{_form_errors(form)}")
        return redirect(_home_url(unit))
    entry = CatalogueEntry.objects.filter(pk=form.cleaned_data["entry"]).first()
    if entry is None:
        raise Http404("没有找到该目录条目。")
    upload_file = form.cleaned_data["file"]
    try:
        document = services.archive_file_upload(
            user=request.user, entry=entry, unit=unit, school_year=school_year,
            title=form.cleaned_data["title"], filename=upload_file.name,
            content=upload_file.read(),
        )  # fmt: skip
    except ArchiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已归档：{entry.code} {document.title}")
    return redirect(_home_url(unit))


@require_GET
@capability_required("archive.view")
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(request.user, pk)
    versions = list(document.versions.select_related("filed_by").order_by("-number"))
    context = {
        "document": document,
        "versions": versions,
        "can_edit": _writable(request, document.unit),
        "replace_form": ReplaceForm(),
    }
    return render(request, "archive/document_detail.html", context)


@require_GET
@capability_required("archive.view")
def version_download(request: HttpRequest, pk: int) -> FileResponse:
    version = selectors.access_version(request.user, pk)
    document = version.document
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件已不在数据目录中，请联系管理员从备份恢复。") from None
    with transaction.atomic():
        audit_record(
            user=request.user,
            action=AuditAction.EXPORT,
            entity="ArchiveDocument",
            entity_id=document.pk,
            summary=f"下载档案：{document.entry.code} {document.title}（第{version.number}版）",
            unit=document.unit,
        )
    return FileResponse(handle, as_attachment=True, filename=version.original_name)


@require_POST
@capability_required("archive.edit")
def replace(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(request.user, pk)
    form = ReplaceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"未替换：{_form_errors(form)}")
    else:
        upload_file = form.cleaned_data["file"]
        try:
            version = services.archive_file_replace(
                user=request.user, document=document, filename=upload_file.name,
                content=upload_file.read(), note=form.cleaned_data["note"],
            )  # fmt: skip
        except ArchiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"已上传第{version.number}版，旧版本保留。")
    return redirect("archive:document_detail", pk=document.pk)


@require_POST
@capability_required("archive.edit")
def regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.access_document(request.user, pk)
    try:
        services.document_regenerate(user=request.user, document=document)
    except ArchiveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已按现有数据重新生成：{document.title}")
    return redirect("archive:document_detail", pk=document.pk)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and allowed else fallback


@require_POST
@capability_required("archive.edit")
def proof_upload(request: HttpRequest, record_pk: int) -> HttpResponse:
    """A proof on a person's record of a year (from the person page)."""
    record = access_person_record(request.user, record_pk)
    form = ProofForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"未上传证明：{_form_errors(form)}")
    else:
        upload_file = form.cleaned_data["file"]
        try:
            services.proof_attach(
                user=request.user, record=record, kind=form.cleaned_data["kind"],
                filename=upload_file.name, content=upload_file.read(),
            )  # fmt: skip
        except ArchiveError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"已归档 {record.person.name} 的{form.cleaned_data['kind']}。"
            )
    return redirect(_safe_next(request, _home_url(record.village)))


@require_http_methods(["GET", "POST"])
@capability_required("archive.catalogue")
def catalogue(request: HttpRequest) -> HttpResponse:
    form = EntryForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        entry = CatalogueEntry.objects.filter(pk=request.POST.get("entry") or 0).first()
        try:
            _catalogue_act(request, action, entry, form)
        except ArchiveError as error:
            messages.error(request, str(error))
        return redirect("archive:catalogue")
    context = {"tree": selectors.catalogue_tree(include_retired=True), "form": form}
    return render(request, "archive/catalogue.html", context)


def _catalogue_act(
    request: HttpRequest, action: str, entry: CatalogueEntry | None, form: EntryForm
) -> None:
    user = request.user
    if action in {"up", "down", "retire", "restore"}:
        if entry is None:
            raise ArchiveError("没有找到该目录条目。")
        if action in {"up", "down"}:
            services.entry_move(user=user, entry=entry, up=action == "up")
        else:
            services.entry_retire(user=user, entry=entry, retire=action == "retire")
        messages.success(request, f"已更新：{entry}")
        return
    if not form.is_valid():
        raise ArchiveError(f"未保存：{_form_errors(form)}")
    d = form.cleaned_data
    if action == "add":
        added = services.entry_add(
            user=user, parent=entry, code=d["code"], title=d["title"],
            unit_levels=d["unit_levels"], required=d["required"], per_year=d["per_year"],
            source=d["source"],
        )  # fmt: skip
        messages.success(request, f"已新增：{added}")
    elif action == "update" and entry is not None:
        services.entry_update(
            user=user, entry=entry, title=d["title"], required=d["required"],
            per_year=d["per_year"], unit_levels=d["unit_levels"],
        )  # fmt: skip
        messages.success(request, f"已修改：{entry}")
    else:
        raise ArchiveError("无法识别的操作。")


@require_GET
@capability_required("archive.view")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    unit = access_unit(request.user, request.GET["unit"]) if request.GET.get("unit") else None
    year = SchoolYear.objects.filter(year=request.GET.get("year") or 0).first()
    entry = CatalogueEntry.objects.filter(code=request.GET.get("entry", "")).first()
    results = (
        selectors.search(user=request.user, query=query, unit=unit, school_year=year, entry=entry)
        if query or unit or year or entry
        else []
    )
    context = {
        "query": query,
        "results": results,
        "unit": unit,
        "year": year,
        "entry": entry,
        "units": list(selectors.archive_units(request.user)),
        "years": list(SchoolYear.objects.order_by("-year")),
        "entries": [e for e, _ in selectors.catalogue_tree() if e.level == "file"],
    }
    return render(request, "archive/search.html", context)


def _job_start(
    request: HttpRequest, kind: JobKind, unit: Unit, year_from: int, year_to: int
) -> HttpResponse:
    job = jobs.archive_job_create(
        user=request.user, kind=kind, unit=unit, year_from=year_from, year_to=year_to
    )
    process = jobs.archive_job_start(job)
    ArchiveJob.objects.filter(pk=job.pk).update(worker_pid=process.pid)
    return redirect("archive:job_detail", pk=job.pk)


@require_POST
@capability_required("archive.edit")
def generate(request: HttpRequest) -> HttpResponse:
    unit = access_unit(request.user, request.POST.get("unit"))
    school_year = _school_year(request)
    if school_year is None:
        raise Http404("还没有学年。")
    return _job_start(request, JobKind.GENERATE, unit, school_year.year, school_year.year)


@require_http_methods(["GET", "POST"])
@capability_required("archive.export")
def export(request: HttpRequest) -> HttpResponse:
    units = list(selectors.archive_units(request.user))
    school_year = _school_year(request)
    initial = {"year_from": school_year.year if school_year else None,
               "year_to": school_year.year if school_year else None}  # fmt: skip
    form = ExportForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = access_unit(request.user, d["unit"])
        return _job_start(request, JobKind.EXPORT, unit, d["year_from"], d["year_to"])
    return render(request, "archive/export.html", {"form": form})


def _access_job(request: HttpRequest, pk: int) -> ArchiveJob:
    job = (
        ArchiveJob.objects.filter(
            pk=pk, unit_id__in=sorted(selectors.visible_unit_ids(request.user))
        )
        .select_related("unit")
        .first()
    )
    if job is None:
        raise Http404("没有找到该任务，或您无权查看。")
    return jobs.archive_job_check_alive(job)


@require_GET
@capability_required("archive.view")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _access_job(request, pk)
    running = job.state in {JobState.QUEUED, JobState.RUNNING}
    template = (
        "archive/_job_state.html"
        if request.headers.get("HX-Request")
        else "archive/job_detail.html"
    )
    return render(request, template, {"job": job, "running": running})


@require_GET
@capability_required("archive.export")
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    from pathlib import Path

    from django.conf import settings

    job = _access_job(request, pk)
    if job.state != JobState.DONE or not job.result_path:
        raise Http404("导出尚未完成。")
    path = Path(settings.DATA_DIR) / job.result_path
    if not path.exists():
        raise Http404("导出文件已不在数据目录中，请重新导出。")
    with transaction.atomic():
        audit_record(
            user=request.user,
            action=AuditAction.EXPORT,
            entity="ArchiveJob",
            entity_id=job.pk,
            summary=f"下载档案导出包：{job.unit.name} {job.year_from}—{job.year_to}学年",
            unit=job.unit,
        )
    name = f"{job.unit.name}两基档案{job.year_from}-{job.year_to}.zip"
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


# Spot checks (抽查).


def _spot_checks_visible(request: HttpRequest) -> Any:
    return SpotCheck.objects.filter(
        unit_id__in=sorted(selectors.visible_unit_ids(request.user))
    ).select_related("unit", "school_year", "drawn_by")


@require_http_methods(["GET", "POST"])
@capability_required("archive.view")
def spot_checks(request: HttpRequest) -> HttpResponse:
    school_year = _school_year(request)
    units = list(selectors.archive_units(request.user))
    form = SpotCheckForm(request.POST or None, units=units)
    if request.method == "POST":
        if not can(request.user, "archive.spotcheck"):
            raise PermissionDenied("您的角色无权进行档案抽查。")
        if school_year is None:
            raise Http404("还没有学年。")
        if form.is_valid():
            d = form.cleaned_data
            unit = access_unit(request.user, d["unit"])
            try:
                check = spotchecks.spot_check_draw(
                    user=request.user, unit=unit, school_year=school_year, size=d["size"],
                    seed=d["seed"], note=d["note"],
                )  # fmt: skip
            except ArchiveError as error:
                messages.error(request, str(error))
            else:
                return redirect("archive:spot_check_detail", pk=check.pk)
        else:
            messages.error(request, f"未抽取：{_form_errors(form)}")
    checks = list(_spot_checks_visible(request)[:50])
    context = {
        "checks": checks,
        "form": form,
        "can_spotcheck": can(request.user, "archive.spotcheck"),
    }
    return render(request, "archive/spot_checks.html", context)


@require_GET
@capability_required("archive.view")
def spot_check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = _spot_checks_visible(request).filter(pk=pk).first()
    if check is None:
        raise Http404("没有找到该抽查，或您无权查看。")
    context = {"check": check, "items": check.items.select_related("person", "judged_by")}
    return render(request, "archive/spot_check_detail.html", context)


def _access_item(request: HttpRequest, pk: int) -> SpotCheckItem:
    item = (
        SpotCheckItem.objects.filter(pk=pk, spot_check__in=_spot_checks_visible(request))
        .select_related("spot_check__unit", "spot_check__school_year", "person")
        .first()
    )
    if item is None:
        raise Http404("没有找到该抽查对象，或您无权查看。")
    return item


@require_http_methods(["GET", "POST"])
@capability_required("archive.view")
def spot_check_item(request: HttpRequest, pk: int) -> HttpResponse:
    """The sampled person's evidence chain, and the verdict form."""
    item = _access_item(request, pk)
    form = VerdictForm(request.POST or None, initial={"verdict": item.verdict, "note": item.note})
    if request.method == "POST":
        if not can(request.user, "archive.spotcheck"):
            raise PermissionDenied("您的角色无权记录抽查结论。")
        if form.is_valid():
            try:
                spotchecks.spot_check_verdict(
                    user=request.user, item=item, verdict=form.cleaned_data["verdict"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except ArchiveError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, f"已记录：{item.person.name} {form.cleaned_data['verdict']}"
                )
                return redirect("archive:spot_check_detail", pk=item.spot_check_id)
        else:
            messages.error(request, f"未记录：{_form_errors(form)}")
    access_person(request.user, item.person_id)
    context = {
        "item": item,
        "chain": person_chain(user=request.user, person=item.person),
        "form": form,
        "can_spotcheck": can(request.user, "archive.spotcheck"),
    }
    return render(request, "archive/spot_check_item.html", context)
