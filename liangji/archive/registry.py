"""The registry of generated documents: how the archive learns what the other apps generate.

The archive sits below the apps that generate documents (dropout, inspection, literacy,
reports), so it never imports them. Each of them registers its generators in its own
AppConfig.ready():

    from liangji.archive.registry import GeneratedFile, register_generator

    def notices_generate(*, user, unit, school_year) -> list[GeneratedFile]:
        return [GeneratedFile(key=n.number, title=..., filename="x.pdf", content=pdf,
                              figures={"返校期限": {n.case.child_name: "2026-10-01"}})
                for n in notices_of(unit, school_year)]

    register_generator("dropout.return_notices", "B3-1", "劝返回校通知书", notices_generate)

and files a document the moment it generates one with `archive.services.archive_file_generated`.

- `generate(*, user, unit, school_year)` returns the files of that entry for a unit and year
  (an empty list when the unit has none); `archive generate` and the 生成 button call it.
- `figures(*, unit, school_year)` (optional) returns {key: figures} as they are now, without
  rendering a document; the consistency check uses it, else it calls `generate`.
- `unit_levels` (optional) narrows the unit levels ("town", "village", "school") the generator
  can make the entry for; by default every level the catalogue entry names. Completeness asks
  for an upload where no generator covers the unit's level.
- The generators act for the unit they are given: the caller (`archive_generate`, the
  regenerate button) has checked it is in the user's scope, and `user` may be the command line.

Figures are a JSON object {indicator: value} or {indicator: {unit: value}}: the consistency
check reports each differing leaf as (indicator, unit, filed value, current value).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GeneratedFile:
    title: str
    filename: str
    content: bytes
    figures: dict[str, Any] = field(default_factory=dict)
    # Identity within the entry, unit and year (a notice number); defaults to the title.
    key: str = ""


GenerateFunction = Callable[..., list[GeneratedFile]]
FiguresFunction = Callable[..., dict[str, dict[str, Any]]]


@dataclass(frozen=True)
class Generator:
    code: str
    entry_code: str
    title: str
    generate: GenerateFunction
    figures: FiguresFunction | None = None
    unit_levels: frozenset[str] | None = None

    def covers(self, level: str | None) -> bool:
        return self.unit_levels is None or level in self.unit_levels


GENERATORS: dict[str, Generator] = {}


def register_generator(
    code: str,
    entry_code: str,
    title: str,
    generate: GenerateFunction,
    *,
    figures: FiguresFunction | None = None,
    unit_levels: Collection[str] | None = None,
) -> Generator:
    """Declare a generator (idempotent by code: a re-imported module replaces its own)."""
    levels = frozenset(unit_levels) if unit_levels is not None else None
    generator = Generator(code, entry_code, title, generate, figures, levels)
    GENERATORS[code] = generator
    return generator


def generators_for_entry(entry_code: str, level: str | None = None) -> list[Generator]:
    """The generators of an entry (for one unit level when given)."""
    return [
        g
        for g in GENERATORS.values()
        if g.entry_code == entry_code and (level is None or g.covers(level))
    ]


def generator_get(code: str) -> Generator | None:
    return GENERATORS.get(code)
