"""Saving a form with dates unchanged, in a real browser, changes nothing (issue 10).

The dates were rendered 2024/09/30, which <input type="date"> drops: the form then posted the
field empty and the save erased a death date. Every edit form holding a stored date is opened,
saved as it stands, and the rows behind it compared with what they were.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.forms.models import model_to_dict

from liangji.accounts.testing import CAST_PASSWORD, cast_create
from liangji.inspection.models import PlanPhase, PlanTask
from liangji.inspection.services.plan import plan_create_from_template
from liangji.registers.choices import Exemption, HukouStatus
from liangji.registers.models import PersonRecord
from liangji.registers.tests.register import register_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rows(*objects: Any) -> list[dict[str, Any]]:
    return [model_to_dict(type(o).objects.get(pk=o.pk)) for o in objects]


def test_saving_every_date_form_unchanged_changes_nothing(browser: Any, live_server: Any) -> None:
    cast = cast_create()
    register = register_create(cast)
    died, moved = register.xiaoming_record, register.xiaohong_record
    PersonRecord.objects.filter(pk=died.pk).update(died_on=datetime.date(2024, 9, 30))
    PersonRecord.objects.filter(pk=moved.pk).update(
        hukou_status=HukouStatus.MOVED_OUT,
        moved_out_on=datetime.date(2024, 10, 8),
        exemption=Exemption.DEFERRED,
        exemption_approved_on=datetime.date(2024, 9, 2),
        exemption_until=datetime.date(2025, 8, 31),
    )
    plan = plan_create_from_template(town=cast.town, school_year=register.year, year_of_plan=2025)
    phase = PlanPhase.objects.filter(plan=plan).order_by("order")[0]
    task = PlanTask.objects.filter(phase=phase).order_by("order")[0]
    forms = [
        (f"/records/{died.pk}/edit/", died),
        (f"/records/{moved.pk}/edit/", moved),
        (f"/inspection/plan/tasks/{task.pk}/", task),
        (f"/inspection/plan/phases/{phase.pk}/", phase),
    ]
    before = _rows(*(row for _, row in forms))

    # A Chinese browser, as in the offices: Django then renders with the zh-Hans formats.
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", CAST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    for path, _row in forms:
        page.goto(live_server.url + path)
        dates = page.locator("main input[type=date]")
        assert dates.count() >= 1, path
        shown = [dates.nth(i).input_value() for i in range(dates.count())]
        assert any(shown), f"{path}: every date input opened empty"
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").last.click()
        assert "出错" not in page.content(), path
    context.close()

    assert _rows(*(row for _, row in forms)) == before
    assert PersonRecord.objects.get(pk=died.pk).died_on == datetime.date(2024, 9, 30)
