"""What an import deletes: said before it happens, and refused before the database refuses it.

A record missing from the file is deleted (the file states the register of its villages and
schools). Two things must be known at the preview already: which records go (a workbook of one
village read as the whole town deletes a thousand people), and which of them cannot go because
other work still holds them (a roll row with a dropout case): the dry run refuses what the real
run would refuse, naming what holds the row and how to go on.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.db.models import ForeignObjectRel, Model

from liangji.imports.columns import SHEET_PEOPLE, SHEET_ROLLS
from liangji.imports.planning import Plan, chunks
from liangji.imports.validation import RowError
from liangji.registers.models import Enrollment, PersonRecord

PROTECTING = frozenset({models.PROTECT, models.RESTRICT})
LISTED = 200  # removals named one by one; the rest are counted per village or school
# "Many": at least MANY_AT_LEAST records and more than MANY_SHARE of those compared (a town's
# ordinary month removes a few deaths and moves; a partial file removes hundreds).
MANY_SHARE = 0.1
MANY_AT_LEAST = 10


@dataclass
class Removals:
    lines: list[str] = field(default_factory=list)  # "张三(东村 001户)", first LISTED
    per_unit: dict[str, int] = field(default_factory=dict)
    alert: str = ""  # set when the import deletes many records


def _holders(model: type[Model], pks: list[int]) -> list[tuple[int, Model]]:
    """(pk of the row, the object that protects it from deletion) for every such reference."""
    held: list[tuple[int, Model]] = []
    # include_hidden: the other apps point here with related_name="+".
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.on_delete not in PROTECTING:
            continue
        name, holder_model = relation.field.name, relation.related_model
        assert not isinstance(holder_model, str)  # resolved once the apps are loaded
        for batch in chunks(pks):
            holders = holder_model._default_manager.filter(**{f"{name}__in": batch})
            held += [(getattr(holder, f"{name}_id"), holder) for holder in holders]
    return held


def removal_blockers(plan: Plan) -> list[RowError]:
    """A refusal for every record the import would delete although other work holds it."""
    errors = []
    rolls = _holders(Enrollment, plan.enrollments_removed)
    described = {
        e.pk: f"{e.name}（{e.school.name} {e.grade}年级）"
        for e in Enrollment.objects.filter(pk__in=[pk for pk, _ in rolls]).select_related("school")
    }
    for pk, holder in rolls:
        what = f"{holder._meta.verbose_name}“{holder}”"
        errors.append(
            RowError(
                SHEET_ROLLS,
                0,
                "",
                f"学生 {described[pk]} 在文件中没有了，但{what}还引用着这条学籍，导入不能删除它，"
                "整个文件没有导入；请在学籍表中保留这个学生并把学籍状态改为实际情况"
                "（转出、辍学、休学等，填上变动日期），或先在控辍保学中关闭该个案或把它改到新的学籍，"
                "然后重新导入",
            )
        )
    records = _holders(PersonRecord, plan.records_removed)
    people = {
        r.pk: f"{r.person.name}（{r.village.name}）"
        for r in PersonRecord.objects.filter(pk__in=[pk for pk, _ in records]).select_related(
            "person", "village"
        )
    }
    for pk, holder in records:
        errors.append(
            RowError(
                SHEET_PEOPLE,
                0,
                "",
                f"{people[pk]} 在文件中没有了，但{holder._meta.verbose_name}“{holder}”还引用着"
                "这条人口记录，导入不能删除它，整个文件没有导入；请在人口表中保留这个人后重新导入",
            )
        )
    return errors


def removals_describe(plan: Plan) -> Removals:
    """The records the import deletes, by name, and an alert when they are many."""
    removals = Removals()
    records = PersonRecord.objects.filter(pk__in=plan.records_removed[:LISTED])
    removals.lines += [
        f"人口记录 {name}（{village} {household}户）"
        for name, village, household in records.values_list(
            "person__name", "village__name", "household__number"
        ).order_by("village__name", "household__number", "person__name")
    ]
    rolls = Enrollment.objects.filter(pk__in=plan.enrollments_removed[:LISTED])
    removals.lines += [
        f"学籍 {name}（{school} {grade}年级）"
        for name, school, grade in rolls.values_list("name", "school__name", "grade").order_by(
            "school__name", "grade", "name"
        )
    ]
    per_unit: Counter[str] = Counter()
    for batch in chunks(plan.records_removed):
        per_unit.update(
            PersonRecord.objects.filter(pk__in=batch).values_list("village__name", flat=True)
        )
    for batch in chunks(plan.enrollments_removed):
        per_unit.update(
            Enrollment.objects.filter(pk__in=batch).values_list("school__name", flat=True)
        )
    removals.per_unit = dict(sorted(per_unit.items()))
    removals.alert = _alert(plan)
    return removals


def _alert(plan: Plan) -> str:
    parts = []
    for key, label in (("人口", "人口记录"), ("学籍", "学籍")):
        counts = plan.counts.get(key)
        if counts is None or not counts.removed:
            continue
        compared = counts.removed + counts.updated + counts.unchanged + counts.kept
        if counts.removed >= MANY_AT_LEAST and counts.removed > MANY_SHARE * compared:
            parts.append(f"{counts.removed} 条{label}（原有 {compared} 条）")
    if not parts:
        return ""
    return (
        "注意：本次导入将删除 " + "、".join(parts) + "，因为它们不在文件中。"
        "如果这个文件只包含部分村（社区）、学校或人员，请不要确认导入，"
        "而是导入完整的名册；删除的人员见下方清单"
    )
