"""一要就有 and 一核就准: completeness against hand-built cases, and stale generated documents."""

from __future__ import annotations

import datetime
import decimal

import pytest

from liangji.accounts.testing import Cast
from liangji.archive.consistency import Difference, documents_stale
from liangji.archive.models import CatalogueEntry
from liangji.archive.selectors import completeness, person_proofs
from liangji.archive.services import (
    archive_file_upload,
    archive_generate,
    document_regenerate,
    proof_attach,
)
from liangji.archive.tests.conftest import People
from liangji.registers.choices import Disability, Sex
from liangji.registers.models import Household, Person, PersonRecord, SchoolYear

pytestmark = pytest.mark.django_db


def test_a_village_with_nothing_filed_misses_its_entries_and_its_proofs(
    cast: Cast, people: People
) -> None:
    result = completeness(user=cast.vera, unit=cast.east, school_year=people.year)
    assert (result.entries_required, result.entries_present) == (3, 0)
    assert (result.proofs_required, result.proofs_present) == (2, 0)
    assert result.percent == decimal.Decimal("0.0")
    lines = [(line.what, line.who, line.claimed) for line in result.missing]
    assert lines == [
        ("A2-3 目标责任书", "东村（村委会）", False),
        ("A2-4 自查报告", "东村（村委会）", False),
        ("B1-1 文化户口册", "东村（村委会）", False),
        ("张小明：在外就读证明", "东村（村委会）", True),
        ("王小刚：免缓学批准书", "东村（村委会）", False),
    ]
    claimed = result.missing[3]
    assert claimed.note == "登记为在外就读，登记为“证明：有”，档案中却没有文件"
    assert result.claimed_without_file == 1


def test_filing_a_proof_and_an_entry_raises_the_percentage(cast: Cast, people: People) -> None:
    proof_attach(
        user=cast.vera, record=people.xiaoming, kind="在外就读证明",
        filename="证明.jpg", content=b"\xff\xd8 scan",
    )  # fmt: skip
    after_proof = completeness(user=cast.vera, unit=cast.east, school_year=people.year)
    assert (after_proof.proofs_present, after_proof.percent) == (1, decimal.Decimal("20.0"))
    archive_file_upload(
        user=cast.vera, entry=CatalogueEntry.objects.get(code="A2-3"), unit=cast.east,
        school_year=people.year, title="目标责任书", filename="责任书.pdf", content=b"%PDF",
    )  # fmt: skip
    after_entry = completeness(user=cast.vera, unit=cast.east, school_year=people.year)
    assert (after_entry.present, after_entry.percent) == (2, decimal.Decimal("40.0"))
    assert [line.what for line in after_entry.missing] == [
        "A2-4 自查报告",
        "B1-1 文化户口册",
        "王小刚：免缓学批准书",
    ]


def test_a_proof_of_another_school_year_does_not_count(cast: Cast, people: People) -> None:
    proof_attach(
        user=cast.vera, record=people.xiaoming, kind="在外就读证明",
        filename="证明.jpg", content=b"\xff\xd8 scan",
    )  # fmt: skip
    next_year = SchoolYear.objects.create(year=2025)
    PersonRecord.objects.create(
        person=people.xiaoming.person, school_year=next_year, household=people.xiaoming.household,
        village=cast.east, elsewhere_level="小学", elsewhere_proof=True,
    )  # fmt: skip
    result = completeness(user=cast.vera, unit=cast.east, school_year=next_year)
    assert (result.proofs_required, result.proofs_present) == (1, 0)


def test_adults_need_no_proof_of_compulsory_schooling(cast: Cast, people: People) -> None:
    adult = Person.objects.create(name="赵大伯", sex=Sex.MALE, birth_date=datetime.date(1970, 5, 1))
    PersonRecord.objects.create(
        person=adult, school_year=people.year,
        household=Household.objects.get(village=cast.east), village=cast.east,
        disability=Disability.PHYSICAL,
    )  # fmt: skip
    born_2006 = Person.objects.create(
        name="钱十七", sex=Sex.MALE, birth_date=datetime.date(2006, 9, 2)
    )
    PersonRecord.objects.create(
        person=born_2006, school_year=people.year,
        household=Household.objects.get(village=cast.east), village=cast.east,
        disability=Disability.VISUAL,
    )  # fmt: skip
    result = completeness(user=cast.vera, unit=cast.east, school_year=people.year)
    # 钱十七 is 17 on 2024-09-01 (one day short of 18): still asked; 赵大伯 is not.
    assert [line.what for line in result.missing if line.kind == "proof"] == [
        "张小明：在外就读证明",
        "王小刚：免缓学批准书",
        "钱十七：残疾证",
    ]


def test_the_town_counts_its_own_entries_and_those_of_its_villages_and_schools(
    cast: Cast, people: People
) -> None:
    result = completeness(user=cast.alice, unit=cast.town, school_year=people.year)
    levels = [e.unit_levels for e in CatalogueEntry.objects.filter(level="file", required=True)]
    expected = (
        sum("town" in lv for lv in levels)
        + 2 * sum("village" in lv for lv in levels)
        + 2 * sum("school" in lv for lv in levels)
    )
    assert result.entries_required == expected
    assert {line.unit.name for line in result.missing} == {
        "青山镇",
        "东村",
        "西村",
        "青山小学",
        "青山中学",
    }
    # The village cadre of 西村 sees nothing of 东村's missing proofs in her own list.
    west = completeness(user=cast.wang, unit=cast.west, school_year=people.year)
    assert all(line.unit == cast.west for line in west.missing)


def test_the_person_page_lists_the_proofs_the_register_asks_for(cast: Cast, people: People) -> None:
    proofs = person_proofs(user=cast.vera, record=people.xiaoming)
    assert [(p.kind, p.needed, p.claimed, p.document) for p in proofs] == [
        ("在外就读证明", True, True, None)
    ]
    assert person_proofs(user=cast.wang, record=people.xiaoming) == []


def test_a_register_change_makes_a_filed_document_stale_and_regeneration_clears_it(
    cast: Cast, people: People
) -> None:
    # 东村's generated files: its 文化户口册 (registers) and nothing else yet.
    assert archive_generate(user=cast.alice, units=[cast.east], school_year=people.year) == 1
    assert documents_stale(user=cast.alice, unit=cast.town, school_year=people.year) == []

    newborn = Person.objects.create(
        name="张小宝", sex=Sex.MALE, birth_date=datetime.date(2024, 1, 5)
    )
    PersonRecord.objects.create(
        person=newborn, school_year=people.year, household=people.xiaoming.household,
        village=cast.east,
    )  # fmt: skip

    stale = documents_stale(user=cast.alice, unit=cast.town, school_year=people.year)
    assert [(s.document.title, s.differences) for s in stale] == [
        ("东村2024学年文化户口册", [Difference("人数", "东村", 3, 4)])
    ]
    document_regenerate(user=cast.alice, document=stale[0].document)
    assert documents_stale(user=cast.alice, unit=cast.town, school_year=people.year) == []
    assert stale[0].document.versions.count() == 2
