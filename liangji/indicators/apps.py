from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "liangji.indicators"
    verbose_name = "指标"
