"""Every indicator for every unit of the county, against one aggregate pass over the people.

Stage: `indicators_compute` for each town of the county workbook (its villages, schools and
priority groups: all eleven indicators), median of 5 runs. Floor, measured in the same process
and run: one aggregate SQL pass over the person-record table (COUNT grouped by village with one
CASE), median of 5. Also reported: the number of SQL queries of one full computation.

The county workbook is imported once per database into a data directory kept under bench/out/
(SQLite) or into a scratch PostgreSQL database (LIANGJI_BENCH_POSTGRES_URL) dropped afterwards.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_YEAR, OUT, Report, child_stage, county_workbook

RUNS = 5


def _django(data_dir: str, database_url: str | None = None) -> None:
    os.environ["LIANGJI_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangji.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def import_once_prepare(data_dir: str, workbook: str, database_url: str = "") -> None:
    _django(data_dir, database_url or None)


def import_once(data_dir: str, workbook: str, database_url: str = "") -> str:
    from liangji.imports.services import workbook_import

    # The generated county carries a few deliberate registration errors (e.g. an ID number
    # typed twice); the office would import the valid rows, and so does the benchmark.
    result = workbook_import(path=Path(workbook), school_year=BENCH_YEAR, skip_invalid=True)
    if not result.ok:
        raise RuntimeError("\n".join(result.summary_lines()))
    if database_url:
        # PostgreSQL's autovacuum analyses a table soon after a bulk load; without statistics
        # the planner assumes one row per table and picks nested loops. Do now what the server
        # does within a minute, so that the figure is that of a database in service.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return f"{result.skipped_rows} rows skipped"


def compute_prepare(data_dir: str, database_url: str = "") -> None:
    _django(data_dir, database_url or None)


def _median(fn: Any) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compute(data_dir: str, database_url: str = "") -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liangji.indicators.selectors import indicators_compute
    from liangji.registers.choices import TOWN_KINDS
    from liangji.registers.models import PersonRecord, SchoolYear, Unit

    towns = list(Unit.objects.filter(kind__in=TOWN_KINDS))
    year_id = SchoolYear.objects.get(year=BENCH_YEAR).pk
    table = connection.ops.quote_name(PersonRecord._meta.db_table)
    floor_sql = (
        f"SELECT village_id, COUNT(CASE WHEN population_type = '户籍' THEN 1 END)"
        f" FROM {table} WHERE school_year_id = %s GROUP BY village_id"
    )

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, [year_id])
            cursor.fetchall()

    def everything() -> int:
        return sum(
            len(indicators_compute(school_year=BENCH_YEAR, town=town).units) for town in towns
        )

    with CaptureQueriesContext(connection) as queries:
        units = everything()
    return {
        "seconds": _median(everything),
        "floor": _median(floor),
        "queries": len(queries),
        "towns": len(towns),
        "units": units,
        "records": PersonRecord.objects.filter(school_year_id=year_id).count(),
    }


def _add(report: Report, database: str, value: dict[str, Any]) -> None:
    report.add(
        "indicators",
        f"all units, {database}",
        value["seconds"],
        floor=value["floor"],
        note=(
            f"{value['records']:,} people, {value['towns']} towns, {value['units']} units,"
            f" {value['queries']} queries; floor = one grouped pass over person records"
        ),
    )


def _sqlite(report: Report, workbook: Path) -> None:
    data_dir = OUT / f"indicators-db-{workbook.stem}"
    marker = data_dir / "imported"
    if not marker.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "liangji.sqlite3").unlink(missing_ok=True)
        print(f"  importing {workbook.name} into {data_dir} (once) …", flush=True)
        child_stage("bench.indicators_bench:import_once", str(data_dir), str(workbook))
        marker.write_text("ok", encoding="utf-8")
    value = child_stage("bench.indicators_bench:compute", str(data_dir)).value
    _add(report, "SQLite", value)


def _postgres(report: Report, workbook: Path, server: str) -> None:
    import psycopg

    name = f"liangji_bench_indicators_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.rsplit("/", 1)[0] + f"/{name}"
        data_dir = str(OUT / "indicators-pg-data")
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        child_stage("bench.indicators_bench:import_once", data_dir, str(workbook), url)
        value = child_stage("bench.indicators_bench:compute", data_dir, url).value
        _add(report, "PostgreSQL", value)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(report: Report) -> None:
    workbook = county_workbook()
    _sqlite(report, workbook)
    server = os.environ.get("LIANGJI_BENCH_POSTGRES_URL", "").strip()
    if server:
        _postgres(report, workbook, server)
