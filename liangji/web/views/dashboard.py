"""The dashboard and the school-year picker."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from liangji.accounts.scope import can
from liangji.registers.school_year import school_year_choose, school_year_of
from liangji.web.selectors.dashboard import BOARD_KEEP_SECONDS, dashboard_kept, dashboard_key


def _safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "dashboard.view"):
        # The administrator sees no figures; their home is the user list.
        if can(request.user, "users.manage"):
            return redirect("accounts:user_list")
        raise PermissionDenied("您的账号没有可查看的内容，请联系系统管理员分配角色和单位。")
    town = request.GET.get("town", "")
    user, school_year = request.user, school_year_of(request)
    town_id = int(town) if town.isdigit() else None
    key = dashboard_key(user=user, school_year=school_year, town_id=town_id)
    page_key = _page_key(request, key)
    page = cache.get(page_key) if page_key is not None else None
    if page is not None:
        return HttpResponse(page)
    context = {
        "board": dashboard_kept(key=key, user=user, school_year=school_year, town_id=town_id),
        "board_key": key,
        "board_seconds": BOARD_KEEP_SECONDS,
        "show_population": can(request.user, "population.view"),
        "show_rolls": can(request.user, "rolls.view"),
    }
    response = render(request, "web/dashboard.html", context)
    if page_key is not None:
        cache.set(page_key, response.content, BOARD_KEEP_SECONDS)
    return response


def _page_key(request: HttpRequest, board_key: str) -> str | None:
    """The whole page is kept per browser session (its forms carry that browser's CSRF token)
    and dashboard key; not when a message waits to be shown, nor before the browser holds its
    CSRF cookie (the page would set one)."""
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    session_key = request.session.session_key
    if not csrf_cookie or not session_key or len(messages.get_messages(request)):
        return None
    return f"{board_key}:page:{session_key}:{csrf_cookie}"


@require_POST
def school_year_select(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    year = request.POST.get("year", "")
    if year.isdigit():  # an empty or garbled choice keeps the current year
        school_year_choose(request, int(year))
    return redirect(_safe_next(request))
