"""一核就准: each generated document's stored figures against the registers as they are now.

A generator that registered a `figures` function answers without rendering a document; one that
did not is asked to generate. A document whose figures differ is stale, with one line per
differing figure (indicator, unit, filed value, current value); a document its generator no
longer produces (a deleted self-check) is stale too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from liangji.archive.models import Document, EntrySource
from liangji.archive.registry import Generator, generator_get
from liangji.archive.selectors import documents_visible, unit_subtree
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor


GONE = "（已不再生成）"


@dataclass(frozen=True)
class Difference:
    indicator: str
    unit: str
    filed: Any
    current: Any


@dataclass(frozen=True)
class StaleDocument:
    document: Document
    differences: list[Difference]


def _flatten(figures: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    if isinstance(figures, dict) and figures:
        flat: dict[tuple[str, ...], Any] = {}
        for key, value in figures.items():
            flat.update(_flatten(value, (*path, str(key))))
        return flat
    return {path: figures}


def figures_compare(filed: Any, current: Any, unit_name: str) -> list[Difference]:
    """Each leaf that differs, named (indicator, unit): {indicator: {unit: value}} or
    {indicator: value} (then the unit is the document's)."""
    before, now = _flatten(filed or {}), _flatten(current or {})
    differences = []
    for path in sorted(set(before) | set(now)):
        if before.get(path) == now.get(path):
            continue
        indicator = path[0] if path else ""
        unit = path[1] if len(path) > 1 else unit_name
        if len(path) > 2:
            indicator = "/".join((indicator, *path[2:]))
        differences.append(Difference(indicator, unit, before.get(path), now.get(path)))
    return differences


def current_figures(
    generator: Generator, *, unit: Unit, school_year: SchoolYear, user: ArchiveActor
) -> dict[str, Any]:
    """{key: figures} as the generator would file them now."""
    if generator.figures is not None:
        return generator.figures(unit=unit, school_year=school_year)
    files = generator.generate(user=user, unit=unit, school_year=school_year)
    return {(f.key or f.title)[:100]: f.figures for f in files}


def documents_stale(
    *, user: ArchiveActor, unit: Unit, school_year: SchoolYear
) -> list[StaleDocument]:
    """The generated documents of the unit (and the units under it) whose figures no longer
    match the registers."""
    units = unit_subtree(user, unit)
    documents = (
        documents_visible(user)
        .filter(unit__in=units, school_year=school_year, source=EntrySource.GENERATED)
        .exclude(generator="")
        .filter(current__isnull=False)
        .order_by("entry__position", "id")
    )
    groups: dict[tuple[str, int], list[Document]] = defaultdict(list)
    for document in documents:
        groups[(document.generator, document.unit_id)].append(document)
    stale = []
    for (code, _unit_id), group in groups.items():
        generator = generator_get(code)
        if generator is None:
            continue  # its app is not installed: nothing to compare with
        now = current_figures(generator, unit=group[0].unit, school_year=school_year, user=user)
        for document in group:
            assert document.current is not None
            if document.key not in now:
                differences = [Difference("文件", document.unit.name, "已归档", GONE)]
            else:
                differences = figures_compare(
                    document.current.figures, now[document.key], document.unit.name
                )
            if differences:
                stale.append(StaleDocument(document, differences))
    return stale
