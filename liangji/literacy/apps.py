from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "liangji.literacy"
    verbose_name = "扫盲"
