from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "liangji.inspection"
    verbose_name = "迎检准备"

    def ready(self) -> None:
        # The dashboard shows each user's overdue tasks and rectifications (web.dashboard).
        from liangji.inspection import archiving, dashboard  # noqa: F401

        # Self-check reports and 通报 are files of the 两基档案 (archive's generator registry).
        archiving.generators_register()
