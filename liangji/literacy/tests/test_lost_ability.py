"""丧失学习能力 (issue 13, ledger): the people left out are listed apart with the evidence of the
judgement — who judged it, when, on what grounds — recorded, audited, refused when the
register does not mark the person so or the year is locked."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from liangji.audit.models import AuditEntry
from liangji.literacy.selectors import lost_ability_list
from liangji.literacy.services import LiteracyError, lost_ability_judgement_record
from liangji.registers import testing as b
from liangji.registers.services import SchoolYearLocked

D = datetime.date


@pytest.fixture
def zhao(cast):
    return b.person(cast.village, name="赵明", sex="男", born="1988-05-05", number="009",
                    education_level="文盲", disability="智力", lost_learning_ability=True,
                    note="村委会证明")  # fmt: skip


def test_the_list_shows_the_register_note_until_a_judgement_is_recorded(cast, zhao) -> None:
    [row] = lost_ability_list(user=cast.alice, school_year=2023, town=cast.town)
    assert (row.name, row.evidence, row.judged) == ("赵明", "村委会证明", False)

    lost_ability_judgement_record(record=zhao, judged_on=D(2023, 5, 10), judged_by="县残疾人联合会",
                                  grounds="智力残疾一级", document="残疾证 51182319880505",
                                  user=cast.alice)  # fmt: skip

    [row] = lost_ability_list(user=cast.alice, school_year=2023, town=cast.town)
    assert row.judged
    assert row.evidence == (
        "2023年5月10日 县残疾人联合会鉴定：智力残疾一级，证明文件 残疾证 51182319880505"
    )
    entry = AuditEntry.objects.get(entity="LostAbilityJudgement")
    assert "赵明" in entry.summary and entry.unit_id == cast.village.pk


def test_a_person_the_register_does_not_mark_is_refused(cast) -> None:
    with pytest.raises(LiteracyError, match="没有标记“丧失学习能力”"):
        lost_ability_judgement_record(
            record=cast.wang, judged_on=D(2023, 5, 10), judged_by="县医院", grounds="—",
            user=cast.alice,
        )  # fmt: skip


def test_a_locked_year_refuses_the_record(cast, zhao) -> None:
    cast.year.locked = True
    cast.year.save()
    with pytest.raises(SchoolYearLocked):
        lost_ability_judgement_record(record=zhao, judged_on=D(2023, 5, 10), judged_by="县医院",
                                      grounds="智力残疾一级", user=cast.alice)  # fmt: skip


def test_the_ledger_page_records_it_and_shows_it(cast, zhao) -> None:
    client = Client()
    client.force_login(cast.victor)
    response = client.post(
        reverse("literacy:judgement_new", args=[zhao.pk]),
        {"judged_on": "2023-05-10", "judged_by": "县残疾人联合会", "grounds": "智力残疾一级"},
    )
    assert response.status_code == 302
    page = client.get(reverse("literacy:ledger")).content.decode()
    assert "2023年5月10日 县残疾人联合会鉴定：智力残疾一级" in page
