from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "liangji.inspection"
    verbose_name = "迎检准备"

    def ready(self) -> None:
        from liangji.inspection import archiving

        # Self-check reports and 通报 are files of the 两基档案 (archive's generator registry).
        archiving.generators_register()
