from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.ops.services import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和数据目录到一个 zip 文件（默认 数据目录/backups/liangji-日期-时间.zip）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="备份文件路径（.zip）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(path=Path(options["file"]) if options["file"] else None)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("\n".join(result.summary_lines()))
