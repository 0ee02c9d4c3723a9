from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "liangji.imports"
    verbose_name = "导入"
