from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "liangji.web"
    verbose_name = "网页应用"
