from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "liangji.inspection"
    verbose_name = "迎检准备"
