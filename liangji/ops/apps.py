from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "liangji.ops"
    verbose_name = "运维"
