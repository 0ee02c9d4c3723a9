from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.imports.models import ImportJob
from liangji.imports.services import import_job_run


class Command(BaseCommand):
    help = "运行网页提交的导入任务（由网页应用在后台启动）：liangji import-job ID [--confirm]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job_id", type=int)
        parser.add_argument("--confirm", action="store_true", help="确认导入（否则只预检）")

    def handle(self, *args: Any, **options: Any) -> None:
        job = ImportJob.objects.filter(pk=options["job_id"]).first()
        if job is None:
            raise CommandError(f"没有编号为 {options['job_id']} 的导入任务")
        job = import_job_run(job, confirm=options["confirm"])
        self.stdout.write(f"导入任务 {job.pk}：{job.state}")
        if job.message:
            self.stdout.write(job.message)
