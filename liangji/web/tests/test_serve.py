"""`liangji serve` starts a real server that answers pages and the static files it needs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from liangji.web.management.commands import serve


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_serve_answers_with_pages_and_static_files(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "LIANGJI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    liangji = [sys.executable, "-m", "liangji"]
    subprocess.run([*liangji, "init"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*liangji, "serve", "--port", str(port), "--workers", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, headers = _get(f"{base}/login/")
                break
            except OSError:  # not listening yet, or the worker still booting
                assert server.poll() is None, "the server stopped"
                assert time.monotonic() < deadline, "the server did not answer in 120 s"
                time.sleep(0.5)
        assert status == 200
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert _get(f"{base}/static/vendor/echarts/dist/echarts.min.js")[0] == 200
        assert _get(f"{base}/static/vendor/htmx.org/dist/htmx.min.js")[0] == 200
        assert _get(f"{base}/static/web/app.css")[0] == 200
        status, headers = _get(f"{base}/people/")  # anonymous: to the login page
        assert status == 200 and headers.get("Content-Type", "").startswith("text/html")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    assert f"网页应用已启动：http://127.0.0.1:{port}/" in output


def test_serve_refuses_a_taken_port_in_words(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "LIANGJI_DATA_DIR": str(tmp_path),
               "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}  # fmt: skip
        subprocess.run([sys.executable, "-m", "liangji", "init"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "liangji", "serve", "--port", str(port)],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode != 0
    assert "该端口可能已被占用" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 2), (4, 4), (64, 8)])
def test_serve_starts_one_worker_per_core_from_2_to_8(
    monkeypatch: pytest.MonkeyPatch, cores: int, workers: int
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    assert serve._workers_default() == workers
