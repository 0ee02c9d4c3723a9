"""The `liangji` command as an office user meets it: in a fresh data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_liangji(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LIANGJI_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "liangji", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands(tmp_path):
    result = run_liangji(tmp_path, "help")
    assert result.returncode == 0
    assert "liangji init" not in result.stderr
    assert "import FILE --school-year Y" in result.stdout


def test_a_command_on_an_uninitialised_database_says_how_to_fix_it(tmp_path):
    result = run_liangji(tmp_path, "settings")
    assert result.returncode == 2
    assert "liangji init" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_help_works_on_an_uninitialised_database_and_creates_no_database(tmp_path):
    for args in (("--help",), ("help",), ("indicators", "--help"), ("import", "-h")):
        result = run_liangji(tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "liangji init" not in result.stderr
    assert "--school-year" in run_liangji(tmp_path, "indicators", "--help").stdout
    assert not (tmp_path / "liangji.sqlite3").exists()


def test_an_unknown_command_is_called_unknown(tmp_path):
    result = run_liangji(tmp_path, "frobnicate")
    assert result.returncode == 2
    assert "未知命令：frobnicate" in result.stderr
    assert "liangji init" not in result.stderr
    assert not (tmp_path / "liangji.sqlite3").exists()


def test_the_uninitialised_check_creates_no_empty_database(tmp_path):
    assert run_liangji(tmp_path, "indicators", "--school-year", "2023").returncode == 2
    assert not (tmp_path / "liangji.sqlite3").exists()


def test_version_is_liangjis_own(tmp_path):
    result = run_liangji(tmp_path, "version")
    assert result.returncode == 0
    assert result.stdout.startswith("liangji 0.")


def test_init_is_idempotent_and_then_commands_run(tmp_path):
    first = run_liangji(tmp_path, "init")
    second = run_liangji(tmp_path, "init")
    assert first.returncode == 0 and second.returncode == 0
    assert "数据库已就绪" in second.stdout
    # No town yet: a clear message, not a traceback.
    result = run_liangji(tmp_path, "settings")
    assert result.returncode != 0
    assert "liangji demo" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_database_url_is_a_message_not_a_traceback(tmp_path):
    env_args = ("settings",)
    env = {k: v for k, v in os.environ.items()}
    env.update(LIANGJI_DATA_DIR=str(tmp_path), DATABASE_URL="mysql://nowhere/db")
    result = subprocess.run(
        [sys.executable, "-m", "liangji", *env_args], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr
