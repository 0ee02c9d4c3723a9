"""A town's school paths and the events of its years: every kind of gap, in every year."""

from __future__ import annotations

import datetime

from liangji.demo import names
from liangji.demo.generator.model import (
    OTHER_DISABILITIES,
    SURNAME,
    THREE_CLASS,
    Household,
    Member,
    School,
    Town,
    Village,
    Weighted,
    last_day,
    reference_day,
)
from liangji.demo.generator.town import TownPopulation

# Recorded levels of people past school age, by the age they have when the years begin.
ADULT_LEVELS = (
    (30, Weighted([("初中毕业", 440), ("高中及以上", 440), ("小学毕业", 50), ("初中肄业", 50),
                   ("小学肄业", 10), ("文盲", 2), ("半文盲", 2), ("脱盲", 3)])),
    (50, Weighted([("初中毕业", 500), ("高中及以上", 190), ("小学毕业", 180), ("初中肄业", 50),
                   ("小学肄业", 40), ("文盲", 5), ("半文盲", 4), ("脱盲", 15)])),
    (70, Weighted([("小学毕业", 350), ("初中毕业", 300), ("小学肄业", 120), ("高中及以上", 60),
                   ("文盲", 60), ("半文盲", 50), ("脱盲", 60)])),
    (200, Weighted([("文盲", 300), ("半文盲", 150), ("小学肄业", 200), ("小学毕业", 250),
                    ("初中毕业", 70), ("脱盲", 30)])),
)  # fmt: skip

OUTCOMES = ("roll", "special", "home", "out")  # of a disabled child


class TownBuilder(TownPopulation):
    """Builds one town: its people (TownPopulation), their school paths and dated events."""

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
            # The 17-year-olds of the later demo years left early too (decided from the birth
            # date, not the town's random sequence, so every other gap stays as it was).
            elif grade >= 11 - (self.years[-1] - first) and member.birth.toordinal() % 25 == 0:
                member.left_early = 7 + member.birth.toordinal() % 2  # finished primary only

    def _adult_level(self, age: int) -> str:
        for upper, levels in ADULT_LEVELS:
            if age - (self.base.year - self.years[0]) <= upper:
                return levels.pick(self.rng)
        raise AssertionError("unreachable: the last band has no upper bound")

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
                h
                for h in households
                if h.village != original.village
                and not h.members[0].migrant
                and len(h.members) < 7  # a household holds 1–7 people, the copy included
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
