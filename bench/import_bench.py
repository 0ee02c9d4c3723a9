"""The import of the county workbook (500,000 people, ~80,000 pupils) against its floor.

floor  = reading every cell of every sheet with python-calamine, nothing else;
import = `workbook_import` of the same file into a fresh, empty database (SQLite in a scratch
         data directory; and PostgreSQL when LIANGJI_BENCH_POSTGRES_URL is set), each run in
         its own process so that its peak memory is its own.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_YEAR,
    Report,
    child_median,
    county_workbook,
    county_workbook_summary,
    scratch_data_dir,
)


def read_every_sheet(path: str) -> int:
    """The floor: every cell of every sheet read, as the importer must at least do."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    cells = 0
    for name in workbook.sheet_names:
        for row in workbook.get_sheet_by_name(name).iter_rows():
            cells += len(row)
    return cells


def import_once_prepare(path: str) -> None:
    """Django's setup and the migrations of the empty database: not part of the stage."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangji.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def import_once(path: str) -> dict[str, Any]:
    from liangji.imports.services import workbook_import

    result = workbook_import(path=Path(path), school_year=BENCH_YEAR)
    if not result.ok:
        raise SystemExit("\n".join(result.summary_lines()[:20]))
    return {key: counts.created for key, counts in result.counts.items()}


def run(report: Report) -> None:
    path = county_workbook()
    summary = county_workbook_summary()
    size = f"{summary['people']:,} 人，{summary['pupils']:,} 学籍"
    floor, _ = child_median("bench.import_bench:read_every_sheet", str(path))
    report.add(
        "import",
        "floor: calamine reads every sheet",
        floor.seconds,
        peak_mb=floor.peak_mb,
        note=size,
    )
    directories: list[str] = []

    def sqlite_env(index: int) -> dict[str, str]:
        directories.append(scratch_data_dir())
        return {"LIANGJI_DATA_DIR": directories[-1], "DATABASE_URL": ""}

    try:
        stage, all_runs = child_median(
            "bench.import_bench:import_once", str(path), env_for_run=sqlite_env
        )
    finally:
        for directory in directories:
            shutil.rmtree(directory, ignore_errors=True)
    report.add(
        "import",
        "workbook_import → empty SQLite",
        stage.seconds,
        floor=floor.seconds,
        peak_mb=max(r.peak_mb for r in all_runs),
        note=f"runs: {', '.join(f'{r.seconds:.1f}' for r in all_runs)} s",
    )
    server = os.environ.get("LIANGJI_BENCH_POSTGRES_URL", "").strip()
    if server:
        _run_postgres(report, path, server, floor.seconds)


def _run_postgres(report: Report, path: Path, server: str, floor: float) -> None:
    import psycopg

    base = server.rsplit("/", 1)[0]
    created: list[str] = []
    directories: list[str] = []

    def postgres_env(index: int) -> dict[str, str]:
        name = f"liangji_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        directories.append(scratch_data_dir())
        return {"LIANGJI_DATA_DIR": directories[-1], "DATABASE_URL": f"{base}/{name}"}

    try:
        stage, all_runs = child_median(
            "bench.import_bench:import_once", str(path), env_for_run=postgres_env
        )
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            for name in created:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        for directory in directories:
            shutil.rmtree(directory, ignore_errors=True)
    report.add(
        "import",
        "workbook_import → empty PostgreSQL",
        stage.seconds,
        floor=floor,
        peak_mb=max(r.peak_mb for r in all_runs),
        note=f"runs: {', '.join(f'{r.seconds:.1f}' for r in all_runs)} s",
    )
