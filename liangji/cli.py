"""The `liangji` console command: Django's management commands, made safe for office users.

It refuses to run on an uninitialised database (saying how to fix it), and it never shows a
traceback: an unexpected error is written to the log in the data directory and summarised.
"""

from __future__ import annotations

import contextlib
import os
import sys

from liangji.config import ConfigError, data_dir

# Commands that work before `liangji init`, or that create the database themselves.
COMMANDS_WITHOUT_DATABASE = frozenset(
    {"init", "template", "restore", "help", "version", "--help", "-h", "--version"}
)
# Django's own commands stay reachable for developers but are not listed for office users.
HELP_TEXT = """liangji —— 两基工作系统

用法：liangji <命令> [选项]

  数据库与运维
    init                          创建或升级数据库（可重复运行）
    demo                          载入示范镇数据
    backup [FILE] / restore FILE  备份与恢复（含校验）
    create-admin / unlock 用户名   创建系统管理员 / 解锁账号
    serve [--host H] [--port N]   启动网页应用（默认 127.0.0.1:8000）

  登记与导入
    template [FILE]               生成空白导入模板
    import FILE --school-year Y   导入工作簿（--skip-invalid 只导入有效行，--dry-run 只检查，
                                  --overwrite-edits 以文件覆盖系统中修改过的记录）
    settings [--town 名称] [KEY=VALUE ...]  查看或修改镇设置

  指标与比对
    indicators --school-year Y [--unit 名称] [--group 名称] [--format table|json|xlsx]
    shortfall --indicator CODE --school-year Y [--unit 名称] [--format table|xlsx]
    reconcile --school-year Y [--format table|xlsx]   四查三比对
    crosscheck --school-year Y [--format table|xlsx]  辍学率校验表（流量法与事件法）

  报表
    report list                   列出全部报表（统计报表、花名册、文稿）
    report NAME --school-year Y [--unit 名称] [--format xlsx|pdf|docx] [--output FILE]

  控辍保学与迎检
    dropout-escalate              每日检查：逾期未返校的疑似辍学转为辍学
    literacy --school-year Y [--town 名称] [--format table|json|xlsx]  扫盲单位标准与扫盲对象
    readiness --school-year Y     迎检条件（一票否决在前）
    inspection_plan --school-year Y --year 年份   按模板创建迎国检工作方案

每个命令加 --help 查看详细说明。
"""


def _database_is_initialised() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # Asking SQLite about a file that does not exist would create it, empty.
    if connection.vendor == "sqlite" and not os.path.exists(connection.settings_dict["NAME"]):
        return False

    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    return not executor.migration_plan(targets)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("liangji")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "（未安装）"


def _log_traceback(argv: list[str]) -> str:
    """Append the traceback to the data directory's log (logging may not be configured yet)."""
    import datetime
    import traceback

    try:
        path = str(data_dir() / "liangji.log")
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{datetime.datetime.now().isoformat()} command failed: {argv}\n")
            log.write(traceback.format_exc())
    except OSError:
        path = "（无法写入日志）"
    return path


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"help", "-h", "--help"}:
        # `liangji help | head`: the reader left early, nothing is wrong.
        with contextlib.suppress(BrokenPipeError):
            print(HELP_TEXT)
        return 0
    if argv[0] in {"version", "--version"}:
        print(f"liangji {_version()}")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liangji.settings")
    try:
        import django

        django.setup()
        from django.core.management import execute_from_command_line, get_commands

        if argv[0] not in get_commands():
            print(f"未知命令：{argv[0]}。运行 liangji help 查看全部命令。", file=sys.stderr)
            return 2
        asks_for_help = "--help" in argv[1:] or "-h" in argv[1:]
        needs_database = argv[0] not in COMMANDS_WITHOUT_DATABASE and not asks_for_help
        if needs_database and not _database_is_initialised():
            print("数据库尚未初始化或需要升级。请先运行：liangji init", file=sys.stderr)
            return 2
        execute_from_command_line(["liangji", *argv])
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except ConfigError as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # the last line of defence: no traceback reaches a user
        log_path = _log_traceback(argv)
        print(f"出错了：{exc.__class__.__name__}：{exc}", file=sys.stderr)
        print(f"详细信息已写入 {log_path}。", file=sys.stderr)
        return 1
    return 0
