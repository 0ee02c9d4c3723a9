from django.apps import AppConfig


class LiteracyConfig(AppConfig):
    name = "liangji.literacy"
    verbose_name = "扫盲"

    def ready(self) -> None:
        from liangji.literacy import archiving, importing, judges

        # The certificates are files of the 两基档案 (archive's generator registry).
        archiving.generators_register()
        # The inspection standard's item L05 is judged from the literacy data.
        judges.judges_register()
        # The 扫盲 sheet of the import workbook is read by the import, written here.
        importing.handler_register()
