"""Every register list exports to Excel as filtered on the page, scoped, audited, as text."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from liangji.accounts.testing import Cast, cast_create
from liangji.audit.models import AuditAction, AuditEntry
from liangji.registers.tests.register import Register, register_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> tuple[Cast, Register]:
    cast = cast_create()
    return cast, register_create(cast)


def _rows(content: bytes) -> list[list[object]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [list(row) for row in book.get_sheet_by_index(0).to_python()]


def _formulas(content: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return any(b"<f>" in archive.read(n) for n in archive.namelist() if "worksheets/" in n)


def _get(user: object, name: str, query: str = "") -> bytes:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    response = client.get(reverse(name) + "?" + query + "&format=xlsx")
    assert response.status_code == 200
    return response.content


def test_the_people_list_exports_with_its_filter_and_masked_ids(
    world: tuple[Cast, Register],
) -> None:
    cast, register = world
    register.xiaoming.name = '=HYPERLINK("http://x","点我")'
    register.xiaoming.save()
    content = _get(cast.alice, "registers:person_list", f"village={cast.east.pk}")
    rows = _rows(content)
    assert rows[1][:3] == ["村/社区", "户号", "姓名"]
    assert [r[2] for r in rows[2:]] == ['=HYPERLINK("http://x","点我")']
    assert rows[2][6] == "5118**********1234"
    assert not _formulas(content)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, entity="RegisterList").count() == 1


def test_a_village_exports_its_own_people_only(world: tuple[Cast, Register]) -> None:
    cast, _ = world
    rows = _rows(_get(cast.wang, "registers:person_list"))
    assert [r[0] for r in rows[2:]] == ["西村"]


def test_households_and_rolls_export(world: tuple[Cast, Register]) -> None:
    cast, _ = world
    households = _rows(_get(cast.alice, "registers:household_list"))
    assert [r[:3] for r in households[2:]] == [["东村", "001", 1], ["西村", "007", 1]]
    rolls = _rows(_get(cast.sam, "registers:enrollment_list"))
    assert [r[2] for r in rolls[2:]] == ["张小明"]
