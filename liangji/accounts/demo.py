"""The demo step of the web application: one account per role, to try every view of the town.

Registered in liangji.demo.services.DEMO_STEPS. The accounts share one printed password: this is
a demonstration database, never a production one (`liangji demo` refuses a database with real
towns in it).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Count

from liangji.accounts.models import Role, User
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS, UnitKind
from liangji.registers.models import Unit

DEMO_PASSWORD = "liangji-demo-2024"
DEMO_COUNTY = "示范县"


def _demo_units() -> dict[str, Unit]:
    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    if town is None:
        raise RuntimeError("示范镇尚未导入，无法创建示范账号")
    # The county inspector needs a county above the town; the demo workbook has none.
    county = town.parent
    if county is None:
        county, _ = Unit.objects.get_or_create(kind=UnitKind.COUNTY, name=DEMO_COUNTY, parent=None)
        Unit.objects.filter(pk=town.pk).update(parent=county)
    children = Unit.objects.filter(parent=town).order_by("name")
    village = children.filter(kind__in=VILLAGE_KINDS).first()
    # The school with the largest roll shows the most on its pages.
    school = (
        children.filter(kind__in=SCHOOL_KINDS)
        .annotate(pupils=Count("enrollments"))
        .order_by("-pupils", "name")
        .first()
    )
    if village is None or school is None:
        raise RuntimeError("示范镇没有村或学校，无法创建示范账号")
    return {"town": town, "county": county, "village": village, "school": school}


DEMO_ACCOUNTS = [
    # username, role, unit key, display name
    ("office", Role.TOWN_OFFICE, "town", "两基办 李主任"),
    ("leader", Role.LEADER, "town", "领导小组 王镇长"),
    ("village", Role.VILLAGE, "village", "村干部 张文书"),
    ("school", Role.SCHOOL, "school", "学校 赵校长"),
    ("inspector", Role.INSPECTOR, "county", "县督导 吴督学"),
    ("admin", Role.ADMIN, None, "系统管理员"),
]


@transaction.atomic
def demo_accounts_create(*, stdout_write: Callable[[str], None]) -> None:
    units = _demo_units()
    for username, role, unit_key, name in DEMO_ACCOUNTS:
        unit = units[unit_key] if unit_key else None
        user, created = User.objects.update_or_create(
            username=username, defaults={"role": role, "unit": unit, "last_name": name}
        )
        user.set_password(DEMO_PASSWORD)
        user.locked_at, user.lock_reason, user.is_active = None, "", True
        user.save()
        if created:
            audit_record(
                user=None,
                action=AuditAction.CREATE,
                entity="User",
                entity_id=user.pk,
                summary=f"示范数据：新建账号 {username}（{role.label}）",
                unit=unit,
            )
    stdout_write("示范账号（密码均为 " + DEMO_PASSWORD + "）：")
    for username, role, unit_key, _ in DEMO_ACCOUNTS:
        where = units[unit_key].name if unit_key else "全系统"
        stdout_write(f"  {username:<10} {role.label}（{where}）")
    stdout_write("启动网页：liangji serve，然后在浏览器打开 http://127.0.0.1:8000/")
    stdout_write("用上面的账号登录。")
