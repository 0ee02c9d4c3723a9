"""The cast of the archive tests: the shared cast of `accounts.testing` (青山镇 with 东村, 西村,
青山小学; 白水镇 with 南村; alice the town office, vera of 东村, wang of 西村, sam of 青山小学,
oscar of 白水镇, ian the county inspector), school year 2024, and the people of 东村:

- 张小明 (born 2014-03-02) studies elsewhere, and the register says "在外就读证明: 有";
- 李小红 (born 2015-06-10) studies at 青山小学;
- 王小刚 (born 2013-01-20) has a 免学 approval.

Files go to a temporary data directory of each test.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from liangji.accounts.testing import Cast, cast_create
from liangji.registers.choices import Exemption, Sex, StudyLevel
from liangji.registers.models import Household, Person, PersonRecord, SchoolYear


@dataclass
class People:
    year: SchoolYear
    xiaoming: PersonRecord
    xiaohong: PersonRecord
    xiaogang: PersonRecord


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def cast(db: Any, media: Path) -> Cast:
    return cast_create()


def _record(cast: Cast, year: SchoolYear, name: str, birth: str, **fields: Any) -> PersonRecord:
    person = Person.objects.create(
        name=name, sex=Sex.MALE, birth_date=datetime.date.fromisoformat(birth)
    )
    household, _ = Household.objects.get_or_create(village=cast.east, number="1")
    return PersonRecord.objects.create(
        person=person, school_year=year, household=household, village=cast.east, **fields
    )


@pytest.fixture
def people(cast: Cast) -> People:
    year = SchoolYear.objects.create(year=2024)
    return People(
        year=year,
        xiaoming=_record(
            cast, year, "张小明", "2014-03-02",
            elsewhere_school="广州市天河小学", elsewhere_level=StudyLevel.PRIMARY,
            elsewhere_grade=5, elsewhere_proof=True,
        ),
        xiaohong=_record(cast, year, "李小红", "2015-06-10"),
        xiaogang=_record(
            cast, year, "王小刚", "2013-01-20",
            exemption=Exemption.EXEMPT, exemption_approved_on=datetime.date(2024, 8, 1),
        ),
    )  # fmt: skip
