"""The work plan (phases, tasks, progress) and the organisation (领导小组 and 办公室)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.inspection.choices import GroupRole, TaskStatus
from liangji.inspection.defaults import PLAN_TEMPLATE
from liangji.inspection.models import OrgMember, PlanPhase, PlanTask, WorkPlan
from liangji.inspection.services.errors import InspectionRuleError
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


# Which member of the organisation a template task names as the person responsible.
_TEMPLATE_OWNER_ROLE = {"leader": GroupRole.LEADER, "office": GroupRole.OFFICE_HEAD}


def _owner_names(town: Unit) -> dict[str, str]:
    names: dict[str, str] = {}
    for member in OrgMember.objects.filter(town=town).order_by("order", "id"):
        names.setdefault(member.group_role, member.name)
    return {key: names.get(role, "") for key, role in _TEMPLATE_OWNER_ROLE.items()}


@transaction.atomic
def plan_create_from_template(
    *, town: Unit, school_year: SchoolYear, year_of_plan: int, user: Actor | None = None
) -> WorkPlan:
    """A new plan with the five default phases and their tasks, dated in `year_of_plan`."""
    if not town.is_town:
        raise InspectionRuleError(f"{town} 不是镇（乡、街道），工作方案只能由镇制定")
    if WorkPlan.objects.filter(town=town, school_year=school_year).exists():
        raise InspectionRuleError(f"{town} {school_year} 已有工作方案，请直接修改")
    plan = WorkPlan.objects.create(
        town=town,
        school_year=school_year,
        year_of_plan=year_of_plan,
        title=f"{town.name}{year_of_plan}年两基迎国检工作实施方案",
    )
    owners = _owner_names(town)

    def day(month_day: tuple[int, int]) -> datetime.date:
        return datetime.date(year_of_plan, *month_day)

    for phase_order, (name, start, end, tasks) in enumerate(PLAN_TEMPLATE, start=1):
        phase = PlanPhase.objects.create(
            plan=plan, order=phase_order, name=name, starts_on=day(start), ends_on=day(end)
        )
        PlanTask.objects.bulk_create(
            PlanTask(
                phase=phase,
                order=task_order,
                title=title,
                owner_unit=town,
                owner_person=owners[owner],
                starts_on=day(task_start),
                deadline=day(deadline),
            )
            for task_order, (title, task_start, deadline, owner) in enumerate(tasks, start=1)
        )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="WorkPlan",
        entity_id=plan.pk,
        summary=f"按模板创建{plan.title}",
        unit=town,
    )
    return plan


def _task_snapshot(task: PlanTask) -> dict[str, Any]:
    return {
        "title": task.title,
        "owner_unit": task.owner_unit_id,
        "owner_person": task.owner_person,
        "starts_on": str(task.starts_on),
        "deadline": str(task.deadline),
        "status": task.status,
        "percent": task.percent,
        "done_on": str(task.done_on or ""),
    }


@transaction.atomic
def plan_task_update(
    *,
    task: PlanTask,
    user: Actor | None,
    today: datetime.date,
    title: str | None = None,
    owner_unit: Unit | None = None,
    owner_person: str | None = None,
    starts_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
    status: TaskStatus | str | None = None,
    percent: int | None = None,
) -> PlanTask:
    """Edit a task. Status and percent stay consistent: done means 100 % and a done date;
    100 % means done; leaving done clears the done date."""
    task = PlanTask.objects.select_for_update().select_related("phase__plan").get(pk=task.pk)
    before = _task_snapshot(task)
    for field, value in {
        "title": title,
        "owner_unit": owner_unit,
        "owner_person": owner_person,
        "starts_on": starts_on,
        "deadline": deadline,
    }.items():
        if value is not None:
            setattr(task, field, value)
    if owner_unit is not None and owner_unit.town != task.phase.plan.town:
        raise InspectionRuleError(f"责任单位 {owner_unit} 不属于 {task.phase.plan.town}")
    _task_progress_set(task, status=status, percent=percent, today=today)
    task.full_clean()
    task.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="PlanTask",
        entity_id=task.pk,
        summary=f"修改工作任务：{task.title}（{task.status} {task.percent}%）",
        before=before,
        after=_task_snapshot(task),
        unit=task.owner_unit,
    )
    return task


def _task_progress_set(
    task: PlanTask, *, status: str | None, percent: int | None, today: datetime.date
) -> None:
    if percent is not None and not 0 <= percent <= 100:
        raise InspectionRuleError(f"进度 {percent}% 不合理，应在 0 到 100 之间")
    if status is None and percent is not None:
        status = (
            TaskStatus.DONE
            if percent == 100
            else TaskStatus.IN_PROGRESS
            if percent > 0
            else TaskStatus.NOT_STARTED
        )
    if status is None:
        return
    task.status = status
    if status == TaskStatus.DONE:
        task.percent = 100
        task.done_on = task.done_on or today
    else:
        task.done_on = None
        task.percent = min(percent if percent is not None else task.percent, 99)
        if status == TaskStatus.NOT_STARTED and percent is None:
            task.percent = 0


@transaction.atomic
def plan_phase_update(
    *,
    phase: PlanPhase,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    user: Actor | None,
) -> PlanPhase:
    """Rename or re-date a phase (a town's plan need not follow the template's months)."""
    if starts_on > ends_on:
        raise InspectionRuleError("阶段的开始日期晚于结束日期，请检查日期")
    before = {"name": phase.name, "starts_on": str(phase.starts_on), "ends_on": str(phase.ends_on)}
    phase.name, phase.starts_on, phase.ends_on = name, starts_on, ends_on
    phase.full_clean()
    phase.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="PlanPhase",
        entity_id=phase.pk,
        summary=f"修改工作阶段：{name} {starts_on}—{ends_on}",
        before=before,
        after={"name": name, "starts_on": str(starts_on), "ends_on": str(ends_on)},
        unit=phase.plan.town,
    )
    return phase


@transaction.atomic
def plan_task_create(
    *,
    phase: PlanPhase,
    title: str,
    owner_unit: Unit,
    owner_person: str,
    starts_on: datetime.date,
    deadline: datetime.date,
    user: Actor | None,
) -> PlanTask:
    if owner_unit.town != phase.plan.town:
        raise InspectionRuleError(f"责任单位 {owner_unit} 不属于 {phase.plan.town}")
    last = phase.tasks.order_by("-order").values_list("order", flat=True).first() or 0
    task = PlanTask(
        phase=phase,
        order=last + 1,
        title=title,
        owner_unit=owner_unit,
        owner_person=owner_person,
        starts_on=starts_on,
        deadline=deadline,
    )
    if starts_on > deadline:
        raise InspectionRuleError("任务的开始日期晚于完成时限，请检查日期")
    task.full_clean()
    task.save()
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="PlanTask",
        entity_id=task.pk,
        summary=f"新增工作任务：{title}（{phase.name}）",
        after=_task_snapshot(task),
        unit=owner_unit,
    )
    return task


@transaction.atomic
def org_member_save(
    *,
    town: Unit,
    name: str,
    post: str,
    group_role: GroupRole | str,
    unit: Unit,
    phone: str = "",
    order: int = 0,
    member: OrgMember | None = None,
    user: Actor | None,
) -> OrgMember:
    """Add a member to the 领导小组/办公室, or change one (`member`)."""
    if not town.is_town:
        raise InspectionRuleError(f"{town} 不是镇（乡、街道）")
    if unit.town != town:
        # 司法所, 财政所 and other town bodies are not units of the register: their members are
        # entered with the town as unit and the body in their post.
        raise InspectionRuleError(
            f"{unit} 不属于 {town}；镇直部门人员请选择本镇，并在职务中写明部门"
        )
    before = None
    if member is None:
        member = OrgMember(town=town)
    else:
        before = {"name": member.name, "post": member.post, "group_role": member.group_role}
    member.name, member.post, member.group_role = name, post, group_role
    member.unit, member.phone, member.order = unit, phone, order
    member.full_clean()
    member.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        entity="OrgMember",
        entity_id=member.pk,
        summary=f"领导小组成员：{name}（{group_role}，{post}）",
        before=before,
        after={"name": name, "post": post, "group_role": str(group_role)},
        unit=town,
    )
    return member


@transaction.atomic
def org_member_delete(*, member: OrgMember, user: Actor | None) -> None:
    audit_record(
        user=user,
        action=AuditAction.DELETE,
        entity="OrgMember",
        entity_id=member.pk,
        summary=f"移出领导小组成员：{member.name}（{member.group_role}）",
        before={"name": member.name, "post": member.post, "group_role": member.group_role},
        unit=member.town,
    )
    member.delete()
