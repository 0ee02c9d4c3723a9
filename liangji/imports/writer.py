"""Applying a plan: every write of an import, in batches, inside the caller's transaction.

Batches go through bulk_create / bulk_update (no query per row, no full_clean per row: the
validator has checked every value and the database constraints are the last guard).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from liangji.imports.pinyin import name_initials
from liangji.imports.planning import (
    CHUNK,
    ENROLLMENT_FIELDS,
    RECORD_FIELDS,
    PersonRef,
    Plan,
    chunks,
)
from liangji.imports.validation import PersonRow, PupilRow, Validated
from liangji.registers.choices import EVENT_FOR_STATUS, RollEventKind, RollStatus
from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    Unit,
)

UPDATE_BATCH = 500  # bulk_update writes a CASE per column; smaller batches keep statements sane
Progress = Callable[[str, int, int | None], None]


def pupil_events(row: PupilRow, first_day: datetime.date, last_day: datetime.date) -> list[tuple]:
    """(kind, date, other school) of the dated changes a roll row states for its school year."""
    events: list[tuple] = []
    if row.entry_date is not None and first_day <= row.entry_date <= last_day:
        events.append((RollEventKind.ENTERED, row.entry_date, ""))
    if row.status != RollStatus.STUDYING and row.status_date is not None:
        events.append((EVENT_FOR_STATUS[row.status], row.status_date, row.transfer_school))
    return events


class PlanWriter:
    def __init__(self, plan: Plan, validated: Validated, progress: Progress | None) -> None:
        self.plan, self.validated, self.progress = plan, validated, progress
        self.year = plan.school_year
        self.new_person_pks: list[int] = []

    def person_pk(self, ref: PersonRef | None) -> int | None:
        if ref is None:
            return None
        return ref if ref > 0 else self.new_person_pks[-ref - 1]

    def report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def apply(self) -> None:
        self.units_write()
        self.households_write()
        self.persons_write()
        self.records_write()
        self.enrollments_write()

    def units_write(self) -> None:
        ids = self.plan.unit_ids
        for change in self.plan.units:
            unit = change.row
            parent_id = ids.get(unit.parent_name) if unit.parent_name else None
            if change.pk is None:
                ids[unit.name] = Unit.objects.create(
                    kind=unit.kind, name=unit.name, code=unit.code, parent_id=parent_id
                ).pk
            elif change.changed:
                fields = {"kind": unit.kind, "code": unit.code}
                if unit.parent_name:
                    fields["parent_id"] = parent_id
                Unit.objects.filter(pk=change.pk).update(**fields)

    def households_write(self) -> None:
        ids = self.plan.unit_ids
        for batch in chunks(self.plan.households_new):
            created = Household.objects.bulk_create(
                [Household(village_id=ids[village], number=number) for village, number in batch]
            )
            for key, household in zip(batch, created, strict=True):
                self.plan.household_ids[key] = household.pk

    def persons_write(self) -> None:
        total = len(self.plan.persons_new)
        for done, batch in enumerate(chunks(self.plan.persons_new), start=1):
            created = Person.objects.bulk_create([self.person_new(row) for row in batch])
            self.new_person_pks += [person.pk for person in created]
            self.report("写入人员", min(done * CHUNK, total), total)
        changed = [
            Person(
                pk=pk,
                name=row.name,
                sex=row.sex,
                birth_date=row.birth_date,
                id_number=id_number,
                ethnicity=row.ethnicity,
                name_initials=name_initials(row.name),
            )
            for pk, row, id_number in self.plan.persons_changed
        ]
        Person.objects.bulk_update(
            changed,
            ["name", "sex", "birth_date", "id_number", "ethnicity", "name_initials"],
            batch_size=UPDATE_BATCH,
        )

    @staticmethod
    def person_new(row: PersonRow) -> Person:
        return Person(
            name=row.name,
            sex=row.sex,
            birth_date=row.birth_date,
            id_number=row.id_number,
            ethnicity=row.ethnicity,
            name_initials=name_initials(row.name),
        )

    def record_of(self, index: int, *, pk: int | None = None, version: int = 1) -> PersonRecord:
        row = self.validated.people[index]
        record = PersonRecord(
            pk=pk,
            person_id=self.person_pk(self.plan.person_refs[index]),
            school_year=self.year,
            household_id=self.plan.household_ids[(row.village, row.household)],
            village_id=self.plan.unit_ids[row.village],
            version=version,
        )
        for name in RECORD_FIELDS[1:]:
            setattr(record, name, getattr(row, name))
        return record

    def records_write(self) -> None:
        plan, people = self.plan, self.validated.people
        for batch in chunks(plan.records_removed):
            PersonRecord.objects.filter(pk__in=batch).delete()
        total = len(plan.records_new)
        for done, batch in enumerate(chunks(plan.records_new), start=1):
            records = PersonRecord.objects.bulk_create([self.record_of(i) for i in batch])
            GroupMembership.objects.bulk_create(
                GroupMembership(record_id=record.pk, group=group)
                for i, record in zip(batch, records, strict=True)
                for group in people[i].groups
            )
            self.report("写入人口记录", min(done * CHUNK, total), total)
        for batch in chunks(plan.records_changed):
            records = [self.record_of(i, pk=pk, version=v + 1) for i, pk, v in batch]
            PersonRecord.objects.bulk_update(
                records, [*RECORD_FIELDS, "village_id", "version"], batch_size=UPDATE_BATCH
            )
            GroupMembership.objects.filter(record_id__in=[pk for _, pk, _ in batch]).delete()
            GroupMembership.objects.bulk_create(
                GroupMembership(record_id=pk, group=group)
                for i, pk, _ in batch
                for group in people[i].groups
            )

    def enrollment_of(self, index: int, *, pk: int | None = None, version: int = 1) -> Enrollment:
        row = self.validated.pupils[index]
        enrollment = Enrollment(
            pk=pk,
            school_year=self.year,
            school_id=self.plan.unit_ids[row.school],
            person_id=self.person_pk(self.plan.pupil_refs[index]),
            version=version,
        )
        for name in ENROLLMENT_FIELDS[1:]:
            setattr(enrollment, name, getattr(row, name))
        return enrollment

    def events_of(self, pairs: list[tuple[int, int]]) -> list[EnrollmentEvent]:
        first, last = self.year.first_day, self.year.last_day
        return [
            EnrollmentEvent(enrollment_id=pk, kind=kind, date=date, other_school=other)
            for index, pk in pairs
            for kind, date, other in pupil_events(self.validated.pupils[index], first, last)
        ]

    def enrollments_write(self) -> None:
        plan = self.plan
        for batch in chunks(plan.enrollments_removed):
            Enrollment.objects.filter(pk__in=batch).delete()
        for batch in chunks(plan.enrollments_new):
            created = Enrollment.objects.bulk_create([self.enrollment_of(i) for i in batch])
            pairs = [(i, e.pk) for i, e in zip(batch, created, strict=True)]
            EnrollmentEvent.objects.bulk_create(self.events_of(pairs))
        for batch in chunks(plan.enrollments_changed):
            enrollments = [self.enrollment_of(i, pk=pk, version=v + 1) for i, pk, v in batch]
            Enrollment.objects.bulk_update(
                enrollments, [*ENROLLMENT_FIELDS, "version"], batch_size=UPDATE_BATCH
            )
            # The workbook states the roll of the year: its events are derived again from it.
            EnrollmentEvent.objects.filter(enrollment_id__in=[pk for _, pk, _ in batch]).delete()
            EnrollmentEvent.objects.bulk_create(self.events_of([(i, pk) for i, pk, _ in batch]))
