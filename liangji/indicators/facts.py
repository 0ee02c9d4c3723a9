"""Counts the statistical tables need besides the eleven indicators (domain.md §3), each a named
condition over the same `Terms` as the definitions, so that a table's column and an indicator's
population or numerator are the same SQL and cannot drift apart.

A fact is counted set-wise by `engine.person_counts` / `engine.roll_counts`, grouped by whatever
the table needs (village, single year of age, sex, school, grade).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from liangji.indicators.definitions import Basis, Terms, _lit
from liangji.registers.choices import RollEventKind


@dataclass(frozen=True)
class FactDefinition:
    code: str
    name: str
    basis: Basis
    condition: Callable[[Terms], str]

    def sql(self, terms: Terms) -> str:
        return self.condition(terms)


def _registered(condition: Callable[[Terms], str]) -> Callable[[Terms], str]:
    return lambda t: f"({t.registered} AND {condition(t)})"


def _roll_resumed(t: Terms) -> str:
    """Dropped out during the year and resumed (复学) before it ended."""
    first, last = _lit(t.first_day), _lit(t.last_day)
    return (
        "EXISTS (SELECT 1 FROM {enrollment_event} ev WHERE ev.enrollment_id = e.id"
        f" AND ev.kind = {_lit(RollEventKind.RESUMED)} AND ev.date > {first} AND ev.date <= {last}"
        " AND EXISTS (SELECT 1 FROM {enrollment_event} d WHERE d.enrollment_id = e.id"
        f" AND d.kind = {_lit(RollEventKind.DROPPED_OUT)} AND d.date >= {first}"
        " AND d.date <= ev.date))"
    )


P, R = Basis.PERSON, Basis.ROLL
FACTS: tuple[FactDefinition, ...] = (
    FactDefinition("population", "户籍人口", P, lambda t: t.registered),
    FactDefinition("at_primary", "小学在校", P, _registered(lambda t: t.enrolled_primary)),
    FactDefinition("at_junior", "初中在校", P, _registered(lambda t: t.enrolled_junior)),
    FactDefinition("at_special", "特殊教育学校在校", P, _registered(lambda t: t.enrolled_special)),
    FactDefinition("at_senior", "高中阶段在校", P, _registered(lambda t: t.enrolled_senior)),
    FactDefinition(
        "elsewhere_proof", "在外就读（有证明）", P, _registered(lambda t: t.elsewhere_with_proof)
    ),
    FactDefinition(
        "elsewhere_no_proof",
        "在外就读（无证明）",
        P,
        _registered(lambda t: f"({t.studying_elsewhere} AND NOT {t.elsewhere_with_proof})"),
    ),
    FactDefinition("exempted", "免学缓学", P, _registered(lambda t: t.exempted)),
    FactDefinition("three_class", "三类残疾", P, _registered(lambda t: t.three_class_disabled)),
    FactDefinition("home_taught", "送教上门", P, _registered(lambda t: t.home_schooling_recorded)),
    FactDefinition("dropped_out", "辍学", P, _registered(lambda t: t.dropped_out_by_reference)),
    FactDefinition("never_enrolled", "未入学（失学）", P, _registered(lambda t: t.never_enrolled)),
    FactDefinition("gone", "死亡或迁出", P, lambda t: t.registered_type_gone),
    FactDefinition(
        "lost_ability", "丧失学习能力", P, _registered(lambda t: t.lost_learning_ability)
    ),
    FactDefinition(
        "illiterate",
        "文盲半文盲",
        P,
        _registered(lambda t: f"({t.illiterate} AND NOT {t.lost_learning_ability})"),
    ),
    FactDefinition("enrolled", "入学（含在外、送教）", P, lambda t: t.enrolled),
    FactDefinition(
        "on_roll", "在本镇或外镇学校学籍在读", P, lambda t: "COALESCE(f.on_roll, 0) = 1"
    ),
    FactDefinition("resumed", "学年内辍学后复学", R, _roll_resumed),
    FactDefinition(
        "on_roll_at_reference", "统计时点在读", R, lambda t: t.roll_enrolled_on(t.reference)
    ),
)
BY_CODE: dict[str, FactDefinition] = {f.code: f for f in FACTS}


def fact_get(code: str) -> FactDefinition:
    return BY_CODE[code]
