"""The literacy ledger and unit standard of every town of the county (issue 13: under 1 s on
SQLite at 500,000 people).

Stage: `literacy_report` for each town of the county workbook — the 扫盲对象 ledger with each
line's status, and the unit standard (non-illiterates, relapse rate) of the town and every
village — median of 5 runs. Floor, in the same process: one aggregate SQL pass over the
person-record table grouped by village (as the indicators bench). The county database is the
indicators bench's (imported once under bench/out/).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.common import BENCH_YEAR, OUT, Report, child_stage, county_workbook

RUNS = 5


def compute_prepare(data_dir: str) -> None:
    from bench.indicators_bench import compute_prepare as django_ready

    django_ready(data_dir)


def _median(fn: Any) -> tuple[float, float]:
    """Median wall and CPU seconds. The CPU time (SQLite runs in this process) is the figure to
    compare across runs on a machine shared with other work, whose load stretches wall time."""
    wall, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def compute(data_dir: str) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from liangji.literacy.report import literacy_report
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
            literacy_report(school_year=BENCH_YEAR, town=town).units[0].ledger["total"]
            for town in towns
        )

    with CaptureQueriesContext(connection) as queries:
        learners = everything()
    seconds, cpu = _median(everything)
    floor_seconds, floor_cpu = _median(floor)
    return {
        "seconds": seconds,
        "floor": floor_seconds,
        "cpu": cpu,
        "floor_cpu": floor_cpu,
        "queries": len(queries),
        "towns": len(towns),
        "learners": learners,
        "records": PersonRecord.objects.filter(school_year_id=year_id).count(),
    }


def run(report: Report) -> None:
    workbook = county_workbook()
    data_dir = OUT / f"indicators-db-{workbook.stem}"
    if not (data_dir / "imported").exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "liangji.sqlite3").unlink(missing_ok=True)
        print(f"  importing {workbook.name} into {data_dir} (once) …", flush=True)
        child_stage("bench.indicators_bench:import_once", str(data_dir), str(workbook))
        (data_dir / "imported").write_text("ok", encoding="utf-8")
    value = child_stage("bench.literacy_bench:compute", str(data_dir)).value
    report.add(
        "literacy",
        "ledger + standard, SQLite",
        value["seconds"],
        floor=value["floor"],
        note=(
            f"{value['records']:,} people, {value['towns']} towns, {value['learners']} 扫盲对象，"
            f" {value['queries']} queries; CPU {value['cpu']:.2f} s, floor CPU"
            f" {value['floor_cpu']:.2f} s; floor = one grouped pass over person records"
        ),
    )
