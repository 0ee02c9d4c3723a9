"""Pages of the reports app. Thin: read through `selectors`, lay out through the sheet modules,
record exports through `services`; every page is scoped and guarded by a capability."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import access_unit, can, capability_required, scope_for
from liangji.downloads import download as attachment
from liangji.indicators.report import IndicatorError
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.pdf import FontMissing
from liangji.registers.school_year import school_year_for
from liangji.reports import indicator_sheets, selectors, services
from liangji.reports.catalogue import ReportKind, check_unit, report_get, report_request
from liangji.reports.documents import DOCUMENT_BY_NAME, NARRATIVE_SECTIONS
from liangji.reports.forms import NarrativeForm
from liangji.reports.layout import Sheet, sheets_pdf, sheets_xlsx
from liangji.reports.models import DocumentKind

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _school_year(request: HttpRequest) -> SchoolYear | None:
    if hasattr(request, "school_year"):  # set by the school-year middleware
        return request.school_year  # type: ignore[no-any-return]
    return school_year_for(request)


def _where(request: HttpRequest) -> tuple[SchoolYear | None, Unit | None]:
    return _school_year(request), selectors.report_town(request.user, request.GET.get("town"))


def _nothing(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "reports/nothing.html", {"title": title})


def download(content: bytes, filename: str, fmt: str) -> HttpResponse:
    return attachment(content, filename=filename, content_type=CONTENT_TYPES[fmt])


def _sheets_download(
    request: HttpRequest,
    sheets: Sequence[Sheet],
    *,
    fmt: str,
    unit: Unit,
    school_year: int,
    full_ids: bool = False,
) -> HttpResponse:
    if fmt == "pdf":
        try:
            content = sheets_pdf(sheets)
        except FontMissing as exc:  # never a PDF without readable Chinese
            messages.error(request, str(exc))
            params = request.GET.copy()
            params.pop("format", None)
            return redirect(f"{request.path}?{params.urlencode()}")
    else:
        buffer = io.BytesIO()
        sheets_xlsx(sheets, buffer)
        content = buffer.getvalue()
    what = sheets[0].title
    services.report_export_record(
        user=request.user,
        what=what,
        unit=unit,
        school_year=school_year,
        rows=sum(len(s.rows) for s in sheets),
        fmt=fmt,
        full_ids=full_ids,
    )
    return download(content, f"{what}-{school_year}.{fmt}", fmt)


def _fmt(request: HttpRequest, allowed: tuple[str, ...]) -> str | None:
    fmt = request.GET.get("format", "")
    return fmt if fmt in allowed else None


@require_GET
@capability_required("reports.view")
def home(request: HttpRequest) -> HttpResponse:
    school_year, town = _where(request)
    units = selectors.report_units(request.user, town) if town is not None else []
    context = {
        "school_year": school_year,
        "town": town,
        "towns": selectors.report_towns(request.user),
        "can_write": can(request.user, "reports.write"),
        "tables": selectors.report_choices(ReportKind.TABLE, units),
        "rosters": selectors.report_choices(ReportKind.ROSTER, units),
        "can_reveal": can(request.user, "id.reveal"),
    }
    return render(request, "reports/home.html", context)


@require_GET
@capability_required("reports.view")
def report_download(request: HttpRequest, name: str) -> HttpResponse:
    """One statistical table or roster of one unit, as Excel or PDF (scoped, audited)."""
    school_year, town = _where(request)
    if school_year is None or town is None:
        return _nothing(request, "报表")
    try:
        spec = report_get(name)
    except IndicatorError:
        raise Http404("没有找到该报表，或您无权查看。") from None
    if spec.sheets is None:
        raise Http404("没有找到该报表，或您无权查看。")
    unit_id = request.GET.get("unit") or selectors.focus_unit_id(request.user, town)
    unit = access_unit(request.user, unit_id)
    fmt = request.GET.get("format", "xlsx")
    if (fmt == "pdf" and spec.kind == ReportKind.ROSTER) or spec.name == "tables":
        # A roster of a whole town prints hundreds of pages, and the set of every table is
        # long work too: both are generated in the background, the page shows the progress.
        if fmt not in spec.formats or unit.kind not in spec.unit_kinds:
            raise Http404("没有找到该报表，或您无权查看。")
        job = services.report_job_create(
            report=spec.name, fmt=fmt, school_year=school_year, town=town, unit=unit,
            user=request.user,
        )  # fmt: skip
        services.report_job_start(job)
        return redirect("reports:job_detail", pk=job.pk)
    # Full ID numbers only on request, for a role that may reveal them; the export says so.
    full_ids = bool(request.GET.get("full_ids")) and can(request.user, "id.reveal")
    try:
        check_unit(spec, unit)
        if fmt not in spec.formats:
            raise IndicatorError(f"{spec.title}没有 {fmt} 格式")
        report = report_request(
            school_year=school_year.year, town=town, unit=unit, user=request.user,
            unit_ids=scope_for(request.user).unit_ids, today=timezone.localdate(),
            full_ids=full_ids,
        )  # fmt: skip
        content = spec.render(report, fmt)
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return _nothing(request, spec.title)
    services.report_export_record(
        user=request.user, what=spec.title, unit=unit, school_year=school_year.year, rows=0,
        fmt=fmt, full_ids=full_ids and spec.person_data,
    )  # fmt: skip
    return download(content, f"{spec.title}-{unit.name}-{school_year.year}.{fmt}", fmt)


@require_GET
@capability_required("reports.view")
def indicators(request: HttpRequest) -> HttpResponse:
    school_year, town = _where(request)
    if school_year is None or town is None:
        return _nothing(request, "两基指标")
    try:
        table = selectors.indicator_table(user=request.user, school_year=school_year, town=town)
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return _nothing(request, "两基指标")
    fmt = _fmt(request, ("xlsx", "pdf"))
    if fmt is not None:
        sheets = indicator_sheets.indicator_table_sheets(table, today=timezone.localdate())
        return _sheets_download(request, sheets, fmt=fmt, unit=town, school_year=school_year.year)
    units = {row.unit.unit_id for row in table.rows if row.unit.unit_id is not None}
    wanted = request.GET.get("unit", "")
    trend_unit = int(wanted) if wanted.isdigit() and int(wanted) in units else None
    if trend_unit is None:
        focus = selectors.focus_unit_id(request.user, town)
        trend_unit = focus if focus in units else next(iter(sorted(units)), None)
    trend = (
        selectors.indicator_trend(user=request.user, town=town, unit_id=trend_unit)
        if trend_unit is not None
        else {}
    )
    context = {
        "school_year": school_year,
        "town": town,
        "towns": selectors.report_towns(request.user),
        "table": table,
        "trend": trend,
        "trend_unit": trend_unit,
        "people_base": f"{reverse('reports:indicator_people')}?town={town.pk}&code=",
        "trend_units": [r.unit for r in table.rows if r.unit.unit_id is not None],
    }
    return render(request, "reports/indicators.html", context)


@require_http_methods(["GET", "POST"])
@capability_required("reports.view")
def indicator_people(request: HttpRequest) -> HttpResponse:
    """The people behind one cell: GET shows them masked; POST with `reveal` shows full IDs
    (audited) to a user who may reveal them."""
    params = request.POST if request.method == "POST" else request.GET
    school_year, town = (
        _school_year(request),
        selectors.report_town(request.user, params.get("town")),
    )
    if school_year is None or town is None:
        return _nothing(request, "未达标人员")
    try:
        query = selectors.indicator_people_query(
            user=request.user,
            town=town,
            code=params.get("code", ""),
            unit_id=params.get("unit"),
            group=params.get("group") or None,
        )
        rows = selectors.indicator_people(user=request.user, school_year=school_year, query=query)
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return _nothing(request, "未达标人员")
    reveal = request.method == "POST" and can(request.user, "id.reveal")
    if request.method == "POST" and not reveal:
        messages.error(request, "您的角色无权查看完整身份证号。")
    what = f"{query.definition.name}未达标人员名单"
    if reveal:
        services.report_ids_reveal(
            user=request.user, what=what, unit=query.unit, school_year=school_year.year,
            rows=len(rows),
        )  # fmt: skip
    fmt = _fmt(request, ("xlsx", "pdf"))
    sheet = indicator_sheets.people_sheet(
        rows, query=query, school_year=school_year.year, today=timezone.localdate(),
        full_ids=False,
    )  # fmt: skip
    if fmt is not None and request.method == "GET":
        return _sheets_download(
            request, [sheet], fmt=fmt, unit=query.unit, school_year=school_year.year
        )
    context = {
        "school_year": school_year,
        "town": town,
        "query": query,
        "rows": rows,
        "reveal": reveal,
        "can_reveal": can(request.user, "id.reveal"),
        "params": {"code": query.code, "unit": query.unit.pk, "group": query.group or ""},
    }
    return render(request, "reports/indicator_people.html", context)


@require_GET
@capability_required("reports.view")
def crosscheck(request: HttpRequest) -> HttpResponse:
    school_year, town = _where(request)
    if school_year is None or town is None:
        return _nothing(request, "辍学率校验表")
    try:
        rows = selectors.crosscheck_rows(user=request.user, school_year=school_year, town=town)
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return _nothing(request, "辍学率校验表")
    fmt = _fmt(request, ("xlsx", "pdf"))
    if fmt is not None:
        sheets = indicator_sheets.crosscheck_sheets(
            rows, town=town, school_year=school_year.year, today=timezone.localdate()
        )
        return _sheets_download(request, sheets, fmt=fmt, unit=town, school_year=school_year.year)
    context = {"school_year": school_year, "town": town, "rows": rows}
    return render(request, "reports/crosscheck.html", context)


@require_GET
@capability_required("reports.view")
def reconciliation(request: HttpRequest) -> HttpResponse:
    school_year, town = _where(request)
    if school_year is None or town is None:
        return _nothing(request, "四查三比对")
    try:
        report = selectors.reconciliation(user=request.user, school_year=school_year, town=town)
    except IndicatorError as exc:
        messages.error(request, str(exc))
        return _nothing(request, "四查三比对")
    fmt = _fmt(request, ("xlsx", "pdf"))
    if fmt is not None:
        sheet = indicator_sheets.reconciliation_sheet(report, town=town, today=timezone.localdate())
        return _sheets_download(request, [sheet], fmt=fmt, unit=town, school_year=school_year.year)
    services_counts = report.counts()
    context = {
        "school_year": school_year,
        "town": town,
        "report": report,
        "counts": services_counts,
    }
    return render(request, "reports/reconciliation.html", context)


# -- documents, narratives and background jobs ---------------------------------------------
def _document_kind(kind: str) -> str:
    if kind not in NARRATIVE_SECTIONS:
        raise Http404("没有找到该文稿。")
    return kind


@require_GET
@capability_required("reports.write")
def documents(request: HttpRequest) -> HttpResponse:
    school_year, town = _where(request)
    if school_year is None or town is None:
        return _nothing(request, "文稿")
    jobs = [
        services.report_job_check_alive(job)
        for job in selectors.report_jobs(request.user, town=town)[:20]
    ]
    context = {
        "school_year": school_year,
        "town": town,
        "towns": selectors.report_towns(request.user),
        "kinds": [(name, DOCUMENT_BY_NAME[name]) for name in DOCUMENT_BY_NAME],
        "jobs": jobs,
    }
    return render(request, "reports/documents.html", context)


@require_http_methods(["GET", "POST"])
@capability_required("reports.write")
def narrative_edit(request: HttpRequest, kind: str) -> HttpResponse:
    document = _document_kind(kind)
    school_year, town = (
        _school_year(request),
        selectors.report_town(request.user, request.POST.get("town") or request.GET.get("town")),
    )
    if school_year is None or town is None:
        return _nothing(request, "文稿")
    access_unit(request.user, town.pk)
    sections = NARRATIVE_SECTIONS[document]
    form = NarrativeForm(request.POST or None, sections=sections,
                        initial=selectors.narrative_texts(town, school_year, document))  # fmt: skip
    if request.method == "POST" and form.is_valid():
        changed = services.narrative_save(
            town=town, school_year=school_year, document=document,
            texts={key: form.cleaned_data[key] for key, _, _ in sections}, user=request.user,
        )  # fmt: skip
        messages.success(request, f"已保存（{changed} 部分有修改）。")
        return redirect(f"{reverse('reports:documents')}?town={town.pk}")
    context = {"school_year": school_year, "town": town, "form": form,
               "title": DocumentKind(document).label, "kind": document}  # fmt: skip
    return render(request, "reports/narrative_edit.html", context)


@require_POST
@capability_required("reports.write")
def document_generate(request: HttpRequest) -> HttpResponse:
    """Queue a document (or a set of tables) and start its background process."""
    school_year, town = (
        _school_year(request),
        selectors.report_town(request.user, request.POST.get("town")),
    )
    if school_year is None or town is None:
        return _nothing(request, "文稿")
    name, fmt = request.POST.get("report", ""), request.POST.get("format", "")
    try:
        spec = report_get(name)
    except IndicatorError:
        raise Http404("没有找到该报表。") from None
    unit = access_unit(request.user, request.POST.get("unit") or town.pk)
    if fmt not in spec.formats or unit.kind not in spec.unit_kinds:
        messages.error(request, f"{spec.title}没有这种格式或不按该单位编制。")
        return redirect(f"{reverse('reports:documents')}?town={town.pk}")
    job = services.report_job_create(
        report=spec.name, fmt=fmt, school_year=school_year, town=town, unit=unit,
        user=request.user,
    )  # fmt: skip
    services.report_job_start(job)
    return redirect("reports:job_detail", pk=job.pk)


@require_GET
@capability_required("reports.view")
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = services.report_job_check_alive(selectors.report_job_access(request.user, pk))
    context = {"job": job, "title": selectors.report_title(job.report),
               "running": job.state in ("排队", "生成中")}  # fmt: skip
    return render(request, "reports/job_detail.html", context)


@require_GET
@capability_required("reports.view")
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.report_job_access(request.user, pk)
    path = Path(job.file_path) if job.file_path else None
    if job.state != "完成" or path is None or not path.is_file():
        raise Http404("文件尚未生成或已被删除。")
    services.report_export_record(
        user=request.user, what=selectors.report_title(job.report), unit=job.unit,
        school_year=job.school_year, rows=0, fmt=job.fmt,
    )  # fmt: skip
    return download(path.read_bytes(), path.name.split("-", 1)[1], job.fmt)
