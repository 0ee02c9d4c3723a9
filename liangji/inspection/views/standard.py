"""The inspection standard: seven aspects and their items; the town office edits them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from liangji.accounts.scope import capability_required
from liangji.inspection import selectors
from liangji.inspection.forms import StandardItemCreateForm, StandardItemForm
from liangji.inspection.services.standard import standard_item_create, standard_item_update
from liangji.inspection.views.common import attempt, is_office


@require_GET
@capability_required("inspection.view")
def standard(request: HttpRequest) -> HttpResponse:
    context = {"aspects": selectors.standard_aspects(), "office": is_office(request.user)}
    return render(request, "inspection/standard.html", context)


@require_http_methods(["GET", "POST"])
@capability_required("inspection.edit")
def standard_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("检查标准由镇两基办维护")
    item = selectors.access_standard_item(pk)
    form = StandardItemForm(request.POST or None, instance=selectors.access_standard_item(pk))
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.Meta.fields}
        done = attempt(
            request,
            lambda: standard_item_update(item=item, user=request.user, **changes),
            f"已修改 {item.code}",
        )
        if done is not None:
            return redirect("inspection:standard")
    return render(
        request, "inspection/form.html",
        {"form": form, "title": f"修改检查项目 {item.code}", "back": "inspection:standard",
         "sub": item.aspect.name},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@capability_required("inspection.edit")
def standard_item_add(request: HttpRequest) -> HttpResponse:
    if not is_office(request.user):
        raise PermissionDenied("检查标准由镇两基办维护")
    form = StandardItemCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        aspect, code = data.pop("aspect"), data.pop("code")
        done = attempt(
            request,
            lambda: standard_item_create(aspect=aspect, code=code, user=request.user, **data),
            f"已新增 {code}",
        )
        if done is not None:
            return redirect("inspection:standard")
    return render(
        request, "inspection/form.html",
        {"form": form, "title": "新增检查项目", "back": "inspection:standard"},
    )  # fmt: skip
