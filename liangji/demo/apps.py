from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "liangji.demo"
    verbose_name = "示范镇"
