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

Figures are a JSON object {indicator: value} or {indicator: {unit: value}}: the consistency
check reports each differing leaf as (indicator, unit, filed value, current value).
"""

from __future__ import annotations

from collections.abc import Callable
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


GENERATORS: dict[str, Generator] = {}


def register_generator(
    code: str,
    entry_code: str,
    title: str,
    generate: GenerateFunction,
    *,
    figures: FiguresFunction | None = None,
) -> Generator:
    """Declare a generator (idempotent by code: a re-imported module replaces its own)."""
    generator = Generator(code, entry_code, title, generate, figures)
    GENERATORS[code] = generator
    return generator


def generators_for_entry(entry_code: str) -> list[Generator]:
    return [g for g in GENERATORS.values() if g.entry_code == entry_code]


def generator_get(code: str) -> Generator | None:
    return GENERATORS.get(code)
