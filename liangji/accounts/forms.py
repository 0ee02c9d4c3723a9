"""Forms of the accounts app: login, and the administrator's user management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from liangji.accounts.addresses import client_ip
from liangji.accounts.models import Role, User
from liangji.accounts.services import (
    login_failure_record,
    login_throttled,
    user_is_dormant,
    user_lock,
)
from liangji.registers.models import Unit


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系系统管理员。",
        "throttled": "登录失败次数过多，请 15 分钟后再试，或联系系统管理员。",
        "locked": "该账号已锁定（{reason}），请联系系统管理员解锁。",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        ip = client_ip(self.request)
        if not username or not password:
            return self.cleaned_data
        # Checked before the password, so that a guess during the wait learns nothing.
        if login_throttled(username=username, ip=ip):
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            login_failure_record(username=username, ip=ip)
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def confirm_login_allowed(self, user: User) -> None:  # type: ignore[override]
        super().confirm_login_allowed(user)
        if user.locked_at is None and user_is_dormant(user):
            user_lock(user=user, reason="超过 90 天未登录", actor=None)
        if user.locked_at is not None:
            raise ValidationError(
                self.error_messages["locked"].format(reason=user.lock_reason or "管理员锁定"),
                code="locked",
            )


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字和 _ . -"},
    )
    full_name = forms.CharField(label="姓名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.ModelChoiceField(
        label="所属单位",
        queryset=Unit.objects.order_by("kind", "name"),
        required=False,
        empty_label="（无：系统管理员）",
    )
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=10)


class UserUpdateForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=150)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.ModelChoiceField(
        label="所属单位",
        queryset=Unit.objects.order_by("kind", "name"),
        required=False,
        empty_label="（无：系统管理员）",
    )
    is_active = forms.BooleanField(label="启用", required=False)

    @classmethod
    def for_user(cls, user: User) -> UserUpdateForm:
        return cls(
            initial={
                "full_name": user.last_name,
                "role": user.role,
                "unit": user.unit_id,
                "is_active": user.is_active,
            }
        )


class PasswordResetForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput, min_length=10)
