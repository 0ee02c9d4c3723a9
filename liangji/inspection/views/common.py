"""What every inspection view shares: the page's school year and town, the acting units, and
turning a refused rule into a message instead of an error page."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from liangji.accounts.models import Actor, Role
from liangji.accounts.scope import units_visible
from liangji.inspection.selectors import town_for_user
from liangji.inspection.services.errors import InspectionRuleError
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.school_year import school_year_of

T = TypeVar("T")


def today() -> datetime.date:
    return timezone.localdate()


def is_office(user: Actor) -> bool:
    """The town office plans, organises, verifies and assesses; units keep their own data."""
    return bool(getattr(user, "role", None) == Role.TOWN_OFFICE)


def acting_units(user: Actor, kinds: Iterable[str] | None = None) -> list[Unit]:
    return list(units_visible(user, kinds).order_by("kind", "name"))


TOWN_SESSION_KEY = "liangji_inspection_town"


def page_basics(request: HttpRequest) -> tuple[SchoolYear | None, Unit | None]:
    """The school year of the top bar and the town the page is about. A county inspector picks
    the town (?town=); the choice is kept in the session for the other inspection pages."""
    chosen = request.GET.get("town") or request.session.get(TOWN_SESSION_KEY)
    try:
        town = town_for_user(request.user, chosen)
    except Http404:
        if "town" in request.GET:
            raise
        town = town_for_user(request.user)  # a town chosen earlier is no longer visible
    if town is not None and "town" in request.GET:
        request.session[TOWN_SESSION_KEY] = town.pk
    return school_year_of(request), town


def missing(request: HttpRequest, title: str, school_year: SchoolYear | None) -> HttpResponse:
    what = "学年" if school_year is None else "镇"
    return render(request, "inspection/missing.html", {"title": title, "what": what}, status=200)


def attempt(request: HttpRequest, action: Callable[[], T], success: str) -> T | None:
    """Run a service; a refused rule becomes an error message on the page, not a traceback."""
    try:
        result = action()
    except InspectionRuleError as exc:
        messages.error(request, str(exc))
        return None
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return None
    messages.success(request, success)
    return result
