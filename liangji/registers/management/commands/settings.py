from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.registers.models import SchoolYear
from liangji.registers.services import (
    SchoolYearLocked,
    town_resolve,
    town_settings_get,
    town_settings_update,
)
from liangji.registers.town_settings import SPECS, SettingError


class Command(BaseCommand):
    help = "查看或修改镇设置：liangji settings [--town 名称] [--school-year Y] [KEY=VALUE ...]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--town", help="镇（乡、街道）名称；只有一个镇时可省略")
        parser.add_argument(
            "--school-year",
            type=int,
            help="某一学年自己的设置（学年锁定时保存，解锁后才能修改）；省略：镇的设置",
        )
        parser.add_argument("changes", nargs="*", metavar="KEY=VALUE")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            town = town_resolve(options["town"])
            year = None
            if options["school_year"] is not None:
                year = SchoolYear.objects.filter(year=options["school_year"]).first()
                if year is None:
                    raise SettingError(f"没有 {options['school_year']} 学年")
            changes: dict[str, str] = {}
            for item in options["changes"]:
                key, sep, value = item.partition("=")
                if not sep:
                    raise SettingError(f"{item}：应写成 KEY=VALUE，例如 rate_decimals=1")
                changes[key.strip()] = value.strip()
            current = (
                town_settings_update(town=town, changes=changes, user=None, school_year=year)
                if changes
                else town_settings_get(town, year)
            )
        except (SettingError, SchoolYearLocked) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{town} {year} 的设置：" if year is not None else f"{town} 的设置：")
        for key, spec in SPECS.items():
            self.stdout.write(f"  {key:<36} {current.values[key]:<10} {spec.label}")
