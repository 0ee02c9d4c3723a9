"""The data of a synthetic town: its units, households and members with their lasting facts."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from liangji.demo import names
from liangji.registers.rules import age_on

SHEET_UNITS = "单位"
SHEET_PEOPLE = "人口"
SHEET_ROLL = "学籍"
UNIT_HEADERS = ("类型", "名称", "代码", "所属")
PEOPLE_HEADERS = (
    "村/社区", "户号", "姓名", "性别", "出生日期", "身份证号", "民族", "人口类型", "户籍状态",
    "迁出日期", "现住址", "残疾类别", "文化程度", "丧失学习能力", "免缓学", "免缓学批准日期",
    "免缓学截止日期", "特殊群体", "死亡日期", "在外就读学校", "在外就读地区", "在外就读学段",
    "在外就读年级", "在外就读证明", "送教上门", "备注",
)  # fmt: skip
ROLL_HEADERS = (
    "学校", "学籍号", "姓名", "性别", "出生日期", "身份证号", "户籍村", "年级", "班级",
    "入学日期", "学籍状态", "变动日期", "转入学校",
)  # fmt: skip

THREE_CLASS = ("视力", "听力", "言语", "智力")
OTHER_DISABILITIES = ("肢体", "精神", "多重")
GRADE_WORDS = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三")
CLASS_SIZE = 45

# The kinds of gap every generated school year holds (the tests check each one).
GAP_KINDS = (
    "失学", "辍学", "休学", "转出有接收学校", "转出无接收学校", "校内死亡", "迁出九月前",
    "迁出九月后", "流动儿童在读", "流动儿童失学", "残疾随班就读", "残疾特教学校", "送教上门",
    "免学", "缓学", "免缓学过期", "本在外有证明", "本在外无证明", "文盲", "半文盲", "脱盲",
    "丧失学习能力", "留守儿童", "建档立卡", "低保", "孤儿", "事实无人抚养", "同音字姓名",
    "出生日期不符", "学籍无户籍人员", "重复登记",
)  # fmt: skip


def reference_day(year: int) -> datetime.date:
    return datetime.date(year, 9, 1)


def last_day(year: int) -> datetime.date:
    return datetime.date(year + 1, 8, 31)


def id_check_digit(body: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


@dataclass(slots=True)
class School:
    name: str
    kind: str
    code: str
    first_grade: int
    last_grade: int
    chinese_grades: bool = False  # this school writes 一年级 … 初三 instead of numbers


@dataclass(slots=True)
class Village:
    name: str
    kind: str
    code: str
    primary: int  # index of the school taking its grades 1..6 (or 1..3 for a teaching point)
    upper_primary: int  # where its pupils go after the teaching point
    junior: int


@dataclass(slots=True, eq=False)
class Member:
    """A person of the town with the facts that last; a year's row is read off these."""

    village: int
    household: str
    name: str
    sex: str
    birth: datetime.date
    id_number: str
    ethnicity: str
    migrant: bool
    address: str
    in_register: bool = True
    arrived: datetime.date | None = None  # migrants who came during the years covered
    died: datetime.date | None = None
    moved_out: datetime.date | None = None
    disability: str = ""
    lost_ability: bool = False
    adult_level: str = ""  # recorded level of people past school age when the years begin
    exemption: tuple[str, datetime.date, datetime.date] | None = None
    groups: tuple[str, ...] = ()
    note: str = ""
    home_schooling: bool = False
    # The school path: the school year of grade 1 (None: never on a roll of the town).
    entry_year: int | None = None
    special_school: bool = False
    senior: bool = False  # goes on to senior school (studying elsewhere) after grade 9
    elsewhere: tuple[int, bool] | None = None  # (place in names.ELSEWHERE, proof) for 本在外
    held_back_after: int | None = None  # repeats a grade in the years after this one
    left_early: int | None = None  # grade at which school was left before the years covered
    school_from: tuple[int, int] | None = None  # (school year, school) after a transfer in town
    # The one event of the years covered that changes the roll: (kind, date, other school).
    fate: tuple[str, datetime.date, str] | None = None
    fate_year: int | None = None
    roll_name: str = ""  # the name as the school wrote it, when it differs
    roll_birth: datetime.date | None = None  # the birth date as the school wrote it
    never_enrolled: bool = False
    duplicate: bool = False  # a second registration of a child in another household
    student_number: str = ""

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth, day)

    def grade(self, year: int) -> int | None:
        if self.entry_year is None:
            return None
        held = 1 if self.held_back_after is not None and year > self.held_back_after else 0
        return year - self.entry_year + 1 - held


@dataclass(slots=True)
class Household:
    village: int
    number: str
    members: list[Member] = field(default_factory=list)


@dataclass(slots=True)
class Town:
    name: str
    code: str
    villages: list[Village]
    schools: list[School]
    households: list[Household]
    roll_only: list[Member]  # pupils on a roll with no person in the register


class IdNumbers:
    """Unique 18-digit ID numbers: region + birth date + sequence (odd for men) + check."""

    def __init__(self) -> None:
        self.used: set[int] = set()  # shared by the towns of a county, which share a region

    def make(self, rng: random.Random, region: str, birth: datetime.date, sex: str) -> str:
        while True:
            sequence = rng.randrange(0, 500) * 2 + (1 if sex == "男" else 0)
            body = f"{region}{birth:%Y%m%d}{sequence:03d}"
            if int(body) not in self.used:
                self.used.add(int(body))
                return body + id_check_digit(body)


class Weighted:
    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative: list[int] = []
        total = 0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


SURNAME = Weighted(names.SURNAMES)
ETHNICITY = Weighted(names.ETHNIC_GROUPS)


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    if birth_year < 1965:
        pool = names.MALE_OLD if sex == "男" else names.FEMALE_OLD
    elif birth_year < 2000:
        pool = names.MALE_MIDDLE if sex == "男" else names.FEMALE_MIDDLE
    else:
        pool = names.MALE_YOUNG if sex == "男" else names.FEMALE_YOUNG
    length = 1 if rng.random() < 0.3 else 2
    return "".join(rng.choice(pool) for _ in range(length))


def town_names(*, towns: int, seed: int | str) -> list[str]:
    """The names of the towns a seed generates (the demo command compares them to the DB)."""
    rng = random.Random(f"{seed}:county")
    stems = rng.sample(names.TOWN_STEMS, k=min(towns, len(names.TOWN_STEMS)))
    result = [stem + rng.choice(names.TOWN_SUFFIXES) for stem in stems]
    for extra in range(len(stems), towns):  # more towns than stems: number them
        result.append(f"{names.TOWN_STEMS[extra % len(names.TOWN_STEMS)]}{extra}镇")
    return result


# Roll events after which a pupil is on no roll of the town in the following years.
ROLL_ENDING_FATES = frozenset({"辍学", "转出", "转出无接收学校"})
