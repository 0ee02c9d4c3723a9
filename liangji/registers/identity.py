"""Resident ID numbers (GB 11643): what a number encodes, and whether it can be real.

The first six digits are the region code in force when the number was *issued*, often decades
after birth (everyone born in 成都锦江区 before 1990 holds 510104, a code created in 1990). So a
code is accepted when it existed at any time up to today, never tied to the birth year as
python-stdnum's `get_birth_place` does. The import and the reconciliation both ask here.
"""

from __future__ import annotations

import datetime
import functools
from typing import NamedTuple

from stdnum import numdb
from stdnum.cn import ric

from liangji.registers.choices import Sex


class IdNumberError(ValueError):
    """The number cannot be a resident ID. `reason` says why without the number (for lists that
    mask it); the message names the number and what to do, in Chinese."""

    def __init__(self, number: str, reason: str, fix: str = "请核对后重填") -> None:
        super().__init__(f"身份证号“{number}”{reason};{fix}")
        self.reason = reason


class IdNumber(NamedTuple):
    number: str
    birth_date: datetime.date
    sex: str


@functools.cache
def region_code_existed(code: str, this_year: int) -> bool:
    """Whether a 6-digit region code was in force at some time up to `this_year`.

    python-stdnum's table lists each county with the years it was valid ("[1990-]锦江区",
    "[-2010]崇文区", several periods separated by commas). A code that is in no period, or
    whose first period starts after this year, never existed.
    """
    info: dict[str, str] = {}
    try:
        for _part, props in numdb.get("cn/loc").info(code):
            info.update(props)
    except Exception:  # a library failure means "not known", never a traceback
        return False
    counties = info.get("county")
    if not counties:
        return False
    for county in counties.split(","):
        if not county.startswith("["):
            return True
        start = county[1:].split("]")[0].split("-")[0]
        if not start or int(start) <= this_year:
            return True
    return False


def _sex(digit: str) -> str:
    return Sex.MALE if int(digit) % 2 else Sex.FEMALE


def _birth(year: int, month: int, day: int, number: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise IdNumberError(number, "中的出生日期不存在") from None


def _region_check(number: str) -> None:
    if not region_code_existed(number[:6], datetime.date.today().year):
        reason = f"的前 6 位 {number[:6]} 不是任何时期用过的行政区划代码"
        raise IdNumberError(number, reason, "请核对原件后重填")


def id_number_decode(value: str) -> IdNumber:
    """A typed number → (normalised number, birth date, sex), or IdNumberError.

    18 digits: ISO 7064 MOD 11-2 check digit, birth date, region code. 15-digit legacy numbers
    (YYMMDD of the 1900s, no check digit): birth date and region code.
    """
    number = value.replace(" ", "").replace("-", "").upper()
    if len(number) == 15:
        if not number.isdigit():
            raise IdNumberError(number, "有 15 位，旧号码只能由数字组成")
        birth = _birth(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), number)
        _region_check(number)
        return IdNumber(number, birth, _sex(number[14]))
    if len(number) != 18:
        raise IdNumberError(number, f"有 {len(number)} 位，应为 18 位（或旧 15 位）")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError(number, "含有非数字字符（只有末位可以是 X）")
    if number[17] != ric.calc_check_digit(number):
        raise IdNumberError(number, "校验码不正确（可能有一位抄错）", "请核对原件后重填")
    birth = _birth(int(number[6:10]), int(number[10:12]), int(number[12:14]), number)
    _region_check(number)
    return IdNumber(number, birth, _sex(number[16]))
