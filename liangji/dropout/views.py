"""Pages of 控辍保学. Thin: read through `selectors`, write through `services`, export through
`exports`; every page is scoped by `accounts.scope` and guarded by a capability."""

from __future__ import annotations

import datetime
import mimetypes
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import (
    access_enrollment,
    access_person,
    access_unit,
    can,
    capability_required,
    scope_filter,
    units_visible,
)
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.downloads import download
from liangji.dropout import exports, selectors, services
from liangji.dropout.forms import (
    AbsenceReportForm,
    AdvanceForm,
    AttemptForm,
    CaseFilterForm,
    CaseOpenForm,
    CloseForm,
    ContactForm,
    MonthForm,
    NoticeServiceForm,
    ReopenForm,
)
from liangji.dropout.models import CaseAttachment, CaseKind, CaseStatus, Notice, UnitContact
from liangji.dropout.workflow import DropoutError
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS, RollStatus
from liangji.registers.models import Enrollment, SchoolYear
from liangji.registers.pdf import FontMissing
from liangji.registers.school_year import school_year_of
from liangji.registers.services import SchoolYearLocked

LEDGER_PAGE_SIZE = 200
LEDGER_KINDS = {
    "suspected": CaseKind.SUSPECTED,
    "dropped": CaseKind.DROPPED_OUT,
    "never": CaseKind.NEVER_ENROLLED,
}


def _today() -> datetime.date:
    return timezone.localdate()


def _year_or_none(request: HttpRequest) -> SchoolYear | None:
    return school_year_of(request)


def _no_year(request: HttpRequest) -> HttpResponse:
    return render(request, "web/no_school_year.html", {"title": "控辍保学"})


def _download(file: exports.ExportFile) -> HttpResponse:
    return download(file.content, filename=file.filename, content_type=file.content_type)


def _form_errors(form: Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


def _guardians(data: dict[str, Any]) -> list[services.GuardianInput]:
    return [
        services.GuardianInput(
            data[f"{p}_name"], data[f"{p}_relation"] or "监护人", data[f"{p}_phone"]
        )
        for p in ("guardian", "guardian2")
        if data.get(f"{p}_name")
    ]


@require_GET
@capability_required("dropout.view")
def home(request: HttpRequest) -> HttpResponse:
    school_year = _year_or_none(request)
    if school_year is None:
        return _no_year(request)
    user, today = request.user, _today()
    villages = list(units_visible(user, VILLAGE_KINDS).order_by("name"))
    schools = list(units_visible(user, SCHOOL_KINDS).order_by("name"))
    form = CaseFilterForm(
        request.GET or None, villages=villages, schools=schools,
        initial={"status": CaseStatus.OPEN},
    )  # fmt: skip
    filters = selectors.CaseFilters(status=CaseStatus.OPEN)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.CaseFilters(
            status=d["status"],
            kind=d["kind"],
            step=d["step"],
            overdue=d["overdue"],
            village_id=d["village"],
            school_id=d["school"],
            mine=d["mine"],
        )
    context = {
        "school_year": school_year,
        "form": form,
        "today": today,
        "rows": selectors.case_list(
            user=user, school_year=school_year, today=today, filters=filters
        ),
        "counts": selectors.case_counts(user=user, school_year=school_year, today=today),
        "can_edit": can(user, "dropout.edit"),
        "is_town_office": units_visible(user, TOWN_KINDS).exists() and can(user, "dropout.edit"),
    }
    return render(request, "dropout/home.html", context)


@require_POST
@capability_required("dropout.edit")
def escalate(request: HttpRequest) -> HttpResponse:
    """The town office runs the daily check from the page (the command does the same)."""
    towns = units_visible(request.user, TOWN_KINDS)
    if not towns.exists():
        raise Http404("只有镇两基办可以运行每日检查。")
    escalated = []
    try:
        for town in towns:
            escalated += services.case_escalate_due(today=_today(), user=request.user, town=town)
    except (DropoutError, SchoolYearLocked) as exc:
        messages.error(request, f"检查未完成：{exc}")
    else:
        names = "、".join(case.child_name for case in escalated)
        messages.success(
            request, f"检查完成：{len(escalated)} 个疑似辍学个案逾期未返校，已转为辍学。{names}"
        )
    return redirect("dropout:home")


@require_GET
@capability_required("dropout.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.case_detail(user=request.user, pk=pk, today=_today())
    today = _today()
    case = detail["case"]
    context = {
        **detail,
        "can_edit": can(request.user, "dropout.edit"),
        "attempt_form": AttemptForm(initial={"date": today}),
        "advance_form": AdvanceForm(initial={"date": today, "to_step": detail["next_step"]}),
        "close_form": CloseForm(initial={"resolved_on": today}),
        "reopen_form": ReopenForm(initial={"date": today}),
        "service_form": NoticeServiceForm(initial={"served_on": today}),
        "is_open": case.status == CaseStatus.OPEN,
    }
    return render(request, "dropout/case_detail.html", context)


def _case_write(
    request: HttpRequest, pk: int, form_class: type[Form], write: Any, success: str
) -> HttpResponse:
    """Validate the form, call the service, and come back to the case with a message."""
    case = selectors.case_access(request.user, pk)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, f"未保存：{_form_errors(form)}")
    else:
        try:
            write(case, form.cleaned_data)
        except (DropoutError, SchoolYearLocked, ValidationError, ValueError) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, f"未保存：{message}")
        else:
            messages.success(request, success)
    return redirect("dropout:case_detail", pk=case.pk)


@require_POST
@capability_required("dropout.edit")
def case_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    def write(case: Any, d: dict[str, Any]) -> None:
        services.case_attempt_record(
            case=case,
            date=d["date"],
            actors=d["actors"],
            method=d["method"],
            said=d["said"],
            outcome=d["outcome"],
            files=d["attachments"],
            user=request.user,
        )

    return _case_write(request, pk, AttemptForm, write, "已记录。")


@require_POST
@capability_required("dropout.edit")
def notice_service(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the 送达回证 of a notice of a case the user may edit."""
    notice = (
        Notice.objects.filter(case__in=selectors.cases_visible(request.user))
        .select_related("case")
        .filter(pk=pk)
        .first()
    )
    if notice is None:
        raise Http404("没有找到该通知书，或您无权查看。")

    def write(case: Any, d: dict[str, Any]) -> None:
        services.notice_service_record(
            notice=notice,
            served_on=d["served_on"],
            method=d["method"],
            received_by=d["received_by"],
            scan=d["scan"],
            today=_today(),
            user=request.user,
        )

    return _case_write(request, notice.case_id, NoticeServiceForm, write, "已记录送达回证。")


@require_POST
@capability_required("dropout.edit")
def case_advance(request: HttpRequest, pk: int) -> HttpResponse:
    def write(case: Any, d: dict[str, Any]) -> None:
        services.case_step_advance(
            case=case,
            to_step=d["to_step"],
            date=d["date"],
            actors=d["actors"],
            method=d["method"],
            said=d["said"],
            outcome=d["outcome"],
            files=d["attachments"],
            user=request.user,
        )

    return _case_write(request, pk, AdvanceForm, write, "已进入下一步。")


@require_POST
@capability_required("dropout.edit")
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    def write(case: Any, d: dict[str, Any]) -> None:
        services.case_close(
            case=case,
            resolution=d["resolution"],
            resolved_on=d["resolved_on"],
            resolution_school=d["resolution_school"],
            resolution_region=d["resolution_region"],
            registration_error=d["registration_error"],
            resolution_note=d["resolution_note"],
            files=d["attachments"],
            user=request.user,
        )

    return _case_write(request, pk, CloseForm, write, "已销号。")


@require_POST
@capability_required("dropout.edit")
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def write(case: Any, d: dict[str, Any]) -> None:
        services.case_reopen(case=case, reason=d["reason"], date=d["date"], user=request.user)

    return _case_write(request, pk, ReopenForm, write, "已重新打开。")


@require_http_methods(["GET", "POST"])
@capability_required("dropout.edit")
def case_new(request: HttpRequest) -> HttpResponse:
    """Open a case for a child of the user's scope (from a ledger line, a shortfall line …)."""
    school_year = _year_or_none(request)
    if school_year is None:
        return _no_year(request)
    person = (
        access_person(request.user, request.GET["person"]) if request.GET.get("person") else None
    )
    enrollment = (
        access_enrollment(request.user, request.GET["enrollment"])
        if request.GET.get("enrollment")
        else None
    )
    if person is None and enrollment is None:
        raise Http404("请从台账或学籍中选择儿童后再立案。")
    form = CaseOpenForm(
        request.POST or None,
        initial={
            "opened_on": _today(),
            "source": request.GET.get("source", "manual"),
            "kind": CaseKind.DROPPED_OUT if enrollment is not None else CaseKind.NEVER_ENROLLED,
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_open(
                school_year=school_year,
                source=d["source"],
                reason=d["reason"],
                kind=d["kind"],
                person=person,
                enrollment=enrollment,
                opened_on=d["opened_on"],
                absent_since=d["absent_since"],
                village_person=d["village_person"],
                village_person_phone=d["village_person_phone"],
                school_person=d["school_person"],
                school_person_phone=d["school_person_phone"],
                guardians=_guardians(d),
                reason_note=d["reason_note"],
                source_note=d["source_note"],
                user=request.user,
            )
        except (DropoutError, SchoolYearLocked, ValidationError) as exc:
            messages.error(request, f"未立案：{exc}")
        else:
            messages.success(request, "已立案。")
            return redirect("dropout:case_detail", pk=case.pk)
    child = person or enrollment
    return render(
        request, "dropout/case_new.html", {"form": form, "child": child, "enrollment": enrollment}
    )


@require_http_methods(["GET", "POST"])
@capability_required("dropout.edit")
def absence_new(request: HttpRequest) -> HttpResponse:
    """A school reports a pupil absent (the same day)."""
    school_year = _year_or_none(request)
    if school_year is None:
        return _no_year(request)
    rolls = scope_filter(
        Enrollment.objects.filter(school_year=school_year, status=RollStatus.STUDYING),
        request.user,
        "school_id",
    ).order_by("grade", "class_name", "name")
    form = AbsenceReportForm(request.POST or None, rolls=rolls, initial={"reported_on": _today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = services.absence_report(
                enrollment=d["enrollment"],
                absent_since=d["absent_since"],
                reported_on=d["reported_on"],
                valid_reason=d["valid_reason"],
                reason_text=d["reason_text"],
                reason=d["reason"],
                guardians=_guardians(d),
                school_person=d["school_person"],
                user=request.user,
            )
        except (DropoutError, SchoolYearLocked, ValidationError) as exc:
            messages.error(request, f"未保存：{exc}")
        else:
            if report.case_id:
                messages.warning(request, "缺课已超过期限且无正当理由，已立为个案，请安排家访。")
                return redirect("dropout:case_detail", pk=report.case_id)
            messages.success(request, "缺课报告已保存。")
            return redirect("dropout:absence_new")
    return render(request, "dropout/absence_new.html", {"form": form})


@require_GET
@capability_required("dropout.view")
def ledger(request: HttpRequest, kind: str) -> HttpResponse:
    school_year = _year_or_none(request)
    if school_year is None:
        return _no_year(request)
    user, today = request.user, _today()
    export = request.GET.get("format") == "xlsx"
    if kind == "age":
        place = request.GET.get("place", "")
        rows = selectors.ledger_school_age(
            user=user, school_year=school_year, today=today, place=place
        )
        if export:
            return _download(
                exports.ledger_school_age_export(user=user, school_year=school_year, rows=rows)
            )
        counts = selectors.ledger_place_counts(
            rows
            if not place
            else selectors.ledger_school_age(user=user, school_year=school_year, today=today)
        )
        page = Paginator(rows, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "dropout/ledger_age.html",
            {
                "rows": rows,
                "page": page,
                "counts": counts,
                "school_year": school_year,
                "place": place,
                "out_of_school": selectors.OUT_OF_SCHOOL,
                "can_edit": can(user, "dropout.edit"),
            },
        )
    if kind not in LEDGER_KINDS:
        raise Http404("没有这种台账。")
    case_kind = LEDGER_KINDS[kind]
    case_rows = selectors.ledger_cases(
        user=user, school_year=school_year, kind=case_kind, today=today
    )
    if export:
        return _download(
            exports.ledger_cases_export(
                user=user, school_year=school_year, kind=case_kind, rows=case_rows
            )
        )
    return render(
        request,
        "dropout/ledger_cases.html",
        {
            "rows": case_rows,
            "school_year": school_year,
            "title": f"{case_kind.label}台账",
            "kind": kind,
        },
    )


@require_GET
@capability_required("dropout.view")
def monthly(request: HttpRequest) -> HttpResponse:
    schools = list(units_visible(request.user, SCHOOL_KINDS).order_by("name"))
    today = _today()
    form = MonthForm(request.GET or None, schools=schools, initial={"month": f"{today:%Y-%m}"})
    report = None
    if form.is_bound and form.is_valid():
        year, month = form.cleaned_data["month"]
        school = access_unit(request.user, form.cleaned_data["school"])
        report = selectors.monthly_report(
            user=request.user, school=school, year=year, month=month, today=today
        )
        if request.GET.get("format") == "xlsx":
            return _download(exports.monthly_report_export(user=request.user, report=report))
    year, month = (
        form.cleaned_data["month"]
        if form.is_bound and form.is_valid()
        else (today.year, today.month)
    )
    context = {
        "form": form,
        "report": report,
        "query": request.GET.urlencode(),
        "submissions": selectors.monthly_submissions(user=request.user, year=year, month=month),
        "month_label": f"{year}年{month}月",
        "month_value": f"{year}-{month:02d}",
        "can_submit": can(request.user, "dropout.edit"),
    }
    return render(request, "dropout/monthly.html", context)


@require_POST
@capability_required("dropout.edit")
def monthly_submit(request: HttpRequest) -> HttpResponse:
    schools = list(units_visible(request.user, SCHOOL_KINDS).order_by("name"))
    form = MonthForm(request.POST, schools=schools)
    chosen = {key: request.POST.get(key, "") for key in ("school", "month")}
    back = f"{reverse('dropout:monthly')}?{urlencode(chosen)}"
    if not form.is_valid():
        messages.error(request, f"未上报：{_form_errors(form)}")
        return redirect(back)
    school = access_unit(request.user, form.cleaned_data["school"])
    year, month = form.cleaned_data["month"]
    try:
        services.monthly_report_submit(
            school=school,
            month_start=datetime.date(year, month, 1),
            today=_today(),
            user=request.user,
        )
    except DropoutError as exc:
        messages.error(request, f"未上报：{exc}")
    else:
        messages.success(request, f"已上报{school.name}{year}年{month}月的月报。")
    return redirect(back)


@require_GET
@capability_required("dropout.view")
def review(request: HttpRequest) -> HttpResponse:
    today = _today()
    school_year = _year_or_none(request)
    data = selectors.review_list(user=request.user, school_year=school_year, today=today)
    if request.GET.get("format") == "xlsx":
        return _download(exports.review_list_export(user=request.user, review=data, today=today))
    return render(
        request, "dropout/review.html", {"review": data, "today": today, "school_year": school_year}
    )


@require_GET
@capability_required("dropout.view")
def notice_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    notice = (
        Notice.objects.filter(case__in=selectors.cases_visible(request.user))
        .select_related("case__town", "case__village", "case__school", "town")
        .filter(pk=pk)
        .first()
    )
    if notice is None or fmt not in {"pdf", "docx"}:
        raise Http404("没有找到该通知书，或您无权查看。")
    try:
        return _download(exports.notice_export(user=request.user, notice=notice, fmt=fmt))
    except FontMissing as exc:  # never a PDF without readable Chinese
        messages.error(request, str(exc))
        return redirect("dropout:case_detail", pk=notice.case_id)


@require_GET
@capability_required("dropout.view")
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = (
        CaseAttachment.objects.filter(pk=pk, case__in=selectors.cases_visible(request.user))
        .select_related("case__village", "case__school")
        .first()
    )
    if attachment is None:
        raise Http404("没有找到该附件，或您无权查看。")
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404("附件文件已不在数据目录中，请联系管理员从备份恢复。") from None
    with transaction.atomic():
        audit_record(
            user=request.user,
            action=AuditAction.EXPORT,
            entity="CaseAttachment",
            entity_id=attachment.pk,
            summary=f"{attachment.case.child_name}：下载附件 {attachment}",
            unit=attachment.case.village or attachment.case.school,
        )
    name = attachment.file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return _download(exports.ExportFile(name, content, content_type))


@require_http_methods(["GET", "POST"])
@capability_required("dropout.view")
def contacts(request: HttpRequest) -> HttpResponse:
    """The "七长" of each unit the user may see; keepers edit those of their own units."""
    units = list(units_visible(request.user).order_by("kind", "name"))
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if not can(request.user, "dropout.edit"):
            raise Http404("您无权修改联系人。")
        unit = access_unit(request.user, request.POST.get("unit"))
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.contact_set(
                    unit=unit, role=d["role"], name=d["name"], phone=d["phone"], user=request.user
                )
            except DropoutError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已保存 {unit.name} 的{d['role']}。")
                return redirect(reverse("dropout:contacts"))
        else:
            messages.error(request, f"未保存：{_form_errors(form)}")
    by_unit: dict[int, list[UnitContact]] = {}
    for contact in UnitContact.objects.filter(unit__in=units).order_by("role"):
        by_unit.setdefault(contact.unit_id, []).append(contact)
    rows = [(unit, by_unit.get(unit.pk, [])) for unit in units]
    return render(
        request,
        "dropout/contacts.html",
        {
            "rows": rows,
            "form": form,
            "can_edit": can(request.user, "dropout.edit"),
        },
    )
