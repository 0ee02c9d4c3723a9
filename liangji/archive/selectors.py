"""Reads of the archive. Every selector takes the acting user and applies `accounts.scope`:
a village sees its own files, a town its villages' and schools', the county inspector all.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from liangji.accounts.scope import scope_filter, scope_for, units_visible
from liangji.archive.models import (
    CatalogueEntry,
    Document,
    DocumentVersion,
    EntryLevel,
    EntrySource,
    ProofKind,
)
from liangji.archive.proofs import PROOF_RULES, proofs_needed, school_age_q
from liangji.archive.registry import generators_for_entry
from liangji.archive.services import unit_level_of
from liangji.registers.choices import VILLAGE_KINDS
from liangji.registers.models import PersonRecord, SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


def _access(qs: QuerySet[Any], pk: object, what: str) -> Any:
    # One answer for "does not exist" and "not yours", so that ids cannot be probed.
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(f"没有找到该{what}，或您无权查看。") from None


class CommandLine:
    """The acting user of `liangji archive` on the office PC: it sees every unit (as the other
    commands do) and is audited as 命令行. Pages never pass it: they pass request.user."""

    pk = None
    is_authenticated = False


COMMAND_LINE = CommandLine()
# Who acts on the archive: a page's request.user, or the office PC's command line.
ArchiveActor: TypeAlias = "Actor | CommandLine | None"


def visible_unit_ids(user: ArchiveActor) -> frozenset[int]:
    if isinstance(user, CommandLine):
        return frozenset(Unit.objects.values_list("pk", flat=True))
    return scope_for(user).unit_ids


def documents_visible(user: ArchiveActor) -> QuerySet[Document]:
    qs = Document.objects.select_related("entry", "unit", "school_year", "current")
    if isinstance(user, CommandLine):
        return qs
    return scope_filter(qs, user, field="unit_id")


def access_document(user: ArchiveActor, pk: object) -> Document:
    return _access(documents_visible(user), pk, "档案文件")


def access_version(user: ArchiveActor, pk: object) -> DocumentVersion:
    qs = DocumentVersion.objects.filter(
        document__in=documents_visible(user).values("pk")
    ).select_related("document__unit", "document__entry")
    return _access(qs, pk, "档案文件")


def catalogue_tree(*, include_retired: bool = False) -> list[tuple[CatalogueEntry, int]]:
    """Every entry with its depth, parents before children, siblings by position."""
    entries = list(CatalogueEntry.objects.order_by("position", "id"))
    if not include_retired:
        entries = [e for e in entries if not e.retired]
    children: dict[int | None, list[CatalogueEntry]] = {}
    for entry in entries:
        children.setdefault(entry.parent_id, []).append(entry)
    ordered: list[tuple[CatalogueEntry, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for entry in children.get(parent_id, []):
            ordered.append((entry, depth))
            walk(entry.pk, depth + 1)

    walk(None, 0)
    return ordered


def unit_subtree(user: ArchiveActor, unit: Unit) -> list[Unit]:
    """The unit and every unit below it that the user may see, the unit first."""
    visible = visible_unit_ids(user)
    units, frontier = [unit], [unit.pk]
    while frontier:
        found = list(Unit.objects.filter(parent_id__in=frontier, pk__in=sorted(visible)))
        units.extend(sorted(found, key=lambda u: (u.kind, u.name)))
        frontier = [u.pk for u in found]
    return [u for u in units if u.pk in visible]


def unit_documents(
    *, user: ArchiveActor, unit: Unit, school_year: SchoolYear | None
) -> dict[int, list[Document]]:
    """A unit's own documents of the year (and those not kept per year), by entry id."""
    qs = (
        documents_visible(user)
        .filter(unit=unit)
        .filter(Q(school_year=school_year) | Q(school_year__isnull=True))
    )
    by_entry: dict[int, list[Document]] = {}
    for document in qs.filter(record__isnull=True).order_by("entry__position", "id"):
        by_entry.setdefault(document.entry_id, []).append(document)
    return by_entry


@dataclass(frozen=True)
class MissingLine:
    kind: str  # "entry" | "proof"
    what: str
    unit: Unit
    who: str
    note: str
    entry_id: int | None = None
    person_id: int | None = None
    record_id: int | None = None
    claimed: bool = False


@dataclass
class Completeness:
    """一要就有: what a unit (with the units under it) must hold for a school year."""

    unit: Unit
    school_year: SchoolYear
    entries_required: int = 0
    entries_present: int = 0
    proofs_required: int = 0
    proofs_present: int = 0
    missing: list[MissingLine] = field(default_factory=list)

    @property
    def required(self) -> int:
        return self.entries_required + self.proofs_required

    @property
    def present(self) -> int:
        return self.entries_present + self.proofs_present

    @property
    def percent(self) -> decimal.Decimal | None:
        if not self.required:
            return None
        share = decimal.Decimal(self.present * 100) / decimal.Decimal(self.required)
        return share.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)

    @property
    def claimed_without_file(self) -> int:
        return sum(1 for line in self.missing if line.claimed)


def _who(unit: Unit) -> str:
    level = unit_level_of(unit)
    role = {"town": "两基办", "village": "村委会", "school": "学校"}.get(level or "", "")
    if unit.kind == "社区":
        role = "居委会"
    return f"{unit.name}（{role}）" if role else unit.name


def _required_entries() -> list[CatalogueEntry]:
    return list(
        CatalogueEntry.objects.filter(
            level=EntryLevel.FILE, required=True, retired_at__isnull=True
        ).order_by("position", "id")
    )


def _missing_note(entry: CatalogueEntry, level: str | None) -> str:
    """What to do about a missing entry: generate it where liangji can, else upload it (with
    the catalogue's explanation of why liangji cannot make it, when it gives one)."""
    if entry.source == EntrySource.GENERATED and generators_for_entry(entry.code, level):
        return "系统生成：请点“生成档案”"
    if entry.source == EntrySource.GENERATED:
        return "待上传：系统中没有生成这份材料所需的数据，请整理后上传"
    return f"待上传：{entry.description}" if entry.description else "请上传"


def _entries_check(result: Completeness, units: list[Unit], school_year: SchoolYear) -> None:
    entries = _required_entries()
    held = set(
        Document.objects.filter(
            unit__in=units, entry__in=entries, current__isnull=False, record__isnull=True
        )
        .filter(Q(school_year=school_year) | Q(school_year__isnull=True))
        .values_list("entry_id", "unit_id", "school_year_id")
    )
    for unit in units:
        level = unit_level_of(unit)
        for entry in entries:
            if level not in entry.unit_levels:
                continue
            result.entries_required += 1
            year_id = school_year.pk if entry.per_year else None
            if (entry.pk, unit.pk, year_id) in held:
                result.entries_present += 1
                continue
            note = _missing_note(entry, level)
            result.missing.append(
                MissingLine("entry", str(entry), unit, _who(unit), note, entry_id=entry.pk)
            )


def _proofs_check(result: Completeness, units: list[Unit], school_year: SchoolYear) -> None:
    villages = {u.pk: u for u in units if u.kind in VILLAGE_KINDS}
    if not villages:
        return
    records = PersonRecord.objects.filter(
        school_year=school_year, village_id__in=sorted(villages)
    ).filter(school_age_q(school_year))
    for rule in PROOF_RULES:
        on_file = Document.objects.filter(
            record=OuterRef("pk"), proof_kind=rule.kind, current__isnull=False
        )
        rows = (
            records.filter(rule.needs)
            .annotate(on_file=Exists(on_file))
            .values("pk", "person_id", "person__name", "village_id", "elsewhere_proof", "on_file")
            .order_by("village_id", "person__name", "pk")
        )
        for row in rows:
            result.proofs_required += 1
            if row["on_file"]:
                result.proofs_present += 1
                continue
            claimed = rule.kind == ProofKind.ELSEWHERE and row["elsewhere_proof"] is True
            village = villages[row["village_id"]]
            note = (
                f"{rule.why}，登记为“证明：有”，档案中却没有文件"
                if claimed
                else f"{rule.why}，档案中没有{rule.kind}"
            )
            result.missing.append(
                MissingLine(
                    "proof",
                    f"{row['person__name']}：{rule.kind}",
                    village,
                    _who(village),
                    note,
                    person_id=row["person_id"],
                    record_id=row["pk"],
                    claimed=claimed,
                )
            )


def completeness(*, user: ArchiveActor, unit: Unit, school_year: SchoolYear) -> Completeness:
    """Required entries present or missing, claimed proofs present or missing, for the unit
    and every unit under it the user may see; each missing line names who must supply it."""
    result = Completeness(unit=unit, school_year=school_year)
    units = unit_subtree(user, unit)
    if not units:
        return result
    _entries_check(result, units, school_year)
    _proofs_check(result, units, school_year)
    return result


@dataclass(frozen=True)
class PersonProof:
    kind: str
    needed: bool
    why: str
    claimed: bool
    document: Document | None


def person_proofs(*, user: ArchiveActor, record: PersonRecord) -> list[PersonProof]:
    """The proofs of a person's record of a year: those the register asks for, and any other
    filed. Empty for a record the user may not see."""
    if record.village_id not in visible_unit_ids(user):
        return []
    filed = {
        d.proof_kind: d
        for d in documents_visible(user).filter(record=record, current__isnull=False)
    }
    needed = {rule.kind: rule for rule in proofs_needed(record)}
    proofs = []
    for kind in ProofKind:
        if kind not in needed and kind not in filed:
            continue
        rule = needed.get(kind)
        proofs.append(
            PersonProof(
                kind=kind.value,
                needed=rule is not None,
                why=rule.why if rule else "",
                claimed=kind == ProofKind.ELSEWHERE and record.elsewhere_proof is True,
                document=filed.get(kind),
            )
        )
    return proofs


def archive_units(user: Actor) -> QuerySet[Unit]:
    """The units whose archive the user may open (towns, villages, schools in scope)."""
    return units_visible(user).exclude(kind="县").order_by("kind", "name")


def search(
    *,
    user: ArchiveActor,
    query: str,
    unit: Unit | None = None,
    school_year: SchoolYear | None = None,
    entry: CatalogueEntry | None = None,
    limit: int = 200,
) -> list[Document]:
    from liangji.archive.search import search_ids

    qs = documents_visible(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if school_year is not None:
        qs = qs.filter(Q(school_year=school_year) | Q(school_year__isnull=True))
    if entry is not None:
        qs = qs.filter(entry=entry)
    if query.strip():
        qs = qs.filter(pk__in=search_ids(query.strip()))
    return list(qs.order_by("-created_at", "-id")[:limit])
