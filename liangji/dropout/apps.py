from django.apps import AppConfig


class DropoutConfig(AppConfig):
    name = "liangji.dropout"
    verbose_name = "控辍保学"

    def ready(self) -> None:
        # The dashboard shows each user's overdue cases (web.dashboard's provider registry).
        from liangji.dropout import archiving, dashboard  # noqa: F401

        # The notices are files of the 两基档案 (archive's generator registry).
        archiving.generators_register()
