"""The cast of the inspection-readiness tests.

青石镇 has one village, 东村, and two schools: 青石小学 and 青石中学. Olivia runs the town office.
Victor is the cadre of 东村. Pat keeps 青石小学, Quinn keeps 青石中学: Quinn must see nothing of
Pat's self-checks. Everything happens in school year 2024, on days the tests name.

`clean_town` makes every unit ready: sound buildings, no hazards, funding that grew, qualified
teachers, reported self-checks and no open rectification; a test then breaks one thing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from liangji.accounts.models import Role, User
from liangji.indicators.definitions import DEFINITIONS, Direction
from liangji.indicators.report import IndicatorReport, UnitIndicators
from liangji.indicators.values import indicator_value
from liangji.inspection.choices import ItemResult, SafetyGrade
from liangji.inspection.models import SelfCheck
from liangji.inspection.rules import applicable_items
from liangji.inspection.services.conditions import building_save, funding_year_save, teacher_save
from liangji.inspection.services.self_checks import (
    self_check_create,
    self_check_result_set,
    self_check_submit,
)
from liangji.registers.choices import UnitKind
from liangji.registers.models import SchoolYear, Unit
from liangji.registers.town_settings import DEFAULT_TARGETS

DAY = datetime.date(2025, 4, 20)


@dataclass
class Cast:
    town: Unit
    village: Unit
    primary: Unit
    junior: Unit
    year: SchoolYear
    olivia: User
    victor: User
    pat: User
    quinn: User

    @property
    def units(self) -> list[Unit]:
        return [self.village, self.primary, self.junior]


def _user(username: str, role: str, unit: Unit) -> User:
    return User.objects.create_user(username=username, password="x" * 12, role=role, unit=unit)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    # argon2 is deliberately slow; production keeps it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cast(db) -> Cast:
    county = Unit.objects.create(kind=UnitKind.COUNTY, name="青石县")
    town = Unit.objects.create(kind=UnitKind.TOWN, name="青石镇", parent=county)
    village = Unit.objects.create(kind=UnitKind.VILLAGE, name="东村", parent=town)
    primary = Unit.objects.create(kind=UnitKind.PRIMARY, name="青石小学", parent=town)
    junior = Unit.objects.create(kind=UnitKind.JUNIOR, name="青石中学", parent=town)
    return Cast(
        town=town,
        village=village,
        primary=primary,
        junior=junior,
        year=SchoolYear.objects.create(year=2024),
        olivia=_user("olivia", Role.TOWN_OFFICE, town),
        victor=_user("victor", Role.VILLAGE, village),
        pat=_user("pat", Role.SCHOOL, primary),
        quinn=_user("quinn", Role.SCHOOL, junior),
    )


def report_for(cast: Cast, shortfalls: dict[tuple[str, str], tuple[int, int]] | None = None):
    """An indicator report in which every indicator is met (100 of 100, or 0 of 100 for the
    "at most" rates) except the (unit name, code) pairs given as (numerator, denominator)."""
    shortfalls = shortfalls or {}
    units = []
    for unit, kind, scope in [
        (cast.town, "town", None),
        (cast.village, "village", "village"),
        (cast.primary, "school", "school"),
        (cast.junior, "school", "school"),
    ]:
        values = []
        for d in DEFINITIONS:
            if scope is not None and scope not in d.scopes:
                continue
            at_least = d.direction is Direction.AT_LEAST
            numerator, denominator = shortfalls.get(
                (unit.name, d.code), (100 if at_least else 0, 100)
            )
            values.append(
                indicator_value(
                    code=d.code,
                    name=d.name,
                    direction=d.direction,
                    numerator=numerator,
                    denominator=denominator,
                    target=DEFAULT_TARGETS[d.code],
                    decimals=2,
                    rounding="half_up",
                )
            )
        units.append(UnitIndicators(unit_id=unit.pk, name=unit.name, kind=kind, indicators=values))
    return IndicatorReport(
        school_year=2024, reference_date=datetime.date(2024, 9, 1), settings={}, units=units
    )


def self_check_all_met(unit: Unit, cast: Cast, report) -> SelfCheck:
    check = self_check_create(
        unit=unit, school_year=cast.year, checked_on=DAY, user=None, indicator_report=report
    )
    done = set(check.results.values_list("item_id", flat=True))
    for item in applicable_items(unit):
        if item.pk not in done:
            self_check_result_set(
                self_check=check, item=item, result=ItemResult.MET, comment="", user=None
            )
    return self_check_submit(self_check=check, summary="逐项自查，全部达标。", user=None)


@pytest.fixture
def clean_town(cast: Cast) -> Cast:
    for school in (cast.primary, cast.junior):
        building_save(
            school=school,
            name="教学楼",
            area=Decimal("1200.0"),
            safety_grade=SafetyGrade.B,
            in_use=True,
            user=None,
        )
        teacher_save(school=school, name="李老师", qualification="本科", qualified=True, user=None)
    for year, appropriation, revenue, per_pupil, salary in [
        (2023, "1000", "20000", "800", "60000"),
        (2024, "1100", "21000", "850", "63000"),  # +10 % against +5 %: grew
    ]:
        funding_year_save(
            unit=cast.town,
            year=year,
            appropriation=Decimal(appropriation),
            recurrent_revenue=Decimal(revenue),
            per_pupil_spending=Decimal(per_pupil),
            teacher_avg_salary=Decimal(salary),
            user=None,
        )
    report = report_for(cast)
    for unit in [cast.town, *cast.units]:
        self_check_all_met(unit, cast, report)
    return cast
