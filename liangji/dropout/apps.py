from django.apps import AppConfig


class DropoutConfig(AppConfig):
    name = "liangji.dropout"
    verbose_name = "控辍保学"
