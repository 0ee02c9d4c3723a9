"""Cell parsers: every spelling the offices type, turned into one typed value or a CellError.

A CellError's message says what is wrong and how to fix it; the validator adds sheet, row and
column.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Iterable

from django.db import models
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from liangji.registers.choices import PriorityGroup, Sex

# Parsers of values that repeat (dates, words, names) are memoised: a county workbook has
# 500,000 rows but only tens of thousands of distinct values per column. Errors are not cached.
MEMO = 1 << 16


class CellError(ValueError):
    """A cell's value cannot be used; the message is the Chinese explanation with the fix."""


EXCEL_EPOCH = datetime.date(1899, 12, 30)
# Serial numbers of 1900-01-01 … 2099-12-31 in Excel's 1900 date system.
SERIAL_MIN, SERIAL_MAX = 2, 73415
DATE_FIX = "请写成 2009-03-15 这样的日期"
_DATE_PATTERN = re.compile(
    r"^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?"
    r"(?:[ T]0{1,2}:0{1,2}(?::0{1,2}(?:\.0+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


@functools.lru_cache(maxsize=MEMO)
def text_clean(value: object) -> str:
    """A cell as text: NFKC (full-width → half-width), trimmed; numbers without a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _date_from_parts(year: int, month: int, day: int, shown: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"日期“{shown}”不存在(月或日超出范围);{DATE_FIX}") from None


@functools.lru_cache(maxsize=MEMO)
def date_parse(value: object) -> datetime.date:
    """2009-03-15, 2009/3/15, 2009.3.15, 20090315, 2009年3月15日, an Excel date or serial."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是日期;{DATE_FIX}")
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            text = str(int(number))
            return _date_from_parts(int(text[:4]), int(text[4:6]), int(text[6:]), text)
        if SERIAL_MIN <= number <= SERIAL_MAX:
            return EXCEL_EPOCH + datetime.timedelta(days=int(number))
        raise CellError(f"“{text_clean(value)}”不是日期;{DATE_FIX}")
    text = text_clean(value)
    match = _DATE_PATTERN.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise CellError(f"“{text}”不是可识别的日期;{DATE_FIX}")
    year, month, day = (int(part) for part in match.groups())
    return _date_from_parts(year, month, day, text)


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_GRADE_WORDS: dict[str, int] = {}
for _word, _number in _CHINESE_DIGITS.items():
    _GRADE_WORDS[f"{_word}年级"] = _number
    _GRADE_WORDS[f"{_number}年级"] = _number
    _GRADE_WORDS[str(_number)] = _number
for _word, _number in (("一", 7), ("二", 8), ("三", 9)):
    _GRADE_WORDS[f"初{_word}"] = _number
    _GRADE_WORDS[f"初中{_word}年级"] = _number
for _word, _number in _CHINESE_DIGITS.items():
    if _number <= 6:
        _GRADE_WORDS[f"小学{_word}年级"] = _number


@functools.lru_cache(maxsize=MEMO)
def grade_parse(value: object) -> int:
    """1–9, 一年级…九年级, 七年级…, 初一…初三 → the grade number (7–9 are junior)."""
    text = text_clean(value)
    grade = _GRADE_WORDS.get(text)
    if grade is None:
        raise CellError(f"年级“{text}”无法识别;请写 1–9、一年级…九年级 或 初一…初三")
    return grade


_TRUE_WORDS = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓"})
_FALSE_WORDS = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×"})


@functools.lru_cache(maxsize=MEMO)
def bool_parse(value: object, *, words: str = "是 或 否") -> bool:
    if isinstance(value, bool):
        return value
    text = text_clean(value).lower()
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    raise CellError(f"“{text_clean(value)}”无法识别;请填写 {words}")


@functools.cache
def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for member in choices:
        lookup[str(member.value)] = str(member.value)
        lookup[str(member.label)] = str(member.value)
    return lookup


@functools.lru_cache(maxsize=MEMO)
def choice_parse(value: object, choices: type[models.TextChoices], what: str) -> str:
    """A value or label of a TextChoices vocabulary ("视力" and "视力残疾" both → 视力)."""
    text = text_clean(value)
    found = _choice_lookup(choices).get(text)
    if found is None:
        allowed = "、".join(str(member.value) for member in choices)
        raise CellError(f"{what}“{text}”不是可用的值;请填写 {allowed} 之一")
    return found


def sex_parse(value: object) -> str:
    return choice_parse(value, Sex, "性别")


_GROUP_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@functools.lru_cache(maxsize=MEMO)
def groups_parse(value: object) -> tuple[str, ...]:
    """特殊群体 separated by 、 , ， ; → sorted, de-duplicated group values."""
    parts = [part for part in _GROUP_SEPARATORS.split(text_clean(value)) if part]
    return tuple(sorted({choice_parse(part, PriorityGroup, "特殊群体") for part in parts}))


@functools.cache
def _place_is_valid(number: str) -> bool:
    # The place lookup of python-stdnum is its slow part; codes repeat a great deal in one
    # county, so each (place, birth year) is checked once.
    try:
        ric.get_birth_place(number)
    except StdnumError:
        return False
    return True


ID_STORED_AS_NUMBER = "该列被 Excel 存成了数字，后几位已丢失；请把列设为文本后重新填写"


def id_number_parse(value: object) -> tuple[str, datetime.date, str]:
    """A resident ID number → (normalised number, birth date, sex) or CellError.

    18 digits: GB 11643 checksum, birth date and region checked with python-stdnum. 15-digit
    legacy numbers (19YYMMDD birth date, no check digit) are accepted with their date checked.
    """
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1e15:
        # A number typed into a General cell keeps 15 significant digits: the last three of
        # an 18-digit number are gone, and a few of the damaged numbers still pass every check.
        raise CellError(ID_STORED_AS_NUMBER)
    # Not ric.compact: its generic cleaning was a third of the import's parse time.
    number = text_clean(value).replace(" ", "").replace("-", "").upper()
    if len(number) == 15:
        if not number.isdigit():
            raise CellError(f"15 位身份证号“{number}”只能由数字组成;请核对后重填")
        try:
            birth = datetime.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
        except ValueError:
            raise CellError(f"身份证号“{number}”中的出生日期不存在;请核对后重填") from None
        return number, birth, Sex.MALE if int(number[14]) % 2 else Sex.FEMALE
    if len(number) != 18:
        raise CellError(
            f"身份证号“{number}”有 {len(number)} 位,应为 18 位(或旧 15 位);请核对后重填"
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise CellError(f"身份证号“{number}”含有非数字字符(只有末位可以是 X);请核对后重填")
    if number[17] != ric.calc_check_digit(number):
        raise CellError(f"身份证号“{number}”校验码不正确(可能有一位抄错);请核对原件后重填")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise CellError(f"身份证号“{number}”中的出生日期不存在;请核对后重填") from None
    if not _place_is_valid(number[:10] + "0101" + "0000"):
        raise CellError(f"身份证号“{number}”的前 6 位不是有效的行政区划代码;请核对后重填")
    return number, birth, Sex.MALE if int(number[16]) % 2 else Sex.FEMALE


def nonempty(values: Iterable[object]) -> bool:
    return any(text_clean(value) for value in values)
