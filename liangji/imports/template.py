"""The blank canonical workbook (`liangji template`) with its 说明 sheet."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from liangji.imports.columns import DATE_HELP, SPECS, SheetSpec
from liangji.registers.spreadsheets import cells, workbook_open

TEMPLATE_NAME = "导入模板.xlsx"
VALIDATION_ROWS = 200_000  # drop-down lists cover this many data rows

RULES = (
    "一个工作簿是一个学年的状态：人口表是统计时点（9月1日）的人口，学籍表是本学年的学籍及其变动。",
    "带 * 的列必须填写；列的顺序可以调整，表头也可以用常见写法"
    "（如 出生年月、身份证号码、所在村、户编号、人员类型）。",
    "单位表必须列出镇和所有在人口表、学籍表中出现的村（社区）和学校；其他表按名称引用单位。",
    DATE_HELP + "。",
    "年级可写 1–9、一年级…九年级、七年级…九年级 或 初一…初三；1–6 为小学，7–9 为初中。",
    "身份证号按国家标准校验（校验码、出生日期、性别须与本行一致）；旧 15 位号码也可。"
    "末位小写 x 会自动改为 X。",
    "人口与学籍按身份证号匹配；没有身份证号时按姓名、性别、出生日期匹配。"
    "匹配不上的学生仍会导入，留待比对核查。",
    "学籍状态不是“在读”时必须填写变动日期，且须在本学年（9月1日至次年8月31日）之内；"
    "入学日期在本学年内会记为一次入学（转入）。",
    "文件只要有一处错误就整个不导入，并在原文件旁生成“文件名.errors.xlsx”，逐行说明错误和改法；"
    "也可以选择“跳过错误行”，只导入正确的行。",
    "再次导入同一个文件不会改变任何数据；改正后的文件会就地更新；本学年中文件所涉及的村（社区）、学校里"
    "不再出现的记录会被删除。其他学年的数据不受影响。",
    "本在外就读（填写了在外就读学段）的人员须有证明材料；没有证明会列为警告。",
    "扫盲表（可选）每个学员一行：按身份证号（没有时按姓名、性别、出生日期）在本村人口中找人，"
    "学员须是 15–50 周岁的文盲或半文盲；同村同名的行是同一个班，按最早的入班日期开班，"
    "计划课时记为 120。是否脱盲为“是”即识字数达标且阅读、记账、写便条都合格：系统按测验日期发证，"
    "并把文化程度改为脱盲；复查结果为“复盲”时改回半文盲（复查识字数不在表中，巩固记为测验时的"
    "识字数，复盲记为 0）。系统中已有的班、学员、成绩、证书和复查不会重复写入。",
)


def _sheet_write(workbook: xlsxwriter.Workbook, spec: SheetSpec, formats: dict) -> None:
    sheet = workbook.add_worksheet(spec.name)
    for index, column in enumerate(spec.columns):
        header = column.name + ("*" if column.required else "")
        sheet.write_string(0, index, header, formats["required" if column.required else "header"])
        sheet.set_column(index, index, column.width)
        if column.help:
            sheet.write_comment(0, index, column.help, {"x_scale": 2, "y_scale": 1.5})
        if column.choices:
            sheet.data_validation(
                1,
                index,
                VALIDATION_ROWS,
                index,
                {
                    "validate": "list",
                    "source": list(column.choices),
                    "error_type": "warning",
                    "error_message": "请从下拉列表中选择：" + "、".join(column.choices),
                },
            )
    sheet.freeze_panes(1, 0)


def _help_write(workbook: xlsxwriter.Workbook, formats: dict) -> None:
    help_cells = cells(workbook, "说明")
    sheet = help_cells.sheet
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 8)
    sheet.set_column(3, 3, 60)
    sheet.set_column(4, 4, 40)
    sheet.write_string(0, 0, "两基工作系统 导入模板 使用说明", formats["title"])
    row = 2
    for rule_number, rule in enumerate(RULES, start=1):
        sheet.merge_range(row, 0, row, 4, f"{rule_number}. {rule}", formats["wrap"])
        sheet.set_row(row, 32)
        row += 1
    row += 1
    help_cells.row(
        row, 0, ["工作表", "列", "必填", "说明与可用的值", "也可写作"], formats["header"]
    )
    for spec in SPECS.values():
        for column in spec.columns:
            row += 1
            help_cells.row(
                row,
                0,
                [
                    spec.name,
                    column.name,
                    "是" if column.required else "",
                    column.help,
                    "、".join(column.aliases),
                ],
                formats["wrap"],
            )


def template_write(path: Path) -> Path:
    workbook = workbook_open(path)
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "required": workbook.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "border": 1, "font_color": "#C00000"}
        ),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    for spec in SPECS.values():
        _sheet_write(workbook, spec, formats)
    _help_write(workbook, formats)
    workbook.close()
    return path
