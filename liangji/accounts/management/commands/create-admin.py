"""`liangji create-admin USERNAME`: the first administrator of an installation."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from liangji.accounts.models import Role
from liangji.accounts.services import user_create


class Command(BaseCommand):
    help = "创建系统管理员账号（密码从 LIANGJI_ADMIN_PASSWORD 读取，未设置时提示输入）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="管理员用户名")
        parser.add_argument("--name", default="系统管理员", help="姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("LIANGJI_ADMIN_PASSWORD", "")
        if not password:
            password = getpass.getpass("新密码（至少 10 个字符）：")
            if getpass.getpass("再输入一次：") != password:
                raise CommandError("两次输入的密码不一致")
        try:
            user = user_create(
                username=options["username"], full_name=options["name"], role=Role.ADMIN,
                unit=None, password=password, actor=None,
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(";".join(exc.messages)) from None
        self.stdout.write(
            f"已创建系统管理员 {user.username}。用它登录网页，在“用户”页面为各单位建账号。"
        )
