from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liangji.accounts"
    verbose_name = "账户"
