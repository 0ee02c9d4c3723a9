"""liangji archive status|generate|export|run-job: the 两基档案 from the command line, through
the same selectors and services as the pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.archive.consistency import documents_stale
from liangji.archive.export import archive_export
from liangji.archive.jobs import archive_job_run
from liangji.archive.models import ArchiveJob
from liangji.archive.selectors import COMMAND_LINE, completeness, unit_subtree
from liangji.archive.services import archive_generate
from liangji.registers.choices import TOWN_KINDS
from liangji.registers.models import SchoolYear, Unit

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor


def _unit(name: str | None) -> Unit:
    if name:
        unit = Unit.objects.filter(name=name).exclude(kind="县").first()
        if unit is None:
            raise CommandError(f"没有名为 {name} 的镇、村（社区）或学校。")
        return unit
    towns = list(Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name")[:2])
    if len(towns) != 1:
        raise CommandError("请用 --unit 指定镇、村（社区）或学校的名称。")
    return towns[0]


def _year(year: int) -> SchoolYear:
    school_year = SchoolYear.objects.filter(year=year).first()
    if school_year is None:
        raise CommandError(f"没有 {year} 学年的数据。")
    return school_year


class Command(BaseCommand):
    help = "两基档案：完整性和过期文件（status）、生成（generate）、导出 ZIP(export)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="完整性（缺少的文件和证明）与数据已变化的文件")
        status.add_argument("--school-year", type=int, required=True)
        status.add_argument("--unit")
        generate = sub.add_parser("generate", help="生成全部系统生成的档案文件并归档")
        generate.add_argument("--school-year", type=int, required=True)
        generate.add_argument("--unit")
        export = sub.add_parser(
            "export", help="导出档案为一个 ZIP（目录.xlsx、index.html、SHA-256）"
        )
        export.add_argument("--from", dest="year_from", type=int, required=True)
        export.add_argument("--to", dest="year_to", type=int, required=True)
        export.add_argument("--unit")
        export.add_argument("--output", required=True)
        job = sub.add_parser("run-job", help="（内部）运行后台档案任务")
        job.add_argument("job_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "run-job":
            job = ArchiveJob.objects.select_related("unit", "user").get(pk=options["job_id"])
            archive_job_run(job)
            return
        user = COMMAND_LINE
        if action == "status":
            self._status(user, _unit(options["unit"]), _year(options["school_year"]))
        elif action == "generate":
            unit, year = _unit(options["unit"]), _year(options["school_year"])
            count = archive_generate(user=user, units=unit_subtree(user, unit), school_year=year)
            self.stdout.write(f"{unit.name} {year}：已生成并归档 {count} 个文件。")
        elif action == "export":
            if options["year_from"] > options["year_to"]:
                raise CommandError("--from 不能晚于 --to。")
            unit = _unit(options["unit"])
            result = archive_export(
                user=user, unit=unit, year_from=options["year_from"],
                year_to=options["year_to"], target=Path(options["output"]),
            )  # fmt: skip
            self.stdout.write(
                f"已导出 {result.files} 个文件到 {result.path}（{result.size / 1e6:.1f} MB）"
            )

    def _status(self, user: ArchiveActor, unit: Unit, year: SchoolYear) -> None:
        result = completeness(user=user, unit=unit, school_year=year)
        percent = "—" if result.percent is None else f"{result.percent}%"
        self.stdout.write(
            f"{unit.name} {year} 两基档案完整率 {percent}：必备文件 {result.entries_present}/"
            f"{result.entries_required}，人员证明 {result.proofs_present}/{result.proofs_required}"
            f"（其中登记“有证明”却无文件 {result.claimed_without_file} 人）"
        )
        for line in result.missing[:200]:
            self.stdout.write(f"  缺 {line.what}  {line.who}  {line.note}")
        if len(result.missing) > 200:
            self.stdout.write(f"  ……另有 {len(result.missing) - 200} 项，见网页“两基档案”")
        stale = documents_stale(user=user, unit=unit, school_year=year)
        self.stdout.write(f"数据已变化的生成文件：{len(stale)} 个")
        for item in stale:
            self.stdout.write(
                f"  {item.document.entry.code} {item.document.title}（{item.document.unit.name}）"
            )
            for d in item.differences:
                self.stdout.write(f"    {d.indicator} {d.unit}：归档时 {d.filed}，现在 {d.current}")
