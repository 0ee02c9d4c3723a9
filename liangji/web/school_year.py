"""The school year a user is looking at: chosen in the top bar, kept in the session.

Every page that shows figures of one school year reads it with `school_year_current(request)`.
"""

from __future__ import annotations

from django.http import HttpRequest

from liangji.registers.models import SchoolYear

SESSION_KEY = "liangji_school_year"


def school_year_current(request: HttpRequest) -> SchoolYear | None:
    """The chosen school year, else the latest one; None when there is none yet."""
    if hasattr(request, "_liangji_school_year"):
        cached: SchoolYear | None = request._liangji_school_year
        return cached
    chosen = request.session.get(SESSION_KEY)
    school_year = None
    if chosen is not None:
        school_year = SchoolYear.objects.filter(year=chosen).first()
    if school_year is None:
        school_year = SchoolYear.objects.order_by("-year").first()
    request._liangji_school_year = school_year  # type: ignore[attr-defined]
    return school_year


def school_year_choose(request: HttpRequest, year: int) -> SchoolYear | None:
    school_year = SchoolYear.objects.filter(year=year).first()
    if school_year is not None:
        request.session[SESSION_KEY] = school_year.year
        request._liangji_school_year = school_year  # type: ignore[attr-defined]
    return school_year
