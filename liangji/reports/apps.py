from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "liangji.reports"
    verbose_name = "报表"
