"""What an import asks of the database beyond its rows: a lock per town, fresh planner
statistics after writing, and database refusals told in words an office understands."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable

from django.db import DatabaseError, IntegrityError, OperationalError, connection
from django.db.models import Model, ProtectedError

from liangji.registers.models import (
    Enrollment,
    EnrollmentEvent,
    GroupMembership,
    Household,
    Person,
    PersonRecord,
    Unit,
)

logger = logging.getLogger("liangji.imports")

# Every table an import writes; their statistics are refreshed after it.
WRITTEN_MODELS: tuple[type[Model], ...] = (
    Unit,
    Household,
    Person,
    PersonRecord,
    GroupMembership,
    Enrollment,
    EnrollmentEvent,
)
# SQLite reads this many rows of each index for its statistics: enough for the planner, and
# ANALYZE stays a fraction of a second at county scale.
SQLITE_ANALYSIS_LIMIT = 1000
LOCK_POLL_SECONDS = 0.5


def town_lock_key(town: str) -> int:
    """A stable signed 64-bit key for the advisory lock of one town's imports."""
    digest = hashlib.blake2b(f"liangji-import:{town}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def towns_lock(towns: Iterable[str], *, waiting: Callable[[float], None] | None = None) -> float:
    """Serialise the imports of these towns (PostgreSQL), until the transaction ends.

    Two imports of one town planned side by side would each decide that a child without an ID
    number is new, and register it twice; the second plans only after the first committed.
    SQLite needs no lock: its write transaction is taken when the import's transaction begins.
    Returns the seconds spent waiting for another import.
    """
    if connection.vendor != "postgresql":
        return 0.0
    keys = sorted({town_lock_key(town) for town in towns})  # one order: no deadlock
    started = time.monotonic()
    with connection.cursor() as cursor:
        for key in keys:
            # Polled rather than blocking, so that the wait is reported while it lasts.
            while True:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
                if cursor.fetchone()[0]:
                    break
                if waiting is not None:
                    waiting(time.monotonic() - started)
                time.sleep(LOCK_POLL_SECONDS)
    return time.monotonic() - started


def tables_analyze(models: Iterable[type[Model]] = WRITTEN_MODELS) -> None:
    """Refresh the planner's statistics of the tables an import wrote.

    Statistics that still say "empty" after hundreds of thousands of rows arrived (an aborted
    import, then autovacuum) made the indicator queries choose nested loops and run minutes.
    """
    tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
            return
        cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def database_refusal(error: Exception) -> str:
    """A database error of an import's writes, in words; the details go to the log."""
    logger.warning("import refused by the database: %r", error)
    if isinstance(error, ProtectedError):
        held = sorted({str(obj._meta.verbose_name) for obj in error.protected_objects})
        what = "、".join(held) or "其他业务"
        return (
            f"要删除的记录仍被{what}引用，数据库拒绝了写入，没有写入任何数据；"
            f"请先处理引用它的{what}，或在文件中保留这些记录后再导入"
        )
    if isinstance(error, IntegrityError):
        return (
            "数据库拒绝了写入：有记录与数据库中已有的记录冲突（例如同一身份证号已属于另一个人，"
            "可能是其他用户同时导入或修改了同一批人），没有写入任何数据；请稍后重新导入，"
            "仍不行请把此信息和日志文件 liangji.log 交给系统管理员"
        )
    if isinstance(error, OperationalError):
        return (
            "数据库暂时无法完成写入（连接中断、磁盘已满或等待超时），没有写入任何数据；"
            "请稍后重新导入，仍不行请把日志文件 liangji.log 交给系统管理员"
        )
    assert isinstance(error, DatabaseError)
    return (
        "数据库拒绝了写入，没有写入任何数据；请稍后重新导入，"
        "仍不行请把日志文件 liangji.log 交给系统管理员"
    )
