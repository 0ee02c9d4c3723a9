"""`liangji serve [--host H] [--port N]`: the web application, served for real.

gunicorn (a production WSGI server) where it is available — Linux and macOS; elsewhere (an
office PC on Windows) Django's own server without autoreload. Static files (our CSS and JS,
ECharts and htmx from node_modules) are collected first and served by WhiteNoise, so the
application needs no other web server and no internet.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _port_check(host: str, port: int) -> None:
    """Refuse early, in words, when the address is taken (another liangji serve, say)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"无法在 {host}:{port} 上启动（errno {exc.errno}）：该端口可能已被占用"
                "（例如已有一个 liangji serve 在运行），可用 --port 换一个端口。"
            ) from None


def _workers_default() -> int:
    """One process per core this server may use: a page is Python work, which one process runs
    on one core at a time (its threads overlap only the waits on the database and the network);
    at least two, so that one slow page never holds every request; at most eight, as each
    process keeps and computes its own figures."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(8, max(2, cores or 1))


class Command(BaseCommand):
    help = "启动网页应用（默认 http://127.0.0.1:8000/）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（局域网访问用 0.0.0.0）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn 工作进程数（默认为本机 CPU 核数，2 到 8 个）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        if not 1 <= port <= 65535:
            raise CommandError(f"端口 {port} 无效，应在 1 到 65535 之间")
        if not settings.STATICFILES_DIRS:
            self.stderr.write(
                "警告：没有找到 node_modules，图表和页面交互将无法使用；请先运行 make install"
            )
        _port_check(host, port)
        self.stdout.write("准备静态文件……")
        call_command("collectstatic", interactive=False, verbosity=0)
        if host not in {"127.0.0.1", "localhost"} and "*" not in settings.ALLOWED_HOSTS:
            self.stdout.write(
                "提示：从其他电脑访问时，请把本机的地址加入环境变量 LIANGJI_ALLOWED_HOSTS，"
                "例如 LIANGJI_ALLOWED_HOSTS=192.168.1.20"
            )
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
        self.stdout.write(f"网页应用已启动：http://{shown}:{port}/ （按 Ctrl+C 停止）")
        if importlib.util.find_spec("gunicorn") is not None and os.name == "posix":
            self._gunicorn(host, port, options["workers"] or _workers_default())
        else:
            call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)

    def _gunicorn(self, host: str, port: int, workers: int) -> None:
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        command = [
            sys.executable, "-m", "gunicorn", "liangji.wsgi:application",
            "--bind", bind,
            "--workers", str(max(1, workers)),
            "--worker-class", "gthread", "--threads", "4",
            # Long imports run in their own process; a request never needs more than this.
            "--timeout", "120",
            "--access-logfile", "-",
            "--error-logfile", "-",
        ]  # fmt: skip
        # gunicorn replaces this process, so that a service manager's signals (systemd's stop,
        # Ctrl+C) reach the server itself; the environment (DATABASE_URL, LIANGJI_DATA_DIR)
        # passes unchanged.
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, command)
