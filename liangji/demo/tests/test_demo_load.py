"""`liangji demo`: a generated town imports cleanly, reloading changes nothing, other towns are
safe, and other apps add their steps."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from liangji.accounts.demo import demo_accounts_create
from liangji.demo import services
from liangji.demo.generator import town_workbooks_write
from liangji.demo.services import demo_town_name
from liangji.dropout.demo import demo_cases_create
from liangji.dropout.models import DropoutCase
from liangji.imports.services import workbook_import
from liangji.registers.models import Enrollment, Person, PersonRecord, SchoolYear, Unit

pytestmark = pytest.mark.django_db

STEPS_RUN: list[str] = []


def step_for_the_test(*, stdout_write: Any) -> None:
    """A step another app could append to DEMO_STEPS."""
    STEPS_RUN.append(demo_town_name())
    stdout_write("测试步骤已运行")


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Path:
    monkeypatch.setenv("LIANGJI_DEMO_PEOPLE", "400")
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_a_generated_town_of_600_people_imports_without_errors(tmp_path: Path) -> None:
    for workbook in town_workbooks_write(tmp_path, people_per_town=600, seed=3):
        result = workbook_import(path=workbook.path, school_year=workbook.year)
        assert result.ok and result.errors == [], result.summary_lines()
        assert result.counts["人口"].created == workbook.people
        assert result.counts["学籍"].created == workbook.pupils
        # The only warnings are the registered children studying elsewhere without proof.
        assert all("没有证明材料" in warning for warning in result.warnings), result.warnings
    assert SchoolYear.objects.count() == 3


def test_the_demo_command_loads_three_school_years_and_says_what_it_loaded(
    small_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Other apps add their demo data as a step; one is added here.
    monkeypatch.setattr(services, "DEMO_STEPS", [*services.DEMO_STEPS, step_for_the_test])
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "示范数据已载入" in text
    assert [demo_town_name()] == STEPS_RUN
    assert "测试步骤已运行" in text
    for year in (2022, 2023, 2024):
        assert PersonRecord.objects.filter(school_year__year=year).count() > 350
        assert Enrollment.objects.filter(school_year__year=year).count() > 40
        assert f"{year}—{year + 1}学年：人口" in text
    assert list(Unit.objects.filter(kind__in=["镇", "乡"]).values_list("name", flat=True)) == [
        demo_town_name()
    ]
    assert "各村（社区）人口" in text and "各学校学籍" in text
    assert sorted(p.name for p in (small_demo / "demo").iterdir()) == [
        "示范镇-2022.xlsx",
        "示范镇-2023.xlsx",
        "示范镇-2024.xlsx",
    ]


def test_loading_the_registers_twice_changes_nothing(
    small_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # This step's own promise; every step of DEMO_STEPS owes the same (see services).
    monkeypatch.setattr(services, "DEMO_STEPS", [services.demo_registers_load])
    call_command("demo", stdout=io.StringIO())
    counts = (Person.objects.count(), PersonRecord.objects.count(), Enrollment.objects.count())
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert (
        Person.objects.count(),
        PersonRecord.objects.count(),
        Enrollment.objects.count(),
    ) == counts
    assert "2024—2025学年：导入完成，无变化" in out.getvalue()
    # Re-reading an older year may link a pupil to a person a later year introduced (修改),
    # but never adds a row.
    assert re.search("新增 [1-9]", out.getvalue()) is None


def test_the_demo_refuses_a_database_that_holds_another_town(small_demo: Path) -> None:
    Unit.objects.create(kind="镇", name="柳林镇")
    with pytest.raises(CommandError, match="柳林镇"):
        call_command("demo", stdout=io.StringIO())
    assert Person.objects.count() == 0


def test_a_demo_size_that_makes_no_sense_is_refused(
    small_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIANGJI_DEMO_PEOPLE", "lots")
    with pytest.raises(CommandError, match="LIANGJI_DEMO_PEOPLE"):
        call_command("demo", stdout=io.StringIO())


def test_a_second_demo_of_another_size_reloads_the_town_it_has(
    small_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user runs `liangji demo` again on the same data directory, here with another size (a
    newer generator does the same): the cases refer to pupils the new workbooks would not hold,
    so the demo re-imports the workbooks it loaded and the town stays as it was."""
    monkeypatch.setattr(
        services,
        "DEMO_STEPS",
        [services.demo_registers_load, demo_accounts_create, demo_cases_create],
    )
    call_command("demo", stdout=io.StringIO())
    assert DropoutCase.objects.filter(enrollment__isnull=False).count() >= 1
    counts = (Person.objects.count(), Enrollment.objects.count(), DropoutCase.objects.count())

    monkeypatch.setenv("LIANGJI_DEMO_PEOPLE", "300")
    out = io.StringIO()
    call_command("demo", stdout=out)

    assert (Person.objects.count(), Enrollment.objects.count(), DropoutCase.objects.count()) == (
        counts
    )
    assert "重新导入上次生成的工作簿" in out.getvalue()
    assert "2024—2025学年：导入完成，无变化" in out.getvalue()
