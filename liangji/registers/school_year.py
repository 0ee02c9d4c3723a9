"""The school year a user is looking at: chosen in the top bar, kept in the session.

`SchoolYearMiddleware` sets `request.school_year` (a SchoolYear, or None before the first
import) for every logged-in request, so that the pages of every app read the same year without
importing the web shell.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from liangji.registers.models import SchoolYear

SESSION_KEY = "liangji_school_year"


def school_year_of(request: HttpRequest) -> SchoolYear | None:
    """`request.school_year` for the type checker (HttpRequest does not declare it)."""
    school_year: SchoolYear | None = getattr(request, "school_year", None)
    return school_year


def school_year_for(request: HttpRequest) -> SchoolYear | None:
    """The chosen school year, else the latest one; None when there is none yet."""
    chosen = request.session.get(SESSION_KEY)
    school_year = None
    if chosen is not None:
        school_year = SchoolYear.objects.filter(year=chosen).first()
    if school_year is None:
        school_year = SchoolYear.objects.order_by("-year").first()
    return school_year


def school_year_choose(request: HttpRequest, year: int) -> SchoolYear | None:
    """Keep the chosen year in the session; an unknown year changes nothing."""
    school_year = SchoolYear.objects.filter(year=year).first()
    if school_year is not None:
        request.session[SESSION_KEY] = school_year.year
        request.school_year = school_year  # type: ignore[attr-defined]
    return school_year


class SchoolYearMiddleware:
    """Sets `request.school_year`; after AuthenticationMiddleware (it reads the session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # Anonymous requests (login page, static files) see no figures and pay no query.
        authenticated = user is not None and user.is_authenticated
        request.school_year = school_year_for(request) if authenticated else None  # type: ignore[attr-defined]
        return self.get_response(request)
