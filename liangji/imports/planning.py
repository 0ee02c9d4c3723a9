"""What an import would change: computed with reads only, so a dry run is exact and cheap.

Existing rows are loaded once into dictionaries (no query per row). Each existing person
record and roll row is kept as (pk, version, hash of its comparable values): comparing a file
row then costs one hash, and memory stays small at county scale.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Field, Model, Q, QuerySet

from liangji.imports.conflicts import (
    NO_OVERWRITE,
    Conflict,
    Overwrite,
    enrollment_conflicts,
    id_number_conflict,
    id_number_valid,
    record_conflicts,
)
from liangji.imports.validation import PersonRow, PupilRow, UnitRow, Validated
from liangji.registers.choices import TOWN_KINDS, UnitKind
from liangji.registers.models import (
    Enrollment,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    SchoolYear,
    Unit,
)

CHUNK = 2000
HouseholdKey = tuple[str, str]  # (village name, household number)
# A person reference: an existing Person's pk (> 0) or -(index + 1) into the new persons.
PersonRef = int


T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_fetch(queryset: QuerySet) -> Iterator[tuple]:
    """The rows of a values_list queryset, fetched in batches straight from the cursor.

    Django's own iteration costs tens of microseconds a row in Python; at county scale the
    comparison reads 500,000 rows, so they come from the cursor (the drivers already return
    dates and booleans as Python values).
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # an empty IN list: nothing to read
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            yield from batch


def column_of(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a concrete column, never a reverse relation
    return str(field.column)


def person_rows_where(
    column: str, values: Iterable[str], fields: tuple[str, ...]
) -> Iterator[tuple]:
    """Person rows whose `column` is one of `values`, read in batches of plain SQL.

    The ORM spends microseconds on each value of an IN list; with 450,000 ID numbers that
    was seconds of the import.
    """
    quote = connection.ops.quote_name
    meta = Person._meta
    selected = ", ".join(quote(column_of(Person, "id" if n == "pk" else n)) for n in fields)
    where = quote(column_of(Person, column))
    with connection.cursor() as cursor:
        for batch in chunks(sorted(values)):
            placeholders = ", ".join(["%s"] * len(batch))
            cursor.execute(
                f"SELECT {selected} FROM {quote(meta.db_table)} WHERE {where} IN ({placeholders})",
                batch,
            )
            yield from cursor.fetchall()


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = 0  # edited in the application since the last import: kept, not overwritten

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "kept": self.kept,
        }


@dataclass
class UnitChange:
    row: UnitRow
    pk: int | None  # None: to be created
    changed: bool


@dataclass
class Plan:
    school_year: SchoolYear
    # The conflicts (edits made in the application since the last import) the user chose the
    # file for; the others are kept.
    overwrite: Overwrite = NO_OVERWRITE
    units: list[UnitChange] = field(default_factory=list)
    unit_ids: dict[str, int] = field(default_factory=dict)  # existing units by file name
    households_new: list[HouseholdKey] = field(default_factory=list)
    household_ids: dict[HouseholdKey, int] = field(default_factory=dict)
    persons_new: list[PersonRow] = field(default_factory=list)
    persons_changed: list[tuple[int, PersonRow, str | None]] = field(default_factory=list)
    person_refs: list[PersonRef] = field(default_factory=list)  # parallel to people rows
    records_new: list[int] = field(default_factory=list)  # indexes into people rows
    records_changed: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # (index, pk, version)
    records_removed: list[int] = field(default_factory=list)
    # Edited records the file now agrees with (the office updated its workbook): no longer a
    # conflict, so their mark is cleared.
    records_unmarked: list[int] = field(default_factory=list)
    pupil_refs: list[PersonRef | None] = field(default_factory=list)  # parallel to pupil rows
    enrollments_new: list[int] = field(default_factory=list)
    enrollments_changed: list[tuple[int, int, int]] = field(default_factory=list)
    enrollments_removed: list[int] = field(default_factory=list)
    enrollments_unmarked: list[int] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    notes: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return any(c.created or c.updated or c.removed for c in self.counts.values())

    def conflicts_add(self, conflicts: list[Conflict]) -> list[Conflict]:
        """Record the conflicts, each decided by the user's choice; returns them decided."""
        decided = [self.overwrite.decide(c) for c in conflicts]
        self.conflicts += decided
        return decided


def record_values(row: PersonRow) -> tuple:
    """The comparable values of a person record (household by its key, not its pk)."""
    return (
        (row.village, row.household),
        row.population_type,
        row.hukou_status,
        row.moved_out_on,
        row.died_on,
        row.address,
        row.disability,
        row.education_level,
        row.lost_learning_ability,
        row.exemption,
        row.exemption_approved_on,
        row.exemption_until,
        row.elsewhere_school,
        row.elsewhere_region,
        row.elsewhere_level,
        row.elsewhere_grade,
        row.elsewhere_proof,
        row.home_schooling,
        row.note,
        row.groups,
    )


RECORD_FIELDS = (
    "household_id",
    "population_type",
    "hukou_status",
    "moved_out_on",
    "died_on",
    "address",
    "disability",
    "education_level",
    "lost_learning_ability",
    "exemption",
    "exemption_approved_on",
    "exemption_until",
    "elsewhere_school",
    "elsewhere_region",
    "elsewhere_level",
    "elsewhere_grade",
    "elsewhere_proof",
    "home_schooling",
    "note",
)


def pupil_values(row: PupilRow, person_id: int | None) -> tuple:
    return (
        person_id,
        row.student_number,
        row.name,
        row.sex,
        row.birth_date,
        row.id_number,
        row.hukou_village,
        row.grade,
        row.class_name,
        row.entry_date,
        row.status,
        row.status_date,
        row.transfer_school,
    )


ENROLLMENT_FIELDS = (
    "person_id",
    "student_number",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "hukou_village",
    "grade",
    "class_name",
    "entry_date",
    "status",
    "status_date",
    "transfer_school",
)


def _units_plan(plan: Plan, units: list[UnitRow]) -> None:
    """Units are matched by name within their parent (a town by name among towns)."""
    names = {u.name for u in units}
    existing = list(
        Unit.objects.filter(name__in=names).values_list("pk", "name", "kind", "code", "parent_id")
    )
    # A town may name its county without listing it: the county is then found in the database.
    outside = {u.parent_name for u in units if u.parent_name and u.parent_name not in names}
    plan.unit_ids.update(
        (name, pk)
        for pk, name in Unit.objects.filter(kind=UnitKind.COUNTY, name__in=outside).values_list(
            "pk", "name"
        )
    )
    ordered = sorted(
        units,
        key=lambda u: 0 if u.kind == UnitKind.COUNTY else 1 if u.kind in TOWN_KINDS else 2,
    )
    counts = plan.counts["单位"]
    for unit in ordered:
        parent_id = plan.unit_ids.get(unit.parent_name) if unit.parent_name else None
        if unit.kind in TOWN_KINDS or unit.kind == UnitKind.COUNTY:
            same_level = TOWN_KINDS if unit.kind in TOWN_KINDS else {UnitKind.COUNTY}
            match = next((e for e in existing if e[1] == unit.name and e[2] in same_level), None)
        elif parent_id is None:
            match = None  # its town is new, so it is new too
        else:
            match = next((e for e in existing if e[1] == unit.name and e[4] == parent_id), None)
        if match is None:
            plan.units.append(UnitChange(unit, None, True))
            counts.created += 1
            continue
        plan.unit_ids[unit.name] = match[0]
        parent_changed = parent_id is not None and match[4] != parent_id
        changed = match[2] != unit.kind or match[3] != unit.code or bool(parent_changed)
        plan.units.append(UnitChange(unit, match[0], changed))
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1


def _village_ids(plan: Plan, names: Iterable[str]) -> dict[int, str]:
    return {plan.unit_ids[name]: name for name in set(names) if name in plan.unit_ids}


def household_number_key(number: str) -> str:
    """户号 as the office means it: 0001, 001 and 1 are one household (Excel drops the zeros
    of a number typed into a General cell, and offices pad them back or not)."""
    return (number.lstrip("0") or "0") if number.isdigit() else number


def _households_plan(plan: Plan, people: list[PersonRow]) -> dict[int, HouseholdKey]:
    """Each row's 户号 is spelled as the household is already stored (or as its first row
    spells it), so that everything after compares one spelling."""
    villages = _village_ids(plan, (p.village for p in people))
    by_pk: dict[int, HouseholdKey] = {}
    spelling: dict[HouseholdKey, str] = {}
    for pk, village_id, number in rows_fetch(
        Household.objects.filter(village_id__in=villages).values_list("pk", "village_id", "number")
    ):
        key = (villages[village_id], number)
        plan.household_ids[key] = pk
        by_pk[pk] = key
        spelling.setdefault((key[0], household_number_key(number)), number)
    for person in people:
        person.household = spelling.setdefault(
            (person.village, household_number_key(person.household)), person.household
        )
    wanted = dict.fromkeys((p.village, p.household) for p in people)
    plan.households_new = [key for key in wanted if key not in plan.household_ids]
    counts = plan.counts["户"]
    counts.created = len(plan.households_new)
    counts.unchanged = len(wanted) - counts.created
    return by_pk


def _years_compared(school_year: SchoolYear) -> list[int]:
    """The pks of year Y (when it exists) and of its neighbours: the latest year before it, and
    the first after it (an office may enter past years after the current one)."""
    years = SchoolYear.objects.values_list("pk", flat=True)
    before = years.filter(year__lt=school_year.year).order_by("-year").first()
    after = years.filter(year__gt=school_year.year).order_by("year").first()
    return [pk for pk in (school_year.pk, before, after) if pk is not None]


def _persons_plan(plan: Plan, people: list[PersonRow]) -> None:
    """Reuse a Person by ID number, else by name, sex, birth date and household."""
    file_ids = {p.id_number for p in people if p.id_number}
    households = {pk: key for key, pk in plan.household_ids.items()}
    villages = _village_ids(plan, (p.village for p in people))
    by_identity: dict[tuple, tuple] = {}
    by_id: dict[str, tuple] = {}
    # The people of these villages in this school year and its neighbours: most ID numbers are
    # found here, in one read, and the rest (people who moved in) by number below. Older years
    # are left out so that the read does not grow with every year of history; a person without
    # an ID number who was missing from the register for a whole year is registered anew.
    years = _years_compared(plan.school_year)
    for record in rows_fetch(
        PersonRecord.objects.filter(village_id__in=villages, school_year_id__in=years).values_list(
            "person_id",
            "person__id_number",
            "person__name",
            "person__sex",
            "person__birth_date",
            "person__ethnicity",
            "household_id",
        )
    ):
        values = tuple(record[:6])
        by_identity[(record[2], record[3], record[4], households.get(record[6]))] = values
        if record[1] in file_ids:
            by_id[record[1]] = values
    for found in person_rows_where(
        "id_number",
        file_ids.difference(by_id),
        ("pk", "id_number", "name", "sex", "birth_date", "ethnicity"),
    ):
        by_id[str(found[1])] = tuple(found)
    claimed: set[int] = set()
    counts = plan.counts["人员"]
    for row in people:
        match: tuple[Any, ...] | None = by_id.get(row.id_number) if row.id_number else None
        if match is None:
            candidate = by_identity.get(
                (row.name, row.sex, row.birth_date, (row.village, row.household))
            )
            # The same person whose ID number was missing or is corrected here; unless another
            # row of the file carries that person's number (then that row is the person).
            if candidate is not None and (
                not candidate[1] or not row.id_number or candidate[1] not in file_ids
            ):
                match = candidate
        if match is None or match[0] in claimed:
            plan.persons_new.append(row)
            plan.person_refs.append(-len(plan.persons_new))
            counts.created += 1
            continue
        pk, id_number, name, sex, birth_date, ethnicity = match
        claimed.add(pk)
        plan.person_refs.append(pk)
        wanted_id = row.id_number or id_number  # a blank cell never erases a known ID number
        if wanted_id != id_number and id_number and id_number_valid(id_number):
            # Never replaced without saying so: a number damaged by Excel can pass every check.
            [conflict] = plan.conflicts_add([id_number_conflict(row, id_number, person_pk=pk)])
            if not conflict.overwritten:
                wanted_id = id_number
                counts.kept += 1
        if (name, sex, birth_date, id_number, ethnicity) != (
            row.name,
            row.sex,
            row.birth_date,
            wanted_id,
            row.ethnicity,
        ):
            plan.persons_changed.append((pk, row, wanted_id))
            counts.updated += 1
        else:
            counts.unchanged += 1


def _records_plan(
    plan: Plan, people: list[PersonRow], household_keys: dict[int, HouseholdKey], partial: bool
) -> None:
    year = plan.school_year
    villages = _village_ids(plan, (p.village for p in people))
    # person pk → (record pk, version, hash, edited in the application since the last import)
    existing: dict[int, tuple[int, int, int, bool]] = {}
    groups: dict[int, list[str]] = defaultdict(list)
    fields = ("pk", "person_id", "version", "edited_at", *RECORD_FIELDS)
    scope = Q(school_year_id=year.pk, village_id__in=villages)
    for record_pk, group in rows_fetch(
        GroupMembership.objects.filter(
            record__school_year_id=year.pk, record__village_id__in=villages
        ).values_list("record_id", "group")
    ):
        groups[record_pk].append(group)

    def remember(values: tuple) -> None:
        # Only (pk, version, hash) is kept: 500,000 full rows would cost hundreds of MB.
        pk, person_id, version, edited_at, household_id, *rest = values
        key = household_keys.get(household_id, ("", ""))
        comparable = (key, *rest, tuple(sorted(groups.get(pk, ()))))
        existing[person_id] = (pk, version, hash(comparable), edited_at is not None)

    for values in rows_fetch(PersonRecord.objects.filter(scope).values_list(*fields)):
        remember(values)
    # Records of year Y of these people that sit in a village this file does not cover.
    elsewhere = [ref for ref in plan.person_refs if ref > 0 and ref not in existing]
    for batch in chunks(elsewhere):
        for values in PersonRecord.objects.filter(
            school_year_id=year.pk, person_id__in=batch
        ).values_list(*fields):
            remember(values)
    counts = plan.counts["人口"]
    kept: set[int] = set()
    edited: list[tuple[int, int, int]] = []  # (row index, pk, version): edited, the file differs
    for index, (row, ref) in enumerate(zip(people, plan.person_refs, strict=True)):
        found = existing.get(ref) if ref > 0 else None
        if found is None:
            plan.records_new.append(index)
            counts.created += 1
            continue
        kept.add(found[0])
        if found[2] == hash(record_values(row)):
            counts.unchanged += 1
            if found[3]:
                plan.records_unmarked.append(found[0])
            continue
        if found[3]:
            edited.append((index, found[0], found[1]))
            continue
        plan.records_changed.append((index, found[0], found[1]))
        counts.updated += 1
    gone = [] if partial else [(pk, e) for pk, _, _, e in existing.values() if pk not in kept]
    edited_gone = [pk for pk, was_edited in gone if was_edited]
    decided = plan.conflicts_add(
        record_conflicts([(i, pk) for i, pk, _ in edited], edited_gone, people)
    )
    for change, conflict in zip(edited, decided, strict=False):
        if conflict.overwritten:
            plan.records_changed.append(change)
            counts.updated += 1
        else:
            counts.kept += 1
    if partial:
        plan.notes.append("人口表有被跳过的错误行，因此本次没有删除文件中不再出现的人口记录")
        return
    # Every loaded record outside the file's villages belongs to a person of the file (kept).
    chosen = {
        pk for pk, c in zip(edited_gone, decided[len(edited) :], strict=True) if c.overwritten
    }
    plan.records_removed = [pk for pk, e in gone if not e or pk in chosen]
    counts.removed = len(plan.records_removed)
    counts.kept += len(gone) - len(plan.records_removed)


def pupil_person_refs(plan: Plan, people: list[PersonRow], pupils: list[PupilRow]) -> None:
    """Link each pupil to a person: by ID number, else by name, sex and birth date (unique)."""
    # Only the keys some pupil asks for are indexed: the people sheet is six times longer.
    pupil_ids = {p.id_number for p in pupils if p.id_number}
    pupil_nsb = {(p.name, p.sex, p.birth_date) for p in pupils}
    by_id: dict[str, PersonRef] = {}
    by_nsb: dict[tuple, list[PersonRef]] = defaultdict(list)
    for row, ref in zip(people, plan.person_refs, strict=True):
        if row.id_number in pupil_ids:
            by_id[row.id_number] = ref
        key = (row.name, row.sex, row.birth_date)
        if key in pupil_nsb:
            by_nsb[key].append(ref)
    for id_number, pk in person_rows_where(
        "id_number", pupil_ids.difference(by_id), ("id_number", "pk")
    ):
        by_id[str(id_number)] = pk
    unmatched_names = {
        p.name for p in pupils if not p.id_number and (p.name, p.sex, p.birth_date) not in by_nsb
    }
    db_nsb: dict[tuple, list[int]] = defaultdict(list)
    for pk, name, sex, birth in person_rows_where(
        "name", unmatched_names, ("pk", "name", "sex", "birth_date")
    ):
        db_nsb[(name, sex, birth)].append(pk)
    unmatched = 0
    for pupil in pupils:
        found: PersonRef | None = by_id.get(pupil.id_number) if pupil.id_number else None
        if found is None:
            key = (pupil.name, pupil.sex, pupil.birth_date)
            candidates = by_nsb.get(key) or db_nsb.get(key) or []
            found = candidates[0] if len(candidates) == 1 else None
        if found is None:
            unmatched += 1
        plan.pupil_refs.append(found)
    if unmatched:
        plan.notes.append(f"{unmatched} 名学生在人口登记中没有找到对应的人，留待比对核查")


def _enrollments_plan(plan: Plan, pupils: list[PupilRow], partial: bool) -> None:
    year = plan.school_year
    schools = _village_ids(plan, (p.school for p in pupils))
    by_number: dict[tuple, int] = {}
    by_id: dict[tuple, int] = {}
    by_nsb: dict[tuple, int] = {}
    existing: dict[int, tuple[int, int, bool]] = {}  # pk → (version, hash, edited in the app)
    for edited_at, *values in rows_fetch(
        Enrollment.objects.filter(school_year_id=year.pk, school_id__in=schools).values_list(
            "edited_at", "pk", "version", "school_id", *ENROLLMENT_FIELDS
        )
    ):
        pk, version, school_id, person_id, number, name, sex, birth, id_number = values[:9]
        school = schools[school_id]
        if number:
            by_number[(school, number)] = pk
        if id_number:
            by_id[(school, id_number)] = pk
        by_nsb[(school, name, sex, birth)] = pk
        existing[pk] = (version, hash(tuple(values[3:])), edited_at is not None)
    counts = plan.counts["学籍"]
    claimed: set[int] = set()
    edited: list[tuple[int, int, int]] = []
    for index, (pupil, ref) in enumerate(zip(pupils, plan.pupil_refs, strict=True)):
        candidates = (
            by_number.get((pupil.school, pupil.student_number)) if pupil.student_number else None,
            by_id.get((pupil.school, pupil.id_number)) if pupil.id_number else None,
            by_nsb.get((pupil.school, pupil.name, pupil.sex, pupil.birth_date)),
        )
        pk = next((c for c in candidates if c is not None and c not in claimed), None)
        if pk is None:
            plan.enrollments_new.append(index)
            counts.created += 1
            continue
        claimed.add(pk)
        version, digest, was_edited = existing[pk]
        person_id = ref if ref is None or ref > 0 else -1  # a new person: certainly a change
        if digest == hash(pupil_values(pupil, person_id)):
            counts.unchanged += 1
            if was_edited:
                plan.enrollments_unmarked.append(pk)
            continue
        if was_edited:
            edited.append((index, pk, version))
            continue
        plan.enrollments_changed.append((index, pk, version))
        counts.updated += 1
    gone = [] if partial else [pk for pk in existing if pk not in claimed]
    edited_gone = [pk for pk in gone if existing[pk][2]]
    decided = plan.conflicts_add(
        enrollment_conflicts([(i, pk) for i, pk, _ in edited], edited_gone, pupils)
    )
    for change, conflict in zip(edited, decided, strict=False):
        if conflict.overwritten:
            plan.enrollments_changed.append(change)
            counts.updated += 1
        else:
            counts.kept += 1
    if partial:
        plan.notes.append("学籍表有被跳过的错误行，因此本次没有删除文件中不再出现的学籍")
        return
    chosen = {
        pk for pk, c in zip(edited_gone, decided[len(edited) :], strict=True) if c.overwritten
    }
    plan.enrollments_removed = [pk for pk in gone if not existing[pk][2] or pk in chosen]
    counts.removed = len(plan.enrollments_removed)
    counts.kept += len(gone) - len(plan.enrollments_removed)


def import_plan(
    validated: Validated,
    *,
    school_year: SchoolYear,
    skipped: set[str],
    overwrite: Overwrite = NO_OVERWRITE,
) -> Plan:
    """Everything the import would create, update, leave alone or remove; reads only."""
    plan = Plan(school_year=school_year, overwrite=overwrite)
    _units_plan(plan, validated.units)
    household_keys = _households_plan(plan, validated.people)
    _persons_plan(plan, validated.people)
    _records_plan(plan, validated.people, household_keys, partial="人口" in skipped)
    pupil_person_refs(plan, validated.people, validated.pupils)
    _enrollments_plan(plan, validated.pupils, partial="学籍" in skipped)
    if agreed := len(plan.records_unmarked) + len(plan.enrollments_unmarked):
        plan.notes.append(
            f"{agreed} 条在系统中修改过的记录与文件现在一致，不再列为冲突（以后的导入照常比对）"
        )
    return plan


def per_unit_counts(validated: Validated) -> tuple[dict[str, int], dict[str, int]]:
    villages = Counter(p.village for p in validated.people)
    schools = Counter(p.school for p in validated.pupils)
    return dict(sorted(villages.items())), dict(sorted(schools.items()))
