"""Users, each with one role and one unit: the scope of everything they may see."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    TOWN_OFFICE = "town_office", "镇两基办"
    LEADER = "leader", "领导小组"
    VILLAGE = "village", "村/社区"
    SCHOOL = "school", "学校"
    INSPECTOR = "inspector", "县督导"
    ADMIN = "admin", "系统管理员"


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True, default="")
    # Deny by default: a user without a unit sees no personal data (administrators excepted).
    unit = models.ForeignKey(
        "registers.Unit",
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(role="") | Q(unit__isnull=False),
                name="user_role_needs_unit",
            ),
        ]
