"""A served worker loads every app's pages when it starts, not in its first request."""

from __future__ import annotations

import subprocess
import sys


def test_the_wsgi_application_loads_the_pages_when_imported(tmp_path: object) -> None:
    code = (
        "import sys, liangji.wsgi;"
        "print('liangji.reports.views' in sys.modules,"
        " 'liangji.web.views.dashboard' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"LIANGJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.split() == ["True", "True"], result.stderr
