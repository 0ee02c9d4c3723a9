from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.reports.models import ReportJob
from liangji.reports.services import report_job_run


class Command(BaseCommand):
    help = "运行网页提交的报表生成任务（由网页应用在后台启动）：liangji report-job ID"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        job = (
            ReportJob.objects.select_related("town", "unit", "user")
            .filter(pk=options["job_id"])
            .first()
        )
        if job is None:
            raise CommandError(f"没有编号为 {options['job_id']} 的报表任务")
        job = report_job_run(job)
        self.stdout.write(f"报表任务 {job.pk}：{job.state}")
