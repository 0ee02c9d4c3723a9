"""The import and the database server: imports of one town one after the other, refusals in
words, planner statistics fresh after every import."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from liangji.imports.database import database_refusal, town_lock_key
from liangji.imports.services import _database_url, workbook_import
from liangji.imports.tests.workbooks import ZHANG_SAN_ID, town_workbook
from liangji.imports.writer import rows_insert
from liangji.registers.models import Person, PersonRecord

pytestmark = pytest.mark.django_db


def import_process(path: Path) -> subprocess.Popen[str]:
    """`liangji import` in its own process, on the test database."""
    return subprocess.Popen(
        [sys.executable, "-m", "liangji", "import", str(path), "--school-year", "2023"],
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def waiting_for_the_lock(holder: BaseDatabaseWrapper, *, processes: int) -> None:
    """Return once `processes` other sessions are asking for the import lock (PostgreSQL)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with holder.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE query LIKE %s AND pid <> pg_backend_pid()",
                ["%pg_try_advisory_xact_lock%"],
            )
            if cursor.fetchone()[0] >= processes:
                return
        time.sleep(0.2)
    raise AssertionError("the imports never asked for the town's lock")


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_town_in_two_processes_register_each_child_once(
    tmp_path: Path,
) -> None:
    first = town_workbook(tmp_path / "第一次.xlsx")
    second = town_workbook(tmp_path / "第二次.xlsx")
    holder = None
    if connection.vendor == "postgresql":
        # Another import of 青山镇 is writing: both processes must wait for it, then each other.
        holder = connections.create_connection("default")
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [town_lock_key("青山镇")])

    processes = [import_process(first), import_process(second)]
    if holder is not None:
        waiting_for_the_lock(holder, processes=2)
        holder.close()
    outputs = [process.communicate(timeout=180) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], outputs
    # 张小妹 has no ID number: planned side by side she would have been registered twice.
    assert Person.objects.filter(name="张小妹").count() == 1
    assert Person.objects.count() == 4
    assert PersonRecord.objects.count() == 4
    printed = "".join(out + err for out, err in outputs)
    assert "Traceback" not in printed and "Violation" not in printed
    if holder is not None:
        assert printed.count("本镇的另一个导入正在写入") == 2, printed


def test_a_duplicate_in_the_bulk_insert_is_a_django_error_not_a_driver_error() -> None:
    row = (1, "张三", "男", datetime.date(2012, 3, 15), ZHANG_SAN_ID, "汉", "zs")
    fields = ["id", "name", "sex", "birth_date", "id_number", "ethnicity", "name_initials"]
    rows_insert(Person, fields, [row])

    # PostgreSQL writes with COPY through the driver's own cursor: its UniqueViolation must
    # still reach the importer's handler as Django's IntegrityError.
    with pytest.raises(IntegrityError) as refused:
        rows_insert(Person, fields, [(2, *row[1:])])

    message = database_refusal(refused.value)
    assert "没有写入任何数据" in message and "身份证号" in message
    assert not any("a" <= c.lower() <= "z" for c in message.replace("liangji.log", ""))


def test_an_import_leaves_the_planner_statistics_up_to_date(tmp_path: Path) -> None:
    result = workbook_import(path=town_workbook(tmp_path / "青山镇.xlsx"), school_year=2023)

    assert result.ok and result.changed
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s",
                [PersonRecord._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT CAST(substr(stat, 1, instr(stat, ' ') - 1) AS INTEGER) "
                "FROM sqlite_stat1 WHERE tbl = %s AND idx IS NOT NULL LIMIT 1",
                [PersonRecord._meta.db_table],
            )
        (rows,) = cursor.fetchone()
    assert rows == 4
