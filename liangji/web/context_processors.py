"""What every page's layout needs: the navigation, the school years, the user's unit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from liangji.registers.models import SchoolYear
from liangji.registers.school_year import school_year_of
from liangji.web.nav import nav_for


def layout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # Lazy: pages that do not render the layout (downloads, htmx fragments) pay no query.
    def school_years() -> list[SchoolYear]:
        return list(SchoolYear.objects.order_by("-year"))

    return {
        "nav_items": lambda: nav_for(user, request.path),
        "school_years": school_years,
        "current_school_year": lambda: school_year_of(request),
    }
