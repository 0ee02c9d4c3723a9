"""Helpers of the benchmark harness (`make bench`, i.e. `python -m bench`).

A benchmark module is `bench/<name>_bench.py` with `run(report: Report) -> None`. It measures
each stage against its floor (the least work the stage cannot avoid) and records both:

    def run(report: Report) -> None:
        path = county_workbook()
        floor = median_of(lambda: read_it(path))
        stage = child_stage("bench.my_bench:stage_once", str(path))   # time + peak memory
        report.add("my", "stage", stage.seconds, floor=floor, peak_mb=stage.peak_mb)

Sizes come from the environment so that a quick run is one variable away:
LIANGJI_BENCH_PEOPLE (people in the county, default 500,000), LIANGJI_BENCH_TOWNS (default 20),
LIANGJI_BENCH_RUNS (runs per median, default 3), LIANGJI_BENCH_POSTGRES_URL (also measure on
that PostgreSQL server; a scratch database is created and dropped per run).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
PROJECT = OUT.parent.parent
BENCH_YEAR = 2024
BENCH_SEED = 2024


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "").replace(",", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) == 0:
        raise SystemExit(f"{name}={os.environ[name]!r}: expected a positive whole number")
    return int(raw)


def county_people() -> int:
    return env_int("LIANGJI_BENCH_PEOPLE", 500_000)


def county_towns() -> int:
    return env_int("LIANGJI_BENCH_TOWNS", 20)


def runs() -> int:
    return env_int("LIANGJI_BENCH_RUNS", 3)


_configured_runs = runs  # `median_of` has a parameter of the same name


@dataclass
class Row:
    bench: str
    stage: str
    seconds: float | None
    floor: float | None = None
    ratio: float | None = None
    peak_mb: float | None = None
    note: str = ""


@dataclass
class Report:
    """The results of one `make bench`: a table on the console and bench/out/results.json."""

    rows: list[Row] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def add(
        self,
        bench: str,
        stage: str,
        seconds: float | None,
        *,
        floor: float | None = None,
        peak_mb: float | None = None,
        note: str = "",
    ) -> Row:
        ratio = seconds / floor if seconds is not None and floor else None
        row = Row(bench, stage, seconds, floor, ratio, peak_mb, note)
        self.rows.append(row)
        print(f"  {_line(row)}", flush=True)
        return row

    def print_table(self) -> None:
        print()
        heading = ("bench", "stage", "median s", "floor s", "ratio", "peak MB")
        print("{:<12} {:<34} {:>9} {:>8} {:>6} {:>8}  note".format(*heading))
        for row in self.rows:
            print(_line(row))

    def write_json(self, path: Path | None = None) -> Path:
        path = path or OUT / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {"meta": self.meta, "results": [asdict(row) for row in self.rows]}
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        return path


def _number(value: float | None, width: int, digits: int) -> str:
    return f"{value:>{width}.{digits}f}" if value is not None else f"{'—':>{width}}"


def _line(row: Row) -> str:
    return (
        f"{row.bench:<12} {row.stage:<34} {_number(row.seconds, 9, 2)} {_number(row.floor, 8, 2)} "
        f"{_number(row.ratio, 6, 1)} {_number(row.peak_mb, 8, 0)}  {row.note}"
    )


def machine() -> dict[str, Any]:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "people": county_people(),
        "towns": county_towns(),
        "runs": runs(),
    }


def median_of(fn: Callable[[], object], runs: int | None = None) -> float:
    """Median wall time of `fn()` over `runs` runs (default LIANGJI_BENCH_RUNS), in seconds."""
    times = []
    for _ in range(runs or _configured_runs()):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass
class ChildResult:
    seconds: float
    peak_mb: float
    value: Any


def child_stage(target: str, *args: str, env: dict[str, str] | None = None) -> ChildResult:
    """Run `module:function(*args)` in a fresh Python process; return its time and peak memory.

    The function runs once; its own wall time is measured in the child (start-up and Django's
    setup excluded) and the peak resident memory is the child's VmHWM, so a stage's memory is
    not hidden by what the parent process already holds.
    """
    command = [sys.executable, "-m", "bench.common", target, *args]
    completed = subprocess.run(
        command,
        cwd=PROJECT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{target} failed:\n{completed.stderr[-3000:]}")
    last = completed.stdout.strip().splitlines()[-1]
    data = json.loads(last)
    return ChildResult(data["seconds"], data["peak_kb"] / 1024, data["value"])


def child_median(
    target: str, *args: str, env_for_run: Callable[[int], dict[str, str]] | None = None
) -> tuple[ChildResult, list[ChildResult]]:
    """`child_stage` `runs()` times; the result with the median time, and all of them."""
    results = [
        child_stage(target, *args, env=env_for_run(index) if env_for_run else None)
        for index in range(runs())
    ]
    ordered = sorted(results, key=lambda r: r.seconds)
    return ordered[len(ordered) // 2], results


def _peak_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child_main(target: str, args: list[str]) -> None:
    module_name, function_name = target.split(":")
    function = getattr(importlib.import_module(module_name), function_name)
    prepare = getattr(importlib.import_module(module_name), f"{function_name}_prepare", None)
    if prepare is not None:  # e.g. Django's setup and migrations: not part of the stage
        prepare(*args)
    start = time.perf_counter()
    value = function(*args)
    seconds = time.perf_counter() - start
    print(
        json.dumps({"seconds": seconds, "peak_kb": _peak_kb(), "value": value}, ensure_ascii=False)
    )


def county_workbook() -> Path:
    """The county-scale workbook of school year 2024, generated once and kept in bench/out/."""
    people, towns = county_people(), county_towns()
    stem = f"county-{towns}x{people // towns}"
    path = OUT / f"{stem}-{BENCH_YEAR}.xlsx"
    done = path.with_suffix(".json")  # written last: a half-written workbook is never reused
    if path.exists() and done.exists():
        return path
    from liangji.demo.generator import town_workbooks_write

    OUT.mkdir(parents=True, exist_ok=True)
    print(f"  generating {path.name} ({people:,} people in {towns} towns) …", flush=True)
    start = time.perf_counter()
    # Written aside and renamed into place: two benchmarks generating it at once both end with
    # the same complete file, and a reader never sees half of one.
    with tempfile.TemporaryDirectory(prefix="county-", dir=OUT) as scratch:
        [workbook] = town_workbooks_write(
            Path(scratch),
            towns=towns,
            people_per_town=people // towns,
            years=(BENCH_YEAR,),
            seed=BENCH_SEED,
            stem=stem,
        )
        os.replace(workbook.path, path)
    summary = {
        "people": workbook.people,
        "pupils": workbook.pupils,
        "seconds": round(time.perf_counter() - start, 1),
    }
    partial = done.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(json.dumps(summary), encoding="utf-8")
    os.replace(partial, done)
    print(f"  … {workbook.people:,} people, {workbook.pupils:,} pupils in {summary['seconds']} s")
    return path


def county_workbook_summary() -> dict[str, Any]:
    return json.loads(county_workbook().with_suffix(".json").read_text(encoding="utf-8"))


def scratch_data_dir() -> str:
    """A fresh LIANGJI_DATA_DIR (an empty SQLite database) for one run."""
    return tempfile.mkdtemp(prefix="liangji-bench-")


if __name__ == "__main__":
    _child_main(sys.argv[1], sys.argv[2:])
