"""Login and logout (Django's auth views with our form), the administrator's user pages and
the audit log page (administrators only)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangji.accounts import services
from liangji.accounts.addresses import client_ip
from liangji.accounts.forms import (
    LoginForm,
    PasswordResetForm,
    UserCreateForm,
    UserUpdateForm,
)
from liangji.accounts.models import User
from liangji.accounts.scope import capability_required
from liangji.audit.forms import AuditFilterForm
from liangji.audit.selectors import audit_entities, audit_entry_list


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        services.login_succeeded(user=form.get_user(), ip=client_ip(self.request))
        return response


class LogoutView(auth_views.LogoutView):
    """Logging out is a POST (a link or an image must not log anyone out); a GET, from a
    bookmark or a typed address, shows a page with the button instead of a browser error."""

    http_method_names = ["get", "post", "options"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return render(request, "accounts/logout.html")


def _errors(exc: ValidationError) -> str:
    return ";".join(exc.messages)


@require_GET
@capability_required("users.manage")
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("unit").order_by("role", "username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    held = services.login_throttled_usernames()
    return render(request, "accounts/user_list.html", {"page": page, "held": held})


@require_http_methods(["GET", "POST"])
@capability_required("users.manage")
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                unit=data["unit"],
                password=data["password"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已创建账号 {user.username}。")
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@capability_required("users.manage")
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User.objects.select_related("unit"), pk=pk)
    form = (
        UserUpdateForm(request.POST) if request.method == "POST" else UserUpdateForm.for_user(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update(
                user=user,
                full_name=data["full_name"],
                role=data["role"],
                unit=data["unit"],
                is_active=data["is_active"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, f"已保存账号 {user.username}。")
            return redirect("accounts:user_list")
    context = {"form": form, "account": user, "password_form": PasswordResetForm()}
    return render(request, "accounts/user_form.html", context)


@require_POST
@capability_required("users.manage")
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "新密码至少 10 个字符。")
        return redirect("accounts:user_edit", pk=pk)
    try:
        services.user_password_reset(
            user=user, password=form.cleaned_data["password"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, f"密码不符合要求：{_errors(exc)}")
        return redirect("accounts:user_edit", pk=pk)
    messages.success(request, f"已重置 {user.username} 的密码。")
    return redirect("accounts:user_list")


@require_POST
@capability_required("users.manage")
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(User, pk=pk)
    services.user_unlock(user=user, actor=request.user)
    messages.success(request, f"已解锁账号 {user.username}。")
    return redirect("accounts:user_list")


@require_http_methods(["GET", "POST"])
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_password_change(
            user=request.user,  # type: ignore[arg-type]
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(request, user)  # stay logged in on this browser
        messages.success(request, "密码已修改。")
        return redirect("web:dashboard")
    return render(request, "accounts/password_change.html", {"form": form})


@require_GET
@capability_required("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, entities=audit_entities())
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entry_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})
