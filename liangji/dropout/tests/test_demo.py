import datetime

from django.utils import timezone

from liangji.dropout.demo import demo_cases_create
from liangji.dropout.models import CaseKind, CaseStatus, DropoutCase, UnitContact
from liangji.dropout.tests.conftest import child_register
from liangji.registers.models import Household, Person, PersonRecord


def test_the_demo_step_opens_cases_for_the_towns_out_of_school_children(
    monkeypatch, alice, east, west, school, year
):
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)
    )
    for n in range(8):
        child_register(
            name=f"辍{n}",
            village=east if n % 2 else west,
            school=school,
            year=year,
            birth=datetime.date(2012, 3, 1 + n),
            status="辍学",
            status_date=datetime.date(2024, 9, 20),
        )
    never = Person.objects.create(name="未入学", sex="女", birth_date=datetime.date(2016, 2, 2))
    PersonRecord.objects.create(
        person=never,
        school_year=year,
        village=west,
        household=Household.objects.create(village=west, number="9"),
    )
    for n in range(6):
        child_register(
            name=f"在读{n}",
            village=east,
            school=school,
            year=year,
            birth=datetime.date(2014, 1, 1 + n),
        )
    lines: list[str] = []
    demo_cases_create(stdout_write=lines.append)

    cases = DropoutCase.objects.all()
    assert cases.filter(kind=CaseKind.DROPPED_OUT, enrollment__isnull=False).count() == 8
    assert cases.get(kind=CaseKind.NEVER_ENROLLED).child_name == "未入学"
    assert cases.filter(kind=CaseKind.SUSPECTED).count() == 1  # one pupil in 40 is absent
    assert cases.filter(status=CaseStatus.CLOSED).count() == 2
    assert len(set(cases.values_list("step", flat=True))) >= 5
    assert set(UnitContact.objects.values_list("role", flat=True)) >= {"村长", "校长", "乡（镇）长"}
    # The 复学 closure wrote on the roll, the others carry their proof.
    for case in cases.filter(status=CaseStatus.CLOSED):
        if case.resolution == "复学":
            assert case.enrollment is not None
            case.enrollment.refresh_from_db()
            assert case.enrollment.status == "在读"
        else:
            assert case.attachments.exists()
    assert "个辍学/失学个案" in lines[-1]


def test_the_demo_sends_no_notice_to_a_child_whose_roll_is_not_linked(
    monkeypatch, alice, east, school, year
):
    """The school wrote 张小明 where the register says 张晓明: he is at school (issue 9)."""
    from liangji.registers.models import Enrollment

    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)
    )
    born = datetime.date(2014, 5, 5)
    child = Person.objects.create(name="张晓明", sex="男", birth_date=born)
    PersonRecord.objects.create(
        person=child,
        school_year=year,
        village=east,
        household=Household.objects.create(village=east, number="7"),
    )
    Enrollment.objects.create(
        school_year=year, school=school, name="张小明", sex="男", birth_date=born, grade=4
    )
    demo_cases_create(stdout_write=lambda line: None)
    assert not DropoutCase.objects.filter(person=child).exists()


def test_the_demo_dates_its_work_inside_its_school_year(monkeypatch, alice, east, school, year):
    """Run on 1 Dec 2026, the demo's work of school year 2024—2025 is still dated in that year
    (issue 9: it was dated in 2026)."""
    from liangji.dropout.models import CaseEntry, Notice

    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)
    )
    for n in range(8):
        child_register(
            name=f"辍{n}", village=east, school=school, year=year,
            birth=datetime.date(2012, 3, 1 + n), status="辍学",
            status_date=datetime.date(2024, 9, 20),
        )  # fmt: skip
    demo_cases_create(stdout_write=lambda line: None)

    first, last = datetime.date(2024, 9, 1), datetime.date(2025, 8, 31)
    dates: list[datetime.date] = [
        *DropoutCase.objects.values_list("opened_on", flat=True),
        *DropoutCase.objects.values_list("step_date", flat=True),
        *(d for d in DropoutCase.objects.values_list("resolved_on", flat=True) if d is not None),
        *CaseEntry.objects.values_list("date", flat=True),
        *Notice.objects.values_list("issued_on", flat=True),
    ]
    assert len(dates) > 16 and all(first <= d <= last for d in dates), sorted(set(dates))
