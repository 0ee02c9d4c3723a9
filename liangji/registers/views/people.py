"""Register pages: people, households, rolls; the person page with its edits and events."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import (
    access_enrollment,
    access_person,
    access_person_record,
    can,
    capability_required,
    units_visible,
)
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers import exports, selectors
from liangji.registers import services as register_services
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS
from liangji.registers.forms import (
    PERSON_EVENT_FORMS,
    HouseholdFilterForm,
    PersonFilterForm,
    PersonRecordForm,
    RollEventForm,
    RollFilterForm,
)
from liangji.registers.models import PersonRecord
from liangji.registers.rules import age_on
from liangji.registers.school_year import school_year_of
from liangji.registers.services import RecordChanged, SchoolYearLocked

PAGE_SIZE = 50


def _no_year(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "web/no_school_year.html", {"title": title})


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


@require_GET
@capability_required("population.view")
def person_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request, "人口")
    villages = list(units_visible(request.user, VILLAGE_KINDS).order_by("name"))
    form = PersonFilterForm(request.GET, villages=villages)
    filters = selectors.PersonFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PersonFilters(
            q=data["q"], village=data["village"], age_min=data["age_min"],
            age_max=data["age_max"], group=data["group"], status=data["status"],
        )  # fmt: skip
    day = selectors.reference_date(user=request.user, school_year=school_year)
    records = selectors.person_record_list(
        user=request.user, school_year=school_year, filters=filters, day=day
    )
    if request.GET.get("format") == "xlsx":
        rows = exports.person_rows(records.iterator(chunk_size=2000), day)
        return _export(request, "人口", exports.PERSON_HEADER, rows, school_year)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page:
        record.age = age_on(record.person.birth_date, day)  # type: ignore[attr-defined]
    context = {"form": form, "page": page, "school_year": school_year, "day": day}
    return render(request, "registers/person_list.html", context)


def _export(
    request: HttpRequest, what: str, header: list[str], rows: Any, school_year: Any
) -> HttpResponse:
    """The list as filtered on the page, as Excel (audited); 403 for a role that may not export."""
    if not can(request.user, "register.export"):
        raise PermissionDenied("您的角色无权导出。")
    content = exports.register_list_export(
        what=what, header=header, rows=rows, school_year=school_year.year,
        filters={k: v for k, v in request.GET.items() if k != "format"}, user=request.user,
    )  # fmt: skip
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = quote(f"{what}-{school_year.year}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@require_GET
@capability_required("population.view")
def household_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request, "户")
    villages = list(units_visible(request.user, VILLAGE_KINDS).order_by("name"))
    form = HouseholdFilterForm(request.GET, villages=villages)
    data = form.cleaned_data if form.is_valid() else {}
    households = selectors.household_list(
        user=request.user, school_year=school_year, q=data.get("q", ""),
        village=data.get("village"),
    )  # fmt: skip
    if request.GET.get("format") == "xlsx":
        return _export(request, "户", exports.HOUSEHOLD_HEADER,
                       exports.household_rows(households), school_year)  # fmt: skip
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "school_year": school_year}
    return render(request, "registers/household_list.html", context)


@require_GET
@capability_required("rolls.view")
def enrollment_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request, "学籍")
    schools = list(units_visible(request.user, SCHOOL_KINDS).order_by("name"))
    form = RollFilterForm(request.GET, schools=schools)
    filters = selectors.RollFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.RollFilters(
            q=data["q"], school=data["school"], grade=data["grade"], status=data["status"]
        )
    rolls = selectors.enrollment_list(user=request.user, school_year=school_year, filters=filters)
    if request.GET.get("format") == "xlsx":
        return _export(request, "学籍", exports.ROLL_HEADER,
                       exports.roll_rows(rolls.iterator(chunk_size=2000)), school_year)  # fmt: skip
    page = Paginator(rolls, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "school_year": school_year,
        "can_edit": can(request.user, "register.edit") and not school_year.locked,
    }
    return render(request, "registers/enrollment_list.html", context)


@require_GET
@capability_required("register.view")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_person(request.user, pk)
    detail = selectors.person_detail(user=request.user, person=person)
    context = {
        "detail": detail,
        "person": person,
        "can_edit": can(request.user, "register.edit"),
        "can_reveal": can(request.user, "id.reveal") and bool(person.id_number),
        "event_forms": {slug: label for slug, (label, _) in PERSON_EVENT_FORMS.items()},
    }
    return render(request, "registers/person_detail.html", context)


@require_POST
@capability_required("id.reveal")
def person_reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full ID number once, and write who looked at it into the audit log."""
    person = access_person(request.user, pk)
    with transaction.atomic():
        audit_record(
            user=request.user,
            action=AuditAction.REVEAL,
            entity="Person",
            entity_id=person.pk,
            summary=f"查看 {person.name} 的完整身份证号",
            unit=getattr(request.user, "unit", None),
        )
    if request.headers.get("HX-Request"):
        return render(request, "registers/_id_revealed.html", {"person": person})
    return render(request, "registers/id_revealed_page.html", {"person": person})


@require_http_methods(["GET", "POST"])
@capability_required("register.edit")
def person_record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = access_person_record(request.user, pk)
    form = PersonRecordForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            register_services.person_record_update(
                record=record,
                changes=form.changes(),
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        except (RecordChanged, SchoolYearLocked) as exc:
            messages.error(request, str(exc))
            return redirect("registers:person_detail", pk=record.person_id)
        else:
            messages.success(
                request, f"已保存 {record.person.name}（{record.school_year}）的记录。"
            )
            return redirect("registers:person_detail", pk=record.person_id)
    context = {"form": form, "record": record, "locked": record.school_year.locked}
    return render(request, "registers/person_record_form.html", context)


def _attach_errors(form: PersonRecordForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, _errors(exc))


@require_http_methods(["GET", "POST"])
@capability_required("register.edit")
def person_record_event(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in PERSON_EVENT_FORMS:
        raise Http404("没有这种登记。")
    label, form_class = PERSON_EVENT_FORMS[kind]
    record = access_person_record(request.user, pk)
    form = form_class(request.POST or None, initial={"version": record.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _person_event_write(request, record, kind, data)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        except (RecordChanged, SchoolYearLocked) as exc:
            messages.error(request, str(exc))
            return redirect("registers:person_detail", pk=record.person_id)
        else:
            messages.success(request, f"已{label}：{record.person.name}。")
            return redirect("registers:person_detail", pk=record.person_id)
    context = {"form": form, "record": record, "label": label}
    return render(request, "registers/person_event_form.html", context)


def _person_event_write(
    request: HttpRequest, record: PersonRecord, kind: str, data: dict[str, Any]
) -> None:
    version, user = data["version"], request.user
    if kind == "death":
        register_services.person_record_death(
            record=record, died_on=data["died_on"], expected_version=version, user=user
        )
    elif kind == "move-out":
        register_services.person_record_move_out(
            record=record, moved_out_on=data["moved_out_on"], expected_version=version, user=user
        )
    else:
        register_services.person_record_exemption(
            record=record, exemption=data["exemption"], approved_on=data["approved_on"],
            until=data["until"], expected_version=version, user=user,
        )  # fmt: skip


@require_http_methods(["GET", "POST"])
@capability_required("register.edit")
def enrollment_event(request: HttpRequest, pk: int) -> HttpResponse:
    roll = access_enrollment(request.user, pk)
    form = RollEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            register_services.enrollment_record_event(
                enrollment=roll, kind=data["kind"], date=data["date"],
                other_school=data["other_school"], note=data["note"], user=request.user,
            )  # fmt: skip
        except SchoolYearLocked as exc:
            messages.error(request, str(exc))
        except ValueError as exc:
            form.add_error("date", str(exc))
        else:
            messages.success(request, f"已记录 {roll.name} 的学籍变动。")
            if roll.person_id:
                return redirect("registers:person_detail", pk=roll.person_id)
            return redirect("registers:enrollment_list")
    return render(request, "registers/enrollment_event_form.html", {"form": form, "roll": roll})
