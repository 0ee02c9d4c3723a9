"""Supervision visits with their findings and 通报, rectification, applications and results."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import can, capability_required
from liangji.downloads import download
from liangji.inspection import selectors
from liangji.inspection.choices import InspectionLevel, RectificationStatus
from liangji.inspection.documents import bulletin_docx
from liangji.inspection.forms import (
    ApplicationForm,
    EvidenceForm,
    FindingForm,
    RectificationFilterForm,
    RectificationSubmitForm,
    ResultRecordForm,
    ReviewForm,
    VisitForm,
)
from liangji.inspection.services import applications as application_services
from liangji.inspection.services import rectification, self_checks
from liangji.inspection.views.checks import CHECKED_KINDS, DOCX
from liangji.inspection.views.common import (
    acting_units,
    attempt,
    is_office,
    missing,
    page_basics,
    today,
)


def _require_office(request: HttpRequest, what: str) -> None:
    if not is_office(request.user):
        raise PermissionDenied(f"{what}由镇两基办进行")


@require_http_methods(["GET", "POST"])
@capability_required("inspection.view")
def visit_list(request: HttpRequest) -> HttpResponse:
    school_year, town = page_basics(request)
    if school_year is None or town is None:
        return missing(request, "督查", school_year)
    units = [u for u in acting_units(request.user, CHECKED_KINDS) if u.pk != town.pk]
    form = VisitForm(request.POST or None, units=units, initial={"visited_on": today()})
    if request.method == "POST":
        _require_office(request, "督查")
        if form.is_valid():
            visit = attempt(
                request,
                lambda: rectification.visit_record(
                    town=town, school_year=school_year, user=request.user, **form.cleaned_data
                ),
                "督查已记录",
            )
            if visit is not None:
                return redirect("inspection:visit_detail", pk=visit.pk)
    visits = selectors.visits_list(user=request.user, school_year=school_year)
    context = {"visits": visits, "form": form, "office": is_office(request.user)}
    return render(request, "inspection/visit_list.html", context)


@require_http_methods(["GET", "POST"])
@capability_required("inspection.view")
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.access_visit(request.user, pk)
    form = FindingForm(request.POST or None, units=list(visit.units.order_by("kind", "name")))
    if request.method == "POST":
        _require_office(request, "督查")
        if form.is_valid():
            data = form.cleaned_data
            attempt(
                request,
                lambda: rectification.finding_record(
                    unit=data["unit"], item=data["item"], description=data["description"],
                    severity=data["severity"], found_on=visit.visited_on,
                    school_year=visit.school_year, visit=visit, deadline=data["deadline"],
                    user=request.user,
                ),
                "问题已记录，并生成整改任务",
            )  # fmt: skip
            return redirect("inspection:visit_detail", pk=visit.pk)
    findings = visit.findings.select_related("unit", "item", "rectification")
    context = {
        "visit": visit,
        "findings": findings,
        "form": form,
        "office": is_office(request.user),
    }
    return render(request, "inspection/visit_detail.html", context)


@require_GET
@capability_required("inspection.view")
def visit_bulletin(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.access_visit(request.user, pk)
    filename = f"{visit.town.name}{visit.visited_on:%Y%m%d}督查通报.docx"
    content = bulletin_docx(visit=visit, user=request.user)
    return download(content, filename=filename, content_type=DOCX)


@require_GET
@capability_required("inspection.view")
def rectification_list(request: HttpRequest) -> HttpResponse:
    school_year, _ = page_basics(request)
    if school_year is None:
        return missing(request, "整改", school_year)
    form = RectificationFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    day = today()
    tasks = selectors.rectifications_list(user=request.user, school_year=school_year, status=status)
    context = {"tasks": tasks, "form": form, "today": day, "school_year": school_year}
    return render(request, "inspection/rectification_list.html", context)


@require_GET
@capability_required("inspection.view")
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.access_rectification(request.user, pk)
    can_submit = can(request.user, "inspection.edit") and task.status in {
        RectificationStatus.OPEN,
        RectificationStatus.REJECTED,
    }
    context = {
        "task": task,
        "evidence": task.evidence.all(),
        "today": today(),
        "can_submit": can_submit,
        "can_review": can(request.user, "inspection.review")
        and task.status == RectificationStatus.SUBMITTED,
        "submit_form": RectificationSubmitForm(
            initial={"measure": task.measure, "evidence_note": task.evidence_note}
        ),
        "evidence_form": EvidenceForm(),
        "review_form": ReviewForm(),
    }
    return render(request, "inspection/rectification_detail.html", context)


@require_POST
@capability_required("inspection.edit")
def rectification_submit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.access_rectification(request.user, pk)
    form = RectificationSubmitForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: rectification.rectification_submit(
                rectification=task, user=request.user, **form.cleaned_data
            ),
            "整改情况已提交，等待镇两基办验收",
        )
    return redirect("inspection:rectification_detail", pk=task.pk)


@require_POST
@capability_required("inspection.edit")
def rectification_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.access_rectification(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            lambda: self_checks.evidence_attach(
                file=form.cleaned_data["file"], title=form.cleaned_data["title"],
                user=request.user, rectification=task,
            ),
            "佐证材料已上传",
        )  # fmt: skip
    return redirect("inspection:rectification_detail", pk=task.pk)


@require_POST
@capability_required("inspection.review")
def rectification_review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    # The town office and the county inspector review (product.md: the inspector "reviews
    # rectification"); who may is `inspection.review`, checked by the decorator and the service.
    task = selectors.access_rectification(request.user, pk)
    form = ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    if decision == "verify":
        attempt(
            request,
            lambda: rectification.rectification_verify(
                rectification=task, comment=comment, today=today(), user=request.user
            ),
            "已验收销号",
        )
    else:
        attempt(
            request,
            lambda: rectification.rectification_reject(
                rectification=task, comment=comment, user=request.user
            ),
            "已退回重改",
        )
    return redirect("inspection:rectification_detail", pk=task.pk)


@require_http_methods(["GET", "POST"])
@capability_required("inspection.view")
def applications(request: HttpRequest) -> HttpResponse:
    """Applications up the chain and the inspection results with their findings."""
    school_year, town = page_basics(request)
    if school_year is None or town is None:
        return missing(request, "申请与检查", school_year)
    units = acting_units(request.user, CHECKED_KINDS)
    apply_form = ApplicationForm(
        request.POST if "apply" in request.POST else None,
        units=units, initial={"applied_on": today()}, prefix="a",
    )  # fmt: skip
    result_form = ResultRecordForm(
        request.POST if "result" in request.POST else None,
        units=units, initial={"inspected_on": today()}, prefix="r",
    )  # fmt: skip
    if request.method == "POST":
        if "apply" in request.POST and can(request.user, "inspection.edit"):
            if apply_form.is_valid():
                d = apply_form.cleaned_data
                attempt(
                    request,
                    lambda: application_services.application_submit(
                        unit=d["unit"], school_year=school_year, level=d["level"],
                        applied_on=d["applied_on"], report=d["report"], user=request.user,
                    ),
                    f"已提交{d['level']}申请",
                )  # fmt: skip
        elif "result" in request.POST:
            _require_office(request, "检查结果登记")
            if result_form.is_valid():
                d = result_form.cleaned_data
                findings = [
                    (None, line.strip(), "一般")
                    for line in d["findings"].splitlines()
                    if line.strip()
                ]
                attempt(
                    request,
                    lambda: application_services.inspection_result_record(
                        unit=d["unit"], school_year=school_year, level=d["level"],
                        inspected_on=d["inspected_on"], passed=d["passed"],
                        summary=d["summary"], findings=findings, user=request.user,
                    ),
                    "检查结果已登记",
                )  # fmt: skip
        return redirect("inspection:applications")
    context = {
        "applications": selectors.applications_list(user=request.user, school_year=school_year),
        "results": selectors.inspection_results_list(user=request.user, school_year=school_year),
        "apply_form": apply_form,
        "result_form": result_form,
        "can_apply": can(request.user, "inspection.edit"),
        "office": is_office(request.user),
        "levels": InspectionLevel,
    }
    return render(request, "inspection/applications.html", context)
