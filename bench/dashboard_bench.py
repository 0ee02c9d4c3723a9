"""The dashboard under load: 200 requests at once against `liangji serve` on the demo town.

The server is the production one (`liangji serve`: gunicorn, its default workers and threads)
on the demo town (`liangji demo`, LIANGJI_DEMO_PEOPLE people, loaded once into bench/out/).
200 clients, each with the town office's browser session (session and CSRF cookies), send
`GET /` at the same instant (a barrier); the figure is the median of their response times,
median over LIANGJI_BENCH_RUNS bursts. Measured twice: with the town's figures already kept
(every request after the first since the last change) and right after a change to the town's
data (the first burst computes the figures once, the other requests wait for it).

Floor, in the same run and under the same load: 200 concurrent `GET /login/`, a page that
reads nothing but the session (Django's full stack and the server's queueing, nothing of the
dashboard).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import OUT, PROJECT, Report, child_stage, runs

CONCURRENT = 200
LIANGJI = str(Path(sys.executable).with_name("liangji"))


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "LIANGJI_DATA_DIR": str(data_dir), "LIANGJI_ALLOWED_HOSTS": "127.0.0.1"}


def _demo_data_dir() -> Path:
    data_dir = OUT / "dashboard-demo"
    marker = data_dir / "loaded"
    data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([LIANGJI, "init"], env=_env(data_dir), check=True, capture_output=True)
    if not marker.exists():
        print(f"  loading the demo town into {data_dir} (once) …", flush=True)
        subprocess.run([LIANGJI, "demo"], env=_env(data_dir), check=True, capture_output=True)
        marker.write_text("ok", encoding="utf-8")
    return data_dir


def _setup(data_dir: str) -> None:
    os.environ["LIANGJI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangji.settings")
    import django

    django.setup()


session_create_prepare = _setup
data_change_prepare = _setup


def session_create(data_dir: str) -> str:
    """A logged-in session of the town office of the demo town (bench data, not audited)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from liangji.accounts.models import Role, User
    from liangji.registers.choices import TOWN_KINDS
    from liangji.registers.models import Unit

    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    assert town is not None, "the demo database has no town"
    office, _ = User.objects.update_or_create(
        username="bench-office", defaults={"role": Role.TOWN_OFFICE, "unit": town}
    )
    session = SessionStore()
    session[SESSION_KEY] = str(office.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = office.get_session_auth_hash()
    session.create()
    return str(session.session_key)


def data_change(data_dir: str) -> None:
    """What an edit or an import does to the kept figures: the town's data version moves."""
    from django.db import transaction

    from liangji.registers.versions import data_changed

    with transaction.atomic():
        data_changed(town=None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, cookie: str) -> tuple[int, float]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def _csrf_cookie(url: str, cookie: str) -> str:
    """The CSRF cookie a browser receives with its first page (and sends from then on)."""
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie})) as page:
        for header in page.headers.get_all("Set-Cookie") or []:
            if header.startswith("csrftoken="):
                return header.split(";", 1)[0]
    raise RuntimeError(f"{url} set no CSRF cookie")


def _burst(url: str, cookie: str) -> list[float]:
    """CONCURRENT requests released together; their response times, all answered 200."""
    barrier = threading.Barrier(CONCURRENT)

    def one(_: int) -> tuple[int, float]:
        barrier.wait()
        return _get(url, cookie)

    with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
        results = list(pool.map(one, range(CONCURRENT)))
    failed = [status for status, _ in results if status != 200]
    if failed:
        raise RuntimeError(f"{url}: {len(failed)} of {CONCURRENT} answered {sorted(set(failed))}")
    return sorted(seconds for _, seconds in results)


def _server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [LIANGJI, "serve", "--port", str(port)],
        env=_env(data_dir),
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: stopped with its workers below
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if _get(f"http://127.0.0.1:{port}/login/", "")[0] == 200:
                return server
        except OSError:
            time.sleep(0.5)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError("liangji serve did not answer within 120 s")


def _median_of_bursts(url: str, cookie: str, before: Any = None) -> dict[str, float]:
    medians, p90s, worst = [], [], []
    for _ in range(runs()):
        if before is not None:
            before()
        times = _burst(url, cookie)
        medians.append(statistics.median(times))
        p90s.append(times[int(len(times) * 0.9)])
        worst.append(times[-1])
    return {
        "median": statistics.median(medians),
        "p90": statistics.median(p90s),
        "max": statistics.median(worst),
    }


def run(report: Report) -> None:
    data_dir = _demo_data_dir()
    key = child_stage("bench.dashboard_bench:session_create", str(data_dir)).value
    port = _free_port()
    server = _server(data_dir, port)
    base = f"http://127.0.0.1:{port}"
    try:
        # The office's browser: its session, and the CSRF cookie of its first page (the
        # town's figures are computed once then and kept).
        cookie = f"sessionid={key}; " + _csrf_cookie(f"{base}/", f"sessionid={key}")
        floor = _median_of_bursts(f"{base}/login/", "")
        kept = _median_of_bursts(f"{base}/", cookie)
        changed = _median_of_bursts(
            f"{base}/",
            cookie,
            before=lambda: child_stage("bench.dashboard_bench:data_change", str(data_dir)),
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    size = json.dumps({"people": os.environ.get("LIANGJI_DEMO_PEOPLE") or "25000"})
    for label, figures in (("kept figures", kept), ("after a data change", changed)):
        report.add(
            "dashboard",
            f"{CONCURRENT} at once, {label}",
            figures["median"],
            floor=floor["median"],
            note=(
                f"p90 {figures['p90']:.2f} s, max {figures['max']:.2f} s; floor: {CONCURRENT} "
                f"at once GET /login/ (p90 {floor['p90']:.2f} s); demo town {size}; SQLite"
            ),
        )
