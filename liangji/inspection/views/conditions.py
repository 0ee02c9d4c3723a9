"""The school conditions of the veto items: buildings, hazards, funding, teachers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from liangji.accounts.scope import can, capability_required
from liangji.inspection import rules, selectors
from liangji.inspection.choices import SafetyGrade
from liangji.inspection.forms import (
    BuildingForm,
    BuildingUpdateForm,
    FundingForm,
    HazardCloseForm,
    HazardForm,
    TeacherForm,
)
from liangji.inspection.models import FundingYear
from liangji.inspection.services import conditions as services
from liangji.inspection.views.common import acting_units, attempt
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, UnitKind
from liangji.registers.models import Unit


def _schools(request: HttpRequest) -> list[Unit]:
    return acting_units(request.user, SCHOOL_KINDS)


@require_GET
@capability_required("inspection.view")
def conditions(request: HttpRequest) -> HttpResponse:
    """One page with the four tables; each form posts to its own small view."""
    can_edit = can(request.user, "inspection.edit")
    schools = _schools(request)
    funding_units = acting_units(request.user, {*TOWN_KINDS, UnitKind.COUNTY})
    funding = selectors.funding_list(user=request.user)
    context = {
        "buildings": selectors.buildings_list(user=request.user),
        "hazards": selectors.hazards_list(user=request.user),
        "funding": funding,
        "funding_growth": _growth_rows(funding),
        "teachers": selectors.teachers_list(user=request.user),
        "can_edit": can_edit,
        "building_form": BuildingForm(units=schools, prefix="b") if schools else None,
        "hazard_form": HazardForm(units=schools, prefix="h") if schools else None,
        "teacher_form": TeacherForm(units=schools, prefix="t") if schools else None,
        "funding_form": FundingForm(units=funding_units, prefix="f") if funding_units else None,
        "grades": SafetyGrade.choices,
    }
    return render(request, "inspection/conditions.html", context)


def _growth_rows(funding: list[FundingYear]) -> list[dict[str, Any]]:
    """Each funding year with its 三个增长 verdict against the year before (None: not on file)."""
    by_key = {(f.unit_id, f.year): f for f in funding}
    rows = []
    for f in funding:
        previous = by_key.get((f.unit_id, f.year - 1))
        problems = rules.funding_growth_problems(f, previous) if previous else None
        rows.append({"funding": f, "problems": problems})
    return rows


def _post(
    request: HttpRequest,
    form: forms.Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    if form.is_valid():
        attempt(request, lambda: action(form.cleaned_data), success)
    else:
        labels = {name: field.label or name for name, field in form.fields.items()}
        errors = "；".join(
            f"{labels.get(name, '')}：{' '.join(str(p) for p in problems)}"
            for name, problems in form.errors.items()
        )
        messages.error(request, f"输入有误 {errors}")
    return redirect("inspection:conditions")


@require_POST
@capability_required("inspection.edit")
def building_add(request: HttpRequest) -> HttpResponse:
    form = BuildingForm(request.POST, units=_schools(request), prefix="b")
    return _post(
        request,
        form,
        lambda d: services.building_save(
            school=d["unit"], name=d["name"], area=d["area"], safety_grade=d["safety_grade"],
            in_use=d["in_use"], user=request.user,
        ),
        "已登记校舍",
    )  # fmt: skip


@require_POST
@capability_required("inspection.edit")
def hazard_add(request: HttpRequest) -> HttpResponse:
    form = HazardForm(request.POST, units=_schools(request), prefix="h")
    return _post(
        request,
        form,
        lambda d: services.hazard_record(
            school=d["unit"], description=d["description"], found_on=d["found_on"],
            user=request.user,
        ),
        "已登记安全隐患",
    )  # fmt: skip


@require_POST
@capability_required("inspection.edit")
def hazard_close(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.access_hazard(request.user, pk)
    form = HazardCloseForm(request.POST)
    return _post(
        request,
        form,
        lambda d: services.hazard_close(hazard=hazard, closed_on=d["closed_on"], user=request.user),
        "隐患已整改销号",
    )


@require_POST
@capability_required("inspection.edit")
def funding_add(request: HttpRequest) -> HttpResponse:
    units = acting_units(request.user, {*TOWN_KINDS, UnitKind.COUNTY})
    form = FundingForm(request.POST, units=units, prefix="f")
    return _post(
        request,
        form,
        lambda d: services.funding_year_save(
            unit=d["unit"], year=d["year"], appropriation=d["appropriation"],
            recurrent_revenue=d["recurrent_revenue"], per_pupil_spending=d["per_pupil_spending"],
            teacher_avg_salary=d["teacher_avg_salary"], user=request.user,
        ),
        "已保存教育经费",
    )  # fmt: skip


@require_POST
@capability_required("inspection.edit")
def teacher_add(request: HttpRequest) -> HttpResponse:
    form = TeacherForm(request.POST, units=_schools(request), prefix="t")
    return _post(
        request,
        form,
        lambda d: services.teacher_save(
            school=d["unit"], name=d["name"], qualification=d["qualification"],
            qualified=d["qualified"], user=request.user,
        ),
        "已登记教师",
    )  # fmt: skip


@require_POST
@capability_required("inspection.edit")
def building_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a building's grade or take it out of use (how a D-grade veto is lifted)."""
    building = selectors.access_building(request.user, pk)
    form = BuildingUpdateForm(request.POST)
    return _post(
        request,
        form,
        lambda d: services.building_save(
            school=building.school, name=building.name, area=building.area,
            safety_grade=d["safety_grade"], in_use=d["in_use"], building=building,
            user=request.user,
        ),
        f"已更新校舍「{building.name}」",
    )  # fmt: skip
