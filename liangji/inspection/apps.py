from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "liangji.inspection"
    verbose_name = "迎检准备"

    def ready(self) -> None:
        # The dashboard shows each user's overdue tasks and rectifications (web.dashboard).
        from liangji.inspection import dashboard  # noqa: F401
