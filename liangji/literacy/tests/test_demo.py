"""The demo step gives every literacy page something real: learners at every status."""

from __future__ import annotations

from liangji.accounts.models import Role, User
from liangji.literacy.demo import demo_literacy_create
from liangji.literacy.models import Certificate, LiteracyClass, Retest, TechTraining
from liangji.literacy.selectors import ledger_counts, ledger_list
from liangji.registers import testing as b


def test_the_demo_step_makes_classes_certificates_and_a_relapse(db):
    town = b.town("南坪镇")
    village = b.village(town, "凤坪村")
    User.objects.create_user(username="office", password="x" * 12, role=Role.TOWN_OFFICE,
                             unit=town)  # fmt: skip
    for n in range(12):
        record = b.person(village, name=f"学员{n:02d}", born=f"19{80 + n}-03-0{1 + n % 9}",
                          education_level="文盲", number=f"{n:03d}", year=2023)  # fmt: skip
        b.person(village, identity=record.person, born=str(record.person.birth_date),
                 education_level="文盲", number=f"{n:03d}", year=2024)  # fmt: skip
    lines: list[str] = []
    demo_literacy_create(stdout_write=lines.append)
    assert LiteracyClass.objects.count() == 2
    # Last year five of six passed; this year three of the four who passed have theirs.
    assert Certificate.objects.count() == 5 + 3
    assert list(Retest.objects.values_list("passed", flat=True)).count(False) == 1
    assert TechTraining.objects.count() == 1
    office = User.objects.get(username="office")
    counts = ledger_counts(ledger_list(user=office, school_year=2024, town=town))
    assert {k: v for k, v in counts.items() if v} == {
        "passed": 7, "tested": 1, "failed": 1, "relapsed": 1, "not_enrolled": 2, "total": 12,
    }  # fmt: skip
    demo_literacy_create(stdout_write=lines.append)  # a second run changes nothing
    assert LiteracyClass.objects.count() == 2
