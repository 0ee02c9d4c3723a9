"""`python -m bench [NAME ...]`: run every bench/*_bench.py (or the ones named) in turn, print
one table and write bench/out/results.json. A module that fails is reported and the others run.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

from bench.common import Report, machine


def modules(selected: list[str]) -> list[str]:
    names = sorted(p.stem for p in Path(__file__).parent.glob("*_bench.py"))
    if selected:
        names = [n for n in names if n.removesuffix("_bench") in selected or n in selected]
    return names


def main(argv: list[str]) -> int:
    report = Report(meta=machine())
    print(f"liangji bench: {report.meta}")
    failures = 0
    for name in modules(argv):
        print(f"== {name}", flush=True)
        try:
            importlib.import_module(f"bench.{name}").run(report)
        except Exception:  # one broken benchmark must not hide the others' figures
            failures += 1
            traceback.print_exc()
            report.add(name.removesuffix("_bench"), "FAILED", None, note="see the output above")
    report.print_table()
    print(f"\nwritten: {report.write_json()}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
