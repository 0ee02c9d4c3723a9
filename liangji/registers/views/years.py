"""School-year approval: villages and schools submit, the town office approves and locks;
unlocking needs a reason. Every step is audited by the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liangji.accounts.scope import access_unit, can, capability_required, scope_for
from liangji.registers import services
from liangji.registers.school_year import school_year_of
from liangji.registers.selectors import year_approvals
from liangji.registers.services import SchoolYearLocked, school_year_unlock


@require_GET
@capability_required("dashboard.view")
def year_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return render(request, "web/no_school_year.html", {"title": "学年审核"})
    approvals = year_approvals(user=request.user, school_year=school_year)
    own = next((a for a in approvals if a.unit.pk == scope_for(request.user).root_id), None)
    context = {
        "school_year": school_year,
        "approvals": approvals,
        "own": own,
        "pending": [a for a in approvals if not a.approved],
        "unsubmitted": [a for a in approvals if a.state not in {"submitted", "approved"}],
        "can_submit": can(request.user, "year.submit"),
        "can_approve": can(request.user, "year.approve"),
    }
    return render(request, "registers/year_list.html", context)


def _fail(request: HttpRequest, exc: Exception) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


@require_POST
@capability_required("year.submit")
def year_submit(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    unit = request.user.unit  # type: ignore[union-attr]
    if school_year is None or unit is None:
        return redirect("registers:year_list")
    try:
        services.year_submission_submit(
            school_year=school_year, unit=unit, note=request.POST.get("note", ""),
            user=request.user,
        )  # fmt: skip
    except (ValidationError, SchoolYearLocked) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"已提交 {unit.name} {school_year} 的数据，等待镇两基办审核。")
    return redirect("registers:year_list")


@require_POST
@capability_required("year.approve")
def year_review(request: HttpRequest, unit_pk: int) -> HttpResponse:
    school_year = school_year_of(request)
    unit = access_unit(request.user, unit_pk)
    if school_year is None:
        return redirect("registers:year_list")
    approve = request.POST.get("decision") == "approve"
    try:
        services.year_submission_review(
            school_year=school_year, unit=unit, approve=approve,
            note=request.POST.get("note", ""), user=request.user,
        )  # fmt: skip
    except (ValidationError, SchoolYearLocked) as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"{unit.name}：{'已审核通过' if approve else '已退回修改'}。")
    return redirect("registers:year_list")


@require_POST
@capability_required("year.approve")
def year_lock(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return redirect("registers:year_list")
    try:
        services.school_year_approve(
            school_year=school_year,
            user=request.user,
            override_reason=request.POST.get("override_reason", ""),
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"{school_year} 已锁定，数据和指标不能再修改。")
    return redirect("registers:year_list")


@require_POST
@capability_required("year.approve")
def year_unlock(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return redirect("registers:year_list")
    try:
        school_year_unlock(
            school_year=school_year, reason=request.POST.get("reason", ""), user=request.user
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"{school_year} 已解锁，原因已记入审计日志。")
    return redirect("registers:year_list")
