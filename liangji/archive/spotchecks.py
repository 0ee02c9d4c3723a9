"""抽查 (一查就实): a reproducible random sample of a unit's people, each person's evidence chain,
and the inspector's verdict.

The draw: the unit's people of the year (a village: its register; a school: its roll; a town:
the registers of its villages), ordered by person id, sampled with Python's `random.Random(seed)`;
the seed is stored, so `spot_check_sample(ids, seed, size)` gives the same people again.

Two registries keep the archive below the apps that know more:
- chain sections: an app adds what it knows of a person to the chain (dropout cases with
  their steps and notices, literacy records) with `register_chain_section`;
- mismatch handlers: a 不符 verdict becomes a rectification task of the inspection work through
  the handler inspection registers with `register_mismatch_handler`, called inside the verdict's
  transaction (verdict, task and audit rows commit together, or none of them).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from liangji.accounts.models import user_or_none
from liangji.archive.models import SpotCheck, SpotCheckItem, Verdict
from liangji.archive.services import ArchiveError
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS
from liangji.registers.models import Enrollment, Person, PersonRecord, SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor


@dataclass(frozen=True)
class ChainLine:
    date: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class ChainSection:
    title: str
    lines: list[ChainLine] = field(default_factory=list)


ChainSectionFunction = Callable[..., ChainSection | None]  # (*, user, person) -> section
MismatchHandler = Callable[..., None]  # (*, item, user) -> None

CHAIN_SECTIONS: dict[str, ChainSectionFunction] = {}
MISMATCH_HANDLERS: dict[str, MismatchHandler] = {}


def register_chain_section(code: str, section: ChainSectionFunction) -> None:
    CHAIN_SECTIONS[code] = section


def register_mismatch_handler(code: str, handler: MismatchHandler) -> None:
    MISMATCH_HANDLERS[code] = handler


def spot_check_population(unit: Unit, school_year: SchoolYear) -> list[int]:
    """The person ids a draw samples from, in a fixed order (ascending id)."""
    values: Any
    if unit.kind in VILLAGE_KINDS:
        values = PersonRecord.objects.filter(school_year=school_year, village=unit).values_list(
            "person_id", flat=True
        )
    elif unit.kind in SCHOOL_KINDS:
        values = Enrollment.objects.filter(
            school_year=school_year, school=unit, person__isnull=False
        ).values_list("person_id", flat=True)
    elif unit.kind in TOWN_KINDS:
        values = PersonRecord.objects.filter(
            school_year=school_year, village__parent=unit, village__kind__in=VILLAGE_KINDS
        ).values_list("person_id", flat=True)
    else:
        raise ArchiveError("请选择一个镇、村（社区）或学校进行抽查。")
    return sorted({int(v) for v in values if v is not None})


def spot_check_sample(ids: list[int], seed: int, size: int) -> list[int]:
    """The sample of a draw: the same ids, seed and size always give the same people."""
    return random.Random(seed).sample(ids, min(size, len(ids)))


@transaction.atomic
def spot_check_draw(
    *,
    user: ArchiveActor,
    unit: Unit,
    school_year: SchoolYear,
    size: int,
    seed: int | None = None,
    note: str = "",
) -> SpotCheck:
    """Draw N people of the unit (the caller has checked the unit is in the user's scope)."""
    if size < 1:
        raise ArchiveError("抽查人数至少为 1。")
    ids = spot_check_population(unit, school_year)
    if not ids:
        raise ArchiveError(f"{unit.name} 在 {school_year} 没有可抽查的人员。")
    seed = seed if seed is not None else secrets.randbelow(2**62)
    sample = spot_check_sample(ids, seed, size)
    check = SpotCheck.objects.create(
        unit=unit,
        school_year=school_year,
        size=len(sample),
        seed=seed,
        population=len(ids),
        note=note.strip()[:300],
        drawn_by=user_or_none(user),
    )
    SpotCheckItem.objects.bulk_create(
        SpotCheckItem(spot_check=check, person_id=person_id, position=position)
        for position, person_id in enumerate(sample, start=1)
    )
    audit_record(
        user=user,
        action=AuditAction.CREATE,
        entity="SpotCheck",
        entity_id=check.pk,
        summary=f"档案抽查：{unit.name} {school_year} 从 {len(ids)} 人中抽取 {len(sample)} 人"
        f"（随机种子 {seed}）",
        after={"seed": seed, "population": len(ids), "persons": sample},
        unit=unit,
    )
    return check


@transaction.atomic
def spot_check_verdict(
    *, user: ArchiveActor, item: SpotCheckItem, verdict: Verdict | str, note: str = ""
) -> SpotCheckItem:
    """Record 相符 / 不符 for a sampled person; 不符 (with its note) opens a rectification task
    through the inspection work's handler."""
    item = (
        SpotCheckItem.objects.select_for_update(of=("self",))
        .select_related("spot_check__unit", "spot_check__school_year", "person")
        .get(pk=item.pk)
    )
    note = note.strip()
    if verdict == Verdict.DIFFERS and not note:
        raise ArchiveError("结论为“不符”时请写明哪里不符，以便整改。")
    before = {"verdict": item.verdict, "note": item.note}
    item.verdict, item.note = verdict, note[:500]
    item.judged_by = user_or_none(user)
    item.judged_at = timezone.now()
    item.full_clean()
    item.save()
    audit_record(
        user=user,
        action=AuditAction.UPDATE,
        entity="SpotCheckItem",
        entity_id=item.pk,
        summary=f"档案抽查 {item.spot_check.unit.name}：{item.person.name} {verdict}"
        + (f"（{note}）" if note else ""),
        before=before,
        after={"verdict": str(verdict), "note": note},
        unit=item.spot_check.unit,
    )
    if verdict == Verdict.DIFFERS and before["verdict"] != Verdict.DIFFERS:
        for handler in MISMATCH_HANDLERS.values():
            handler(item=item, user=user)
    return item


def spot_check_people(check: SpotCheck) -> list[tuple[SpotCheckItem, Person]]:
    items = list(check.items.select_related("person").order_by("position"))
    return [(item, item.person) for item in items]
