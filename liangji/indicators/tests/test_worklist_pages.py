"""Work lists: the people behind a shortfall, assigned, resolved and exported."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from liangji.accounts.testing import Cast, cast, fast_password_hasher
from liangji.audit.models import AuditAction, AuditEntry
from liangji.indicators.models import WorkItem
from liangji.registers.models import Household, Person, Unit
from liangji.registers.tests.register import Register, register_create
from liangji.registers.tests.spreadsheets import hostile, xlsx_assert_text_only

# These pages are the offices' (accounts.testing's cast), not the 汉源镇 of the rule tests.
__all__ = ["cast", "fast_password_hasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(fast_password_hasher: None) -> None:
    pass


# 李小红 of 西村 is 14 on 1 September 2024 and on no roll: she is behind the junior enrolment.
JUNIOR = "/worklist/?code=junior_net_enrollment"


@pytest.fixture
def register(cast: Cast) -> Register:
    return register_create(cast)


def _key(register: Register) -> str:
    return f"p{register.xiaohong.pk}"


def test_the_office_sees_who_is_behind_a_shortfall(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    page = client.get(JUNIOR).content.decode()
    assert "李小红" in page
    assert "张小明" not in page


def test_a_village_sees_only_its_own_lines(client: Client, cast: Cast, register: Register) -> None:
    client.force_login(cast.vera)
    assert "李小红" not in client.get(JUNIOR + f"&unit={cast.east.pk}").content.decode()
    client.force_login(cast.wang)
    assert "李小红" in client.get(JUNIOR + f"&unit={cast.west.pk}").content.decode()
    assert client.get(JUNIOR + f"&unit={cast.west.pk}").status_code == 200
    # Another village is not among the units vera may choose: the filter is refused.
    client.force_login(cast.vera)
    page = client.get(JUNIOR + f"&unit={cast.west.pk}").content.decode()
    assert "李小红" not in page
    assert "查询条件有误" in page


def test_the_office_assigns_and_the_village_resolves(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    response = client.post(
        "/worklist/assign/",
        {"code": "junior_net_enrollment", "unit": cast.town.pk, "keys": [_key(register)],
         "assign_to": cast.west.pk},
    )  # fmt: skip
    assert response.status_code == 302
    item = WorkItem.objects.get()
    assert (item.assigned_unit, item.person) == (cast.west, register.xiaohong)

    client.force_login(cast.wang)
    response = client.post(
        "/worklist/resolve/",
        {"code": "junior_net_enrollment", "unit": cast.west.pk, "key": _key(register),
         "resolution": "在外就读", "note": "在县城读初二，已取得证明", "version": item.version},
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.resolution, item.resolution_note, item.resolved_by) == (
        "在外就读", "在县城读初二，已取得证明", cast.wang
    )  # fmt: skip
    summaries = list(
        AuditEntry.objects.filter(entity="WorkItem")
        .order_by("id")
        .values_list("summary", flat=True)
    )
    assert summaries == [
        "2024—2025学年 junior_net_enrollment：1 条分派给 西村",
        f"2024—2025学年 junior_net_enrollment p{register.xiaohong.pk}：在外就读",
    ]
    page = client.get(JUNIOR + f"&unit={cast.west.pk}&state=resolved").content.decode()
    assert "在县城读初二" in page


def test_a_resolution_over_someone_elses_is_refused(
    client: Client, cast: Cast, register: Register
) -> None:
    data = {"code": "junior_net_enrollment", "unit": cast.town.pk, "key": _key(register),
            "resolution": "超龄", "note": "", "version": 0}  # fmt: skip
    client.force_login(cast.alice)
    client.post("/worklist/resolve/", data)
    response = client.post("/worklist/resolve/", data | {"resolution": "死亡"}, follow=True)
    assert "已被其他人修改" in response.content.decode()
    assert WorkItem.objects.get().resolution == "超龄"


def test_leaders_read_but_neither_assign_nor_resolve(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.lee)
    assert "李小红" in client.get(JUNIOR).content.decode()
    assert client.post("/worklist/assign/", {"keys": [_key(register)]}).status_code == 403
    assert client.post("/worklist/resolve/", {"key": _key(register)}).status_code == 403
    assert not WorkItem.objects.exists()


def test_the_export_is_an_audited_workbook_with_masked_ids(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    response = client.get("/worklist/export/?code=junior_net_enrollment")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    table = rows.to_python()
    assert table[1][:4] == ["姓名", "性别", "出生日期", "年龄"]
    assert table[2][0] == "李小红"
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.summary == "导出 青山镇 初中净入学率 工作清单（1 人）"


def test_reconciliation_findings_are_work_lists_too(
    client: Client, cast: Cast, register: Register
) -> None:
    # 李小红 is of school age, on no roll and not recorded as studying elsewhere.
    url = "/worklist/?code=rec:适龄儿童无学籍"
    client.force_login(cast.alice)
    page = client.get(url).content.decode()
    assert "四查三比对：适龄儿童无学籍" in page
    assert "李小红" in page and "张小明" not in page
    client.force_login(cast.wang)
    response = client.post(
        "/worklist/resolve/",
        {"code": "rec:适龄儿童无学籍", "unit": cast.west.pk, "key": _key(register),
         "resolution": "复学", "note": "已到青山中学报到", "version": 0},
        follow=True,
    )  # fmt: skip
    assert "已记录 李小红 的处理结果" in response.content.decode()
    assert WorkItem.objects.get().list_code == "rec:适龄儿童无学籍"
    client.force_login(cast.vera)
    assert "李小红" not in client.get(url).content.decode()


def test_the_export_writes_hostile_names_as_text(
    client: Client, cast: Cast, register: Register
) -> None:
    name, village, household = hostile(0, "小红"), hostile(5, "西村"), hostile(6, "007")
    Person.objects.filter(pk=register.xiaohong.pk).update(name=name)
    Unit.objects.filter(pk=cast.west.pk).update(name=village)
    Household.objects.filter(pk=register.xiaohong_record.household_id).update(number=household)
    client.force_login(cast.alice)
    response = client.get("/worklist/export/?code=junior_net_enrollment")
    xlsx_assert_text_only(response.content, [name, village, household])
