"""The archive's line on the dashboard's 待办与超期: what is missing, counted once."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from liangji.accounts.testing import Cast
from liangji.archive.selectors import completeness
from liangji.registers.models import SchoolYear
from liangji.registers.tests.register import register_create

pytestmark = pytest.mark.django_db


def test_the_missing_archive_materials_are_counted_once(client: Client, cast: Cast) -> None:
    register_create(cast)
    client.force_login(cast.alice)
    page = client.get("/").content.decode()
    line = re.search(r'<a class="badge badge-warn" href="/archive/[^"]*">([^<]*)</a>', page)
    assert line is not None, page
    result = completeness(user=cast.alice, unit=cast.town, school_year=SchoolYear.objects.get())
    assert (
        line.group(1)
        == f"两基档案：缺少的必备材料（完整率 {result.percent}%）：{len(result.missing)}"
    )
