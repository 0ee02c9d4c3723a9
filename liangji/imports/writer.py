"""Applying a plan: every write of an import, in batches, inside the caller's transaction.

New rows are inserted with one `executemany` per batch of plain tuples, with primary keys
reserved up front. bulk_create was measured at ~1 ms per row at county scale (a model instance
and a prepared value per field, and only ~40 rows per statement on SQLite): 500,000 people
would take minutes. There is no full_clean per row either: the validator has checked every
value, and the database constraints are the last guard. Updates (rarer) use bulk_update.
"""

from __future__ import annotations

import contextlib
import datetime
import operator
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Model

from liangji.imports.pinyin import name_initials
from liangji.imports.planning import (
    ENROLLMENT_FIELDS,
    RECORD_FIELDS,
    PersonRef,
    Plan,
    chunks,
    column_of,
)
from liangji.imports.validation import PupilRow, Validated
from liangji.registers.choices import EVENT_FOR_STATUS, RollEventKind, RollStatus
from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    SchoolYear,
    Unit,
)
from liangji.registers.services import SchoolYearLocked

INSERT_BATCH = 5000
UPDATE_BATCH = 500  # bulk_update writes a CASE per column; smaller batches keep statements sane
Progress = Callable[[str, int, int | None], None]


def pupil_events(row: PupilRow, first_day: datetime.date, last_day: datetime.date) -> list[tuple]:
    """(kind, date, other school) of the dated changes a roll row states for its school year."""
    events: list[tuple] = []
    if row.entry_date is not None and first_day <= row.entry_date <= last_day:
        events.append((RollEventKind.ENTERED, row.entry_date, ""))
    if row.status != RollStatus.STUDYING and row.status_date is not None:
        events.append((EVENT_FOR_STATUS[row.status], row.status_date, row.transfer_school))
    elif row.status_date is not None:  # 在读 with a date: written as 复学
        events.append((RollEventKind.RESUMED, row.status_date, ""))
    return events


def edit_marks_clear(plan: Plan) -> None:
    """Records edited in the application that the file now states exactly (the office copied the
    edit into its workbook) are no longer a conflict: later imports compare them as any other."""
    for batch in chunks(plan.records_unmarked):
        PersonRecord.objects.filter(pk__in=batch).update(edited_at=None)
    for batch in chunks(plan.enrollments_unmarked):
        Enrollment.objects.filter(pk__in=batch).update(edited_at=None)


def ids_reserve(model: type[Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, taken the way the database would hand them out."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # SQLite: the caller holds the write lock (see PlanWriter.lock), so nobody else can
        # take these numbers; AUTOINCREMENT's sqlite_sequence is honoured so no number is reused.
        cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{table}"')
        (highest,) = cursor.fetchone()
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = cursor.fetchone()
        start = max(highest, sequence[0] if sequence else 0) + 1
    return list(range(start, start + count))


def rows_insert(model: type[Model], fields: list[str], rows: list[tuple]) -> None:
    """INSERT plain tuples (values in the order of `fields`, given as attribute names)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column_of(model, name)) for name in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: several times faster than INSERT for hundreds of thousands of rows. It goes
            # to the driver's own cursor, so its errors are turned into Django's here (a raw
            # UniqueViolation would pass by the importer's handler of database errors).
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
        for batch in chunks(rows, INSERT_BATCH):
            cursor.executemany(sql, batch)


SQLITE_CACHE_KB = 256 * 1024


@contextlib.contextmanager
def sqlite_large_cache() -> Iterator[None]:
    """A larger SQLite page cache while the indexes of hundreds of thousands of rows grow.

    With the default 2 MB, index pages are evicted and re-read for every batch; the calling
    process frees the workbook's cells before writing, so the memory is there.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


PERSON_FIELDS = ["id", "name", "sex", "birth_date", "id_number", "ethnicity", "name_initials"]
RECORD_INSERT_FIELDS = [
    "id",
    "person",
    "school_year",
    "village",
    "version",
    *RECORD_FIELDS[1:],
    "household",
]
ENROLLMENT_INSERT_FIELDS = [
    "id",
    "school_year",
    "school",
    "version",
    *ENROLLMENT_FIELDS[1:],
    "person",
]


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
        self.lock()
        with sqlite_large_cache():
            self.units_write()
            self.households_write()
            self.persons_write()
            self.records_write()
            self.enrollments_write()

    def lock(self) -> None:
        """Take the database's write lock now (SQLite), and keep a locked year out (both)."""
        updated = SchoolYear.objects.filter(pk=self.year.pk, locked=False).update(locked=False)
        if not updated:
            raise SchoolYearLocked(self.year)

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
                fields: dict[str, Any] = {"kind": unit.kind, "code": unit.code}
                if parent_id is not None:
                    fields["parent_id"] = parent_id
                Unit.objects.filter(pk=change.pk).update(**fields)

    def households_write(self) -> None:
        ids = self.plan.unit_ids
        keys = self.plan.households_new
        pks = ids_reserve(Household, len(keys))
        rows_insert(
            Household,
            ["id", "village", "number"],
            [(pk, ids[village], number) for pk, (village, number) in zip(pks, keys, strict=True)],
        )
        self.plan.household_ids.update(zip(keys, pks, strict=True))

    def persons_write(self) -> None:
        new = self.plan.persons_new
        self.new_person_pks = ids_reserve(Person, len(new))
        rows_insert(
            Person,
            PERSON_FIELDS,
            [
                (pk, r.name, r.sex, r.birth_date, r.id_number, r.ethnicity, name_initials(r.name))
                for pk, r in zip(self.new_person_pks, new, strict=True)
            ],
        )
        self.report("写入人员", len(new), len(new))
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

    def record_of(self, index: int, *, pk: int | None = None, version: int = 1) -> PersonRecord:
        row = self.validated.people[index]
        person_pk = self.person_pk(self.plan.person_refs[index])
        assert person_pk is not None  # every person row has a Person, existing or new
        record = PersonRecord(
            pk=pk,
            person_id=person_pk,
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
        for removed in chunks(plan.records_removed):
            PersonRecord.objects.filter(pk__in=removed).delete()
        pks = ids_reserve(PersonRecord, len(plan.records_new))
        households, units, year_pk = plan.household_ids, plan.unit_ids, self.year.pk
        values = operator.attrgetter(*RECORD_FIELDS[1:])  # one C call for the row's values
        rows: list[tuple] = []
        groups: list[tuple] = []
        for pk, index in zip(pks, plan.records_new, strict=True):
            row = people[index]
            rows.append(
                (
                    pk,
                    self.person_pk(plan.person_refs[index]),
                    year_pk,
                    units[row.village],
                    1,
                    *values(row),
                    households[(row.village, row.household)],
                )
            )
            groups += [(pk, group) for group in row.groups]
        rows_insert(PersonRecord, RECORD_INSERT_FIELDS, rows)
        rows_insert(GroupMembership, ["record", "group"], groups)
        self.report("写入人口记录", len(rows), len(rows))
        for changed in chunks(plan.records_changed):
            PersonRecord.objects.bulk_update(
                [self.record_of(i, pk=pk, version=v + 1) for i, pk, v in changed],
                # edited_at is cleared: the record is now as the file says (overwrite chosen).
                [*RECORD_FIELDS, "village_id", "version", "edited_at"],
                batch_size=UPDATE_BATCH,
            )
            GroupMembership.objects.filter(record_id__in=[pk for _, pk, _ in changed]).delete()
            rows_insert(
                GroupMembership,
                ["record", "group"],
                [(pk, group) for i, pk, _ in changed for group in people[i].groups],
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

    def events_of(self, pairs: list[tuple[int, int]]) -> list[tuple]:
        first, last = self.year.first_day, self.year.last_day
        return [
            (pk, kind, date, other, "")
            for index, pk in pairs
            for kind, date, other in pupil_events(self.validated.pupils[index], first, last)
        ]

    def events_insert(self, pairs: list[tuple[int, int]]) -> None:
        rows_insert(
            EnrollmentEvent,
            ["enrollment", "kind", "date", "other_school", "note"],
            self.events_of(pairs),
        )

    def enrollments_write(self) -> None:
        plan, pupils = self.plan, self.validated.pupils
        for removed in chunks(plan.enrollments_removed):
            Enrollment.objects.filter(pk__in=removed).delete()
        pks = ids_reserve(Enrollment, len(plan.enrollments_new))
        values = operator.attrgetter(*ENROLLMENT_FIELDS[1:])
        rows = [
            (
                pk,
                self.year.pk,
                plan.unit_ids[pupils[index].school],
                1,
                *values(pupils[index]),
                self.person_pk(plan.pupil_refs[index]),
            )
            for pk, index in zip(pks, plan.enrollments_new, strict=True)
        ]
        rows_insert(Enrollment, ENROLLMENT_INSERT_FIELDS, rows)
        self.events_insert(list(zip(plan.enrollments_new, pks, strict=True)))
        self.report("写入学籍", len(rows), len(rows))
        for changed in chunks(plan.enrollments_changed):
            Enrollment.objects.bulk_update(
                [self.enrollment_of(i, pk=pk, version=v + 1) for i, pk, v in changed],
                [*ENROLLMENT_FIELDS, "version", "edited_at"],
                batch_size=UPDATE_BATCH,
            )
            # The workbook states the roll of the year: its events are derived again from it.
            EnrollmentEvent.objects.filter(enrollment_id__in=[pk for _, pk, _ in changed]).delete()
            self.events_insert([(i, pk) for i, pk, _ in changed])
