"""Work lists: the people behind a shortfall, with who follows each line and how it ended."""

from __future__ import annotations

from dataclasses import dataclass, field

from liangji.accounts.models import Actor
from liangji.accounts.scope import access_unit, scope_for
from liangji.indicators.definitions import DEFINITIONS, Basis, definition_get
from liangji.indicators.models import WorkItem
from liangji.indicators.reconciliation import Kind, reconciliation_run
from liangji.indicators.report import IndicatorError
from liangji.indicators.shortfall import ShortfallRow, gross_rate_note, shortfall_list
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS
from liangji.registers.models import Enrollment, PersonRecord, SchoolYear, Unit
from liangji.registers.rules import age_on

WORKLIST_STATES = {
    "open": "未处理",
    "resolved": "已处理",
    "unassigned": "未分派",
    "assigned": "已分派",
}


def line_key(row: ShortfallRow) -> str:
    return f"p{row.person_id}" if row.person_id is not None else f"e{row.enrollment_id}"


@dataclass
class WorkLine:
    row: ShortfallRow
    key: str
    item: WorkItem | None
    shared: bool = False  # outside the user's scope, visible through an assignment

    @property
    def version(self) -> int:
        return self.item.version if self.item is not None else 0


@dataclass
class Worklist:
    code: str
    name: str
    unit: Unit | None
    town: Unit | None
    lines: list[WorkLine] = field(default_factory=list)
    error: str = ""
    total: int = 0
    note: str = ""  # why the list's length is not the indicator's 差 N 人, when it is not


RECONCILIATION_PREFIX = "rec:"
RECONCILIATION_KINDS = [
    value
    for name, value in vars(Kind).items()
    if not name.startswith("_") and isinstance(value, str)
]


def worklist_codes() -> list[tuple[str, str]]:
    """The indicators' shortfall lists, then one list per reconciliation finding (四查三比对)."""
    return [(d.code, d.name) for d in DEFINITIONS] + [
        (RECONCILIATION_PREFIX + kind, f"四查三比对：{kind}") for kind in RECONCILIATION_KINDS
    ]


def _reconciliation_rows(
    *, kind: str, school_year: SchoolYear, town: Unit, unit_ids: frozenset[int]
) -> list[ShortfallRow]:
    """Findings of one kind as work-list rows (the first person involved names the line)."""
    report = reconciliation_run(school_year=school_year.year, town=town, unit_ids=unit_ids)
    day = report.reference_date
    rows = []
    for line in report.of_kind(kind):
        first = line.people[0]
        rows.append(
            ShortfallRow(
                person_id=first.person_id,
                enrollment_id=first.enrollment_id,
                name=" / ".join(who.name for who in line.people),
                sex="",
                birth_date=first.birth_date,
                age=age_on(first.birth_date, day),
                village="；".join(who.where for who in line.people),
                household="",
                school="",
                grade=None,
                reason=f"{line.details}。建议：{line.suggestion}",
                id_number="",
            )
        )
    return rows


def _default_unit(user: Actor) -> Unit | None:
    scope = scope_for(user)
    if scope.root_id is None:
        return None
    root = Unit.objects.get(pk=scope.root_id)
    if root.kind in TOWN_KINDS | VILLAGE_KINDS | SCHOOL_KINDS:
        return root
    return Unit.objects.filter(pk__in=sorted(scope.town_ids)).order_by("name").first()


def _default_code(unit: Unit | None) -> str:
    return (
        "primary_dropout" if unit is not None and unit.kind in SCHOOL_KINDS else DEFINITIONS[0].code
    )


def worklist_default_code(user: Actor) -> str:
    return _default_code(_default_unit(user))


def worklist_units(user: Actor) -> list[Unit]:
    """The units whose lists the user may open: towns, villages and schools of their scope."""
    scope = scope_for(user)
    ids = scope.town_ids | scope.village_ids | scope.school_ids
    return list(Unit.objects.filter(pk__in=sorted(ids)).order_by("kind", "name"))


def _assigned_elsewhere(
    *, user: Actor, code: str, school_year: SchoolYear, town: Unit, known: set[str]
) -> list[ShortfallRow]:
    """Lines the office assigned to the user's own unit although they lie outside its scope
    (a child of one village followed by a school): the assignment shares them."""
    scope = scope_for(user)
    in_scope_people = PersonRecord.objects.filter(
        school_year=school_year, village_id__in=sorted(scope.village_ids)
    ).values("person_id")
    in_scope_rolls = Enrollment.objects.filter(
        school_year=school_year, school_id__in=sorted(scope.school_ids)
    ).values("pk")
    # Only lines whose person or roll the user could not see otherwise need the town's list.
    assigned = set(
        WorkItem.objects.filter(
            school_year=school_year, town=town, list_code=code, assigned_unit_id=scope.root_id
        )
        .exclude(person_id__in=in_scope_people)
        .exclude(enrollment_id__in=in_scope_rolls)
        .values_list("key", flat=True)
    )
    if not assigned - known:
        return []
    town_rows = shortfall_list(code=code, school_year=school_year.year, unit=town)
    return [row for row in town_rows if line_key(row) in assigned - known]


def worklist_build(
    *,
    user: Actor,
    school_year: SchoolYear,
    code: str = "",
    unit_id: int | None = None,
    state: str = "",
    assigned_unit_id: int | None = None,
) -> Worklist:
    unit = access_unit(user, unit_id) if unit_id else _default_unit(user)
    code = code or _default_code(unit)
    if code.startswith(RECONCILIATION_PREFIX):
        return _reconciliation_worklist(
            user=user, school_year=school_year, code=code, unit=unit, state=state,
            assigned_unit_id=assigned_unit_id,
        )  # fmt: skip
    try:
        definition = definition_get(code)
    except KeyError:
        return Worklist(code=code, name="", unit=unit, town=None, error=f"没有代码为 {code} 的指标")
    town = unit.town if unit is not None else None
    worklist = Worklist(code=code, name=definition.name, unit=unit, town=town)
    if unit is None or town is None:
        worklist.error = "请选择一个镇、村或学校。"
        return worklist
    if definition.basis is Basis.ROLL and unit.kind in VILLAGE_KINDS:
        worklist.error = f"{definition.name}按学校统计，请选择镇或学校。"
        return worklist
    if definition.basis is Basis.PERSON and unit.kind in SCHOOL_KINDS:
        worklist.error = f"{definition.name}按户籍村统计，请选择镇或村。"
        return worklist
    try:
        rows = shortfall_list(
            code=code, school_year=school_year.year, unit=unit,
            unit_ids=scope_for(user).unit_ids,
        )  # fmt: skip
        shared = _assigned_elsewhere(
            user=user, code=code, school_year=school_year, town=town,
            known={line_key(r) for r in rows},
        )  # fmt: skip
    except IndicatorError as exc:
        worklist.error = str(exc)
        return worklist
    if code == "junior_gross_enrollment":
        worklist.note = gross_rate_note(
            school_year=school_year.year, unit=unit, unit_ids=scope_for(user).unit_ids
        ).text()
    return _with_items(worklist, rows, shared, school_year, state, assigned_unit_id)


def _reconciliation_worklist(
    *,
    user: Actor,
    school_year: SchoolYear,
    code: str,
    unit: Unit | None,
    state: str,
    assigned_unit_id: int | None,
) -> Worklist:
    kind = code.removeprefix(RECONCILIATION_PREFIX)
    town = unit.town if unit is not None else None
    worklist = Worklist(code=code, name=f"四查三比对：{kind}", unit=unit, town=town)
    if kind not in RECONCILIATION_KINDS or unit is None or town is None:
        worklist.error = "请选择一个镇、村或学校，以及一种比对结果。"
        return worklist
    scope = scope_for(user).unit_ids
    # A village or school chosen by the office narrows the town's findings to that unit.
    visible = scope if unit.pk == town.pk else scope & {unit.pk}
    try:
        rows = _reconciliation_rows(kind=kind, school_year=school_year, town=town, unit_ids=visible)
    except IndicatorError as exc:
        worklist.error = str(exc)
        return worklist
    return _with_items(worklist, rows, [], school_year, state, assigned_unit_id)


def _with_items(
    worklist: Worklist,
    rows: list[ShortfallRow],
    shared: list[ShortfallRow],
    school_year: SchoolYear,
    state: str,
    assigned_unit_id: int | None,
) -> Worklist:
    items = {
        item.key: item
        for item in WorkItem.objects.filter(
            school_year=school_year, town=worklist.town, list_code=worklist.code
        ).select_related("assigned_unit", "resolved_by")
    }
    lines = [WorkLine(row=row, key=line_key(row), item=items.get(line_key(row))) for row in rows]
    lines += [
        WorkLine(row=row, key=line_key(row), item=items.get(line_key(row)), shared=True)
        for row in shared
    ]
    worklist.total = len(lines)
    worklist.lines = [line for line in lines if _state_matches(line, state, assigned_unit_id)]
    return worklist


def _state_matches(line: WorkLine, state: str, assigned_unit_id: int | None) -> bool:
    item = line.item
    resolved = item is not None and bool(item.resolution)
    assigned = item is not None and item.assigned_unit_id is not None
    if assigned_unit_id and (item is None or item.assigned_unit_id != assigned_unit_id):
        return False
    return {
        "open": not resolved,
        "resolved": resolved,
        "unassigned": not assigned,
        "assigned": assigned,
    }.get(state, True)
