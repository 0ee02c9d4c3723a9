from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "创建或升级数据库（可重复运行，不会改动已有数据）"

    def handle(self, *args: object, **options: object) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        from django.conf import settings

        db = settings.DATABASES["default"]
        where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['HOST']}/{db['NAME']}"
        self.stdout.write(self.style.SUCCESS(f"数据库已就绪：{where}"))
