from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "liangji.reports"
    verbose_name = "报表"

    def ready(self) -> None:
        from liangji.reports import archiving

        # The statistical tables and rosters are files of the 两基档案 (archive's registry).
        archiving.generators_register()
