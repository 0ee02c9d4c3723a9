"""Home, the work plan with its timeline, and the organisation."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import capability_required, scope_unit_ids
from liangji.inspection import selectors
from liangji.inspection.forms import (
    OrgMemberForm,
    PhaseForm,
    PlanCreateForm,
    PlanTaskForm,
    ProgressForm,
    TaskAddForm,
)
from liangji.inspection.services import plan as plan_services
from liangji.inspection.views.common import (
    acting_units,
    attempt,
    is_office,
    missing,
    page_basics,
    today,
)


@require_GET
@capability_required("inspection.view")
def home(request: HttpRequest) -> HttpResponse:
    school_year, town = page_basics(request)
    if school_year is None or town is None:
        return missing(request, "迎检准备", school_year)
    day = today()
    context = {
        "town": town,
        "school_year": school_year,
        "overdue_tasks": selectors.tasks_overdue(
            user=request.user, today=day, school_year=school_year
        ),
        "overdue_rectifications": selectors.rectifications_overdue(
            user=request.user, today=day, school_year=school_year
        ),
        "self_checks": selectors.self_checks_list(user=request.user, school_year=school_year),
    }
    return render(request, "inspection/home.html", context)


@require_http_methods(["GET", "POST"])
@capability_required("inspection.view")
def plan(request: HttpRequest) -> HttpResponse:
    school_year, town = page_basics(request)
    if school_year is None or town is None:
        return missing(request, "工作方案", school_year)
    form = PlanCreateForm(request.POST or None, initial={"year_of_plan": school_year.year + 1})
    if request.method == "POST":
        if not is_office(request.user):
            raise PermissionDenied("工作方案由镇两基办制定")
        if form.is_valid():
            attempt(
                request,
                lambda: plan_services.plan_create_from_template(
                    town=town,
                    school_year=school_year,
                    year_of_plan=form.cleaned_data["year_of_plan"],
                    user=request.user,
                ),
                "已按模板创建工作方案",
            )
        return redirect("inspection:plan")
    work_plan = selectors.plan_get(user=request.user, town=town, school_year=school_year)
    day = today()
    editable = set(scope_unit_ids(request.user))
    context = {
        "town": town,
        "school_year": school_year,
        "plan": work_plan,
        "form": form,
        "office": is_office(request.user),
        "editable_unit_ids": editable,
        "today": day,
        "timeline": selectors.timeline_data(work_plan, day) if work_plan else None,
        "task_form": TaskAddForm(units=acting_units(request.user))
        if is_office(request.user)
        else None,
    }
    return render(request, "inspection/plan.html", context)


@require_http_methods(["GET", "POST"])
@capability_required("inspection.edit")
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.access_plan_task(request.user, pk)
    office = is_office(request.user)
    town = task.phase.plan.town
    initial = {
        "title": task.title,
        "owner_unit": task.owner_unit_id,
        "owner_person": task.owner_person,
        "starts_on": task.starts_on,
        "deadline": task.deadline,
        "status": task.status,
        "percent": task.percent,
    }
    form: forms.Form = (
        PlanTaskForm(request.POST or None, initial=initial, units=acting_units(request.user))
        if office
        else ProgressForm(request.POST or None, initial=initial)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: plan_services.plan_task_update(
                task=task, user=request.user, today=today(), **data
            ),
            "任务已更新",
        )
        if done is not None:
            return redirect("inspection:plan")
    return render(
        request, "inspection/form.html",
        {"form": form, "title": f"修改任务：{task.title}", "back": "inspection:plan",
         "sub": f"{town.name} · {task.phase.name}"},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@capability_required("inspection.view")
def organisation(request: HttpRequest) -> HttpResponse:
    school_year, town = page_basics(request)
    if town is None:
        return missing(request, "领导小组", school_year)
    office = is_office(request.user)
    form = OrgMemberForm(request.POST or None, units=acting_units(request.user))
    if request.method == "POST":
        if not office:
            raise PermissionDenied("领导小组成员由镇两基办维护")
        if form.is_valid():
            data = form.cleaned_data
            attempt(
                request,
                lambda: plan_services.org_member_save(town=town, user=request.user, **data),
                f"已添加成员 {data['name']}",
            )
            return redirect("inspection:organisation")
    members = selectors.org_members(user=request.user, town=town)
    context = {"town": town, "members": members, "form": form, "office": office}
    return render(request, "inspection/organisation.html", context)


@require_POST
@capability_required("inspection.edit")
def org_member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("领导小组成员由镇两基办维护")
    member = selectors.access_org_member(request.user, pk)
    attempt(
        request,
        lambda: plan_services.org_member_delete(member=member, user=request.user),
        f"已移出 {member.name}",
    )
    return redirect("inspection:organisation")


@require_POST
@capability_required("inspection.edit")
def task_add(request: HttpRequest, phase_pk: int) -> HttpResponse:
    """The town office adds a task to a phase of its plan (a unit's own work, say)."""
    if not is_office(request.user):
        raise PermissionDenied("工作方案由镇两基办制定")
    phase = selectors.access_plan_phase(request.user, phase_pk)
    form = TaskAddForm(request.POST, units=acting_units(request.user))
    if form.is_valid():
        attempt(
            request,
            lambda: plan_services.plan_task_create(
                phase=phase, user=request.user, **form.cleaned_data
            ),
            f"已在“{phase.name}”中新增任务",
        )
    else:
        messages.error(request, "新增任务的输入有误：" + form.errors.as_text())
    return redirect("inspection:plan")


@require_http_methods(["GET", "POST"])
@capability_required("inspection.edit")
def phase_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("工作方案由镇两基办制定")
    phase = selectors.access_plan_phase(request.user, pk)
    initial = {"name": phase.name, "starts_on": phase.starts_on, "ends_on": phase.ends_on}
    form = PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            lambda: plan_services.plan_phase_update(
                phase=phase, user=request.user, **form.cleaned_data
            ),
            "阶段已更新",
        )
        if done is not None:
            return redirect("inspection:plan")
    return render(
        request, "inspection/form.html",
        {"form": form, "title": f"修改阶段：{phase.name}", "back": "inspection:plan"},
    )  # fmt: skip
