"""目标责任书, the year-end assessment and 问责."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from liangji.accounts.scope import capability_required
from liangji.inspection import selectors
from liangji.inspection.choices import ASSESSMENT_BANDS, ASSESSMENT_WEIGHTS
from liangji.inspection.forms import AccountabilityForm, AgreementForm, AssessForm
from liangji.inspection.selectors import indicator_report_for
from liangji.inspection.services import agreements as services
from liangji.inspection.views.common import (
    acting_units,
    attempt,
    is_office,
    missing,
    page_basics,
    today,
)
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS


@require_http_methods(["GET", "POST"])
@capability_required("inspection.view")
def agreement_list(request: HttpRequest) -> HttpResponse:
    school_year, town = page_basics(request)
    if school_year is None or town is None:
        return missing(request, "目标责任书", school_year)
    units = acting_units(request.user, {*VILLAGE_KINDS, *SCHOOL_KINDS})
    sign_form = AgreementForm(
        request.POST if "sign" in request.POST else None,
        units=units, initial={"signed_on": today()}, prefix="s",
    )  # fmt: skip
    blame_form = AccountabilityForm(
        request.POST if "blame" in request.POST else None,
        units=units, initial={"decided_on": today()}, prefix="q",
    )  # fmt: skip
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("目标责任书和问责由镇两基办办理")
        if "sign" in request.POST and sign_form.is_valid():
            d = sign_form.cleaned_data
            attempt(
                request,
                lambda: services.agreement_sign(school_year=school_year, user=request.user, **d),
                f"已签订 {d['unit'].name} 的目标责任书",
            )
        elif "blame" in request.POST and blame_form.is_valid():
            d = blame_form.cleaned_data
            attempt(
                request,
                lambda: services.accountability_record(
                    school_year=school_year, user=request.user, **d
                ),
                "问责已记录",
            )
        return redirect("inspection:agreements")
    context = {
        "agreements": selectors.agreements_list(user=request.user, school_year=school_year),
        "accountabilities": selectors.accountabilities_list(
            user=request.user, school_year=school_year
        ),
        "sign_form": sign_form,
        "blame_form": blame_form,
        "assess_form": AssessForm(initial={"assessed_on": today()}),
        "office": is_office(request.user),
        "weights": ASSESSMENT_WEIGHTS,
        "bands": ASSESSMENT_BANDS,
    }
    return render(request, "inspection/agreements.html", context)


@require_POST
@capability_required("inspection.edit")
def agreement_assess(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("年终考核由镇两基办进行")
    agreement = selectors.access_agreement(request.user, pk)
    form = AssessForm(request.POST)
    town = agreement.unit.town
    report = (
        indicator_report_for(
            town=town, school_year=agreement.school_year,
            unit_ids=[agreement.unit_id],
        )
        if town is not None
        else None
    )  # fmt: skip
    if report is None:
        messages.error(request, "该学年的指标无法计算（尚未导入登记数据？），暂不能考核")
    elif form.is_valid():
        attempt(
            request,
            lambda: services.agreement_assess(
                agreement=agreement, indicator_report=report,
                assessed_on=form.cleaned_data["assessed_on"], user=request.user,
            ),
            f"{agreement.unit.name} 考核完成",
        )  # fmt: skip
    return redirect("inspection:agreements")
