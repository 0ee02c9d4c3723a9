from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "liangji.registers"
    verbose_name = "登记册"
