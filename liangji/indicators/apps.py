from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "liangji.indicators"
    verbose_name = "指标"

    def ready(self) -> None:
        from liangji.indicators.figures import figures_approve
        from liangji.registers.models import SchoolYear
        from liangji.registers.services import year_locked_hook_register

        def approved_figures_store(school_year: SchoolYear) -> None:
            figures_approve(school_year=school_year)

        # A locked year shows the figures stored at its approval (indicators.figures).
        year_locked_hook_register(approved_figures_store)
