from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "liangji.archive"
    verbose_name = "两基档案"

    def ready(self) -> None:
        from liangji.archive import generators

        # The files made from the registers and the indicators, which sit below the archive
        # and cannot register themselves.
        generators.generators_register()
