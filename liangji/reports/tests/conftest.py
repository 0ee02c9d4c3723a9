"""The cast of the report tests: 青山镇 of accounts.testing (alice keeps its office, vera is the
cadre of 东村, wang of 西村, sam works at 青山小学, oscar keeps 白水镇's office, ian inspects the
county) with a small register of school year 2023 (reference date 2023-09-01):

- 东村: 张小明 (8, 青山小学 grade 2), 王小二 (9, no roll: not enrolled), 钱十五 (15, no roll,
  no level: did not complete primary), 周文盲 (40, 文盲);
- 西村: 李小红 (7, 青山小学 grade 1), 赵十五 (15, 小学毕业), 吴十七 (17, 初中毕业);
- 青山中学: 孙辍学 (grade 8, on the roll on 1 Sept, 辍学 2023-11-01), of 东村.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from liangji.accounts.testing import Cast, cast_create
from liangji.registers import testing as b
from liangji.registers.models import Enrollment, PersonRecord


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    cast: Cast
    xiaoming: PersonRecord
    xiaoer: PersonRecord
    qian15: PersonRecord
    illiterate: PersonRecord
    xiaohong: PersonRecord
    zhao15: PersonRecord
    wu17: PersonRecord
    dropout: PersonRecord
    dropout_roll: Enrollment


def world_create() -> World:
    cast = cast_create()
    east, west = cast.east, cast.west
    xiaoming = b.person(east, born="2015-03-01", name="张小明", id_number="511802201503011234")
    xiaoer = b.person(east, born="2014-05-01", name="王小二", number="002")
    qian15 = b.person(east, born="2008-05-01", name="钱十五", number="003", sex="女")
    illiterate = b.person(
        east, born="1983-02-01", name="周文盲", number="004", education_level="文盲"
    )
    dropout = b.person(east, born="2010-02-01", name="孙辍学", number="005")
    xiaohong = b.person(west, born="2016-01-10", name="李小红", sex="女", number="101")
    zhao15 = b.person(
        west, born="2008-03-01", name="赵十五", number="102", education_level="小学毕业"
    )
    wu17 = b.person(
        west, born="2006-03-01", name="吴十七", number="103", education_level="初中毕业"
    )
    b.pupil(cast.primary, grade=2, who=xiaoming, hukou_village="东村")
    b.pupil(cast.primary, grade=1, who=xiaohong, hukou_village="西村")
    roll = b.pupil(
        cast.junior, grade=8, who=dropout, status="辍学", status_date="2023-11-01",
        hukou_village="东村",
    )  # fmt: skip
    b.event(roll, "辍学", "2023-11-01")
    return World(
        cast=cast, xiaoming=xiaoming, xiaoer=xiaoer, qian15=qian15, illiterate=illiterate,
        xiaohong=xiaohong, zhao15=zhao15, wu17=wu17, dropout=dropout, dropout_roll=roll,
    )  # fmt: skip


@pytest.fixture
def world(db: None) -> World:
    return world_create()
