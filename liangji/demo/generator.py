"""Synthetic towns written as the canonical import workbook (product.md "The import workbook").

One seeded `random.Random` per town (never the global one), so the same seed gives the same
workbooks, byte for byte. A town is first built as a population with lasting facts (birth,
household, school path, and the dated events of its life: dropout, transfer, death, move-out),
then each school year's workbook is read off that population. The years therefore agree with
each other: the same people one year older, pupils a grade higher, deaths and moves persisting.

Towns are built and written one at a time with XlsxWriter's constant_memory mode, so a county
of 20 towns x 25,000 people stays within the memory of one town.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from liangji.demo import names

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
        return (
            day.year - self.birth.year - ((day.month, day.day) < (self.birth.month, self.birth.day))
        )

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


class _Ids:
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


class _Weighted:
    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative: list[int] = []
        total = 0
        for _, weight in pairs:
            total += weight
            self.cumulative.append(total)

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.values, cum_weights=self.cumulative)[0]


SURNAME = _Weighted(names.SURNAMES)
ETHNICITY = _Weighted(names.ETHNIC_GROUPS)


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


# -- Building one town ---------------------------------------------------------------------------

# Household shapes and their weights; the age pyramid of the town follows from them.
HOUSEHOLD_SHAPES = (
    ("single_old", 7), ("old_couple", 13), ("young", 8), ("nuclear", 40), ("three_generations", 28),
    ("skipped_generation", 4),
)  # fmt: skip
HOUSEHOLD_SHAPE = _Weighted(HOUSEHOLD_SHAPES)

# Recorded levels of people past school age, by the age they have when the years begin.
ADULT_LEVELS = (
    (30, _Weighted([("初中毕业", 440), ("高中及以上", 440), ("小学毕业", 50), ("初中肄业", 50),
                   ("小学肄业", 10), ("文盲", 2), ("半文盲", 2), ("脱盲", 3)])),
    (50, _Weighted([("初中毕业", 500), ("高中及以上", 190), ("小学毕业", 180), ("初中肄业", 50),
                   ("小学肄业", 40), ("文盲", 5), ("半文盲", 4), ("脱盲", 15)])),
    (70, _Weighted([("小学毕业", 350), ("初中毕业", 300), ("小学肄业", 120), ("高中及以上", 60),
                   ("文盲", 60), ("半文盲", 50), ("脱盲", 60)])),
    (200, _Weighted([("文盲", 300), ("半文盲", 150), ("小学肄业", 200), ("小学毕业", 250),
                    ("初中毕业", 70), ("脱盲", 30)])),
)  # fmt: skip

OUTCOMES = ("roll", "special", "home", "out")  # of a disabled child
ROLL_ENDING_FATES = frozenset({"辍学", "转出", "转出无接收学校"})


class TownBuilder:
    """Builds one town: its units, its households and people, and their events over the years."""

    def __init__(
        self,
        *,
        rng: random.Random,
        name: str,
        index: int,
        people: int,
        years: Sequence[int],
        taken_names: set[str],
        ids: _Ids,
    ) -> None:
        self.rng = rng
        self.name = name
        self.index = index
        self.target = people
        self.years = sorted(years)
        self.base = reference_day(self.years[-1])
        self.taken = taken_names
        self.ids = ids
        self.serial = 0

    # units ------------------------------------------------------------------------------------
    def _place_name(self, second: Sequence[str], suffix: str) -> str:
        while True:
            name = self.rng.choice(names.VILLAGE_FIRST) + self.rng.choice(second)
            if name + suffix not in self.taken:
                self.taken.add(name + suffix)
                return name

    def units(self) -> tuple[list[Village], list[School]]:
        stem = self.name[:-1]
        code = f"{names.HOME_REGION}{101 + self.index:03d}"
        stems = [self._place_name(names.COMMUNITY_SECOND, "社区") for _ in range(2)]
        stems += [self._place_name(names.VILLAGE_SECOND, "村") for _ in range(10)]
        schools = [
            School(f"{self.name}中心小学", "小学", "", 1, 6),
            School(f"{stems[5]}小学", "小学", "", 1, 6),
            School(f"{stems[7]}小学", "小学", "", 1, 6),
            School(f"{stems[8]}教学点", "教学点", "", 1, 3, chinese_grades=True),
            School(f"{stems[9]}教学点", "教学点", "", 1, 3, chinese_grades=True),
            School(f"{self.name}初级中学", "初中", "", 7, 9),
            School(f"{stem}{stems[10]}九年制学校", "九年一贯制", "", 1, 9),
            School(f"{self.name}特殊教育学校", "特殊教育学校", "", 1, 9),
        ]
        for number, school in enumerate(schools):
            school.code = f"21{self.index:04d}{number:04d}"
        # village index -> (primary school, school after the teaching point, junior school)
        paths = [(0, 0, 5)] * 5 + [(1, 1, 5)] * 2 + [(2, 2, 5), (3, 0, 5), (4, 2, 5)]
        paths += [(6, 6, 6)] * 2
        villages = [
            Village(
                name=stems[i] + ("社区" if i < 2 else "村"),
                kind="社区" if i < 2 else "村",
                code=f"{code}{(1 if i < 2 else 200) + i:03d}",
                primary=paths[i][0],
                upper_primary=paths[i][1],
                junior=paths[i][2],
            )
            for i in range(12)
        ]
        return villages, schools

    # people -----------------------------------------------------------------------------------
    def _birth(self, age: int) -> datetime.date:
        start = datetime.date(self.base.year - age - 1, 9, 2)
        return start + datetime.timedelta(days=self.rng.randrange(365))

    def _member(
        self,
        household: Household,
        *,
        surname: str,
        sex: str,
        age: int,
        ethnicity: str,
        region: str,
        migrant: bool,
        address: str,
    ) -> Member:
        rng = self.rng
        birth = self._birth(age)
        # Young children often have no ID number yet (the roll then carries a local number).
        without_id = (age < 3 and rng.random() < 0.5) or (age < 7 and rng.random() < 0.12)
        id_number = "" if without_id else self.ids.make(rng, region, birth, sex)
        member = Member(
            village=household.village,
            household=household.number,
            name=surname + given_name(rng, sex, birth.year),
            sex=sex,
            birth=birth,
            id_number=id_number,
            ethnicity=ethnicity,
            migrant=migrant,
            address=address,
        )
        household.members.append(member)
        return member

    def _household_ages(self, shape: str) -> list[tuple[str, int]]:
        """(role, age) of the members; roles: head, spouse, elder, child."""
        rng = self.rng
        if shape == "single_old":
            return [("head", rng.randint(60, 90))]
        if shape == "old_couple":
            age = rng.randint(48, 88)
            return [("head", age), ("spouse", max(50, age - rng.randint(-2, 5)))]
        if shape == "young":
            age = rng.randint(18, 35)
            return [("head", age)] + (
                [("spouse", age - rng.randint(0, 4))] if rng.random() < 0.5 else []
            )
        parent = round(rng.triangular(24, 56, 40))
        members = [("head", parent), ("spouse", max(20, parent - rng.randint(0, 5)))]
        children = rng.choices((1, 2, 3), weights=(30, 50, 20))[0]
        for _ in range(children):
            age = parent - round(rng.triangular(21, 38, 26))
            if age >= 0:
                members.append(("child", age))
        if len(members) == 2:
            members.append(("child", rng.randint(0, max(0, parent - 21))))
        if shape in ("three_generations", "skipped_generation"):
            elder = min(90, parent + rng.randint(22, 32))
            members.append(("elder", elder))
            if rng.random() < 0.6:
                members.append(("elder", max(45, elder - rng.randint(-3, 6))))
        if shape == "skipped_generation":  # the parents live and are registered elsewhere
            members = [m for m in members if m[0] in ("child", "elder")]
        return members[:7]

    def households(self, villages: list[Village]) -> list[Household]:
        rng = self.rng
        weights = [
            rng.uniform(1.6, 2.4) if v.kind == "社区" else rng.uniform(0.6, 1.4) for v in villages
        ]
        per_village: list[list[Household]] = [[] for _ in villages]
        count = 0
        while count < self.target:
            # A few migrant families come first, so that even a small test town has them.
            migrant = count < 30 or rng.random() < 0.05
            village = rng.choices(
                range(len(villages)),
                weights=[
                    w * (3 if v.kind == "社区" and migrant else 1)
                    for w, v in zip(weights, villages, strict=True)
                ],
            )[0]
            shape = "nuclear" if migrant else HOUSEHOLD_SHAPE.pick(rng)
            household = Household(village, f"{len(per_village[village]) + 1:04d}")
            self._fill(household, villages[village], shape, migrant)
            per_village[village].append(household)
            count += len(household.members)
        return [h for households in per_village for h in households]

    def _fill(self, household: Household, village: Village, shape: str, migrant: bool) -> None:
        rng = self.rng
        surname = SURNAME.pick(rng)
        ethnicity = ETHNICITY.pick(rng)
        region = rng.choice(names.MIGRANT_REGIONS) if migrant else names.HOME_REGION
        group = rng.randint(1, 9)
        address = (
            f"{self.name}{village.name}{'租住' if migrant else ''}{group}组{rng.randint(1, 80)}号"
        )
        head_sex = "男" if rng.random() < 0.88 else "女"
        away = shape == "skipped_generation" or (shape != "young" and rng.random() < 0.12)
        for role, age in self._household_ages(shape):
            if role == "spouse":
                sex = "女" if head_sex == "男" else "男"
                member_surname = SURNAME.pick(rng)
                member_region = region if rng.random() < 0.9 else rng.choice(names.MIGRANT_REGIONS)
                member_ethnicity = ethnicity if rng.random() < 0.92 else ETHNICITY.pick(rng)
            else:
                sex = head_sex if role == "head" else rng.choice("男女")
                member_surname = (
                    surname if role != "elder" or rng.random() < 0.5 else SURNAME.pick(rng)
                )
                member_region, member_ethnicity = region, ethnicity
            member = self._member(
                household,
                surname=member_surname,
                sex=sex,
                age=age,
                ethnicity=member_ethnicity,
                region=member_region,
                migrant=migrant,
                address=address,
            )
            if away and role in ("head", "spouse"):
                member.note = "外出务工"
        poor = rng.random()
        groups: tuple[str, ...] = ("建档立卡",) if poor < 0.05 else ("低保",) if poor < 0.09 else ()
        for member in household.members:
            member.groups = groups
            if away and self._age(member) < 16 and not migrant:
                member.groups += ("留守儿童",)

    def _age(self, member: Member) -> int:
        return member.age_on(self.base)

    # school paths ---------------------------------------------------------------------------------
    def school_paths(self, households: list[Household], villages: list[Village]) -> None:
        """Give every child its path: grade 1 at 7 (some at 6 or 8), senior school or not."""
        rng = self.rng
        first = self.years[0]
        for member in (m for h in households for m in h.members):
            age = self._age(member)
            entry = self.base.year - age + 7 + rng.choices((-1, 0), weights=(8, 92))[0]
            if first - entry + 1 > 12:  # past school age before the years begin
                member.adult_level = self._adult_level(age)
                continue
            member.entry_year = entry
            member.senior = rng.random() < 0.88
            grade = first - entry + 1
            if grade >= 11 and rng.random() < 0.05:  # left school long ago (the 17-year-olds)
                member.left_early = rng.randint(5, 8)
            elif 7 <= grade <= 9 and rng.random() < 0.003:  # never finished primary
                member.left_early = rng.randint(4, 6)

    def _adult_level(self, age: int) -> str:
        for upper, levels in ADULT_LEVELS:
            if age - (self.base.year - self.years[0]) <= upper:
                return levels.pick(self.rng)
        raise AssertionError("unreachable: the last band has no upper bound")

    def _children(
        self, households: list[Household], grades: range, *, migrant: bool = False
    ) -> list[Member]:
        """Registered (or migrant) children on no special path, in `grades` in the first year."""
        first = self.years[0]
        return [
            m
            for h in households
            for m in h.members
            if m.migrant == migrant
            and m.entry_year is not None
            and first - m.entry_year + 1 in grades
            and not (
                m.disability or m.exemption or m.elsewhere or m.never_enrolled or m.home_schooling
            )
            and m.left_early is None
        ]

    def _take(self, pool: list[Member], count: int) -> list[Member]:
        chosen = self.rng.sample(pool, k=min(count, len(pool)))
        chosen_ids = {id(m) for m in chosen}
        pool[:] = [m for m in pool if id(m) not in chosen_ids]
        return chosen

    def special_paths(self, households: list[Household]) -> None:
        """Children off the ordinary path: disabled, exempted, out of school, studying elsewhere."""
        rng = self.rng
        first, last = self.years[0], self.years[-1]
        pool = self._children(households, range(1, 6))
        kids = len(pool)
        share = max(1, round(kids * 0.0015))
        # Disabled children of each category; the first ones of the town take each path once.
        outcomes = ["special", "home", "roll", "out"]
        for category in THREE_CLASS + OTHER_DISABILITIES:
            for member in self._take(pool, share):
                member.disability = category
                member.groups += ("残疾",)
                outcome = (
                    outcomes.pop(0)
                    if outcomes
                    else rng.choices(OUTCOMES, weights=(60, 20, 15, 5))[0]
                )
                if outcome == "special":
                    member.special_school = True
                elif outcome == "home":
                    member.home_schooling, member.entry_year = True, None
                    member.lost_ability = category in ("智力", "多重") and rng.random() < 0.5
                elif outcome == "out":
                    member.entry_year = None
        # Exemptions: one 免学 and one 缓学 valid through the years, one 缓学 expired before them.
        valid_until = last_day(last) + datetime.timedelta(days=365)
        exemptions = [
            ("免学", reference_day(first) - datetime.timedelta(days=400), valid_until),
            ("缓学", reference_day(first) - datetime.timedelta(days=20), valid_until),
            (
                "缓学",
                reference_day(first) - datetime.timedelta(days=760),
                reference_day(first) - datetime.timedelta(days=40),
            ),
        ]
        for member, exemption in zip(self._take(pool, 3), exemptions, strict=False):
            member.exemption, member.entry_year = exemption, None
            if exemption[0] == "免学":
                member.disability = "多重"
        older = self._children(households, range(7, 10))
        for member in self._take(pool, share) + self._take(older, 1):  # never on a roll (失学)
            member.never_enrolled, member.entry_year = True, None
        for number, member in enumerate(self._take(pool, max(2, round(kids * 0.025)))):
            member.elsewhere = (rng.randrange(len(names.ELSEWHERE)), number % 6 != 1)
        for member in self._take(pool, share):
            member.groups += ("孤儿",)
        for member in self._take(pool, share):
            member.groups += ("事实无人抚养",)
        # Adults: disability and the lost ability to learn.
        for member in (m for h in households for m in h.members if m.adult_level):
            if rng.random() < 0.025:
                member.disability = rng.choice(THREE_CLASS + OTHER_DISABILITIES + ("肢体", "肢体"))
                member.groups += ("残疾",)
                if member.disability in ("智力", "精神", "多重") and rng.random() < 0.6:
                    member.lost_ability = True
                    member.adult_level = "文盲"
        # Migrant children: most on the town's rolls, some on none.
        migrants = self._children(households, range(-1, 9), migrant=True)
        for member in self._take(migrants, max(1, round(len(migrants) * 0.015))):
            member.never_enrolled, member.entry_year = True, None

    def registration_errors(
        self, households: list[Household], villages: list[Village]
    ) -> list[Member]:
        """Homophone names and wrong birth dates on the roll, a double registration, and pupils
        on a roll whom the register does not know. Returns the roll-only pupils."""
        rng = self.rng
        pool = self._children(households, range(1, 7))
        share = max(1, round(len(pool) * 0.001))
        named = [m for m in pool if any(c in names.HOMOPHONES for c in m.name[1:])]
        for member in self._take(named, share):
            given = member.name[-2:] if len(member.name) > 2 else member.name[-1]
            position = next(i for i, c in enumerate(given) if c in names.HOMOPHONES)
            wrong = given[:position] + names.HOMOPHONES[given[position]] + given[position + 1 :]
            member.roll_name = member.name[: len(member.name) - len(given)] + wrong
        pool = [m for m in pool if not m.roll_name]
        for member in self._take(pool, share):
            birth = member.birth
            member.roll_birth = (
                birth.replace(month=birth.day, day=birth.month)
                if birth.day <= 12 and birth.day != birth.month
                else birth + datetime.timedelta(days=31)
            )
        # A child also registered, without ID number, in the household of grandparents elsewhere.
        with_id = [m for m in pool if m.id_number and not m.migrant]
        for original in self._take(with_id, share):
            others = [
                h for h in households if h.village != original.village and not h.members[0].migrant
            ]
            target = rng.choice(others)
            copy = Member(
                village=target.village,
                household=target.number,
                name=original.name,
                sex=original.sex,
                birth=original.birth,
                id_number="",
                ethnicity=original.ethnicity,
                migrant=False,
                address=target.members[0].address,
                entry_year=original.entry_year,
                senior=original.senior,
                duplicate=True,
            )
            target.members.append(copy)
        roll_only = []
        for _ in range(max(2, round(len(pool) * 0.0015))):
            age = rng.randint(8, 12) + (self.base.year - self.years[0])
            sex = rng.choice("男女")
            village = rng.randrange(2, len(villages))
            holder = Household(village, "")
            member = self._member(
                holder,
                surname=SURNAME.pick(rng),
                sex=sex,
                age=age,
                ethnicity="汉族",
                region=names.HOME_REGION,
                migrant=False,
                address="",
            )
            member.in_register = False
            member.entry_year = self.base.year - age + 7
            roll_only.append(member)
        return roll_only

    # events of the years --------------------------------------------------------------------------
    def _date_in(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def _on_ordinary_roll(self, member: Member, year: int) -> bool:
        grade = member.grade(year)
        return (
            grade is not None
            and 1 <= grade <= 9
            and member.in_register
            and not (
                member.migrant or member.special_school or member.elsewhere or member.duplicate
            )
            and not (member.roll_name or member.roll_birth)
            and member.fate is None
            and member.died is None
            and member.moved_out is None
            and member.left_early is None
        )

    def _fate(
        self,
        members: list[Member],
        kind: str,
        year: int,
        during: tuple[datetime.date, datetime.date],
        other: str = "",
    ) -> None:
        for member in members:
            member.fate, member.fate_year = (kind, self._date_in(*during), other), year

    def year_events(
        self, households: list[Household], schools: list[School], villages: list[Village]
    ) -> None:
        """Dropouts, suspensions, transfers, deaths and move-outs, each kind in every year."""
        rng = self.rng
        people = [m for h in households for m in h.members if not m.duplicate]
        household_of = {id(m): h for h in households for m in h.members}
        for year in self.years:
            first, last = reference_day(year), last_day(year)
            during = (first + datetime.timedelta(days=20), last - datetime.timedelta(days=80))
            pupils = [m for m in people if self._on_ordinary_roll(m, year)]
            primary = [m for m in pupils if (m.grade(year) or 0) <= 6]
            junior = [m for m in pupils if (m.grade(year) or 0) >= 7]

            for pool, rate in ((primary, 0.0012), (junior, 0.007)):
                dropped = self._take(pool, max(1, round(len(pool) * rate)))
                self._fate(dropped, "辍学", year, during)
                for member in dropped[::2]:  # half of them come back the next year
                    member.held_back_after = year
            everyone = primary + junior
            suspended = self._take(everyone, max(1, round(len(everyone) * 0.001)))
            self._fate(suspended, "休学", year, during)
            for member in suspended:
                member.held_back_after = year
            for member in self._take(everyone, max(1, round(len(everyone) * 0.005))):
                place = names.ELSEWHERE[rng.randrange(len(names.ELSEWHERE))]
                school = place[1] if (member.grade(year) or 0) <= 6 else place[2]
                self._fate([member], "转出", year, during, school)
            lost = self._take(everyone, 1 + round(len(everyone) * 0.0003))
            self._fate(lost, "转出无接收学校", year, during)
            movable = [
                m
                for m in everyone
                if (m.grade(year) or 0) <= 5 and villages[m.village].primary in (0, 1, 2)
            ]
            for member in self._take(movable, max(1, round(len(everyone) * 0.002))):
                current = villages[member.village].primary
                receiving = 1 if current == 0 else 0
                self._fate([member], "镇内转学", year, during, schools[receiving].name)
                member.school_from = (year, receiving)
                everyone[:] = [m for m in everyone if m is not member]
            for member in self._take(everyone, max(1, round(len(everyone) * 0.0002))):
                member.died = self._date_in(*during)
            # Whole households move away, some in the summer before 1 September, some during
            # the year; a pupil among them leaves the roll with a transfer to the new place.
            before = (first - datetime.timedelta(days=61), first - datetime.timedelta(days=1))
            households_total = len(households)
            for window in (before, during):
                movers = self._take(everyone, max(1, round(households_total * 0.0015)))
                for member in movers:
                    moved_on = self._date_in(*window)
                    for relative in household_of[id(member)].members:
                        if relative.birth >= moved_on:  # born after the move: never registered here
                            relative.in_register, relative.entry_year = False, None
                        elif relative.died is None and relative.moved_out is None:
                            relative.moved_out = moved_on
            # Deaths of the year, mostly of the old.
            adults = [m for m in people if m.adult_level and m.died is None and m.moved_out is None]
            weights = [max(1, self._age(m) - 45) ** 2 for m in adults]
            count = max(1, round(len(people) * 0.0065))
            for member in rng.choices(adults, weights=weights, k=count):
                if member.died is None:
                    member.died = self._date_in(
                        first - datetime.timedelta(days=61), last - datetime.timedelta(days=61)
                    )
        self._migrant_arrivals(households)

    def _migrant_arrivals(self, households: list[Household]) -> None:
        """A migrant family with school children comes during each year (joins a roll mid-year)."""
        first = self.years[0]
        candidates = [
            h
            for h in households
            if h.members[0].migrant
            and any(2 <= (m.grade(first) or 0) <= 6 and not m.never_enrolled for m in h.members)
        ]
        for year, household in zip(
            self.years,
            self.rng.sample(candidates, k=min(len(candidates), len(self.years))),
            strict=False,
        ):
            arrived = self._date_in(
                reference_day(year) + datetime.timedelta(days=30),
                reference_day(year) + datetime.timedelta(days=200),
            )
            for member in household.members:
                member.arrived = arrived

    def build(self) -> Town:
        villages, schools = self.units()
        households = self.households(villages)
        self.school_paths(households, villages)
        self.special_paths(households)
        roll_only = self.registration_errors(households, villages)
        self.year_events(households, schools, villages)
        code = f"{names.HOME_REGION}{101 + self.index:03d}000"
        return Town(self.name, code, villages, schools, households, roll_only)


# -- Reading a school year off a town ------------------------------------------------------------


def _school_for(town: Town, member: Member, grade: int, year: int) -> int:
    if member.special_school:
        return next(i for i, s in enumerate(town.schools) if s.kind == "特殊教育学校")
    village = town.villages[member.village]
    if member.school_from is not None and year > member.school_from[0]:
        school = member.school_from[1]
        if town.schools[school].first_grade <= grade <= town.schools[school].last_grade:
            return school
    if grade <= 6:
        primary = town.schools[village.primary]
        return village.primary if grade <= primary.last_grade else village.upper_primary
    return village.junior


def _elsewhere_place(member: Member) -> tuple[str, str, str]:
    return names.ELSEWHERE[(member.birth.toordinal() + len(member.name)) % len(names.ELSEWHERE)]


@dataclass(slots=True)
class RollRow:
    school: int
    member: Member
    grade: int
    entry: datetime.date | None
    status: str
    changed: datetime.date | None
    other_school: str


def roll_rows(town: Town, member: Member, year: int) -> list[RollRow]:
    """The rows of one pupil on the town's rolls in one school year (none, one, or two)."""
    grade = member.grade(year)
    if (
        grade is None
        or not 1 <= grade <= 9
        or member.elsewhere
        or member.duplicate
        or member.left_early is not None
    ):
        return []
    first, last = reference_day(year), last_day(year)
    fate, fate_year = member.fate, member.fate_year
    if (
        fate is not None
        and fate_year is not None
        and fate_year < year
        and fate[0] in ROLL_ENDING_FATES
    ):
        return []
    if (member.died and member.died < first) or (member.moved_out and member.moved_out < first):
        return []
    if member.arrived and member.arrived > last:
        return []
    school = _school_for(town, member, grade, year)
    entry = member.arrived if member.arrived and member.arrived >= first else None
    graduation = datetime.date(year + 1, 7, 5)
    graduating = grade == 9 or (grade == 6 and town.schools[school].last_grade == 6)
    row = RollRow(school, member, grade, entry, "在读", None, "")
    rows = [row]
    if fate is not None and fate_year == year:
        kind, date, other = fate
        row.status, row.changed, row.other_school = (
            ("转出" if kind != "辍学" and kind != "休学" else kind),
            date,
            other,
        )
        if kind == "镇内转学":
            receiving = next(i for i, s in enumerate(town.schools) if s.name == other)
            rows.append(RollRow(receiving, member, grade, date, "在读", None, ""))
    elif member.died and member.died <= last:
        row.status, row.changed = "死亡", member.died
    elif (
        member.moved_out
        and member.moved_out <= last
        and not (graduating and member.moved_out > graduation)
    ):
        place = _elsewhere_place(member)
        row.status, row.changed = "转出", member.moved_out
        row.other_school = place[1] if grade <= 6 else place[2]
    elif graduating:
        row.status, row.changed = "毕业", graduation
    return rows


def education_level(member: Member, year: int) -> str:
    """The recorded 文化程度 of a person in one school year, read off the school path."""
    if member.adult_level:
        return member.adult_level
    age = member.age_on(reference_day(year))
    grade = member.grade(year)
    if grade is None:  # never on a roll: out of school, exempted, taught at home
        return "文盲" if age >= 12 else ("学龄前" if 3 <= age <= 6 else "")
    if member.left_early is not None:
        return "小学肄业" if member.left_early <= 6 else "初中肄业"
    fate, fate_year = member.fate, member.fate_year
    if (
        fate is not None
        and fate_year is not None
        and fate_year < year
        and fate[0] in ("辍学", "转出无接收学校")
        and member.held_back_after is None
    ):
        return "小学肄业" if (member.grade(fate_year) or 0) <= 6 else "初中肄业"
    if grade < 1:
        return "学龄前" if age >= 3 else ""
    if grade <= 6:
        return "小学在读"
    if grade <= 9:
        return "初中在读"
    return "高中及以上" if member.senior and grade > 12 else "初中毕业"


def _elsewhere_fields(member: Member, year: int) -> tuple[str, str, str, int | None, str]:
    """(school, region, level, grade, proof) of a registered child studying outside the town."""
    grade = member.grade(year)
    if grade is None or member.migrant or member.left_early is not None:
        return "", "", "", None, ""
    if member.elsewhere is not None and 1 <= grade <= 9:
        region, primary, junior = names.ELSEWHERE[member.elsewhere[0]]
        proof = "有" if member.elsewhere[1] else "无"
        return (
            (primary, region, "小学", grade, proof)
            if grade <= 6
            else (junior, region, "初中", grade, proof)
        )
    fate, fate_year = member.fate, member.fate_year
    moved = member.moved_out is not None and member.moved_out <= last_day(year)
    if (
        fate is not None
        and fate_year is not None
        and fate_year < year
        and fate[0] == "转出"
        and 1 <= grade <= 9
        and not moved
    ):
        region, primary, junior = next(p for p in names.ELSEWHERE if fate[2] in p)
        return (
            (primary, region, "小学", grade, "有")
            if grade <= 6
            else (junior, region, "初中", grade, "有")
        )
    finished = (
        fate is None
        or fate[0] not in ("辍学", "转出无接收学校")
        or member.held_back_after is not None
    )
    if member.senior and 10 <= grade <= 12 and finished and not moved:
        school, level = names.SENIOR_SCHOOLS[member.birth.toordinal() % len(names.SENIOR_SCHOOLS)]
        return school, "本县", level, grade - 9, "有"  # 高一 is grade 1 of its 学段
    return "", "", "", None, ""


def _date_text(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def people_row(town: Town, member: Member, year: int, census: dict[str, int]) -> list[Any] | None:
    """The member's row of the 人口 sheet of one school year (None: not in that register)."""
    first, last = reference_day(year), last_day(year)
    if (
        not member.in_register
        or member.birth > first
        or (member.arrived and member.arrived >= first)
    ):
        return None
    age = member.age_on(first)
    groups = [g for g in member.groups if g != "留守儿童" or age < 16]
    if member.migrant and 6 <= age <= 15:
        groups.append("随迁子女")
    died = member.died if member.died and member.died <= last else None
    moved = member.moved_out if member.moved_out and member.moved_out <= last else None
    level = education_level(member, year)
    school, region, study_level, grade, proof = _elsewhere_fields(member, year)
    exemption = member.exemption or ("", None, None)
    _count_person(census, member, age, first, moved, level, groups, proof, died)
    return [
        town.villages[member.village].name,
        member.household,
        member.name,
        member.sex,
        member.birth,
        member.id_number,
        member.ethnicity,
        "流动" if member.migrant else "户籍",
        "迁出" if moved else "在册",
        _date_text(moved),
        member.address,
        member.disability,
        level,
        "是" if member.lost_ability else "",
        exemption[0],
        _date_text(exemption[1]),
        _date_text(exemption[2]),
        "、".join(groups),
        _date_text(died),
        school,
        region,
        study_level,
        grade,
        proof,
        "是" if member.home_schooling else "",
        member.note,
    ]


def _count_person(
    census: dict[str, int],
    member: Member,
    age: int,
    first: datetime.date,
    moved: datetime.date | None,
    level: str,
    groups: list[str],
    proof: str,
    died: datetime.date | None,
) -> None:
    def count(kind: str) -> None:
        census[kind] = census.get(kind, 0) + 1

    school_age = 7 <= age <= 15 and died is None and (moved is None or moved >= first)
    if member.never_enrolled and school_age:
        count("流动儿童失学" if member.migrant else "失学")
    if moved:
        count("迁出九月前" if moved < first else "迁出九月后")
    if member.home_schooling:
        count("送教上门")
    if member.exemption:
        kind, _, until = member.exemption
        count("免缓学过期" if until < first else kind)
    if member.elsewhere and proof:
        count("本在外有证明" if proof == "有" else "本在外无证明")
    if level in ("文盲", "半文盲", "脱盲"):
        count(level)
    if member.lost_ability:
        count("丧失学习能力")
    for group in groups:
        count(group)
    if member.duplicate:
        count("重复登记")


def roll_values(town: Town, row: RollRow, class_name: str, census: dict[str, int]) -> list[Any]:
    member, school = row.member, town.schools[row.school]

    def count(kind: str) -> None:
        census[kind] = census.get(kind, 0) + 1

    if row.status in ("辍学", "休学"):
        count(row.status)
    elif row.status == "转出":
        count("转出有接收学校" if row.other_school else "转出无接收学校")
    elif row.status == "死亡":
        count("校内死亡")
    if member.migrant:
        count("流动儿童在读")
    if member.disability:
        count("残疾特教学校" if school.kind == "特殊教育学校" else "残疾随班就读")
    if member.roll_name:
        count("同音字姓名")
    if member.roll_birth:
        count("出生日期不符")
    if not member.in_register:
        count("学籍无户籍人员")
    grade: Any = GRADE_WORDS[row.grade - 1] if school.chinese_grades else row.grade
    birth: Any = member.roll_birth or member.birth
    if school.chinese_grades:  # the teaching points type their dates as text
        birth = f"{birth.year}年{birth.month}月{birth.day}日"
    return [
        school.name,
        member.student_number,
        member.roll_name or member.name,
        member.sex,
        birth,
        "" if member.roll_birth else member.id_number,  # an ID would contradict the wrong date
        "" if member.migrant else town.villages[member.village].name,
        grade,
        class_name,
        _date_text(row.entry),
        row.status,
        _date_text(row.changed),
        row.other_school,
    ]


# -- Writing workbooks -----------------------------------------------------------------------------


class _Sheet:
    """One constant_memory worksheet written row after row, skipping empty cells."""

    def __init__(self, workbook: xlsxwriter.Workbook, name: str, headers: Sequence[str]) -> None:
        self.sheet = workbook.add_worksheet(name)
        self.date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        header_format = workbook.add_format({"bold": True})
        for column, header in enumerate(headers):
            self.sheet.write_string(0, column, header, header_format)
            self.sheet.set_column(column, column, 12)
        self.row = 1

    def write(self, values: Iterable[Any]) -> None:
        sheet, row = self.sheet, self.row
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(row, column, value)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(
                    row,
                    column,
                    datetime.datetime(value.year, value.month, value.day),
                    self.date_format,
                )
            else:
                sheet.write_number(row, column, value)
        self.row = row + 1


@dataclass
class YearWorkbook:
    year: int
    path: Path
    people: int = 0
    pupils: int = 0
    census: dict[str, int] = field(default_factory=dict)


class _YearWriter:
    def __init__(self, path: Path, year: int) -> None:
        self.result = YearWorkbook(year, path)
        self.workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        # A fixed creation time keeps the bytes of the same seed identical.
        self.workbook.set_properties(
            {"created": datetime.datetime(2000, 1, 1), "author": "liangji demo"}
        )
        self.units = _Sheet(self.workbook, SHEET_UNITS, UNIT_HEADERS)
        self.people = _Sheet(self.workbook, SHEET_PEOPLE, PEOPLE_HEADERS)
        self.roll = _Sheet(self.workbook, SHEET_ROLL, ROLL_HEADERS)

    def town_write(self, town: Town) -> None:
        year, census = self.result.year, self.result.census
        town_kind = "乡" if town.name.endswith("乡") else "镇"
        self.units.write([town_kind, town.name, town.code, ""])
        for village in town.villages:
            self.units.write([village.kind, village.name, village.code, town.name])
        for school in town.schools:
            self.units.write([school.kind, school.name, school.code, town.name])
        by_school: list[list[RollRow]] = [[] for _ in town.schools]
        for household in town.households:
            for member in household.members:
                row = people_row(town, member, year, census)
                if row is not None:
                    self.people.write(row)
                    self.result.people += 1
                for roll_row in roll_rows(town, member, year):
                    by_school[roll_row.school].append(roll_row)
        for member in town.roll_only:
            for roll_row in roll_rows(town, member, year):
                by_school[roll_row.school].append(roll_row)
        for rows in by_school:
            rows.sort(key=lambda r: r.grade)  # stable: households stay in order within a grade
            seen: dict[int, int] = {}
            for roll_row in rows:
                position = seen.get(roll_row.grade, 0)
                seen[roll_row.grade] = position + 1
                self.roll.write(
                    roll_values(town, roll_row, f"{position // CLASS_SIZE + 1}班", census)
                )
                self.result.pupils += 1

    def close(self) -> YearWorkbook:
        self.workbook.close()
        return self.result


def town_build(
    *,
    seed: int | str,
    index: int,
    name: str,
    people: int,
    years: Sequence[int],
    taken_names: set[str],
    ids: _Ids,
) -> Town:
    rng = random.Random(f"{seed}:town:{index}")
    builder = TownBuilder(
        rng=rng,
        name=name,
        index=index,
        people=people,
        years=years,
        taken_names=taken_names,
        ids=ids,
    )
    town = builder.build()
    serial = 0
    for member in [m for h in town.households for m in h.members] + town.roll_only:
        if member.entry_year is not None and not member.duplicate:
            serial += 1
            member.student_number = (
                f"G{member.id_number}"
                if member.id_number and not member.roll_birth
                else f"L{names.HOME_REGION}{index:02d}{serial:06d}"
            )
    return town


def town_workbooks_write(
    directory: Path,
    *,
    towns: int = 1,
    people_per_town: int = 25_000,
    years: Sequence[int] = (2022, 2023, 2024),
    seed: int | str = 2024,
    stem: str = "liangji",
    progress: Callable[[str], None] | None = None,
) -> list[YearWorkbook]:
    """Write one canonical workbook per school year, `<stem>-<year>.xlsx`; return the contents."""
    directory.mkdir(parents=True, exist_ok=True)
    writers = [_YearWriter(directory / f"{stem}-{year}.xlsx", year) for year in sorted(years)]
    taken: set[str] = set()
    ids = _Ids()
    try:
        for index, name in enumerate(town_names(towns=towns, seed=seed)):
            town = town_build(
                seed=seed,
                index=index,
                name=name,
                people=people_per_town,
                years=years,
                taken_names=taken,
                ids=ids,
            )
            for writer in writers:
                writer.town_write(town)
            if progress is not None:
                progress(f"已生成 {name}({index + 1}/{towns})")
    finally:
        results = [writer.close() for writer in writers]
    return results
