"""The readiness page: for the town and each unit, ready or not, and why (vetoes first)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liangji.accounts.scope import capability_required, scope_unit_ids
from liangji.inspection.readiness import readiness_compute
from liangji.inspection.selectors import indicator_report_for
from liangji.inspection.views.common import missing, page_basics, today


@require_GET
@capability_required("inspection.view")
def readiness(request: HttpRequest) -> HttpResponse:
    school_year, town = page_basics(request)
    if school_year is None or town is None:
        return missing(request, "迎检条件", school_year)
    report = indicator_report_for(
        town=town, school_year=school_year, unit_ids=scope_unit_ids(request.user)
    )
    result = readiness_compute(
        user=request.user, town=town, school_year=school_year, report=report, today=today()
    )
    context = {"result": result, "town": town, "school_year": school_year, "report": report}
    return render(request, "inspection/readiness.html", context)
