"""Export of the demo town's 两基档案 for its three school years (issue 14).

Stage: `liangji demo` into a fresh data directory under bench/out/ (LIANGJI_DEMO_PEOPLE, default
25,000; its time is not measured here), then `liangji archive export --from 2022 --to 2024`
through the command line, timed from outside: the wall time and the ZIP's size are reported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from bench.common import OUT, Report

LIANGJI = [sys.executable, "-m", "liangji"]


def run(report: Report) -> None:
    data = OUT / "archive-demo"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {**os.environ, "LIANGJI_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)  # the demo's own SQLite database in its data directory
    for command in (["init"], ["demo"]):
        subprocess.run([*LIANGJI, *command], env=env, check=True, stdout=subprocess.DEVNULL)
    target = data / "archive-2022-2024.zip"
    start = time.perf_counter()
    subprocess.run(
        [*LIANGJI, "archive", "export", "--from", "2022", "--to", "2024", "--output", str(target)],
        env=env,
        check=True,
    )
    seconds = time.perf_counter() - start
    size_mb = target.stat().st_size / 1e6
    report.add("archive", "export 3 school years (CLI)", seconds, note=f"ZIP {size_mb:.1f} MB")
