"""Users, each with one role and one unit: the scope of everything they may see."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AbstractUser, AnonymousUser
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
    # Locked accounts cannot log in until an administrator unlocks them (dormancy, or by hand).
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    lock_reason = models.CharField("锁定原因", max_length=200, blank=True, default="")
    # Dormancy counts again from an unlock (see services.user_is_dormant).
    unlocked_at = models.DateTimeField("解锁时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(role="") | Q(unit__isnull=False),
                name="user_role_needs_unit",
            ),
        ]


class LoginFailure(models.Model):
    """A failed login, counted per account and address to slow down password guessing."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "登录失败"
        verbose_name_plural = "登录失败"
        indexes = [models.Index(fields=["username", "ip", "at"], name="login_failure_lookup")]

    def __str__(self) -> str:
        return f"{self.username}@{self.ip} {self.at:%Y-%m-%d %H:%M}"


# The acting user as a request carries it (`request.user`): what every selector takes. A
# selector answers the anonymous user with an empty scope (accounts/scope.py).
Actor: TypeAlias = User | AnonymousUser


def user_or_none(actor: object) -> User | None:
    """The acting user as a row's foreign key: the anonymous user and the command line (None, or
    the archive's stand-in) are nobody."""
    return actor if isinstance(actor, User) and actor.pk else None
