"""Self-checks: list, open a round, record results and evidence, report, download the report."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import can, capability_required
from liangji.downloads import download
from liangji.inspection import selectors
from liangji.inspection.documents import evidence_open, self_check_report_docx
from liangji.inspection.forms import EvidenceForm, ResultForm, SelfCheckCreateForm, SubmitForm
from liangji.inspection.selectors import indicator_report_for
from liangji.inspection.services import self_checks
from liangji.inspection.views.common import (
    acting_units,
    attempt,
    missing,
    page_basics,
    today,
)
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHECKED_KINDS = {*TOWN_KINDS, *VILLAGE_KINDS, *SCHOOL_KINDS}


@require_http_methods(["GET", "POST"])
@capability_required("inspection.view")
def self_check_list(request: HttpRequest) -> HttpResponse:
    school_year, town = page_basics(request)
    if school_year is None or town is None:
        return missing(request, "自查", school_year)
    units = acting_units(request.user, CHECKED_KINDS)
    form = SelfCheckCreateForm(request.POST or None, units=units, initial={"checked_on": today()})
    if request.method == "POST":
        if not can(request.user, "inspection.edit"):
            return redirect("inspection:self_check_list")
        if form.is_valid():
            unit = form.cleaned_data["unit"]
            report = indicator_report_for(town=town, school_year=school_year, unit_ids=[unit.pk])
            check = attempt(
                request,
                lambda: self_checks.self_check_create(
                    unit=unit, school_year=school_year, checked_on=form.cleaned_data["checked_on"],
                    user=request.user, indicator_report=report,
                ),
                "已开始新一轮自查，自动判定的项目已填好",
            )  # fmt: skip
            if check is not None:
                return redirect("inspection:self_check_detail", pk=check.pk)
    checks = selectors.self_checks_list(user=request.user, school_year=school_year)
    context = {
        "checks": checks,
        "form": form,
        "school_year": school_year,
        "can_edit": can(request.user, "inspection.edit"),
    }
    return render(request, "inspection/self_check_list.html", context)


@require_GET
@capability_required("inspection.view")
def self_check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.access_self_check(request.user, pk)
    context = {
        "check": check,
        "rows": selectors.self_check_rows(check),
        "can_edit": can(request.user, "inspection.edit") and check.status == "填写中",
        "result_form": ResultForm(),
        "evidence_form": EvidenceForm(),
        "submit_form": SubmitForm(initial={"summary": check.summary}),
    }
    return render(request, "inspection/self_check_detail.html", context)


@require_POST
@capability_required("inspection.edit")
def self_check_result(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    check = selectors.access_self_check(request.user, pk)
    item = selectors.access_standard_item(item_pk)
    form = ResultForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: self_checks.self_check_result_set(
                self_check=check, item=item, result=form.cleaned_data["result"],
                comment=form.cleaned_data["comment"], user=request.user,
            ),
            f"{item.code} 已保存",
        )  # fmt: skip
    return redirect("inspection:self_check_detail", pk=check.pk)


@require_POST
@capability_required("inspection.edit")
def self_check_evidence(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    check = selectors.access_self_check(request.user, pk)
    result = check.results.filter(item_id=item_pk).first()
    form = EvidenceForm(request.POST, request.FILES)
    if result is None:
        messages.error(request, "请先保存该项目的结果，再上传佐证材料")
    elif form.is_valid():
        attempt(
            request,
            lambda: self_checks.evidence_attach(
                file=form.cleaned_data["file"], title=form.cleaned_data["title"],
                user=request.user, self_check_result=result,
            ),
            "佐证材料已上传",
        )  # fmt: skip
    return redirect("inspection:self_check_detail", pk=check.pk)


@require_POST
@capability_required("inspection.edit")
def self_check_submit(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.access_self_check(request.user, pk)
    form = SubmitForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: self_checks.self_check_submit(
                self_check=check, summary=form.cleaned_data["summary"], user=request.user
            ),
            "自查报告已上报镇两基办",
        )
    return redirect("inspection:self_check_detail", pk=check.pk)


@require_GET
@capability_required("inspection.view")
def self_check_report(request: HttpRequest, pk: int) -> HttpResponse:
    check = selectors.access_self_check(request.user, pk)
    town = check.unit.town
    report = (
        indicator_report_for(town=town, school_year=check.school_year, unit_ids=[check.unit_id])
        if town is not None
        else None
    )
    content = self_check_report_docx(self_check=check, indicator_report=report, user=request.user)
    filename = f"{check.unit.name}{check.school_year.year}自查报告第{check.round}轮.docx"
    return download(content, filename=filename, content_type=DOCX)


@require_GET
@capability_required("inspection.view")
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = selectors.access_evidence(request.user, pk)
    handle = evidence_open(evidence=evidence, user=request.user)
    name = evidence.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)
