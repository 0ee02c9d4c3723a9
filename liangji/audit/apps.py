from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "liangji.audit"
    verbose_name = "审计"
