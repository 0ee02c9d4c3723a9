"""Every date field of every form renders its value as YYYY-MM-DD in an <input type="date">.

The browser drops any other form of the value (zh-Hans renders 2024/09/30), so a form saved
unchanged would erase its dates (issue 10). The browser test in web/tests/test_date_forms.py
saves the real pages; this one checks every form class of the project, fast.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.utils import translation

import liangji

DAY = datetime.date(2024, 9, 30)


def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for module_info in pkgutil.walk_packages(liangji.__path__, "liangji."):
        name = module_info.name
        if (
            ".tests" in name
            or ".migrations" in name
            or not name.rsplit(".", 1)[-1].startswith("forms")
        ):
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found[f"{name}.{cls.__name__}"] = cls
    return [found[key] for key in sorted(found)]


def _date_fields() -> list[tuple[str, forms.Field]]:
    return [
        (f"{cls.__module__}.{cls.__name__}.{name}", field)
        for cls in _form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
    ]


def test_the_project_has_date_forms_to_check():
    # The discovery must find the known ones, or the test below would check nothing.
    names = {name for name, _ in _date_fields()}
    assert "liangji.registers.forms.PersonRecordForm.died_on" in names
    assert len(names) >= 10


@pytest.mark.parametrize(
    ("name", "field"), _date_fields(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_date_field_renders_an_iso_date_input(name, field):
    with translation.override("zh-hans"):
        html = field.widget.render("d", DAY)
    assert 'type="date"' in html, f"{name} is not an <input type=date>: {html}"
    assert 'value="2024-09-30"' in html, f"{name} renders {html}"


def test_typed_chinese_and_slash_dates_are_still_accepted():
    with translation.override("zh-hans"):
        for typed in ("2024-09-30", "2024/09/30", "2024年9月30日"):
            assert forms.DateField().clean(typed) == DAY
