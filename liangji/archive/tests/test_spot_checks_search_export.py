"""一查就实: reproducible spot checks inside the unit, search in the database, the export ZIP."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import docx
import pytest
from python_calamine import CalamineWorkbook

from liangji.accounts.testing import Cast
from liangji.archive.chain import person_chain
from liangji.archive.export import archive_export
from liangji.archive.models import CatalogueEntry, Verdict
from liangji.archive.selectors import search
from liangji.archive.services import ArchiveError, archive_file_upload, proof_attach
from liangji.archive.spotchecks import (
    MISMATCH_HANDLERS,
    spot_check_draw,
    spot_check_population,
    spot_check_sample,
    spot_check_verdict,
)
from liangji.archive.tests.conftest import People
from liangji.audit.models import AuditEntry
from liangji.registers.choices import Sex
from liangji.registers.models import Household, Person, PersonRecord

pytestmark = pytest.mark.django_db


def _west_person(cast: Cast, people: People) -> Person:
    person = Person.objects.create(
        name="赵西西", sex=Sex.FEMALE, birth_date=datetime.date(2014, 1, 1)
    )
    PersonRecord.objects.create(
        person=person, school_year=people.year, village=cast.west,
        household=Household.objects.create(village=cast.west, number="9"),
    )  # fmt: skip
    return person


def test_a_draw_is_reproducible_from_its_seed_and_stays_inside_the_unit(
    cast: Cast, people: People
) -> None:
    west = _west_person(cast, people)
    check = spot_check_draw(
        user=cast.alice, unit=cast.east, school_year=people.year, size=2, seed=42
    )
    drawn = list(check.items.order_by("position").values_list("person_id", flat=True))
    east_ids = sorted(r.person_id for r in (people.xiaoming, people.xiaohong, people.xiaogang))
    assert spot_check_population(cast.east, people.year) == east_ids
    assert drawn == spot_check_sample(east_ids, 42, 2)
    assert len(set(drawn)) == 2 and set(drawn) <= set(east_ids) and west.pk not in drawn
    again = spot_check_draw(
        user=cast.alice, unit=cast.east, school_year=people.year, size=2, seed=42
    )
    assert list(again.items.order_by("position").values_list("person_id", flat=True)) == drawn
    audit = AuditEntry.objects.get(entity="SpotCheck", entity_id=str(check.pk))
    assert audit.after == {"seed": 42, "population": 3, "persons": drawn}


def test_a_draw_without_a_seed_stores_the_one_it_used(cast: Cast, people: People) -> None:
    check = spot_check_draw(user=cast.ian, unit=cast.east, school_year=people.year, size=5)
    assert check.size == 3  # the whole village: fewer people than asked for
    ids = spot_check_population(cast.east, people.year)
    drawn = list(check.items.order_by("position").values_list("person_id", flat=True))
    assert drawn == spot_check_sample(ids, check.seed, 5)


def test_a_mismatch_needs_a_note_and_opens_a_task_through_the_registered_handler(
    cast: Cast, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, str]] = []
    monkeypatch.setitem(
        MISMATCH_HANDLERS,
        "test",
        lambda *, item, user: opened.append((item.person.name, item.note)),
    )
    check = spot_check_draw(user=cast.ian, unit=cast.east, school_year=people.year, size=1, seed=7)
    item = check.items.get()
    with pytest.raises(ArchiveError, match="结论为“不符”时请写明哪里不符"):
        spot_check_verdict(user=cast.ian, item=item, verdict=Verdict.DIFFERS, note=" ")
    spot_check_verdict(user=cast.ian, item=item, verdict=Verdict.DIFFERS, note="在外就读证明缺失")
    assert opened == [(item.person.name, "在外就读证明缺失")]
    assert AuditEntry.objects.filter(entity="SpotCheckItem", entity_id=str(item.pk)).count() == 1


def test_the_chain_shows_every_year_with_its_proofs_and_indicators(
    cast: Cast, people: People
) -> None:
    chain = person_chain(user=cast.alice, person=people.xiaoming.person)
    assert [link.record.school_year.year for link in chain.records] == [2024]
    assert [(p.kind, p.document) for p in chain.records[0].proofs] == [("在外就读证明", None)]
    places = {p.name: p.how for p in chain.records[0].indicators}
    # 张小明 (10 on 2024-09-01) studies elsewhere in primary school: enrolled.
    assert places["小学适龄儿童入学率"] == "计入分母和分子"
    assert person_chain(user=cast.wang, person=people.xiaoming.person).records == []


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_search_finds_title_entry_unit_year_and_extracted_text_within_scope(
    cast: Cast, people: People
) -> None:
    report = archive_file_upload(
        user=cast.vera, entry=CatalogueEntry.objects.get(code="A2-3"), unit=cast.east,
        school_year=people.year, title="责任书", filename="责任书.docx",
        content=_docx("本村承诺控辍保学目标：适龄儿童全部入学"),
    )  # fmt: skip
    assert [d.pk for d in search(user=cast.alice, query="控辍保学目标")] == [report.pk]
    assert [d.pk for d in search(user=cast.alice, query="入学")] == [report.pk]
    assert [d.pk for d in search(user=cast.alice, query="东村 2024学年")] == [report.pk]
    assert [d.pk for d in search(user=cast.alice, query="目标责任书")] == [report.pk]
    assert search(user=cast.alice, query="不存在的文字") == []
    assert search(user=cast.wang, query="控辍保学目标") == []
    assert search(user=cast.oscar, query="入学") == []


def test_the_export_holds_every_file_with_matching_hashes_and_an_index_linking_them(
    cast: Cast, people: People, tmp_path: Path
) -> None:
    entry = CatalogueEntry.objects.get(code="A2-3")
    agreement = archive_file_upload(
        user=cast.vera, entry=entry, unit=cast.east, school_year=people.year,
        title="责任书", filename="责任书.pdf", content=b"%PDF-1.4 agreement",
    )  # fmt: skip
    proof = proof_attach(
        user=cast.vera, record=people.xiaoming, kind="在外就读证明",
        filename="../../证明.jpg", content=b"\xff\xd8 proof",
    )  # fmt: skip
    result = archive_export(
        user=cast.alice, unit=cast.town, year_from=2024, year_to=2024, target=tmp_path / "a.zip"
    )
    assert result.files == 2
    with zipfile.ZipFile(result.path) as archive:
        names = archive.namelist()
        files = [n for n in names if n not in {"目录.xlsx", "index.html", "SHA256SUMS.txt"}]
        assert files == [
            f"A2-3 目标责任书/东村/2024/{agreement.pk}-责任书.pdf",
            f"B2-1 在外就读证明/东村/2024/{proof.pk}-证明.jpg",
        ]
        sums = {}
        for line in archive.read("SHA256SUMS.txt").decode().splitlines():
            digest, name = line.split("  ", 1)
            sums[name] = digest
        for name in files:
            assert sums[name] == hashlib.sha256(archive.read(name)).hexdigest()
        index = archive.read("index.html").decode()
        links = {unquote(href) for href in re.findall(r"href='([^']+)'", index)}
        assert set(files) <= links
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(archive.read("目录.xlsx")))
        rows: list[list[Any]] = workbook.get_sheet_by_name("目录").to_python()
    assert rows[1][:4] == ["目录编号", "目录名称", "单位", "学年"]
    assert [row[9] for row in rows[2:]] == [sums[name] for name in files]
    assert AuditEntry.objects.filter(entity="ArchiveExport").count() == 1


def test_a_mismatch_becomes_a_rectification_task_of_the_inspection_work(
    cast: Cast, people: People
) -> None:
    from liangji.inspection.models import Rectification

    check = spot_check_draw(user=cast.ian, unit=cast.east, school_year=people.year, size=1, seed=3)
    item = check.items.select_related("person").get()
    spot_check_verdict(user=cast.ian, item=item, verdict=Verdict.DIFFERS, note="证明与登记不符")
    task = Rectification.objects.get(unit=cast.east, school_year=people.year)
    assert task.problem == f"档案抽查不符：{item.person.name}（证明与登记不符）"
