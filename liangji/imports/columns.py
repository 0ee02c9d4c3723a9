"""The canonical workbook layout: sheets, columns, which are required, and the header variants.

Headers are matched after normalisation (NFKC folds full-width letters, digits and brackets to
half-width; spaces and the `*` that marks a required column are dropped), so "出生年月 *" and
"出生日期" both name the same column.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

SHEET_UNITS = "单位"
SHEET_PEOPLE = "人口"
SHEET_ROLLS = "学籍"
SHEET_LITERACY = "扫盲"  # optional; read and written by the app registered for it (literacy)
SHEETS = (SHEET_UNITS, SHEET_PEOPLE, SHEET_ROLLS, SHEET_LITERACY)


@dataclass(frozen=True)
class Column:
    name: str  # the canonical header
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""  # one line for the 说明 sheet of the template
    choices: tuple[str, ...] = ()  # offered as a drop-down list in the template
    width: int = 12


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def header_normalise(text: object) -> str:
    """The comparable form of a header cell: half-width, no spaces, no required-marks."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "*")


DATE_HELP = "日期可写作 2009-03-15、2009/3/15、2009.3.15、20090315、2009年3月15日 或 Excel 日期格式"

# Spellings shared by the sheets that name a person's village, ID number and birth date.
VILLAGE_ALIASES = ("所在村", "村", "社区", "村（社区）", "村社区", "村居", "村/居", "户籍村")
ID_ALIASES = ("身份证号码", "身份证", "公民身份号码", "身份号码", "证件号码")
BIRTH_ALIASES = ("出生年月", "出生年月日", "生日")

UNITS = SheetSpec(
    SHEET_UNITS,
    (
        Column(
            "类型",
            True,
            ("单位类型", "类别"),
            "镇、乡、街道、村、社区、小学、初中、九年一贯制、教学点、特殊教育学校",
            (
                "镇",
                "乡",
                "街道",
                "村",
                "社区",
                "小学",
                "初中",
                "九年一贯制",
                "教学点",
                "特殊教育学校",
            ),
        ),
        Column(
            "名称",
            True,
            ("单位名称", "名字"),
            "单位全称；人口表和学籍表中使用的名称必须与此一致",
            width=20,
        ),
        Column("代码", False, ("单位代码", "编码", "学校代码"), "可选：统计或学校代码"),
        Column(
            "所属",
            False,
            ("所属镇", "上级", "上级单位", "所属单位", "所属乡镇"),
            "村/社区/学校所属的镇（乡、街道）名称；镇本身留空",
            width=16,
        ),
    ),
    aliases=("单位表", "单位名单"),
)

PEOPLE = SheetSpec(
    SHEET_PEOPLE,
    (
        Column(
            "村/社区",
            True,
            VILLAGE_ALIASES,
            "户籍人口填户籍所在村（社区）；流动人口填现居住的村（社区）；须是单位表中的名称",
            width=14,
        ),
        Column("户号", True, ("户编号", "户籍号", "户口号"), "户在村内的编号"),
        Column("姓名", True, (), "", width=10),
        Column("性别", True, (), "男 或 女", ("男", "女"), width=6),
        Column("出生日期", True, BIRTH_ALIASES, DATE_HELP),
        Column(
            "身份证号",
            False,
            ID_ALIASES,
            "18 位（或旧 15 位）公民身份号码；"
            "校验码、出生日期、性别须与本行一致；末位 x 自动转为 X",
            width=22,
        ),
        Column("民族", False, (), "", width=8),
        Column(
            "人口类型",
            True,
            ("人员类型", "户口类型", "人口类别"),
            "户籍 或 流动",
            ("户籍", "流动"),
            10,
        ),
        Column("户籍状态", False, ("户口状态",), "在册 或 迁出；空白视为在册", ("在册", "迁出")),
        Column("迁出日期", False, ("迁出时间",), "户籍状态为迁出时必填；" + DATE_HELP),
        Column("现住址", False, ("住址", "现居住地", "家庭住址"), "", width=20),
        Column(
            "残疾类别",
            False,
            ("残疾类型", "残疾情况", "残疾"),
            "视力、听力、言语、肢体、智力、精神、多重；无残疾留空",
            ("视力", "听力", "言语", "肢体", "智力", "精神", "多重"),
        ),
        Column(
            "文化程度",
            False,
            ("学历", "受教育程度"),
            "学龄前、小学在读、小学肄业、小学毕业、初中在读、初中肄业、初中毕业、高中及以上、文盲、半文盲、脱盲",
            (
                "学龄前",
                "小学在读",
                "小学肄业",
                "小学毕业",
                "初中在读",
                "初中肄业",
                "初中毕业",
                "高中及以上",
                "文盲",
                "半文盲",
                "脱盲",
            ),
        ),
        Column("丧失学习能力", False, ("丧失学习能力人员",), "是 或 否；空白视为否", ("是", "否")),
        Column(
            "免缓学",
            False,
            ("免学缓学", "免缓学情况"),
            "免学 或 缓学；须同时填批准日期",
            ("免学", "缓学"),
        ),
        Column("免缓学批准日期", False, ("批准日期",), DATE_HELP),
        Column("免缓学截止日期", False, ("截止日期",), DATE_HELP),
        Column(
            "特殊群体",
            False,
            ("特殊人群", "重点群体"),
            "留守儿童、随迁子女、建档立卡、低保、孤儿、事实无人抚养、残疾；多个用 、或逗号分隔",
            width=16,
        ),
        Column("死亡日期", False, ("死亡时间",), DATE_HELP),
        Column(
            "在外就读学校",
            False,
            ("外出就读学校", "就读学校"),
            "本在外：在外地就读的学校",
            width=16,
        ),
        Column("在外就读地区", False, ("外出就读地区", "就读地区"), "本在外：在外就读的省市县"),
        Column(
            "在外就读学段",
            False,
            ("外出就读学段", "就读学段"),
            "小学、初中、高中、中职、特教；填写即表示本在外就读",
            ("小学", "初中", "高中", "中职", "特教"),
        ),
        Column(
            "在外就读年级",
            False,
            ("外出就读年级", "就读年级"),
            "1–12、一年级…九年级、初一…初三、高一…高三；须与学段相符",
        ),
        Column(
            "在外就读证明",
            False,
            ("证明材料", "在外就读证明材料"),
            "有 或 无；无证明会列为警告",
            ("有", "无"),
        ),
        Column("送教上门", False, (), "是 或 否", ("是", "否")),
        Column("备注", False, ("说明",), "", width=20),
    ),
    aliases=("人口表", "户口册", "文化户口册", "人员"),
)

ROLLS = SheetSpec(
    SHEET_ROLLS,
    (
        Column("学校", True, ("学校名称", "就读学校"), "须是单位表中的学校名称", width=16),
        Column("学籍号", False, ("全国学籍号", "学籍编号"), "", width=20),
        Column("姓名", True, ("学生姓名",), "", width=10),
        Column("性别", True, (), "男 或 女", ("男", "女"), width=6),
        Column("出生日期", True, BIRTH_ALIASES, DATE_HELP),
        Column(
            "身份证号",
            False,
            ID_ALIASES,
            "与人口表按身份证号匹配；没有身份证号时按姓名、性别、出生日期匹配",
            width=22,
        ),
        Column("户籍村", False, ("户籍所在村", "户籍地"), "学生户籍所在的村（社区）", width=14),
        Column(
            "年级", True, ("所在年级",), "1–9、一年级…九年级、七年级…九年级 或 初一…初三", width=8
        ),
        Column("班级", False, ("所在班级", "班"), "", width=8),
        Column(
            "入学日期", False, ("转入日期", "入学时间"), "本学年内入学或转入的日期；" + DATE_HELP
        ),
        Column(
            "学籍状态",
            True,
            ("状态", "在校状态"),
            "在读、休学、辍学、转出、毕业、死亡；也可写 复学、转入（均为在读）、退学（即辍学）",
            ("在读", "休学", "辍学", "转出", "毕业", "死亡", "复学", "转入", "退学"),
        ),
        Column(
            "变动日期",
            False,
            ("变动时间", "状态日期"),
            "学籍状态不是在读时必填；早于本学年的日期表示学年初已是该状态，"
            "不能晚于本学年最后一天；" + DATE_HELP,
        ),
        Column(
            "转入学校",
            False,
            ("转往学校", "转学学校", "转出学校"),
            "学籍状态为转出时填写接收学校",
            width=16,
        ),
    ),
    aliases=("学籍表", "学生", "学生名单"),
)

LITERACY = SheetSpec(
    SHEET_LITERACY,
    (
        Column(
            "村/社区",
            True,
            VILLAGE_ALIASES,
            "学员户籍所在的村（社区）；须是单位表中的名称，学员须在人口表（或系统）中",
            width=14,
        ),
        Column("姓名", True, ("学员姓名",), "", width=10),
        Column(
            "身份证号",
            False,
            ID_ALIASES,
            "按身份证号找人口表中的学员；没有身份证号时填出生日期和性别",
            width=22,
        ),
        Column("出生日期", False, BIRTH_ALIASES, "无身份证号时必填；" + DATE_HELP),
        Column("性别", False, (), "无身份证号时必填：男 或 女", ("男", "女"), width=6),
        Column(
            "扫盲班",
            True,
            ("班名", "扫盲班名称", "所在班"),
            "同一村内同名的行属于同一个班",
            width=16,
        ),
        Column(
            "入班日期",
            True,
            ("入学日期", "入班时间"),
            "须在本学年内；班的开班日期取该班最早的入班日期；" + DATE_HELP,
        ),
        Column(
            "测验日期", False, ("测试日期", "考试日期"), "未测验留空；须在本学年内，不早于入班日期"
        ),
        Column(
            "识字数",
            False,
            ("识字量", "认字数"),
            "测验认识的常用字数（整数）；填了测验日期时必填",
            width=8,
        ),
        Column(
            "是否脱盲",
            False,
            ("脱盲", "测验结果"),
            "是 或 否；是 = 识字数达到标准（村 1500、社区 2000）且阅读、记账、写便条都合格，"
            "系统发脱盲证书并把文化程度改为脱盲",
            ("是", "否"),
            8,
        ),
        Column(
            "证书编号",
            False,
            ("脱盲证书编号", "证书号"),
            "已发证书的编号；是否脱盲为“是”而留空时由系统按本镇本年顺序编号",
            width=24,
        ),
        Column(
            "复查日期",
            False,
            ("复测日期", "巩固复查日期"),
            "脱盲满一年（按设置）后的复查；" + DATE_HELP,
        ),
        Column(
            "复查结果",
            False,
            ("复查", "复测结果"),
            "巩固 或 复盲；复盲时文化程度改回半文盲，重新列为扫盲对象",
            ("巩固", "复盲"),
            8,
        ),
    ),
    aliases=("扫盲表", "扫盲学员", "扫盲对象", "脱盲"),
)

SPECS = {spec.name: spec for spec in (UNITS, PEOPLE, ROLLS, LITERACY)}


def header_lookup(spec: SheetSpec) -> dict[str, str]:
    """Normalised header text → canonical column name, for every accepted spelling."""
    lookup: dict[str, str] = {}
    for column in spec.columns:
        for text in (column.name, *column.aliases):
            lookup[header_normalise(text)] = column.name
    return lookup


def sheet_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for spec in SPECS.values():
        for text in (spec.name, *spec.aliases):
            lookup[header_normalise(text)] = spec.name
    return lookup
