"""Every statistical table and roster of the county for one school year, as Excel.

Stage: for each town of the county workbook, every statistical table (the town's and each
village's or school's sheet) and every roster (one sheet per village or school) rendered to
.xlsx, as `liangji report NAME` would write them. Floor, measured in the same process: one
grouped SQL pass over the person records (as the indicators bench). Goal: under a minute on
SQLite for 500,000 people.

Besides the wall time the stage reports its process CPU time (SQLite runs in the process, so on
an idle machine the two agree; on a shared one the CPU time is the figure that does not depend
on the neighbours), split into building the sheets (SQL and Python) and writing the workbooks,
the number of SQL statements, and the slowest reports. A second stage prints one village's
0—17 roster as PDF (roster PDFs are made per village or school: each signs and files its own).

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
    from liangji.reports.layout import sheets_xlsx

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
            f"SELECT village_id, COUNT(CASE WHEN population_type = '户籍' THEN 1 END)"
            f" FROM {table} WHERE school_year_id = %s GROUP BY village_id",
            [year_id],
        )
        cursor.fetchall()
    floor = time.perf_counter() - start
    files, size, by_spec = 0, 0, {s.name: 0.0 for s in specs}
    build = write = 0.0
    statements = 0

    def counted(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    start, cpu = time.perf_counter(), time.process_time()
    with (
        tempfile.TemporaryDirectory(prefix="reports-", dir=OUT) as scratch,
        connection.execute_wrapper(counted),
    ):
        for town in towns:
            # One request per town, as a set of papers is asked for: its reports share it.
            request = report_request(
                school_year=BENCH_YEAR, town=town, unit=town, today=datetime.date(2025, 3, 1)
            )
            for spec in specs:
                # What spec.render(request, "xlsx") does, timed in its two halves.
                began = time.process_time()
                assert spec.sheets is not None
                sheets = spec.sheets(request)
                built = time.process_time()
                target = Path(scratch) / f"{spec.name}-{town.pk}.xlsx"
                sheets_xlsx(sheets, target)
                written = time.process_time()
                build, write = build + built - began, write + written - built
                by_spec[spec.name] += written - began
                files, size = files + 1, size + target.stat().st_size
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "build": build,
        "write": write,
        "statements": statements,
        "floor": floor,
        "files": files,
        "megabytes": round(size / 1e6, 1),
        "towns": len(towns),
        "records": PersonRecord.objects.filter(school_year_id=year_id).count(),
        "slowest": sorted(((round(t, 1), n) for n, t in by_spec.items()), reverse=True)[:3],
    }


def village_roster_pdf_prepare(data_dir: str) -> None:
    from bench.indicators_bench import _django

    _django(data_dir)


def village_roster_pdf(data_dir: str) -> dict[str, Any]:
    import datetime

    from liangji.registers.choices import TOWN_KINDS, VILLAGE_KINDS
    from liangji.registers.models import Unit
    from liangji.reports.catalogue import report_get, report_request

    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    village = Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).order_by("name").first()
    assert town is not None and village is not None
    request = report_request(
        school_year=BENCH_YEAR, town=town, unit=village, today=datetime.date(2025, 3, 1)
    )
    spec = report_get("roster-children")
    cpu = time.process_time()
    assert spec.sheets is not None
    rows = sum(len(sheet.rows) for sheet in spec.sheets(request))
    content = spec.render(request, "pdf")
    return {"cpu": time.process_time() - cpu, "rows": rows, "kilobytes": len(content) // 1000}


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
            f" ({value['megabytes']} MB), {value['statements']} SQL statements;"
            f" slowest {value['slowest']} (CPU s);"
            " floor = one grouped pass over person records"
        ),
    )
    report.add(
        "reports",
        "the same, process CPU time",
        value["cpu"],
        floor=value["floor"],
        note=(
            f"building the sheets {value['build']:.1f} s (SQL and Python),"
            f" writing the workbooks {value['write']:.1f} s; the CPU time does not depend on"
            " what else the machine runs"
        ),
    )
    pdf = child_stage("bench.reports_bench:village_roster_pdf", str(data_dir)).value
    report.add(
        "reports",
        "one village's 0-17 roster as PDF, CPU",
        pdf["cpu"],
        note=f"{pdf['rows']} children, {pdf['kilobytes']} kB (WeasyPrint)",
    )
