"""Writes of the archive: filing uploads, proofs and generated documents, and editing the
catalogue. Pages, commands, the demo and the other apps' generators all come here; each write
is one transaction with its audit row.

A file is written to the data directory before its row commits; a transaction that fails after
that leaves an unreferenced file behind, never a row without its file.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from liangji.archive.models import (
    CatalogueEntry,
    Document,
    DocumentVersion,
    EntryLevel,
    EntrySource,
    ProofKind,
    UnitLevel,
)
from liangji.archive.uploads import filename_safe, sha256_of, text_extract, upload_refusal
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS
from liangji.registers.models import PersonRecord, SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor


logger = logging.getLogger("liangji.archive")


class ArchiveError(Exception):
    """A write the archive refuses; the message is Chinese and says what to do."""


def unit_level_of(unit: Unit) -> str | None:
    """The catalogue level a unit keeps (town, village or school); None for a county."""
    if unit.kind in TOWN_KINDS:
        return UnitLevel.TOWN
    if unit.kind in VILLAGE_KINDS:
        return UnitLevel.VILLAGE
    if unit.kind in SCHOOL_KINDS:
        return UnitLevel.SCHOOL
    return None


def _user_or_none(user: ArchiveActor) -> Any:
    return user if getattr(user, "pk", None) else None


def _search_text(document: Document, text: str) -> str:
    year = f"{document.school_year.year}学年" if document.school_year else ""
    entry = document.entry
    return "\n".join(
        part
        for part in (document.title, f"{entry.code} {entry.title}", document.unit.name, year, text)
        if part
    )


def _version_add(
    document: Document,
    *,
    filename: str,
    content: bytes,
    figures: dict[str, Any] | None,
    note: str,
    user: ArchiveActor,
) -> DocumentVersion:
    safe = filename_safe(filename)
    last = document.versions.aggregate(m=Max("number"))["m"] or 0
    text = text_extract(safe, content)
    version = DocumentVersion(
        document=document,
        number=last + 1,
        original_name=safe,
        size=len(content),
        sha256=sha256_of(content),
        text=text,
        figures=figures,
        note=note[:300],
        filed_by=_user_or_none(user),
    )
    version.file.save(safe, ContentFile(content), save=False)
    version.save()
    document.current = version
    document.search_text = _search_text(document, text)
    document.save(update_fields=["current", "search_text"])
    return version


def _entry_check(entry: CatalogueEntry, unit: Unit, school_year: SchoolYear | None) -> None:
    if entry.level != EntryLevel.FILE:
        raise ArchiveError(f"“{entry}”是目录分类，请选择其下的文件条目。")
    if entry.retired:
        raise ArchiveError(f"目录条目“{entry}”已停用，不能再归档新文件。")
    if unit_level_of(unit) not in entry.unit_levels:
        raise ArchiveError(f"{unit.name} 不需要归档“{entry}”。")
    if entry.per_year and school_year is None:
        raise ArchiveError(f"“{entry}”按学年归档，请选择学年。")


def _document_audit(
    document: Document, version: DocumentVersion, user: ArchiveActor, what: str
) -> None:
    audit_record(
        user=user,
        action=AuditAction.CREATE if version.number == 1 else AuditAction.UPDATE,
        entity="ArchiveDocument",
        entity_id=document.pk,
        summary=f"{what}：{document.entry.code} {document.title}（第{version.number}版）",
        after={
            "entry": document.entry.code,
            "school_year": document.school_year.year if document.school_year else None,
            "file": version.original_name,
            "sha256": version.sha256,
            "size": version.size,
        },
        unit=document.unit,
    )


def _refuse_bad_upload(filename: str, content: bytes) -> None:
    refusal = upload_refusal(filename_safe(filename), len(content))
    if refusal is not None:
        raise ArchiveError(refusal)


@transaction.atomic
def archive_file_upload(
    *,
    user: ArchiveActor,
    entry: CatalogueEntry,
    unit: Unit,
    school_year: SchoolYear | None,
    title: str,
    filename: str,
    content: bytes,
) -> Document:
    """File an upload (a scan, a photo, Word, Excel, PDF) as a new document of the entry."""
    _refuse_bad_upload(filename, content)
    school_year = school_year if entry.per_year else None
    _entry_check(entry, unit, school_year)
    document = Document(
        entry=entry,
        unit=unit,
        school_year=school_year,
        title=(title.strip() or entry.title)[:200],
        source=EntrySource.UPLOADED,
        created_by=_user_or_none(user),
    )
    document.full_clean(exclude=["current"])
    document.save()
    version = _version_add(
        document, filename=filename, content=content, figures=None, note="", user=user
    )
    _document_audit(document, version, user, "上传档案")
    return document


@transaction.atomic
def archive_file_replace(
    *, user: ArchiveActor, document: Document, filename: str, content: bytes, note: str = ""
) -> DocumentVersion:
    """A new version of a document; the old one stays, listed under the document."""
    _refuse_bad_upload(filename, content)
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("entry", "unit", "school_year")
        .get(pk=document.pk)
    )
    version = _version_add(
        document, filename=filename, content=content, figures=None, note=note, user=user
    )
    _document_audit(document, version, user, "替换档案")
    return version


def _same_as_current(document: Document, content: bytes, figures: dict[str, Any]) -> bool:
    """Generating a document again with nothing changed adds no version (a PDF's creation
    time differs on every rendering, so equal figures and text count as equal too)."""
    current = document.current
    if current is None or current.figures != figures:
        return False
    if current.sha256 == sha256_of(content):
        return True
    text = text_extract(current.original_name, content)
    return bool(text) and current.text == text


@transaction.atomic
def archive_file_generated(
    *,
    user: ArchiveActor,
    unit: Unit,
    school_year: SchoolYear | None,
    entry_code: str,
    title: str,
    filename: str,
    content: bytes,
    figures: dict[str, Any],
    key: str = "",
    generator: str = "",
) -> Document | None:
    """File a document liangji generated, with the figures it shows (a JSON snapshot).

    Called by the generating apps the moment they generate. Filing again under the same key
    (default: the title) adds a version. An unknown entry code is logged and skipped: the
    archive must never stop a notice from being issued.
    """
    entry = CatalogueEntry.objects.filter(code=entry_code).first()
    if entry is None:
        logger.warning("archive: no catalogue entry %s for generated %s", entry_code, title)
        return None
    school_year = school_year if entry.per_year else None
    key = (key or title)[:100]
    document, created = Document.objects.select_for_update(of=("self",)).get_or_create(
        entry=entry,
        unit=unit,
        school_year=school_year,
        key=key,
        defaults={
            "title": title[:200],
            "source": EntrySource.GENERATED,
            "generator": generator,
            "created_by": _user_or_none(user),
        },
    )
    if not created and _same_as_current(document, content, figures):
        return document
    if document.title != title[:200]:
        document.title = title[:200]
        document.save(update_fields=["title"])
    version = _version_add(
        document, filename=filename, content=content, figures=figures, note="", user=user
    )
    _document_audit(document, version, user, "生成归档")
    return document


@transaction.atomic
def proof_attach(
    *,
    user: ArchiveActor,
    record: PersonRecord,
    kind: ProofKind | str,
    filename: str,
    content: bytes,
) -> Document:
    """Attach a proof to a person's record of a school year (a second file of the same kind
    is a new version of the same proof)."""
    _refuse_bad_upload(filename, content)
    entry = CatalogueEntry.objects.filter(proof_kind=kind, retired_at__isnull=True).first()
    if entry is None:
        raise ArchiveError(f"档案目录中没有“{kind}”条目（可能已停用），请联系镇两基办。")
    person = record.person
    document, _ = Document.objects.select_for_update(of=("self",)).get_or_create(
        record=record,
        proof_kind=kind,
        defaults={
            "entry": entry,
            "unit": record.village,
            "school_year": record.school_year,
            "title": f"{person.name} {kind}"[:200],
            "source": EntrySource.UPLOADED,
            "created_by": _user_or_none(user),
        },
    )
    version = _version_add(
        document, filename=filename, content=content, figures=None, note="", user=user
    )
    _document_audit(document, version, user, f"上传证明（{person.name}）")
    return document


# Catalogue editing (town office).


def _entry_audit(
    entry: CatalogueEntry, user: ArchiveActor, action: str, summary: str, before: Any = None
) -> None:
    audit_record(
        user=user,
        action=action,
        entity="CatalogueEntry",
        entity_id=entry.pk,
        summary=f"档案目录：{summary}",
        before=before,
        after={
            "code": entry.code,
            "title": entry.title,
            "position": entry.position,
            "required": entry.required,
            "per_year": entry.per_year,
            "unit_levels": entry.unit_levels,
            "retired": entry.retired,
        },
    )


def _entry_state(entry: CatalogueEntry) -> dict[str, Any]:
    return {
        "code": entry.code,
        "title": entry.title,
        "position": entry.position,
        "required": entry.required,
        "per_year": entry.per_year,
        "unit_levels": list(entry.unit_levels),
        "retired": entry.retired,
    }


_CHILD_LEVEL = {EntryLevel.CLASS: EntryLevel.ITEM, EntryLevel.ITEM: EntryLevel.FILE}


@transaction.atomic
def entry_add(
    *,
    user: ArchiveActor,
    parent: CatalogueEntry | None,
    code: str,
    title: str,
    unit_levels: list[str],
    required: bool = False,
    per_year: bool = True,
    source: EntrySource | str = EntrySource.UPLOADED,
    level: EntryLevel | str | None = None,
) -> CatalogueEntry:
    """Add a class (no parent), an item or a file entry at the end of its siblings."""
    code, title = code.strip(), title.strip()
    if not code or not title:
        raise ArchiveError("请填写目录条目的编号和名称。")
    if CatalogueEntry.objects.filter(code=code).exists():
        raise ArchiveError(f"编号 {code} 已被使用，请换一个编号。")
    if parent is not None and parent.level == EntryLevel.FILE:
        raise ArchiveError(f"“{parent}”是文件条目，不能再分下级。")
    if not unit_levels or not set(unit_levels) <= set(UnitLevel.values):
        raise ArchiveError("请选择需要归档该条目的单位（镇、村或学校）。")
    level = level or (EntryLevel.CLASS if parent is None else EntryLevel.FILE)
    if parent is not None and level == EntryLevel.CLASS:
        level = _CHILD_LEVEL[EntryLevel(parent.level)]
    siblings = CatalogueEntry.objects.filter(parent=parent)
    last = siblings.aggregate(m=Max("position"))["m"]
    if last is None and parent is not None:
        last = parent.position
    entry = CatalogueEntry(
        parent=parent,
        level=level,
        code=code,
        title=title,
        position=(last or 0) + 1,
        unit_levels=sorted(set(unit_levels)),
        required=required,
        per_year=per_year,
        source=source,
    )
    entry.full_clean()
    entry.save()
    _entry_audit(entry, user, AuditAction.CREATE, f"新增 {entry}")
    return entry


@transaction.atomic
def entry_update(
    *,
    user: ArchiveActor,
    entry: CatalogueEntry,
    title: str,
    required: bool,
    per_year: bool,
    unit_levels: list[str],
) -> CatalogueEntry:
    """Rename an entry or change what it asks of whom; its documents stay where they are."""
    if not title.strip():
        raise ArchiveError("请填写目录条目的名称。")
    if not unit_levels or not set(unit_levels) <= set(UnitLevel.values):
        raise ArchiveError("请选择需要归档该条目的单位（镇、村或学校）。")
    before = _entry_state(entry)
    entry.title = title.strip()
    entry.required = required
    entry.per_year = per_year
    entry.unit_levels = sorted(set(unit_levels))
    entry.full_clean()
    entry.save()
    _entry_audit(entry, user, AuditAction.UPDATE, f"修改 {entry}", before)
    return entry


@transaction.atomic
def entry_move(*, user: ArchiveActor, entry: CatalogueEntry, up: bool) -> CatalogueEntry:
    """Swap an entry with its previous (or next) sibling; a class carries its subtree along
    because the tree is shown by parent, then position."""
    siblings = list(
        CatalogueEntry.objects.filter(parent_id=entry.parent_id).order_by("position", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == entry.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return entry
    other = siblings[other_index]
    before = _entry_state(entry)
    # Renumber the siblings so that equal positions (entries added by hand) cannot tie.
    siblings[index], siblings[other_index] = other, siblings[index]
    base = siblings[0].position if siblings[0].position else 1
    for offset, sibling in enumerate(siblings):
        CatalogueEntry.objects.filter(pk=sibling.pk).update(position=base + offset)
    entry.refresh_from_db()
    _entry_audit(entry, user, AuditAction.UPDATE, f"调整顺序 {entry}", before)
    return entry


@transaction.atomic
def entry_retire(
    *, user: ArchiveActor, entry: CatalogueEntry, retire: bool = True
) -> CatalogueEntry:
    """Retire (or bring back) an entry and everything under it. Documents are kept, still
    searchable and exported; the entry only stops being asked for."""
    before = _entry_state(entry)
    subtree = [entry.pk]
    frontier = [entry.pk]
    while frontier:
        frontier = list(
            CatalogueEntry.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        subtree.extend(frontier)
    CatalogueEntry.objects.filter(pk__in=subtree).update(
        retired_at=timezone.now() if retire else None
    )
    entry.refresh_from_db()
    _entry_audit(entry, user, AuditAction.UPDATE, f"{'停用' if retire else '恢复'} {entry}", before)
    return entry


# Generation (the registry's generators, run for a unit and year).


def _generator_run(
    generator: Any, *, user: ArchiveActor, unit: Unit, school_year: SchoolYear
) -> list[Document]:
    filed = []
    for generated in generator.generate(user=user, unit=unit, school_year=school_year):
        document = archive_file_generated(
            user=user,
            unit=unit,
            school_year=school_year,
            entry_code=generator.entry_code,
            title=generated.title,
            filename=generated.filename,
            content=generated.content,
            figures=generated.figures,
            key=generated.key,
            generator=generator.code,
        )
        if document is not None:
            filed.append(document)
    return filed


def document_regenerate(*, user: ArchiveActor, document: Document) -> Document:
    """Generate a document again from the registers as they are now (a new version)."""
    from liangji.archive.registry import generator_get

    generator = generator_get(document.generator)
    if generator is None or document.school_year is None:
        raise ArchiveError(f"“{document.title}”不是系统生成的文件，无法重新生成；请上传新版本。")
    with transaction.atomic():
        _generator_run(generator, user=user, unit=document.unit, school_year=document.school_year)
    document.refresh_from_db()
    return document


def archive_generate(
    *,
    user: ArchiveActor,
    units: list[Unit],
    school_year: SchoolYear,
    progress: Any = None,
) -> int:
    """Every registered generator for every unit whose level keeps its entry; returns the
    number of documents filed or confirmed. `progress(done, total)` is told after each step.
    Each generator and unit is its own transaction: a long run keeps what it has done."""
    from liangji.archive.registry import GENERATORS

    entries = {e.code: e for e in CatalogueEntry.objects.filter(retired_at__isnull=True)}
    steps = [
        (generator, unit)
        for generator in GENERATORS.values()
        if generator.entry_code in entries
        for unit in units
        if unit_level_of(unit) in entries[generator.entry_code].unit_levels
        and generator.covers(unit_level_of(unit))
    ]
    count = 0
    for done, (generator, unit) in enumerate(steps, start=1):
        with transaction.atomic():
            count += len(_generator_run(generator, user=user, unit=unit, school_year=school_year))
        if progress is not None:
            progress(done, len(steps))
    return count
