"""What the indicator commands share: argument parsing of a school year and a unit, and rich
tables rendered to the command's own output (so tests and pipes see them too)."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table


def render(stdout: Any, *tables: Table) -> None:
    buffer = io.StringIO()
    is_tty = bool(getattr(stdout, "isatty", lambda: False)())
    console = Console(file=buffer, force_terminal=is_tty, width=180 if not is_tty else None)
    for table in tables:
        console.print(table)
    stdout.write(buffer.getvalue(), ending="")
