"""Small literal registers for tests of every app: a town, its villages and schools, people and
pupils, written straight through the ORM with the values the test names.

Dates are written as ISO strings ("2016-09-01") so a test reads like the register it describes.
"""

from __future__ import annotations

import datetime
from typing import Any

from liangji.registers.choices import PopulationType, RollStatus, UnitKind
from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    SchoolYear,
    Unit,
)
from liangji.registers.services import town_settings_update

YEAR = 2023  # the school year of most tests: reference date 2023-09-01


def day(value: str | datetime.date) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def maybe_day(value: str | datetime.date | None) -> datetime.date | None:
    return None if value is None else day(value)


def town(name: str = "汉源镇", **settings: str) -> Unit:
    unit = Unit.objects.create(kind=UnitKind.TOWN, name=name)
    if settings:
        configure(unit, **settings)
    return unit


def configure(unit: Unit, **settings: str) -> None:
    """Town settings by keyword; `target__junior_dropout` stands for target.junior_dropout."""
    changes = {key.replace("__", "."): value for key, value in settings.items()}
    town_settings_update(town=unit, changes=changes, user=None)


def village(parent: Unit, name: str = "富林村") -> Unit:
    return Unit.objects.create(kind=UnitKind.VILLAGE, name=name, parent=parent)


def school(parent: Unit, name: str = "富林小学", kind: str = UnitKind.PRIMARY) -> Unit:
    return Unit.objects.create(kind=kind, name=name, parent=parent)


def school_year(year: int = YEAR) -> SchoolYear:
    return SchoolYear.objects.get_or_create(year=year)[0]


def household(home: Unit, number: str = "001") -> Household:
    return Household.objects.get_or_create(village=home, number=number)[0]


def _record_fields(fields: dict[str, Any]) -> dict[str, Any]:
    for key in ("moved_out_on", "died_on", "exemption_approved_on", "exemption_until"):
        if key in fields:
            fields[key] = maybe_day(fields[key])
    return fields


def person(
    home: Unit,
    *,
    born: str,
    name: str = "张小明",
    sex: str = "男",
    year: int = YEAR,
    number: str = "001",
    id_number: str | None = None,
    groups: tuple[str, ...] = (),
    identity: Person | None = None,
    **record: Any,
) -> PersonRecord:
    """A person and their record of `year` (the 人口 sheet's fields as keyword arguments)."""
    who = identity or Person.objects.create(
        name=name, sex=sex, birth_date=day(born), id_number=id_number
    )
    row = PersonRecord.objects.create(
        person=who,
        school_year=school_year(year),
        household=household(home, number),
        village=home,
        **_record_fields(record),
    )
    for group in groups:
        GroupMembership.objects.create(record=row, group=group)
    return row


def migrant(home: Unit, *, born: str, **fields: Any) -> PersonRecord:
    return person(home, born=born, population_type=PopulationType.MIGRANT, **fields)


def people(home: Unit, count: int, *, born: str, year: int = YEAR, **record: Any) -> list[Person]:
    """`count` alike people in bulk (the published-figure registers have thousands)."""
    who = Person.objects.bulk_create(
        [Person(name=f"居民{i:05d}", sex="男", birth_date=day(born)) for i in range(count)]
    )
    sy, hh = school_year(year), household(home, f"B{born}")
    PersonRecord.objects.bulk_create(
        [
            PersonRecord(
                person=p, school_year=sy, household=hh, village=home, **_record_fields(dict(record))
            )
            for p in who
        ]
    )
    return who


def pupil(
    at: Unit,
    *,
    grade: int,
    who: PersonRecord | Person | None = None,
    name: str | None = None,
    sex: str = "男",
    born: str | None = None,
    year: int = YEAR,
    status: str = RollStatus.STUDYING,
    status_date: str | None = None,
    entry_date: str | None = None,
    transfer_school: str = "",
    hukou_village: str = "",
    id_number: str = "",
) -> Enrollment:
    """A roll of `year` at school `at`, for the person `who` (None: a pupil matching no one)."""
    identity = who.person if isinstance(who, PersonRecord) else who
    return Enrollment.objects.create(
        school_year=school_year(year),
        school=at,
        person=identity,
        name=name or (identity.name if identity else "王某"),
        sex=identity.sex if identity else sex,
        birth_date=identity.birth_date if identity else day(born or "2015-01-01"),
        id_number=id_number or (identity.id_number or "" if identity else ""),
        hukou_village=hukou_village,
        grade=grade,
        entry_date=maybe_day(entry_date),
        status=status,
        status_date=maybe_day(status_date),
        transfer_school=transfer_school,
    )


def pupils(at: Unit, persons: list[Person], *, grade: int, year: int = YEAR, **fields: Any) -> None:
    sy = school_year(year)
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                school_year=sy,
                school=at,
                person=p,
                name=p.name,
                sex=p.sex,
                birth_date=p.birth_date,
                grade=grade,
                **fields,
            )
            for p in persons
        ]
    )


def event(roll: Enrollment, kind: str, on: str, other_school: str = "") -> EnrollmentEvent:
    """A dated event as history only (the roll's status is written by `pupil`)."""
    return EnrollmentEvent.objects.create(
        enrollment=roll, kind=kind, date=day(on), other_school=other_school
    )
