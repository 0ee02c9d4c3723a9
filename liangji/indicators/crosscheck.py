"""The dropout cross-check (校验表): the event form against the flow form, school by school.

Flow form (domain.md §3 note): roll at start + entries during Y − transfers out − deaths −
graduations − roll at end, where a roll counts 在读 and 休学 and entries are 入学 during Y plus
复学 after a 辍学. It counts dropout *exits*; the event form counts pupils of the starting roll
still out. Both numerators are decomposed per roll in SQL; the rolls where they differ are listed
with the reason (returned, re-exited, entered mid-year), and a difference no such reason explains
is a data-quality finding.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from liangji.indicators.context import Context, context_for
from liangji.indicators.definitions import _in, _lit
from liangji.indicators.engine import fetch, roll_from_sql, table_names
from liangji.registers.choices import (
    ROLL_STATUSES_ON_REGISTER,
    RollEventKind,
    RollStatus,
)
from liangji.registers.models import Unit


@dataclass(frozen=True)
class CrosscheckPupil:
    enrollment_id: int
    name: str
    grade: int
    flow_exits: int
    event_dropout: int
    explanation: str
    explained: bool


@dataclass
class CrosscheckRow:
    school_id: int
    school: str
    level: str  # 小学 | 初中
    roll_at_start: int
    entries: int
    transfers_out: int
    deaths: int
    graduations: int
    roll_at_end: int
    flow_dropouts: int
    event_dropouts: int
    pupils: list[CrosscheckPupil] = field(default_factory=list)

    @property
    def unexplained(self) -> list[CrosscheckPupil]:
        return [p for p in self.pupils if not p.explained]

    @property
    def finding(self) -> str:
        """The data-quality finding, or "" when the two forms reconcile."""
        if not self.unexplained:
            return ""
        names = "、".join(p.name for p in self.unexplained)
        return f"流量法与事件法之差有 {len(self.unexplained)} 人无法解释：{names}"


def _per_roll_sql(ctx: Context) -> str:
    """One row per roll of the town's schools: its terms of both forms."""
    t, names = ctx.terms, table_names()
    first, last = _lit(t.first_day), _lit(t.last_day)
    in_year = f"ev.date > {first} AND ev.date <= {last}"
    resumed_after_dropout = (
        f"ev.kind = {_lit(RollEventKind.RESUMED)} AND {in_year} AND EXISTS (SELECT 1"
        f" FROM {names['enrollment_event']} d WHERE d.enrollment_id = ev.enrollment_id"
        f" AND d.kind = {_lit(RollEventKind.DROPPED_OUT)} AND d.date <= ev.date)"
    )
    events = f"""
        SELECT ev.enrollment_id,
          SUM(CASE WHEN ev.kind = {_lit(RollEventKind.ENTERED)} AND {in_year}
              THEN 1 ELSE 0 END) AS entered,
          SUM(CASE WHEN {resumed_after_dropout} THEN 1 ELSE 0 END) AS returned,
          SUM(CASE WHEN ev.kind = {_lit(RollEventKind.DROPPED_OUT)} AND {in_year}
              THEN 1 ELSE 0 END) AS dropouts
        FROM {names["enrollment_event"]} ev GROUP BY ev.enrollment_id"""
    exit_in_year = f"e.status_date >= {first} AND e.status_date <= {last}"
    return f"""
        SELECT e.id AS id, e.school_id AS school_id, s.name AS school, e.name AS name,
          e.grade AS grade,
          CASE WHEN e.grade <= 6 THEN '小学' ELSE '初中' END AS level,
          CASE WHEN {t.roll_at_start} THEN 1 ELSE 0 END AS at_start,
          CASE WHEN COALESCE(x.entered, 0) > 0 THEN x.entered
               WHEN e.entry_date > {first} AND e.entry_date <= {last} THEN 1 ELSE 0 END
            + COALESCE(x.returned, 0) AS entries,
          COALESCE(x.returned, 0) AS returned,
          COALESCE(x.dropouts, 0) AS dropout_events,
          CASE WHEN e.status = {_lit(RollStatus.TRANSFERRED_OUT)} AND e.transfer_school <> ''
               AND {exit_in_year} THEN 1 ELSE 0 END AS transferred,
          CASE WHEN e.status = {_lit(RollStatus.DECEASED)} AND {exit_in_year}
               THEN 1 ELSE 0 END AS died,
          CASE WHEN e.status = {_lit(RollStatus.GRADUATED)} AND {exit_in_year}
               THEN 1 ELSE 0 END AS graduated,
          CASE WHEN {_in("e.status", ROLL_STATUSES_ON_REGISTER)} THEN 1 ELSE 0 END AS at_end,
          CASE WHEN {t.roll_dropped_out} THEN 1 ELSE 0 END AS event_dropout,
          e.status AS status,
          CASE WHEN {t.roll_resumed_in_town} THEN 1 ELSE 0 END AS resumed_in_town,
          CASE WHEN {t.roll_dropped_out_later} THEN 1 ELSE 0 END AS dropped_out_later
        {roll_from_sql(f"LEFT JOIN ({events}) x ON x.enrollment_id = e.id")}"""


def _int(value: object) -> int:
    return int(str(value or 0))


def _explain(row: dict[str, object], flow: int, event: int) -> tuple[str, bool]:
    if flow > event and _int(row["returned"]) > 0 and _int(row["at_end"]):
        return "辍学后复学：流量法计一次退出，事件法不计", True
    if flow > event and _int(row["resumed_in_town"]):
        return "辍学后在本镇另一学校复学：流量法计一次退出，事件法不计", True
    if flow > event and _int(row["dropped_out_later"]):
        return "同一学年在本镇另一学校再次辍学：事件法按人计一次，计在最后离开的学校", True
    if flow > event and _int(row["dropout_events"]) >= 2:
        return "多次辍学：流量法按退出次数计", True
    if event > flow and row["status"] == RollStatus.SUSPENDED:
        return "休学计为辍学（本镇设置），流量法计为在册", True
    if flow < 0:
        return "期末在册，但既不在期初学籍中也没有入学记录", False
    return "两种方法的差异无法由复学、再次辍学或年中入学解释", False


def dropout_crosscheck(
    *, school_year: int, unit_ids: Collection[int] | None = None, town: Unit | None = None
) -> list[CrosscheckRow]:
    """The 校验表 of every school of the town (and level), in the caller's scope."""
    ctx = context_for(school_year=school_year, town=town)
    if unit_ids is not None and not unit_ids:
        return []
    params: list[int | str] = [ctx.terms.school_year_id, ctx.town.pk]
    per_roll = _per_roll_sql(ctx)
    flow = "(r.at_start + r.entries - r.transferred - r.died - r.graduated - r.at_end)"
    totals = fetch(
        f"""SELECT r.school_id, r.school, r.level, SUM(r.at_start), SUM(r.entries),
              SUM(r.transferred), SUM(r.died), SUM(r.graduated), SUM(r.at_end),
              SUM({flow}), SUM(r.event_dropout)
            FROM ({per_roll}) r GROUP BY r.school_id, r.school, r.level
            ORDER BY r.school, r.level DESC""",
        params,
    )
    rows: dict[tuple[int, str], CrosscheckRow] = {}
    for school_id, school, level, *numbers in totals:
        if unit_ids is not None and ctx.town.pk not in unit_ids and school_id not in unit_ids:
            continue
        start, entries, transfers, deaths, graduations, end, flow_n, event_n = map(_int, numbers)
        rows[(_int(school_id), str(level))] = CrosscheckRow(
            school_id=_int(school_id),
            school=str(school),
            level=str(level),
            roll_at_start=start,
            entries=entries,
            transfers_out=transfers,
            deaths=deaths,
            graduations=graduations,
            roll_at_end=end,
            flow_dropouts=flow_n,
            event_dropouts=event_n,
        )
    differing = fetch(
        f"""SELECT r.*, {flow} AS flow FROM ({per_roll}) r
            WHERE {flow} <> r.event_dropout ORDER BY r.school, r.grade, r.name""",
        params,
    )
    columns = [
        "id", "school_id", "school", "name", "grade", "level", "at_start", "entries", "returned",
        "dropout_events", "transferred", "died", "graduated", "at_end", "event_dropout", "status",
        "resumed_in_town", "dropped_out_later", "flow",
    ]  # fmt: skip
    for values in differing:
        row = dict(zip(columns, values, strict=True))
        key = (_int(row["school_id"]), str(row["level"]))
        if key not in rows:
            continue
        flow_exits, event = _int(row["flow"]), _int(row["event_dropout"])
        explanation, explained = _explain(row, flow_exits, event)
        rows[key].pupils.append(
            CrosscheckPupil(
                _int(row["id"]),
                str(row["name"]),
                _int(row["grade"]),
                flow_exits,
                event,
                explanation,
                explained,
            )
        )
    return list(rows.values())
