from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from liangji.imports.conflicts import Overwrite
from liangji.imports.services import ImportResult, workbook_import


class Command(BaseCommand):
    help = (
        "导入工作簿：liangji import FILE.xlsx --school-year Y "
        "[--skip-invalid] [--dry-run] [--overwrite-edits[=身份证号或行号，...]]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="要导入的 .xlsx 工作簿")
        parser.add_argument("--school-year", type=int, required=True, help="学年，例如 2024")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="跳过有错误的行，只导入正确的行"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并显示会有哪些变化，不写入"
        )
        parser.add_argument(
            "--overwrite-edits",
            nargs="?",
            const="",
            default=None,
            metavar="身份证号或行号，...",
            help=(
                "上次导入后在系统中修改过的记录和不同的身份证号默认保留并列为冲突。"
                "只写 --overwrite-edits：全部以文件为准；"
                "--overwrite-edits=ID1,ID2（用等号连接）：只以文件覆盖这些冲突，按摘要中的身份证号或行号"
                "（例如 2；人口表和学籍表同一行都有冲突时写 人口：2 或 学籍：2），其余保留"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = {
            "path": Path(options["file"]),
            "school_year": options["school_year"],
            "skip_invalid": options["skip_invalid"],
            "dry_run": options["dry_run"],
            "overwrite": Overwrite.from_text(options["overwrite_edits"]),
        }
        if sys.stdout.isatty():
            result = self.with_progress_bar(arguments)
        else:
            result = workbook_import(**arguments)
        lines = result.summary_lines()
        if result.rejected:
            self.stderr.write("\n".join(lines))
            raise SystemExit(1)
        self.stdout.write("\n".join(lines))

    @staticmethod
    def with_progress_bar(arguments: dict[str, Any]) -> ImportResult:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("读取文件", total=None)

            def progress(stage: str, done: int, total: int | None) -> None:
                bar.update(task, description=stage, completed=done, total=total)

            return workbook_import(**arguments, progress=progress)
