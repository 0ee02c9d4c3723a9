"""Work lists: filter, assign to a village or school, resolve, export to Excel (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import access_unit, can, capability_required
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.downloads import download
from liangji.indicators import services
from liangji.indicators.forms import WorklistFilterForm, WorkResolveForm
from liangji.indicators.worklist import (
    Worklist,
    worklist_build,
    worklist_codes,
    worklist_default_code,
    worklist_units,
)
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS
from liangji.registers.privacy import mask_id
from liangji.registers.school_year import school_year_of
from liangji.registers.services import RecordChanged
from liangji.registers.spreadsheets import xlsx_bytes

PAGE_SIZE = 100


def _worklist_from(request: HttpRequest, params: Any) -> tuple[WorklistFilterForm, Worklist | None]:
    units = worklist_units(request.user)
    if not params.get("code"):  # show the list chosen by default in the filter, too
        params = params.copy()
        params["code"] = worklist_default_code(request.user)
    form = WorklistFilterForm(params, codes=worklist_codes(), units=units)
    school_year = school_year_of(request)
    if school_year is None or not form.is_valid():
        return form, None
    data = form.cleaned_data
    worklist = worklist_build(
        user=request.user, school_year=school_year, code=data["code"], unit_id=data["unit"],
        state=data["state"], assigned_unit_id=data["assigned"],
    )  # fmt: skip
    return form, worklist


@require_GET
@capability_required("worklist.view")
def worklist(request: HttpRequest) -> HttpResponse:
    form, work = _worklist_from(request, request.GET)
    if school_year_of(request) is None:
        return render(request, "web/no_school_year.html", {"title": "工作清单"})
    page = Paginator(work.lines if work else [], PAGE_SIZE).get_page(request.GET.get("page"))
    town_units = []
    if work is not None and work.town is not None and can(request.user, "worklist.assign"):
        town_units = [
            u for u in worklist_units(request.user)
            if u.parent_id == work.town.pk and u.kind in VILLAGE_KINDS | SCHOOL_KINDS
        ]  # fmt: skip
    context = {
        "form": form,
        "work": work,
        "page": page,
        "assign_units": town_units,
        "can_resolve": can(request.user, "worklist.resolve"),
        "query": request.GET.urlencode(),
    }
    return render(request, "indicators/worklist.html", context)


@require_POST
@capability_required("worklist.assign")
def worklist_assign(request: HttpRequest) -> HttpResponse:
    _, work = _worklist_from(request, request.POST)
    back = f"{reverse('indicators:worklist')}?{request.POST.get('query', '')}"
    if work is None or work.town is None or work.error:
        messages.error(request, work.error if work else "清单条件有误，请重新筛选。")
        return redirect(back)
    visible = {line.key for line in work.lines}
    keys = [k for k in request.POST.getlist("keys") if k in visible]
    target = request.POST.get("assign_to", "")
    if not keys:
        messages.error(request, "请先勾选要分派的人员。")
        return redirect(back)
    if not (target.isdigit() or target == "withdraw"):
        messages.error(request, "请选择分派给哪个村或学校。")
        return redirect(back)
    try:
        unit = access_unit(request.user, int(target)) if target.isdigit() else None
        count = services.work_items_assign(
            school_year=school_year_of(request),  # type: ignore[arg-type]
            town=work.town, list_code=work.code, keys=keys, unit=unit, user=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        done = f"已分派 {count} 人给 {unit.name}" if unit else f"已取消 {count} 人的分派"
        messages.success(request, done + "。")
    return redirect(back)


@require_http_methods(["GET", "POST"])
@capability_required("worklist.resolve")
def worklist_resolve(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    _, work = _worklist_from(request, params)
    key = params.get("key", "")
    line = next((ln for ln in (work.lines if work else []) if ln.key == key), None)
    if work is None or work.town is None or line is None:
        messages.error(request, "没有找到该清单行，或您无权处理。")
        return redirect("indicators:worklist")
    initial: dict[str, Any] = {"version": line.version}
    if line.item is not None:
        initial |= {"resolution": line.item.resolution, "note": line.item.resolution_note}
    form = WorkResolveForm(request.POST if request.method == "POST" else None, initial=initial)
    back = f"{reverse('indicators:worklist')}?{params.get('query', '')}"
    if request.method == "POST" and form.is_valid():
        try:
            services.work_item_resolve(
                school_year=school_year_of(request),  # type: ignore[arg-type]
                town=work.town, list_code=work.code, key=key,
                resolution=form.cleaned_data["resolution"], note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"], user=request.user,
            )  # fmt: skip
        except (ValidationError, RecordChanged) as exc:
            text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(request, f"已记录 {line.row.name} 的处理结果。")
        return redirect(back)
    context = {"form": form, "line": line, "work": work, "query": params.get("query", "")}
    return render(request, "indicators/worklist_resolve.html", context)


EXPORT_COLUMNS = [
    "姓名", "性别", "出生日期", "年龄", "身份证号", "村/社区", "户号", "学校", "年级",
    "原因", "责任单位", "处理结果", "处理说明",
]  # fmt: skip


@require_GET
@capability_required("register.export")
def worklist_export(request: HttpRequest) -> HttpResponse:
    _, work = _worklist_from(request, request.GET)
    if work is None or work.error or work.town is None:
        messages.error(request, work.error if work else "清单条件有误，请重新筛选。")
        return redirect(f"{reverse('indicators:worklist')}?{request.GET.urlencode()}")
    title = f"{work.unit.name if work.unit else ''} {work.name} 工作清单"
    rows = [
        [
            line.row.name, line.row.sex, line.row.birth_date.isoformat(), line.row.age,
            mask_id(line.row.id_number), line.row.village, line.row.household, line.row.school,
            line.row.grade or "", line.row.reason,
            line.item.assigned_unit.name if line.item and line.item.assigned_unit else "",
            line.item.get_resolution_display() if line.item and line.item.resolution else "",
            line.item.resolution_note if line.item else "",
        ]
        for line in work.lines
    ]  # fmt: skip
    content = xlsx_bytes([("工作清单", title, EXPORT_COLUMNS, rows)])
    with transaction.atomic():
        audit_record(
            user=request.user,
            action=AuditAction.EXPORT,
            entity="Worklist",
            entity_id=work.code,
            summary=f"导出 {title}（{len(work.lines)} 人）",
            after={"filters": request.GET.dict()},
            unit=work.unit,
        )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return download(
        content,
        filename=f"工作清单-{work.name}-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
