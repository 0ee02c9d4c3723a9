"""Every statistical table and roster of the county for one school year, as Excel.

Stage: for each town of the county workbook, every statistical table (the town's and each
village's or school's sheet) and every roster (one sheet per village or school) rendered to
.xlsx, as `liangji report NAME` would write them. Floor, measured in the same process: one
grouped SQL pass over the person records (as the indicators bench). Goal: under a minute on
SQLite for 500,000 people.

The county database is the indicators bench's (imported once into bench/out/).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import BENCH_YEAR, OUT, Report, child_stage, county_workbook


def tables_and_rosters_prepare(data_dir: str) -> None:
    from bench.indicators_bench import _django

    _django(data_dir)


def tables_and_rosters(data_dir: str) -> dict[str, Any]:
    import datetime

    from django.db import connection

    from liangji.registers.choices import TOWN_KINDS
    from liangji.registers.models import PersonRecord, SchoolYear, Unit
    from liangji.reports.catalogue import ReportKind, report_request, reports_all

    # "tables" is the set of the same tables in one workbook: counted once, through its parts.
    specs = [
        s
        for s in reports_all()
        if s.kind in (ReportKind.TABLE, ReportKind.ROSTER) and s.name != "tables"
    ]
    towns = list(Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name"))
    year_id = SchoolYear.objects.get(year=BENCH_YEAR).pk
    table = connection.ops.quote_name(PersonRecord._meta.db_table)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT village_id, COUNT（CASE WHEN population_type = '户籍' THEN 1 END）"
            f" FROM {table} WHERE school_year_id = %s GROUP BY village_id",
            [year_id],
        )
        cursor.fetchall()
    floor = time.perf_counter() - start
    files, size, by_spec = 0, 0, {s.name: 0.0 for s in specs}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reports-", dir=OUT) as scratch:
        for town in towns:
            request = report_request(
                school_year=BENCH_YEAR, town=town, unit=town, today=datetime.date(2025, 3, 1)
            )
            for spec in specs:
                began = time.perf_counter()
                content = spec.render(request, "xlsx")
                (Path(scratch) / f"{spec.name}-{town.pk}.xlsx").write_bytes(content)
                by_spec[spec.name] += time.perf_counter() - began
                files, size = files + 1, size + len(content)
    return {
        "seconds": time.perf_counter() - start,
        "floor": floor,
        "files": files,
        "megabytes": round(size / 1e6, 1),
        "towns": len(towns),
        "records": PersonRecord.objects.filter(school_year_id=year_id).count(),
        "slowest": sorted(((round(t, 1), n) for n, t in by_spec.items()), reverse=True)[:3],
    }


def run(report: Report) -> None:
    workbook = county_workbook()
    data_dir = OUT / f"indicators-db-{workbook.stem}"
    marker = data_dir / "imported"
    if not marker.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "liangji.sqlite3").unlink(missing_ok=True)
        print(f"  importing {workbook.name} into {data_dir} (once) …", flush=True)
        child_stage("bench.indicators_bench:import_once", str(data_dir), str(workbook))
        marker.write_text("ok", encoding="utf-8")
    result = child_stage("bench.reports_bench:tables_and_rosters", str(data_dir))
    value = result.value
    report.add(
        "reports",
        "all tables and rosters, SQLite",
        value["seconds"],
        floor=value["floor"],
        peak_mb=result.peak_mb,
        note=(
            f"{value['records']:,} people, {value['towns']} towns, {value['files']} workbooks"
            f" ({value['megabytes']} MB); slowest {value['slowest']};"
            " floor = one grouped pass over person records"
        ),
    )
