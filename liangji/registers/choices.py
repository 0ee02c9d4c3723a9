"""The vocabulary of the registers: every status, kind and category is declared once, here.

Values are the Chinese words the offices write in their workbooks, so that a database row, an
import cell and a report column say the same thing.
"""

from __future__ import annotations

from django.db import models


class UnitKind(models.TextChoices):
    COUNTY = "县", "县"
    TOWN = "镇", "镇"
    TOWNSHIP = "乡", "乡"
    SUBDISTRICT = "街道", "街道"
    VILLAGE = "村", "村"
    COMMUNITY = "社区", "社区"
    PRIMARY = "小学", "小学"
    JUNIOR = "初中", "初中"
    NINE_YEAR = "九年一贯制", "九年一贯制学校"
    TEACHING_POINT = "教学点", "教学点"
    SPECIAL = "特殊教育学校", "特殊教育学校"


TOWN_KINDS = frozenset({UnitKind.TOWN, UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT})
VILLAGE_KINDS = frozenset({UnitKind.VILLAGE, UnitKind.COMMUNITY})
SCHOOL_KINDS = frozenset(
    {
        UnitKind.PRIMARY,
        UnitKind.JUNIOR,
        UnitKind.NINE_YEAR,
        UnitKind.TEACHING_POINT,
        UnitKind.SPECIAL,
    }
)


class Sex(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class PopulationType(models.TextChoices):
    REGISTERED = "户籍", "户籍人口"
    MIGRANT = "流动", "流动人口"


class HukouStatus(models.TextChoices):
    ON_REGISTER = "在册", "在册"
    MOVED_OUT = "迁出", "迁出"


class Disability(models.TextChoices):
    VISUAL = "视力", "视力残疾"
    HEARING = "听力", "听力残疾"
    SPEECH = "言语", "言语残疾"
    PHYSICAL = "肢体", "肢体残疾"
    INTELLECTUAL = "智力", "智力残疾"
    MENTAL = "精神", "精神残疾"
    MULTIPLE = "多重", "多重残疾"


# The "三类残疾" of the disabled-enrolment indicator: visual, hearing/speech (one class), and
# intellectual (domain.md §2).
THREE_CLASS_DISABILITIES = frozenset(
    {Disability.VISUAL, Disability.HEARING, Disability.SPEECH, Disability.INTELLECTUAL}
)


class EducationLevel(models.TextChoices):
    PRESCHOOL = "学龄前", "学龄前"
    PRIMARY_IN_SCHOOL = "小学在读", "小学在读"
    PRIMARY_INCOMPLETE = "小学肄业", "小学肄业"
    PRIMARY_GRADUATE = "小学毕业", "小学毕业"
    JUNIOR_IN_SCHOOL = "初中在读", "初中在读"
    JUNIOR_INCOMPLETE = "初中肄业", "初中肄业"
    JUNIOR_GRADUATE = "初中毕业", "初中毕业"
    SENIOR_OR_ABOVE = "高中及以上", "高中及以上"
    ILLITERATE = "文盲", "文盲"
    SEMI_LITERATE = "半文盲", "半文盲"
    LITERATE_AGAIN = "脱盲", "脱盲"


# Recorded levels that prove primary (resp. junior) education was completed (domain.md §3).
LEVELS_PRIMARY_COMPLETED = frozenset(
    {
        EducationLevel.PRIMARY_GRADUATE,
        EducationLevel.JUNIOR_IN_SCHOOL,
        EducationLevel.JUNIOR_INCOMPLETE,
        EducationLevel.JUNIOR_GRADUATE,
        EducationLevel.SENIOR_OR_ABOVE,
    }
)
LEVELS_JUNIOR_COMPLETED = frozenset(
    {EducationLevel.JUNIOR_GRADUATE, EducationLevel.SENIOR_OR_ABOVE}
)
LEVELS_ILLITERATE = frozenset({EducationLevel.ILLITERATE, EducationLevel.SEMI_LITERATE})


class Exemption(models.TextChoices):
    EXEMPT = "免学", "免学"
    DEFERRED = "缓学", "缓学"


class PriorityGroup(models.TextChoices):
    LEFT_BEHIND = "留守儿童", "留守儿童"
    MIGRANT_CHILD = "随迁子女", "随迁子女"
    POOR_REGISTERED = "建档立卡", "建档立卡"
    LOW_INCOME = "低保", "低保"
    ORPHAN = "孤儿", "孤儿"
    UNSUPPORTED = "事实无人抚养", "事实无人抚养"
    DISABLED = "残疾", "残疾"


class StudyLevel(models.TextChoices):
    """The level of a registered child studying elsewhere (本在外)."""

    PRIMARY = "小学", "小学"
    JUNIOR = "初中", "初中"
    SENIOR = "高中", "高中"
    VOCATIONAL = "中职", "中职"
    SPECIAL = "特教", "特殊教育"


class RollStatus(models.TextChoices):
    """A pupil's status on a school roll (学籍状态)."""

    STUDYING = "在读", "在读"
    SUSPENDED = "休学", "休学"
    DROPPED_OUT = "辍学", "辍学"
    TRANSFERRED_OUT = "转出", "转出"
    GRADUATED = "毕业", "毕业"
    DECEASED = "死亡", "死亡"


# Words schools also write in the 学籍状态 column (product.md), with the status each stands for:
# 复学 is 在读 again from its date (休学 before it), 转入 is 在读 having joined on its date, 退学 is
# a dropout exit.
RESUMED_WORD, JOINED_WORD, LEFT_WORD = "复学", "转入", "退学"
ROLL_STATUS_WORDS: dict[str, str] = {
    RESUMED_WORD: RollStatus.STUDYING,
    JOINED_WORD: RollStatus.STUDYING,
    LEFT_WORD: RollStatus.DROPPED_OUT,
}

# Statuses under which a pupil is still on the register (the flow form of the dropout rate
# counts both, domain.md §3).
ROLL_STATUSES_ON_REGISTER = frozenset({RollStatus.STUDYING, RollStatus.SUSPENDED})


class RollEventKind(models.TextChoices):
    """A dated change on a roll. The roll's current status is the result of its events."""

    ENTERED = "入学", "入学/转入"
    SUSPENDED = "休学", "休学"
    RESUMED = "复学", "复学"
    DROPPED_OUT = "辍学", "辍学"
    TRANSFERRED_OUT = "转出", "转出"
    GRADUATED = "毕业", "毕业"
    DECEASED = "死亡", "死亡"


# The status a roll has after each kind of event.
STATUS_AFTER_EVENT: dict[str, str] = {
    RollEventKind.ENTERED: RollStatus.STUDYING,
    RollEventKind.SUSPENDED: RollStatus.SUSPENDED,
    RollEventKind.RESUMED: RollStatus.STUDYING,
    RollEventKind.DROPPED_OUT: RollStatus.DROPPED_OUT,
    RollEventKind.TRANSFERRED_OUT: RollStatus.TRANSFERRED_OUT,
    RollEventKind.GRADUATED: RollStatus.GRADUATED,
    RollEventKind.DECEASED: RollStatus.DECEASED,
}
EVENT_FOR_STATUS: dict[str, str] = {
    RollStatus.SUSPENDED: RollEventKind.SUSPENDED,
    RollStatus.DROPPED_OUT: RollEventKind.DROPPED_OUT,
    RollStatus.TRANSFERRED_OUT: RollEventKind.TRANSFERRED_OUT,
    RollStatus.GRADUATED: RollEventKind.GRADUATED,
    RollStatus.DECEASED: RollEventKind.DECEASED,
}

PRIMARY_GRADES = range(1, 7)
JUNIOR_GRADES = range(7, 10)


class Resolution(models.TextChoices):
    """How a child out of school is followed up (domain.md §5): one vocabulary for the work
    lists of the reconciliation and the 控辍保学 cases. STILL_OUT keeps a line open; the others
    close it (a case needs the evidence its resolution asks for)."""

    RETURNED = "复学", "已复学/已入学"
    HOME_TEACHING = "送教上门", "送教上门"
    TRANSFERRED = "转学", "已转学（接收学校已知）"
    DECEASED = "死亡", "死亡"
    REGISTRATION_ERROR = "登记错误", "登记错误（空挂户、双重户籍、信息有误、查无此人）"
    ELSEWHERE = "在外就读", "在外就读（已取得证明）"
    OVER_AGE = "超龄", "超龄"
    STILL_OUT = "仍未返校", "仍未入学/返校（继续跟进）"
