"""Pages of 扫盲. Thin: read through `selectors`, write through `services`, export through
`exports`; every page is scoped by `accounts.scope` and guarded by a capability."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts.scope import can, capability_required, units_visible
from liangji.downloads import download
from liangji.indicators.report import IndicatorError
from liangji.literacy import exports, selectors, services
from liangji.literacy.forms import (
    ClassOpenForm,
    CloseForm,
    IssueForm,
    JudgementForm,
    LedgerFilterForm,
    LiteracyTestForm,
    MembersAddForm,
    RetestForm,
    SessionForm,
    TeacherForm,
    TrainingForm,
)
from liangji.literacy.models import ClassStatus
from liangji.literacy.trends import literacy_trend
from liangji.registers.choices import TOWN_KINDS, VILLAGE_KINDS
from liangji.registers.models import Person, SchoolYear, Unit
from liangji.registers.school_year import school_year_of
from liangji.registers.services import SchoolYearLocked

LEDGER_PAGE_SIZE = 200
REFUSALS = (services.LiteracyError, SchoolYearLocked, ValidationError, IndicatorError)


def _today() -> datetime.date:
    return timezone.localdate()


def _no_year(request: HttpRequest) -> HttpResponse:
    return render(request, "web/no_school_year.html", {"title": "扫盲"})


def _town(request: HttpRequest) -> Unit:
    """The town the page is about: the user's own, or (inspector) the one chosen, else the
    first of the county."""
    user = request.user
    unit = getattr(user, "unit", None)
    if unit is not None and unit.town is not None:
        return unit.town
    towns = units_visible(user, TOWN_KINDS).order_by("name")
    chosen = request.GET.get("town", "")
    town = towns.filter(pk=int(chosen)).first() if chosen.isdigit() else towns.first()
    if town is None:
        raise Http404("您的账号没有可查看的镇。")
    return town


def _villages(request: HttpRequest, town: Unit) -> list[Unit]:
    return list(units_visible(request.user, VILLAGE_KINDS).filter(parent=town).order_by("name"))


def _download(file: exports.ExportFile) -> HttpResponse:
    return download(file.content, filename=file.filename, content_type=file.content_type)


def _form_errors(form: Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}：{text}" if label else text)
    return "；".join(parts)


def _refusal(exc: Exception) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _base(request: HttpRequest, school_year: SchoolYear, town: Unit) -> dict[str, Any]:
    return {
        "school_year": school_year,
        "town": town,
        "towns": list(units_visible(request.user, TOWN_KINDS).order_by("name")),
        "can_edit": can(request.user, "literacy.edit"),
        "can_certify": can(request.user, "literacy.certify"),
    }


# -- overview and ledger --------------------------------------------------------------------


@require_GET
@capability_required("literacy.view")
def home(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    user, town, today = request.user, _town(request), _today()
    units = selectors.standard_for_user(user=user, school_year=school_year.year, town=town)
    whole = units[0] if units and units[0].kind == "town" else None
    ledger = whole.ledger if whole else _sum_ledgers(units)
    due = selectors.retests_due(user=user, today=today)
    context = {
        **_base(request, school_year, town),
        "units": units,
        "ledger": [
            (selectors.LedgerStatus.LABELS[k], k, ledger.get(k, 0))
            for k in selectors.LedgerStatus.ORDER
        ],
        "ledger_total": ledger.get("total", 0),
        "open_classes": selectors.class_list(
            user=user, school_year=None, status=ClassStatus.OPEN
        ).filter(town=town),
        "retests_due": due,
        "retests_overdue": sum(1 for d in due if d.overdue),
        "certificates_this_year": selectors.certificate_list(user=user, year=today.year)
        .filter(town=town)
        .count(),
        "trend": literacy_trend(town=town) if whole else None,
    }
    return render(request, "literacy/home.html", context)


def _sum_ledgers(units: list[selectors.UnitStandard]) -> dict[str, int]:
    total: dict[str, int] = {}
    for unit in units:
        for key, count in unit.ledger.items():
            total[key] = total.get(key, 0) + count
    return total


@require_GET
@capability_required("literacy.view")
def ledger(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    user, town = request.user, _town(request)
    villages = _villages(request, town)
    form = LedgerFilterForm(request.GET or None, villages=villages)
    filters = selectors.LedgerFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.LedgerFilters(
            village_id=d["village"], age_band=d["age_band"], sex=d["sex"], status=d["status"]
        )
    rows = selectors.ledger_list(
        user=user, school_year=school_year.year, town=town, filters=filters
    )
    lost = selectors.lost_ability_list(user=user, school_year=school_year.year, town=town)
    if request.GET.get("format") == "xlsx":
        return _download(
            exports.ledger_export(
                user=user, town=town, school_year=school_year.year, rows=rows, lost=lost
            )
        )
    page = Paginator(rows, LEDGER_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_base(request, school_year, town),
        "form": form,
        "page": page,
        "lost": lost,
        "judgement_form": JudgementForm() if can(user, "literacy.edit") else None,
    }
    return render(request, "literacy/ledger.html", context)


@require_POST
@capability_required("literacy.edit")
def judgement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The evidence behind a 丧失学习能力 flag (pk: the person's record of the year)."""
    record = selectors.lost_ability_record_access(request.user, pk)
    form = JudgementForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未登记：{_form_errors(form)}")
    else:
        try:
            services.lost_ability_judgement_record(record=record, **form.cleaned_data,
                                                   user=request.user)  # fmt: skip
        except REFUSALS as exc:
            messages.error(request, f"未登记：{_refusal(exc)}")
        else:
            messages.success(request, f"已登记 {record.person.name} 的丧失学习能力鉴定依据。")
    return redirect(reverse("literacy:ledger") + "#lost")


@require_GET
@capability_required("literacy.view")
def shortfall(request: HttpRequest) -> HttpResponse:
    """The people behind each figure of the unit standard, for the town or one village."""
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    user, town = request.user, _town(request)
    wanted = request.GET.get("village", "")
    village = next((v for v in _villages(request, town) if str(v.pk) == wanted), None)
    people = selectors.standard_shortfall(
        user=user, school_year=school_year.year, town=town, village=village
    )
    if request.GET.get("format") == "xlsx":
        return _download(
            exports.shortfall_export(
                user=user, town=town, school_year=school_year.year, people=people
            )
        )
    context = {**_base(request, school_year, town), "people": people, "village": village}
    return render(request, "literacy/shortfall.html", context)


# -- classes --------------------------------------------------------------------------------


@require_GET
@capability_required("literacy.view")
def class_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    town = _town(request)
    classes = list(
        selectors.class_list(user=request.user, school_year=school_year).filter(town=town)
    )
    if request.GET.get("format") == "xlsx":
        return _download(exports.classes_export(user=request.user, town=town, classes=classes))
    context = {**_base(request, school_year, town), "classes": classes}
    return render(request, "literacy/class_list.html", context)


@require_http_methods(["GET", "POST"])
@capability_required("literacy.edit")
def class_new(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    town = _town(request)
    villages = _villages(request, town)
    form = ClassOpenForm(request.POST or None, villages=villages, initial={"opened_on": _today()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        village = next(v for v in villages if v.pk == d["village"])
        teachers = [services.TeacherInput(d["teacher_name"], d["teacher_unit"], d["teacher_phone"])]
        try:
            klass = services.class_open(
                school_year=school_year, village=village, name=d["name"],
                planned_hours=d["planned_hours"], opened_on=d["opened_on"],
                venue_kind=d["venue_kind"], venue=d["venue"], textbook=d["textbook"],
                schedule=d["schedule"], teachers=teachers, user=request.user,
            )  # fmt: skip
        except REFUSALS as exc:
            messages.error(request, f"未开班：{_refusal(exc)}")
        else:
            messages.success(request, "已开班，请从扫盲对象中选择学员入班。")
            return redirect("literacy:class_detail", pk=klass.pk)
    return render(
        request, "literacy/class_new.html", {**_base(request, school_year, town), "form": form}
    )


def _candidates(request: HttpRequest, klass: Any) -> list[tuple[int, str]]:
    """扫盲对象 of the class's village not yet in an open class: whom the class can take."""
    rows = selectors.ledger_list(
        user=request.user,
        school_year=klass.school_year.year,
        town=klass.town,
        filters=selectors.LedgerFilters(village_id=klass.village_id),
    )
    free = {selectors.LedgerStatus.NOT_ENROLLED, selectors.LedgerStatus.RELAPSED,
            selectors.LedgerStatus.FAILED}  # fmt: skip
    return [
        (r.person_id, f"{r.name}（{r.sex}，{r.age}岁，{r.level}，{r.household}户）")
        for r in rows
        if r.status in free and r.class_id != klass.pk
    ]


@require_GET
@capability_required("literacy.view")
def test_sheets(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 识字测验卷， a page per learner; ?date=YYYY-MM-DD, else today."""
    klass = selectors.class_access(request.user, pk)
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = _today()
    return _download(exports.test_sheets_export(user=request.user, klass=klass, date=day))


@require_GET
@capability_required("literacy.view")
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.class_detail(user=request.user, pk=pk)
    klass = detail["klass"]
    if request.GET.get("format") == "xlsx":
        return _download(exports.attendance_export(user=request.user, detail=detail))
    today = _today()
    members = [row.member for row in detail["members"] if row.member.in_open_class]
    editable = can(request.user, "literacy.edit") and klass.status == ClassStatus.OPEN
    context = {
        **detail,
        **_base(request, klass.school_year, klass.town),
        "editable": editable,
        "members_form": MembersAddForm(
            candidates=_candidates(request, klass) if editable else [],
            initial={"joined_on": today},
        ),
        "session_form": SessionForm(members=members, initial={"date": today}),
        "test_form": LiteracyTestForm(members=members, initial={"date": today}),
        "test_lines": [
            (
                m,
                *(
                    LiteracyTestForm(members=members)[f"{f}_{m.pk}"]
                    for f in ("chars", "reading", "accounts", "writing")
                ),
            )
            for m in members
        ],
        "issue_form": IssueForm(initial={"issued_on": today}),
        "close_form": CloseForm(initial={"closed_on": today}),
        "teacher_form": TeacherForm(),
    }
    return render(request, "literacy/class_detail.html", context)


def _class_write(request: HttpRequest, pk: int, write: Any, success: str) -> HttpResponse:
    klass = selectors.class_access(request.user, pk)
    try:
        error = write(klass)
    except REFUSALS as exc:
        error = _refusal(exc)
    if error:
        messages.error(request, f"未保存：{error}")
    else:
        messages.success(request, success)
    return redirect("literacy:class_detail", pk=klass.pk)


def _members_of(klass: Any, ids: list[int]) -> list[Any]:
    return list(klass.members.filter(pk__in=ids).select_related("person"))


@require_POST
@capability_required("literacy.edit")
def class_members(request: HttpRequest, pk: int) -> HttpResponse:
    def write(klass: Any) -> str:
        form = MembersAddForm(request.POST, candidates=_candidates(request, klass))
        if not form.is_valid():
            return _form_errors(form)
        persons = list(Person.objects.filter(pk__in=form.cleaned_data["persons"]))
        services.class_members_add(
            klass=klass, persons=persons, joined_on=form.cleaned_data["joined_on"],
            user=request.user,
        )  # fmt: skip
        return ""

    return _class_write(request, pk, write, "学员已入班。")


@require_POST
@capability_required("literacy.edit")
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    def write(klass: Any) -> str:
        members = list(klass.members.filter(in_open_class=True).select_related("person"))
        form = SessionForm(request.POST, members=members)
        if not form.is_valid():
            return _form_errors(form)
        d = form.cleaned_data
        services.session_record(
            klass=klass, date=d["date"], hours=d["hours"], content=d["content"],
            present=_members_of(klass, d["present"]), user=request.user,
        )  # fmt: skip
        return ""

    return _class_write(request, pk, write, "已登记上课和出勤。")


@require_POST
@capability_required("literacy.edit")
def test_new(request: HttpRequest, pk: int) -> HttpResponse:
    def write(klass: Any) -> str:
        members = list(klass.members.filter(in_open_class=True).select_related("person"))
        form = LiteracyTestForm(request.POST, members=members)
        if not form.is_valid():
            return _form_errors(form)
        results = [
            services.ResultInput(member=m, characters_known=n, reading=r, accounts=a, writing=w)
            for m, n, r, a, w in form.lines()
        ]
        services.literacy_test_record(
            klass=klass, date=form.cleaned_data["date"], results=results,
            examiner=form.cleaned_data["examiner"], user=request.user,
        )  # fmt: skip
        return ""

    return _class_write(request, pk, write, "已登记测验成绩。")


@require_POST
@capability_required("literacy.edit")
def class_close(request: HttpRequest, pk: int) -> HttpResponse:
    def write(klass: Any) -> str:
        form = CloseForm(request.POST)
        if not form.is_valid():
            return _form_errors(form)
        services.class_close(klass=klass, closed_on=form.cleaned_data["closed_on"],
                             user=request.user)  # fmt: skip
        return ""

    return _class_write(request, pk, write, "该班已结业。")


@require_POST
@capability_required("literacy.edit")
def teacher_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(klass: Any) -> str:
        form = TeacherForm(request.POST)
        if not form.is_valid():
            return _form_errors(form)
        d = form.cleaned_data
        teacher = services.TeacherInput(d["name"], d["unit"], d["phone"])
        services.class_teacher_add(klass=klass, teacher=teacher, user=request.user)
        return ""

    return _class_write(request, pk, write, "已增加教师。")


# -- certificates and re-tests --------------------------------------------------------------


@require_POST
@capability_required("literacy.certify")
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the certificate of a passed result (pk: the result)."""
    result = selectors.result_access(request.user, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未发证：{_form_errors(form)}")
    else:
        try:
            certificate = services.certificate_issue(
                result=result, issued_on=form.cleaned_data["issued_on"], user=request.user
            )
        except REFUSALS as exc:
            messages.error(request, f"未发证：{_refusal(exc)}")
        else:
            messages.success(
                request,
                f"已发放脱盲证书 {certificate.number}；"
                f"{result.member.person.name} 的文化程度已改为脱盲。",
            )
    return redirect("literacy:class_detail", pk=result.test.klass_id)


@require_GET
@capability_required("literacy.view")
def certificate_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    town = _town(request)
    certificates = list(selectors.certificate_list(user=request.user).filter(town=town))
    if request.GET.get("format") == "xlsx":
        return _download(
            exports.certificates_export(user=request.user, town=town, certificates=certificates)
        )
    context = {**_base(request, school_year, town), "certificates": certificates, "download": True}
    return render(request, "literacy/certificate_list.html", context)


@require_GET
@capability_required("literacy.view")
def certificate_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in {"pdf", "docx"}:
        raise Http404("没有这种格式。")
    certificate = selectors.certificate_access(request.user, pk)
    return _download(
        exports.certificate_export(user=request.user, certificate=certificate, fmt=fmt)
    )


@require_GET
@capability_required("literacy.view")
def retest_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    town, today = _town(request), _today()
    due = [d for d in selectors.retests_due(user=request.user, today=today)
           if d.certificate.town_id == town.pk]  # fmt: skip
    done = list(selectors.retest_list(user=request.user, school_year=None).filter(town=town))
    if request.GET.get("format") == "xlsx":
        return _download(exports.retests_export(user=request.user, town=town, due=due, done=done))
    context = {
        **_base(request, school_year, town),
        "due": due,
        "done": done,
        "form": RetestForm(initial={"date": today}),
    }
    return render(request, "literacy/retest_list.html", context)


@require_POST
@capability_required("literacy.edit")
def retest_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the re-test of a certificate (pk: the certificate)."""
    certificate = selectors.certificate_access(request.user, pk)
    form = RetestForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"未保存：{_form_errors(form)}")
        return redirect("literacy:retest_list")
    d = form.cleaned_data
    try:
        retest = services.retest_record(
            certificate=certificate, date=d["date"], characters_known=d["characters_known"],
            reading=d["reading"], accounts=d["accounts"], writing=d["writing"], user=request.user,
        )  # fmt: skip
    except REFUSALS as exc:
        messages.error(request, f"未保存：{_refusal(exc)}")
    else:
        if retest.passed:
            messages.success(request, f"{certificate.person.name} 复查巩固。")
        else:
            messages.warning(
                request,
                f"{certificate.person.name} 复查未通过，记为复盲："
                "文化程度已改回半文盲，重新列入扫盲对象。",
            )
    return redirect("literacy:retest_list")


# -- practical technical training -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@capability_required("literacy.view")
def training_list(request: HttpRequest) -> HttpResponse:
    school_year = school_year_of(request)
    if school_year is None:
        return _no_year(request)
    town = _town(request)
    villages = _villages(request, town)
    form = TrainingForm(request.POST or None, villages=villages, initial={"date": _today()})
    if request.method == "POST":
        if not can(request.user, "literacy.edit"):
            raise PermissionDenied("您的角色无权进行此操作。")
        if form.is_valid():
            d = form.cleaned_data
            village = next(v for v in villages if v.pk == d["village"])
            try:
                services.training_record(
                    school_year=school_year, village=village, topic=d["topic"], date=d["date"],
                    hours=d["hours"], participants=d["participants"], note=d["note"],
                    user=request.user,
                )  # fmt: skip
            except REFUSALS as exc:
                messages.error(request, f"未保存：{_refusal(exc)}")
            else:
                messages.success(request, "已登记实用技术培训。")
                return redirect("literacy:training_list")
        else:
            messages.error(request, f"未保存：{_form_errors(form)}")
    trainings = list(
        selectors.training_list(user=request.user, school_year=school_year).filter(town=town)
    )
    if request.GET.get("format") == "xlsx":
        return _download(
            exports.trainings_export(user=request.user, town=town, trainings=trainings)
        )
    context = {**_base(request, school_year, town), "form": form, "trainings": trainings}
    return render(request, "literacy/training_list.html", context)
