from typing import Any

from django.core.management.base import BaseCommand, CommandError

from liangji.demo.services import DemoError, demo_load


class Command(BaseCommand):
    help = (
        "载入示范镇：约 25,000 人、3 个学年，含失学、辍学、流动、残疾、文盲和登记错误等情况"
        "（可重复运行）"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_load(stdout_write=self.stdout.write)
        except DemoError as error:
            raise CommandError(str(error)) from error
