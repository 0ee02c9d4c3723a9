"""The register pages: search, the person page, edits with history, events, locked years."""

from __future__ import annotations

import pytest
from django.test import Client

from liangji.accounts.testing import Cast
from liangji.audit.models import AuditAction, AuditEntry
from liangji.registers.choices import RollStatus
from liangji.registers.models import PersonRecord, SchoolYear
from liangji.registers.tests.register import Register, register_create


@pytest.fixture
def register(cast: Cast) -> Register:
    return register_create(cast)


def _page(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_people_are_found_by_name_initials_and_id_number(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    assert "张小明" in _page(client, "/people/", q="小明")
    found = _page(client, "/people/", q="zx")
    assert "张小明" in found and "李小红" not in found
    found = _page(client, "/people/", q="1234")
    assert "张小明" in found and "李小红" not in found
    assert "5118**********1234" in found
    assert "511802201503011234" not in found


def test_the_people_list_filters_by_age_on_the_reference_date(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    # On 1 September 2024 张小明 is 9 and 李小红 is 14.
    found = _page(client, "/people/", age_min="13", age_max="15")
    assert "李小红" in found and "张小明" not in found
    found = _page(client, "/people/", group="留守儿童")
    assert "张小明" in found and "李小红" not in found


def test_a_village_sees_only_its_own_people(client: Client, cast: Cast, register: Register) -> None:
    client.force_login(cast.vera)
    found = _page(client, "/people/")
    assert "张小明" in found
    assert "李小红" not in found and "王南山" not in found
    assert client.get(f"/people/{register.xiaohong.pk}/").status_code == 404


def test_the_person_page_masks_the_id_and_a_reveal_is_audited(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.vera)
    page = _page(client, f"/people/{register.xiaoming.pk}/")
    assert "5118**********1234" in page and "511802201503011234" not in page
    revealed = client.post(f"/people/{register.xiaoming.pk}/reveal-id/", HTTP_HX_REQUEST="true")
    assert "511802201503011234" in revealed.content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.REVEAL)
    assert (entry.actor, entry.summary) == ("vera", "查看 张小明 的完整身份证号")


def test_leaders_and_inspectors_may_not_reveal_id_numbers(
    client: Client, cast: Cast, register: Register
) -> None:
    for user in (cast.lee, cast.ian):
        client.force_login(user)
        assert "显示完整身份证号" not in _page(client, f"/people/{register.xiaoming.pk}/")
        assert client.post(f"/people/{register.xiaoming.pk}/reveal-id/").status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.REVEAL).exists()


def _edit_data(record: PersonRecord, **changes: str) -> dict[str, str]:
    data = {
        "population_type": record.population_type,
        "hukou_status": record.hukou_status,
        "address": record.address,
        "disability": record.disability,
        "education_level": record.education_level,
        "exemption": record.exemption,
        "elsewhere_level": record.elsewhere_level,
        "elsewhere_proof": "unknown",
        "note": record.note,
        "version": str(record.version),
    }
    data.update(changes)
    return data


def test_an_edit_is_saved_with_its_history(client: Client, cast: Cast, register: Register) -> None:
    client.force_login(cast.vera)
    record = register.xiaoming_record
    response = client.post(
        f"/records/{record.pk}/edit/", _edit_data(record, address="东村三组 12 号")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.address, record.version) == ("东村三组 12 号", 2)
    entry = AuditEntry.objects.get(entity="PersonRecord")
    assert (entry.before, entry.after) == ({"address": ""}, {"address": "东村三组 12 号"})
    assert "东村三组 12 号" in _page(client, f"/people/{register.xiaoming.pk}/")


def test_a_stale_edit_is_refused_without_losing_the_other_save(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.vera)
    record = register.xiaoming_record
    first = _edit_data(record, address="第一次保存")
    second = _edit_data(record, address="第二次保存")  # read before the first save
    client.post(f"/records/{record.pk}/edit/", first)
    response = client.post(f"/records/{record.pk}/edit/", second, follow=True)
    assert "已被其他人修改" in response.content.decode()
    record.refresh_from_db()
    assert record.address == "第一次保存"


def test_an_exemption_needs_its_approval_date(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.alice)
    record = register.xiaohong_record
    response = client.post(f"/records/{record.pk}/edit/", _edit_data(record, exemption="缓学"))
    assert "但没有批准日期；请补上批准日期" in response.content.decode()
    record.refresh_from_db()
    assert record.exemption == ""


def test_a_locked_year_refuses_edits_and_events(
    client: Client, cast: Cast, register: Register
) -> None:
    SchoolYear.objects.filter(pk=register.year.pk).update(locked=True)
    client.force_login(cast.alice)
    record = register.xiaoming_record
    response = client.post(
        f"/records/{record.pk}/edit/", _edit_data(record, address="不应保存"), follow=True
    )
    assert "已审核锁定" in response.content.decode()
    response = client.post(
        f"/records/{record.pk}/death/", {"died_on": "2025-01-05", "version": "1"}, follow=True
    )
    assert "已审核锁定" in response.content.decode()
    record.refresh_from_db()
    assert (record.address, record.died_on) == ("", None)


def test_person_events_death_and_move_out(client: Client, cast: Cast, register: Register) -> None:
    client.force_login(cast.alice)
    record = register.xiaohong_record
    client.post(f"/records/{record.pk}/move-out/", {"moved_out_on": "2024-10-08", "version": "1"})
    record.refresh_from_db()
    assert (record.hukou_status, str(record.moved_out_on), record.version) == (
        "迁出", "2024-10-08", 2
    )  # fmt: skip
    assert AuditEntry.objects.get(entity="PersonRecord").summary == (
        "登记 李小红 户籍迁出（2024-10-08）"
    )


def test_a_school_records_a_dropout_on_its_roll(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.sam)
    roll = register.xiaoming_roll
    response = client.post(
        f"/rolls/{roll.pk}/event/", {"kind": "辍学", "date": "2024-11-04", "note": "外出打工"}
    )
    assert response.status_code == 302
    roll.refresh_from_db()
    assert (roll.status, str(roll.status_date)) == (RollStatus.DROPPED_OUT, "2024-11-04")
    # A date outside the school year is refused with the reason.
    response = client.post(f"/rolls/{roll.pk}/event/", {"kind": "复学", "date": "2025-09-02"})
    assert "不在 2024—2025学年 之内" in response.content.decode()


def test_a_village_cannot_touch_a_school_roll(
    client: Client, cast: Cast, register: Register
) -> None:
    client.force_login(cast.vera)
    roll = register.xiaoming_roll
    response = client.post(f"/rolls/{roll.pk}/event/", {"kind": "辍学", "date": "2024-11-04"})
    assert response.status_code == 404
