"""A town's units and people: villages and schools, households of 1–7, names, ID numbers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from liangji.demo import names
from liangji.demo.generator.model import (
    ETHNICITY,
    SURNAME,
    Household,
    IdNumbers,
    Member,
    School,
    Village,
    Weighted,
    given_name,
    reference_day,
)

# Household shapes and their weights; the age pyramid of the town follows from them.
HOUSEHOLD_SHAPES = (
    ("single_old", 7), ("old_couple", 13), ("young", 8), ("nuclear", 40), ("three_generations", 28),
    ("skipped_generation", 4),
)  # fmt: skip
HOUSEHOLD_SHAPE = Weighted(HOUSEHOLD_SHAPES)


class TownPopulation:
    """The units and the people of one town, before their school paths and events."""

    def __init__(
        self,
        *,
        rng: random.Random,
        name: str,
        index: int,
        people: int,
        years: Sequence[int],
        taken_names: set[str],
        ids: IdNumbers,
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
