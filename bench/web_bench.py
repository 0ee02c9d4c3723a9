"""Server time of the web pages on county-scale data, and their number of SQL queries.

Each page is requested through Django's full stack (middleware, session, scope, selectors,
templates) in a fresh process, as the town office of the first town and as the county inspector;
the time is the median of `LIANGJI_BENCH_RUNS` requests after one warm-up request. Floors:

- list pages: fetching the page's first 50 person records of the user's scope with their
  joins, in the page's order (one query), the least a list page must do;
- the dashboard: `indicators_compute` for the town, which the page shows.

The database is the county workbook imported by indicators_bench (shared, imported once).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.common import OUT, Report, child_stage, county_workbook, runs

PAGES = [
    ("dashboard", "/"),
    ("people list", "/people/"),
    ("people search (initials)", "/people/?q=zh"),
    ("people filtered (age 6-15)", "/people/?age_min=6&age_max=15"),
    ("households", "/households/"),
    ("rolls", "/rolls/"),
    ("work list (enrolment)", "/worklist/?code=primary_enrollment"),
    ("person page", "/people/{person}/"),
]


def pages_prepare(data_dir: str, database_url: str = "") -> None:
    os.environ["LIANGJI_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangji.settings")
    import django

    django.setup()


def _users() -> dict[str, Any]:
    """A town office of the first town and a county inspector (bench data, not audited)."""
    from liangji.accounts.models import Role, User
    from liangji.registers.choices import TOWN_KINDS, UnitKind
    from liangji.registers.models import Unit

    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    assert town is not None, "the bench database has no town"
    county = town.parent or Unit.objects.filter(kind=UnitKind.COUNTY).first()
    if county is None:
        county = Unit.objects.create(kind=UnitKind.COUNTY, name="基准县")
        Unit.objects.filter(kind__in=TOWN_KINDS, parent=None).update(parent=county)
    office, _ = User.objects.update_or_create(
        username="bench-office", defaults={"role": Role.TOWN_OFFICE, "unit": town}
    )
    inspector, _ = User.objects.update_or_create(
        username="bench-inspector", defaults={"role": Role.INSPECTOR, "unit": county}
    )
    return {"office": office, "inspector": inspector, "town": town}


def _floor_list(user: Any, year: Any) -> float:
    from liangji.accounts.scope import scope_for
    from liangji.registers.models import PersonRecord

    villages = sorted(scope_for(user).village_ids)

    def fetch() -> None:
        records = PersonRecord.objects.filter(school_year=year, village_id__in=villages)
        list(
            records.select_related("person", "village", "household").order_by(
                "village__name", "household__number", "person__birth_date", "pk"
            )[:50]
        )

    return _median(fetch)


def _median(fn: Any) -> float:
    fn()  # warm-up: caches of the database and of Python's imports
    times = []
    for _ in range(runs()):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pages(data_dir: str, database_url: str = "") -> list[dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from liangji.indicators.selectors import indicators_compute
    from liangji.registers.models import Enrollment, PersonRecord, SchoolYear

    cast = _users()
    year = SchoolYear.objects.order_by("-year").first()
    assert year is not None
    person = (
        Enrollment.objects.filter(
            school_year=year, person__isnull=False, school__parent=cast["town"]
        )
        .values_list("person_id", flat=True)
        .first()
    )
    dashboard_floor = _median(lambda: indicators_compute(school_year=year.year, town=cast["town"]))
    results = []
    for who in ("office", "inspector"):
        list_floor = _floor_list(cast[who], year)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(cast[who])
        for label, path in PAGES:
            url = path.format(person=person)

            def get(url: str = url, client: Client = client) -> None:
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")

            seconds = _median(get)
            with CaptureQueriesContext(connection) as queries:
                get()
            results.append(
                {
                    "who": who,
                    "page": label,
                    "seconds": seconds,
                    "floor": dashboard_floor if label == "dashboard" else list_floor,
                    "queries": len(queries),
                }
            )
    records = PersonRecord.objects.filter(school_year=year).count()
    pupils = Enrollment.objects.filter(school_year=year).count()
    for row in results:
        row["size"] = f"{records:,} people, {pupils:,} pupils"
    return results


def _data_dir(workbook: Path) -> Path:
    # The same database as indicators_bench: the county workbook, imported once.
    data_dir = OUT / f"indicators-db-{workbook.stem}"
    marker = data_dir / "imported"
    if not marker.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / "liangji.sqlite3").unlink(missing_ok=True)
        print(f"  importing {workbook.name} into {data_dir} (once) …", flush=True)
        child_stage("bench.indicators_bench:import_once", str(data_dir), str(workbook))
        marker.write_text("ok", encoding="utf-8")
    return data_dir


def run(report: Report) -> None:
    data_dir = _data_dir(county_workbook())
    env = {"LIANGJI_ALLOWED_HOSTS": "127.0.0.1"}
    rows = child_stage("bench.web_bench:pages", str(data_dir), env=env).value
    for row in rows:
        report.add(
            "web",
            f"{row['page']} ({row['who']})",
            row["seconds"],
            floor=row["floor"],
            note=f"{row['queries']} queries; {row['size']}; SQLite",
        )
