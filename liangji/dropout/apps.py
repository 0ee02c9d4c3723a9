from django.apps import AppConfig


class DropoutConfig(AppConfig):
    name = "liangji.dropout"
    verbose_name = "控辍保学"

    def ready(self) -> None:
        from liangji.dropout import archiving

        # The notices are files of the 两基档案 (archive's generator registry).
        archiving.generators_register()
