"""Small literal workbooks for the import tests, written with XlsxWriter."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from liangji.registers.spreadsheets import workbook_open

Rows = list[dict[str, Any]]


def id_number_make(birth: datetime.date, *, male: bool, area: str = "110101", seq: int = 1) -> str:
    """A valid 18-digit resident ID: area, birth date, sequence (odd for men), check digit."""
    sequence = seq * 2 + (1 if male else 0)
    body = f"{area}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def workbook_write(
    path: Path, sheets: dict[str, Rows], *, headers: dict[str, list[str]] | None = None
) -> Path:
    """One sheet per entry; the header is the union of the rows' keys (or given explicitly)."""
    # Text as typed: a hostile name must reach the importer as the characters, not a formula.
    workbook = workbook_open(path)
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        columns = list((headers or {}).get(name) or dict.fromkeys(k for row in rows for k in row))
        sheet.write_row(0, 0, columns)
        for r, row in enumerate(rows, start=1):
            for c, column in enumerate(columns):
                value = row.get(column)
                if value is None:
                    continue
                if isinstance(value, datetime.date):
                    sheet.write_datetime(r, c, value, date_format)
                else:
                    sheet.write(r, c, value)
    workbook.close()
    return path


ZHANG_SAN_ID = id_number_make(datetime.date(2012, 3, 15), male=True, seq=1)
LI_SI_ID = id_number_make(datetime.date(2010, 7, 1), male=False, seq=2)

UNITS: Rows = [
    {"类型": "镇", "名称": "青山镇"},
    {"类型": "村", "名称": "东村", "所属": "青山镇"},
    {"类型": "村", "名称": "西村", "所属": "青山镇"},
    {"类型": "小学", "名称": "青山小学", "所属": "青山镇", "代码": "X01"},
    {"类型": "初中", "名称": "青山中学", "所属": "青山镇"},
]

PEOPLE: Rows = [
    {
        "村/社区": "东村",
        "户号": "001",
        "姓名": "张三",
        "性别": "男",
        "出生日期": "2012-03-15",
        "身份证号": ZHANG_SAN_ID,
        "人口类型": "户籍",
        "特殊群体": "留守儿童、建档立卡",
    },
    {
        "村/社区": "东村",
        "户号": "001",
        "姓名": "张小妹",
        "性别": "女",
        "出生日期": "2016/9/2",
        "人口类型": "户籍",
    },
    {
        "村/社区": "西村",
        "户号": "7",
        "姓名": "李四",
        "性别": "女",
        "出生日期": "2010.7.1",
        "身份证号": LI_SI_ID,
        "人口类型": "户籍",
        "在外就读学段": "初中",
        "在外就读学校": "广州市第一中学",
        "在外就读证明": "无",
    },
    {
        "村/社区": "西村",
        "户号": "8",
        "姓名": "王五",
        "性别": "男",
        "出生日期": "2013年5月6日",
        "人口类型": "流动",
        "文化程度": "小学在读",
    },
]

PUPILS: Rows = [
    {
        "学校": "青山小学",
        "学籍号": "G1",
        "姓名": "张三",
        "性别": "男",
        "出生日期": "20120315",
        "身份证号": ZHANG_SAN_ID,
        "年级": "六年级",
        "学籍状态": "在读",
    },
    {
        "学校": "青山小学",
        "学籍号": "G2",
        "姓名": "王五",
        "性别": "男",
        "出生日期": "2013-05-06",
        "年级": 5,
        "学籍状态": "辍学",
        "变动日期": "2024-03-01",
        "入学日期": "2023-10-08",
    },
    {
        "学校": "青山中学",
        "学籍号": "G3",
        "姓名": "赵六",
        "性别": "女",
        "出生日期": "2009-01-01",
        "年级": "初二",
        "学籍状态": "转出",
        "变动日期": "2023-12-01",
        "转入学校": "县一中",
    },
]


def town_workbook(path: Path, **overrides: Rows) -> Path:
    sheets = {"单位": UNITS, "人口": PEOPLE, "学籍": PUPILS}
    sheets.update({name: rows for name, rows in overrides.items()})
    return workbook_write(path, sheets)
