from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.imports.template import TEMPLATE_NAME, template_write


class Command(BaseCommand):
    help = f"生成空白导入模板：liangji template [FILE]（默认 {TEMPLATE_NAME}）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default=TEMPLATE_NAME, help="输出文件名")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"{path.name}：模板文件名应以 .xlsx 结尾")
        if not path.parent.is_dir():
            raise CommandError(f"目录 {path.parent} 不存在；请先创建目录或换一个位置")
        try:
            template_write(path)
        except OSError as exc:
            raise CommandError(
                f"无法写入 {path}：{exc.strerror}；文件是否正在 Excel 中打开？"
            ) from exc
        self.stdout.write(f"已生成导入模板：{path}（含“说明”工作表）")
