"""Property: for every indicator, on any register, the shortfall list names exactly as many people
as the figure is short — denominator − numerator for a ≥ indicator, the numerator for a ≤ one
(domain.md §3: "Every indicator must name the people behind a shortfall"). The junior gross rate
counts pupils of any age, so its list is the population not enrolled, and the difference to
差 N 人 is the pupils outside the ages, which the list's note states."""

from __future__ import annotations

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liangji.indicators.selectors import indicators_compute, shortfall_list
from liangji.indicators.shortfall import gross_rate_note
from liangji.registers import testing as b

_day = st.dates(b.day("2023-01-01"), b.day("2024-12-31")).map(str)
_maybe_day = st.one_of(st.none(), _day)

rolls = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "grade": st.integers(1, 9),
            "status": st.sampled_from(["在读", "在读", "休学", "辍学", "转出", "毕业", "死亡"]),
            "status_date": _day,
            "entry_date": st.one_of(
                st.none(), st.dates(b.day("2023-09-02"), b.day("2024-06-30")).map(str)
            ),
            "transfer_school": st.sampled_from(["", "雅安小学"]),
        }
    ),
)
people = st.fixed_dictionaries(
    {
        "born": st.dates(b.day("1975-01-01"), b.day("2018-08-31")).map(str),
        "migrant": st.booleans(),
        "disability": st.sampled_from(["", "", "视力", "智力", "肢体"]),
        "education_level": st.sampled_from(
            ["", "", "小学在读", "小学毕业", "初中毕业", "文盲", "半文盲"]
        ),
        "elsewhere_level": st.sampled_from(["", "", "", "小学", "初中", "高中", "特教"]),
        "home_schooling": st.booleans(),
        "exempted": st.booleans(),
        "died_on": _maybe_day,
        "lost_learning_ability": st.booleans(),
        "roll": rolls,
        "second_roll": st.booleans(),  # a later roll at the other school (a resumed dropout)
    }
)


def _register(cast, drawn: list[dict]) -> None:
    for index, fields in enumerate(drawn):
        roll = fields.pop("roll")
        second = fields.pop("second_roll")
        exempted = fields.pop("exempted")
        migrant = fields.pop("migrant")
        record = b.person(
            cast.village,
            name=f"人{index}",
            number=str(index),
            population_type="流动" if migrant else "户籍",
            exemption="缓学" if exempted else "",
            exemption_approved_on="2023-06-01" if exempted else None,
            **fields,
        )
        if roll is None:
            continue
        school = cast.junior if roll["grade"] >= 7 else cast.primary
        if roll["status"] == "在读":
            roll["status_date"] = None
        b.pupil(school, who=record, **roll)
        if second and roll["status"] == "辍学":
            other = cast.primary if school == cast.junior else cast.junior
            b.pupil(other, who=record, grade=roll["grade"], entry_date=roll["status_date"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=st.lists(people, min_size=1, max_size=12))
def test_every_shortfall_list_names_exactly_the_gap(cast, drawn: list[dict]) -> None:
    with transaction.atomic():
        _register(cast, drawn)
        town = indicators_compute(school_year=2023, town=cast.town).unit("汉源镇")
        for value in town.indicators:
            listed = shortfall_list(code=value.code, school_year=2023)
            if value.code == "junior_gross_enrollment":
                note = gross_rate_note(school_year=2023)
                short = value.denominator - value.numerator
                assert (note.listed, note.short) == (len(listed), short), note
                assert note.outside_ages == len(listed) - short, note
                continue
            gap = value.numerator if value.direction == "≤" else value.denominator - value.numerator
            assert len(listed) == gap, (value.code, value.numerator, value.denominator)
        transaction.set_rollback(True)
