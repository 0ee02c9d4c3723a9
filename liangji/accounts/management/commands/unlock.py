"""`liangji unlock USERNAME`: unlock an account from the office PC (e.g. the only administrator)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.accounts.models import User
from liangji.accounts.services import user_unlock


class Command(BaseCommand):
    help = "解锁账号（例如唯一的系统管理员因长期未登录被锁定时）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="要解锁的用户名")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为 {options['username']} 的账号")
        user_unlock(user=user, actor=None)
        self.stdout.write(f"已解锁账号 {user.username}，审计日志已记录。")
