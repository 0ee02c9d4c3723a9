"""A person's evidence chain for a spot check: register lines of every year, roll rows with their
dated changes, the proofs on file, what the other apps know (dropout cases, literacy), and the
indicators the person counts in, year by year, with how."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from liangji.archive.selectors import PersonProof, person_proofs, visible_unit_ids
from liangji.archive.spotchecks import CHAIN_SECTIONS, ChainSection
from liangji.indicators.context import context_for
from liangji.indicators.definitions import DEFINITIONS, Basis
from liangji.indicators.engine import fetch, person_from_sql
from liangji.indicators.report import IndicatorError
from liangji.registers.models import Enrollment, Person, PersonRecord

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor


logger = logging.getLogger("liangji.archive")


@dataclass(frozen=True)
class IndicatorPlace:
    name: str
    counted: bool  # in the population (denominator)
    met: bool  # in the numerator

    @property
    def how(self) -> str:
        if not self.counted:
            return "计入分子（不在分母年龄段）" if self.met else ""
        return "计入分母和分子" if self.met else "计入分母，未计入分子（指标缺口）"


@dataclass(frozen=True)
class RecordLink:
    record: PersonRecord
    proofs: list[PersonProof]
    indicators: list[IndicatorPlace]


@dataclass(frozen=True)
class Chain:
    person: Person
    records: list[RecordLink]
    enrollments: list[Enrollment]
    sections: list[ChainSection]


def person_indicators(record: PersonRecord) -> list[IndicatorPlace]:
    """The population indicators of the record's year for which the person is in the
    population or the numerator, computed by the indicator definitions themselves."""
    town = record.village.town
    if town is None:
        return []
    try:
        ctx = context_for(school_year=record.school_year.year, town=town)
    except IndicatorError:
        return []
    definitions = [d for d in DEFINITIONS if d.basis == Basis.PERSON]
    terms = ctx.terms
    columns = ", ".join(
        f"CASE WHEN {d.population_sql(terms)} THEN 1 ELSE 0 END, "
        f"CASE WHEN {d.numerator_sql(terms)} THEN 1 ELSE 0 END"
        for d in definitions
    )
    sql = f"SELECT {columns} {person_from_sql(terms, town.pk)} AND r.id = %s"
    rows = fetch(sql, [terms.school_year_id, town.pk, record.pk])
    if not rows:
        return []
    row = rows[0]
    places = [
        IndicatorPlace(d.name, bool(row[2 * i]), bool(row[2 * i + 1]))
        for i, d in enumerate(definitions)
    ]
    return [p for p in places if p.counted or p.met]


def person_chain(*, user: ArchiveActor, person: Person) -> Chain:
    """Everything the archive holds on a person, within the user's scope."""
    visible = sorted(visible_unit_ids(user))
    records = list(
        PersonRecord.objects.filter(person=person, village_id__in=visible)
        .select_related("school_year", "village__parent", "household", "person")
        .order_by("school_year__year")
    )
    enrollments = list(
        Enrollment.objects.filter(person=person, school_id__in=visible)
        .select_related("school_year", "school")
        .prefetch_related("events")
        .order_by("school_year__year", "id")
    )
    links = [
        RecordLink(r, person_proofs(user=user, record=r), person_indicators(r)) for r in records
    ]
    sections = []
    for code, section_function in CHAIN_SECTIONS.items():
        try:
            section = section_function(user=user, person=person)
        except Exception:  # one app's failure must not hide the rest of the chain
            logger.exception("chain section %s failed", code)
            section = ChainSection(f"部分内容暂时无法显示（{code}）")
        if section is not None:
            sections.append(section)
    return Chain(person, links, enrollments, sections)
