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

from liangji.registers.choices import ROLL_STATUS_WORDS, PriorityGroup, RollStatus, Sex
from liangji.registers.identity import IdNumberError, id_number_decode

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
        raise CellError(f"日期“{shown}”不存在（月或日超出范围）；{DATE_FIX}") from None


@functools.lru_cache(maxsize=MEMO)
def date_parse(value: object) -> datetime.date:
    """2009-03-15, 2009/3/15, 2009.3.15, 20090315, 2009年3月15日, an Excel date or serial."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是日期；{DATE_FIX}")
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            text = str(int(number))
            return _date_from_parts(int(text[:4]), int(text[4:6]), int(text[6:]), text)
        if SERIAL_MIN <= number <= SERIAL_MAX:
            return EXCEL_EPOCH + datetime.timedelta(days=int(number))
        raise CellError(f"“{text_clean(value)}”不是日期；{DATE_FIX}")
    text = text_clean(value)
    match = _DATE_PATTERN.match(text) or _COMPACT_DATE.match(text)
    if match is None:
        raise CellError(f"“{text}”不是可识别的日期；{DATE_FIX}")
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


def _grade_lookup(value: object, words: dict[str, int], spellings: str) -> int:
    text = text_clean(value)
    grade = words.get(text)
    if grade is None:
        raise CellError(f"年级“{text}”无法识别；请写 {spellings}")
    return grade


@functools.lru_cache(maxsize=MEMO)
def grade_parse(value: object) -> int:
    """1–9, 一年级…九年级, 七年级…, 初一…初三 → the grade number (7–9 are junior)."""
    return _grade_lookup(value, _GRADE_WORDS, "1–9、一年级…九年级 或 初一…初三")


_SENIOR_GRADE_WORDS: dict[str, int] = dict(_GRADE_WORDS)
for _number, _word in ((10, "十"), (11, "十一"), (12, "十二")):
    _SENIOR_GRADE_WORDS[f"{_word}年级"] = _number
    _SENIOR_GRADE_WORDS[f"{_number}年级"] = _number
    _SENIOR_GRADE_WORDS[str(_number)] = _number
for _word, _number in (("一", 10), ("二", 11), ("三", 12)):
    _SENIOR_GRADE_WORDS[f"高{_word}"] = _number
    _SENIOR_GRADE_WORDS[f"高中{_word}年级"] = _number
    _SENIOR_GRADE_WORDS[f"中职{_word}年级"] = _number


@functools.lru_cache(maxsize=MEMO)
def grade_elsewhere_parse(value: object) -> int:
    """在外就读年级: the roll's spellings and the senior years, 10–12, 十年级…, 高一…高三."""
    spellings = "1–12、一年级…十二年级、初一…初三 或 高一…高三"
    return _grade_lookup(value, _SENIOR_GRADE_WORDS, spellings)


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
    raise CellError(f"“{text_clean(value)}”无法识别；请填写 {words}")


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
        raise CellError(f"{what}“{text}”不是可用的值；请填写 {allowed} 之一")
    return found


@functools.lru_cache(maxsize=MEMO)
def roll_status_parse(value: object) -> str:
    """学籍状态: a RollStatus, or one of the words schools also write (复学, 转入, 退学)."""
    text = text_clean(value)
    if text in ROLL_STATUS_WORDS:
        return text
    try:
        return choice_parse(value, RollStatus, "学籍状态")
    except CellError:
        allowed = "、".join([*(str(member.value) for member in RollStatus), *ROLL_STATUS_WORDS])
        raise CellError(f"学籍状态“{text}”不是可用的值；请填写 {allowed} 之一") from None


def sex_parse(value: object) -> str:
    return choice_parse(value, Sex, "性别")


_GROUP_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@functools.lru_cache(maxsize=MEMO)
def groups_parse(value: object) -> tuple[str, ...]:
    """特殊群体 separated by 、 , ， ; → sorted, de-duplicated group values."""
    parts = [part for part in _GROUP_SEPARATORS.split(text_clean(value)) if part]
    return tuple(sorted({choice_parse(part, PriorityGroup, "特殊群体") for part in parts}))


ID_STORED_AS_NUMBER = "该列被 Excel 存成了数字，后几位已丢失；请把列设为文本后重新填写"


def id_number_parse(value: object) -> tuple[str, datetime.date, str]:
    """A resident ID number → (normalised number, birth date, sex) or CellError.

    The rules (check digit, birth date, a region code that existed at some time) are the
    registers' `id_number_decode`; here the cell is cleaned (full-width digits) and a failure
    becomes the cell's error.
    """
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1e15:
        # A number typed into a General cell keeps 15 significant digits: the last three of
        # an 18-digit number are gone, and a few of the damaged numbers still pass every check.
        raise CellError(ID_STORED_AS_NUMBER)
    try:
        return tuple(id_number_decode(text_clean(value)))  # type: ignore[return-value]
    except IdNumberError as error:
        raise CellError(str(error)) from None


def nonempty(values: Iterable[object]) -> bool:
    return any(text_clean(value) for value in values)
