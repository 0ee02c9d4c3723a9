from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.ops.services import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和数据目录：先校验每个文件的 SHA-256，再恢复；数据库已有数据时需要 --force"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="liangji backup 生成的 zip 文件")
        parser.add_argument(
            "--force", action="store_true", help="数据库已有数据时，用备份替换全部数据"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(path=Path(options["file"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(result.summary_lines()))
