from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "liangji.archive"
    verbose_name = "两基档案"
