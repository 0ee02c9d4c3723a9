"""The eleven 两基 indicators (domain.md §3), each one named definition.

A definition states its population (the denominator) and its numerator as SQL conditions over
one row per person record (population indicators) or one row per roll (dropout indicators).
The engine turns every definition into two `COUNT(CASE WHEN … THEN 1 END)` columns of a single
grouped query, so nothing is ever counted person by person in Python.

The conditions are built from `Terms`: SQL fragments that already carry the settings in force
(reference date, age ranges, exclusion and counting switches). Every literal written into a
fragment comes from this module (a date object, an int, a vocabulary constant), never from user
input, which is why the fragments may inline them: that keeps the same text valid on SQLite and
PostgreSQL without a parameter style to translate.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from liangji.registers.choices import (
    JUNIOR_GRADES,
    LEVELS_ILLITERATE,
    LEVELS_JUNIOR_COMPLETED,
    LEVELS_PRIMARY_COMPLETED,
    PRIMARY_GRADES,
    THREE_CLASS_DISABILITIES,
    EducationLevel,
    PopulationType,
    RollEventKind,
    RollStatus,
    StudyLevel,
    UnitKind,
)
from liangji.registers.models import Enrollment, EnrollmentEvent, Unit
from liangji.registers.rules import birth_bounds
from liangji.registers.town_settings import TownSettings


class Direction(enum.StrEnum):
    AT_LEAST = "≥"
    AT_MOST = "≤"


class Basis(enum.StrEnum):
    """What one row of the counted table is."""

    PERSON = "person"  # a person record of the school year, grouped by 户籍 village
    ROLL = "roll"  # a roll of the school year, grouped by school


class UnitScope(enum.StrEnum):
    TOWN = "town"
    VILLAGE = "village"
    SCHOOL = "school"
    GROUP = "group"


POPULATION_SCOPES = frozenset({UnitScope.TOWN, UnitScope.VILLAGE, UnitScope.GROUP})
DROPOUT_SCOPES = frozenset({UnitScope.TOWN, UnitScope.SCHOOL})


def _lit(value: object) -> str:
    """An SQL literal for a value produced by this module (never for user input)."""
    if isinstance(value, bool):
        return "1=1" if value else "1=0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return f"'{value.isoformat()}'"
    text = str(value)
    if "'" in text or "\\" in text:
        raise ValueError(f"unsafe SQL literal {text!r}")
    return f"'{text}'"


def _in(column: str, values: Iterable[object]) -> str:
    return f"{column} IN ({', '.join(sorted(_lit(v) for v in values))})"


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# -- where a child is on a day: the rules every list reads (domain.md §3: "A child has one place
# on a day"). Terms use them with the aliases `e` and `r`; `indicators.places` applies them to
# querysets for the ledgers and the shortfall reasons.
# The roll events that take a pupil out of school (休学 included) and those that take him off
# the register (domain.md §3: 在读 and 休学 are on it).
_LEAVING_EVENTS = (
    RollEventKind.SUSPENDED,
    RollEventKind.DROPPED_OUT,
    RollEventKind.TRANSFERRED_OUT,
)
_EXIT_EVENTS = (
    RollEventKind.DROPPED_OUT,
    RollEventKind.TRANSFERRED_OUT,
    RollEventKind.GRADUATED,
    RollEventKind.DECEASED,
)


def _event_of(e: str, kinds: Iterable[str], when: str) -> str:
    """An event of roll `e` of one of `kinds` whose date satisfies `when` (on `lev.date`)."""
    return (
        f"EXISTS (SELECT 1 FROM {_table(EnrollmentEvent)} lev WHERE lev.enrollment_id = {e}.id"
        f" AND {_in('lev.kind', kinds)} AND {when})"
    )


def roll_enrolled_on(day: datetime.date, e: str = "e") -> str:
    """Joined by `day` and 在读 then: status 在读 since a date not after `day` (or undated), or a
    change from 在读 dated later.

    A 在读 dated after `day` is a return (复学, or a case closed as returned): the status on
    `day` decides (domain.md §3), so the pupil was out of school then, unless his roll shows
    that the absence he came back from began only after `day`."""
    d = _lit(day)
    studying = _lit(RollStatus.STUDYING)
    left_after = (
        f"{_event_of(e, _LEAVING_EVENTS, f'lev.date > {d}')}"
        f" AND NOT {_event_of(e, _LEAVING_EVENTS, f'lev.date <= {d}')}"
    )
    return (
        f"(({e}.entry_date IS NULL OR {e}.entry_date <= {d})"
        f" AND (({e}.status = {studying} AND ({e}.status_date IS NULL OR {e}.status_date <= {d}))"
        f" OR ({e}.status <> {studying} AND {e}.status_date > {d})"
        f" OR ({e}.status = {studying} AND {e}.status_date > {d} AND {left_after})))"
    )


def roll_on_register_on(day: datetime.date, e: str = "e") -> str:
    """On the register (在读 or 休学) on `day`: joined by then, and no exit dated before it (an
    exit dated on `day` itself was still on the register that morning). A pupil back (复学)
    after `day` from an exit dated before it was off the register on `day`."""
    d = _lit(day)
    on_register = _in(f"{e}.status", [RollStatus.STUDYING, RollStatus.SUSPENDED])
    return (
        f"(({e}.entry_date IS NULL OR {e}.entry_date <= {d})"
        f" AND (({on_register} AND NOT ({e}.status_date > {d}"
        f" AND {_event_of(e, _EXIT_EVENTS, f'lev.date < {d}')}))"
        f" OR (NOT {on_register} AND {e}.status_date >= {d})))"
    )


def exempted_on(day: datetime.date, r: str = "r") -> str:
    """A 免学/缓学 approved by `day` (an approval dated later is not yet valid) and not expired."""
    d = _lit(day)
    return (
        f"({r}.exemption <> '' AND {r}.exemption_approved_on <= {d}"
        f" AND ({r}.exemption_until IS NULL OR {r}.exemption_until >= {d}))"
    )


def _fact(name: str) -> str:
    # The roll facts are LEFT JOINed: a person without any roll has NULLs there, and a NULL
    # would make `NOT (…)` unknown instead of true in the shortfall lists.
    return f"COALESCE(f.{name}, 0) = 1"


class Terms:
    """SQL fragments for one town's settings and one school year.

    Aliases: `r` person record, `p` person, `f` the person's roll facts (may be NULL), `e` a
    roll and `s` its school.
    """

    def __init__(
        self,
        *,
        settings: TownSettings,
        school_year_id: int,
        year: int,
        day: datetime.date | None = None,
    ) -> None:
        """`day`: judge on that day instead of the reference date (the ledgers of a day)."""
        self.settings = settings
        self.school_year_id = school_year_id
        self.year = year
        self.reference = day or settings.reference_date(year)
        self.first_day = datetime.date(year, 9, 1)
        self.last_day = datetime.date(year + 1, 8, 31)

    # -- the person -----------------------------------------------------------------------
    @property
    def alive(self) -> str:
        return f"(r.died_on IS NULL OR r.died_on > {_lit(self.reference)})"

    @property
    def registered(self) -> str:
        """户籍, alive and not moved out on the reference date (a later move-out still counts)."""
        return (
            f"(r.population_type = {_lit(PopulationType.REGISTERED)} AND {self.alive}"
            f" AND (r.moved_out_on IS NULL OR r.moved_out_on > {_lit(self.reference)}))"
        )

    @property
    def migrant(self) -> str:
        return f"(r.population_type = {_lit(PopulationType.MIGRANT)} AND {self.alive})"

    def aged(self, ages: tuple[int, int]) -> str:
        born_after, born_by = birth_bounds(self.reference, *ages)
        return f"(p.birth_date > {_lit(born_after)} AND p.birth_date <= {_lit(born_by)})"

    @property
    def three_class_disabled(self) -> str:
        return _in("r.disability", THREE_CLASS_DISABILITIES)

    @property
    def exempted(self) -> str:
        """A 免学/缓学 approval valid on the reference date."""
        return self.exempted_on(self.reference)

    def exempted_on(self, day: datetime.date) -> str:
        return exempted_on(day)

    @property
    def excluded_from_enrollment(self) -> str:
        parts = []
        if self.settings.exclude_disabled_from_enrollment:
            parts.append(self.three_class_disabled)
        if self.settings.exclude_exempted_from_enrollment:
            parts.append(self.exempted)
        return f"({' OR '.join(parts)})" if parts else _lit(False)

    @property
    def lost_learning_ability(self) -> str:
        return "(r.lost_learning_ability = TRUE)"

    @property
    def home_taught(self) -> str:
        if not self.settings.count_home_schooling_as_enrolled:
            return _lit(False)
        return "(r.home_schooling = TRUE)"

    def elsewhere(self, levels: Iterable[str]) -> str:
        return _in("r.elsewhere_level", levels)

    # -- enrolment on the reference date ---------------------------------------------------
    @property
    def enrolled(self) -> str:
        """On a roll (any school, any level), studying elsewhere, or taught at home."""
        return f"({_fact('on_roll')} OR r.elsewhere_level <> '' OR {self.home_taught})"

    @property
    def enrolled_junior(self) -> str:
        return f"({_fact('junior_on_roll')} OR {self.elsewhere([StudyLevel.JUNIOR])})"

    @property
    def enrolled_junior_or_above(self) -> str:
        above = [StudyLevel.JUNIOR, StudyLevel.SENIOR, StudyLevel.VOCATIONAL]
        return f"({_fact('junior_on_roll')} OR {self.elsewhere(above)})"

    @property
    def enrolled_primary(self) -> str:
        """At primary level on the reference date: a primary grade of an ordinary school's
        roll, or studying primary elsewhere (the statistical tables' 小学在校)."""
        return f"({_fact('primary_on_roll')} OR {self.elsewhere([StudyLevel.PRIMARY])})"

    @property
    def enrolled_special(self) -> str:
        """At a special school on the reference date (a roll there, or 特教 elsewhere)."""
        return f"({_fact('special_on_roll')} OR {self.elsewhere([StudyLevel.SPECIAL])})"

    @property
    def studying_elsewhere(self) -> str:
        return "(r.elsewhere_level <> '')"

    @property
    def elsewhere_with_proof(self) -> str:
        return f"({self.studying_elsewhere} AND r.elsewhere_proof = TRUE)"

    @property
    def home_schooling_recorded(self) -> str:
        """送教上门 as recorded, whatever the counting setting (the tables show it apart)."""
        return "(r.home_schooling = TRUE)"

    @property
    def dropped_out_by_reference(self) -> str:
        """Not enrolled on the reference date and the latest exit of a roll by then a dropout
        (辍学, or 转出 with no school found)."""
        return f"(NOT {self.enrolled} AND {_fact('dropped_out')})"

    @property
    def never_enrolled(self) -> str:
        """失学: not enrolled, never on any roll up to this year, and no schooling recorded."""
        unschooled = ["", EducationLevel.PRESCHOOL, *LEVELS_ILLITERATE]
        return (
            f"(NOT {self.enrolled} AND f.person_id IS NULL"
            f" AND {_in('r.education_level', unschooled)})"
        )

    @property
    def registered_type_gone(self) -> str:
        """户籍 people dead or moved out by the reference date (the tables' 死亡/迁出)."""
        return f"(r.population_type = {_lit(PopulationType.REGISTERED)} AND NOT {self.registered})"

    @property
    def enrolled_senior(self) -> str:
        return self.elsewhere([StudyLevel.SENIOR, StudyLevel.VOCATIONAL])

    @property
    def primary_completed(self) -> str:
        return (
            f"({_fact('primary_graduated')} OR {self.enrolled_junior_or_above}"
            f" OR {_in('r.education_level', LEVELS_PRIMARY_COMPLETED)})"
        )

    @property
    def junior_completed(self) -> str:
        return (
            f"({_fact('junior_graduated')} OR {self.enrolled_senior}"
            f" OR {_in('r.education_level', LEVELS_JUNIOR_COMPLETED)})"
        )

    @property
    def illiterate(self) -> str:
        return _in("r.education_level", LEVELS_ILLITERATE)

    # -- rolls -------------------------------------------------------------------------------
    def roll_enrolled_on(self, day: datetime.date) -> str:
        return roll_enrolled_on(day)

    def roll_on_register_on(self, day: datetime.date) -> str:
        return roll_on_register_on(day)

    @property
    def roll_at_start(self) -> str:
        """On the register on the first day of the school year."""
        return self.roll_on_register_on(self.first_day)

    def _dropout_exit(self, e: str) -> str:
        """Roll `e`'s current status is a dropout exit dated within the year (1 September
        included)."""
        exits = [f"{e}.status = {_lit(RollStatus.DROPPED_OUT)}"]
        exits.append(
            f"({e}.status = {_lit(RollStatus.TRANSFERRED_OUT)} AND {e}.transfer_school = '')"
        )
        if self.settings.count_suspension_as_dropout:
            exits.append(f"{e}.status = {_lit(RollStatus.SUSPENDED)}")
        return (
            f"(({' OR '.join(exits)}) AND {e}.status_date >= {_lit(self.first_day)}"
            f" AND {e}.status_date <= {_lit(self.last_day)})"
        )

    @property
    def roll_dropped_out(self) -> str:
        """Left during Y as a dropout and not back (domain.md §3, event form): the current
        status is still the exit, dated within the year, the child did not resume at a school
        of the town before the year ended, and this is his last dropout of the year in the town
        (a person is one dropout at most, counted at the school he left last)."""
        return (
            f"({self._dropout_exit('e')} AND NOT {self.roll_resumed_in_town}"
            f" AND NOT {self.roll_dropped_out_later})"
        )

    @property
    def roll_dropped_out_later(self) -> str:
        """Another roll of the same child in the year at a school of the town whose dropout
        exit is later than this roll's (on the same day: the roll written last)."""
        enrollment, unit = _table(Enrollment), _table(Unit)
        return (
            f"EXISTS (SELECT 1 FROM {enrollment} e3 JOIN {unit} s3 ON s3.id = e3.school_id"
            " WHERE e3.person_id = e.person_id AND e3.school_year_id = e.school_year_id"
            f" AND e3.id <> e.id AND s3.parent_id = (SELECT u3.parent_id FROM {unit} u3"
            f" WHERE u3.id = e.school_id) AND {self._dropout_exit('e3')}"
            " AND (e3.status_date > e.status_date"
            " OR (e3.status_date = e.status_date AND e3.id > e.id)))"
        )

    @property
    def roll_resumed_in_town(self) -> str:
        """A later roll of the same child at a school of the town, joined on or after this
        roll's exit and before the year ended, that is not itself an exit: he resumed."""
        staying = [RollStatus.STUDYING, RollStatus.GRADUATED]
        if not self.settings.count_suspension_as_dropout:
            staying.append(RollStatus.SUSPENDED)
        enrollment, unit = _table(Enrollment), _table(Unit)
        return (
            f"EXISTS (SELECT 1 FROM {enrollment} e2 JOIN {unit} s2 ON s2.id = e2.school_id"
            " WHERE e2.person_id = e.person_id AND e2.school_year_id = e.school_year_id"
            f" AND e2.id <> e.id AND s2.parent_id = (SELECT u.parent_id FROM {unit} u"
            " WHERE u.id = e.school_id) AND e2.entry_date >= e.status_date"
            f" AND e2.entry_date <= {_lit(self.last_day)} AND {_in('e2.status', staying)})"
        )

    def roll_grades(self, grades: range) -> str:
        return f"(e.grade >= {grades.start} AND e.grade <= {grades.stop - 1})"

    def roll_facts(self, persons: str = "") -> str:
        """One row per person with a roll: enrolled / at junior level on the reference date,
        graduated from primary / junior by it (rolls of this and every earlier school year)."""
        on_roll = (
            f"e.school_year_id = {self.school_year_id} AND {self.roll_enrolled_on(self.reference)}"
        )
        graduated = (
            f"e.status = {_lit(RollStatus.GRADUATED)} AND e.status_date <= {_lit(self.reference)}"
        )
        dropped = (
            f"(e.status = {_lit(RollStatus.DROPPED_OUT)} OR (e.status ="
            f" {_lit(RollStatus.TRANSFERRED_OUT)} AND e.transfer_school = ''))"
            f" AND e.status_date <= {_lit(self.reference)}"
        )
        return f"""
            SELECT e.person_id AS person_id,
              MAX(CASE WHEN e.school_year_id = {self.school_year_id} THEN 1 ELSE 0 END) AS has_roll,
              MAX(CASE WHEN {on_roll} THEN 1 ELSE 0 END) AS on_roll,
              MAX(CASE WHEN {on_roll} AND {self.roll_grades(JUNIOR_GRADES)}
                   AND s.kind <> {_lit(UnitKind.SPECIAL)} THEN 1 ELSE 0 END) AS junior_on_roll,
              MAX(CASE WHEN {on_roll} AND {self.roll_grades(PRIMARY_GRADES)}
                   AND s.kind <> {_lit(UnitKind.SPECIAL)} THEN 1 ELSE 0 END) AS primary_on_roll,
              MAX(CASE WHEN {on_roll} AND s.kind = {_lit(UnitKind.SPECIAL)}
                   THEN 1 ELSE 0 END) AS special_on_roll,
              MAX(CASE WHEN {dropped} THEN 1 ELSE 0 END) AS dropped_out,
              MAX(CASE WHEN {graduated} THEN 1 ELSE 0 END) AS primary_graduated,
              MAX(CASE WHEN {graduated} AND {self.roll_grades(JUNIOR_GRADES)}
                   THEN 1 ELSE 0 END) AS junior_graduated
            FROM {{enrollment}} e
              JOIN {{unit}} s ON s.id = e.school_id
              JOIN {{school_year}} y ON y.id = e.school_year_id
            WHERE e.person_id IS NOT NULL AND y.year <= {self.year} {persons}
            GROUP BY e.person_id"""


class FlagTerms(Terms):
    """The same terms, each computed once per row: a term reads `q.<name> = 1`, and `flags`
    collects the SQL of every term used, for the engine to compute in an inner query.

    The aggregate query has 22 counted conditions built from a dozen terms; computing the terms
    once per person record instead of once per condition is what keeps the pass close to the
    cost of reading the rows.
    """

    def __init__(self, base: Terms) -> None:
        super().__init__(
            settings=base.settings,
            school_year_id=base.school_year_id,
            year=base.year,
            day=base.reference,
        )
        self.base = base
        self.flags: dict[str, str] = {}
        self.ages: list[tuple[int, int]] = []  # every age range asked for

    def _flag(self, name: str, sql: str) -> str:
        self.flags.setdefault(name, sql)
        return f"q.{name} = 1"

    @property
    def registered(self) -> str:
        return self._flag("registered", self.base.registered)

    @property
    def migrant(self) -> str:
        return self._flag("migrant", self.base.migrant)

    def aged(self, ages: tuple[int, int]) -> str:
        self.ages.append(ages)
        return self._flag(f"aged_{ages[0]}_{ages[1]}", self.base.aged(ages))

    @property
    def three_class_disabled(self) -> str:
        return self._flag("three_class", self.base.three_class_disabled)

    @property
    def excluded_from_enrollment(self) -> str:
        return self._flag("excluded", self.base.excluded_from_enrollment)

    @property
    def lost_learning_ability(self) -> str:
        return self._flag("lost_ability", self.base.lost_learning_ability)

    @property
    def enrolled(self) -> str:
        return self._flag("enrolled", self.base.enrolled)

    @property
    def enrolled_junior(self) -> str:
        return self._flag("enrolled_junior", self.base.enrolled_junior)

    @property
    def enrolled_junior_or_above(self) -> str:
        return self._flag("enrolled_junior_up", self.base.enrolled_junior_or_above)

    @property
    def primary_completed(self) -> str:
        return self._flag("primary_done", self.base.primary_completed)

    @property
    def junior_completed(self) -> str:
        return self._flag("junior_done", self.base.junior_completed)

    @property
    def illiterate(self) -> str:
        return self._flag("illiterate", self.base.illiterate)


Condition = Callable[[Terms], str]


@dataclass(frozen=True)
class IndicatorDefinition:
    code: str
    name: str
    direction: Direction
    basis: Basis
    scopes: frozenset[UnitScope]
    population: Condition
    numerator: Condition
    # The junior gross rate counts pupils of any age over the population aged 13–15, and a
    # dropout rate every dropout of the year over the start roll: those numerators are not
    # subsets of their populations. Every other numerator is.
    numerator_within_population: bool = True

    def population_sql(self, terms: Terms) -> str:
        return self.population(terms)

    def numerator_sql(self, terms: Terms) -> str:
        if self.numerator_within_population:
            return f"({self.population(terms)} AND {self.numerator(terms)})"
        return self.numerator(terms)


def _enrollment_population(t: Terms, ages: tuple[int, int]) -> str:
    return f"({t.registered} AND {t.aged(ages)} AND NOT {t.excluded_from_enrollment})"


def _junior_gross_numerator(t: Terms) -> str:
    return f"({t.registered} AND NOT {t.excluded_from_enrollment} AND {t.enrolled_junior})"


DEFINITIONS: tuple[IndicatorDefinition, ...] = (
    IndicatorDefinition(
        code="primary_enrollment",
        name="小学适龄儿童入学率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: _enrollment_population(t, t.settings.primary_ages),
        numerator=lambda t: f"({t.enrolled} OR {t.primary_completed})",
    ),
    IndicatorDefinition(
        code="junior_gross_enrollment",
        name="初中阶段毛入学率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: _enrollment_population(t, t.settings.junior_ages),
        numerator=_junior_gross_numerator,
        numerator_within_population=False,
    ),
    IndicatorDefinition(
        code="junior_net_enrollment",
        name="初中净入学率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: _enrollment_population(t, t.settings.junior_ages),
        numerator=lambda t: t.enrolled_junior_or_above,
    ),
    IndicatorDefinition(
        code="migrant_enrollment",
        name="流动人口子女入学率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: f"({t.migrant} AND {t.aged(t.settings.migrant_ages)})",
        numerator=lambda t: t.enrolled,
    ),
    IndicatorDefinition(
        code="disabled_enrollment",
        name="三类残疾儿童少年入学率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: (
            f"({t.registered} AND {t.three_class_disabled} AND {t.aged(t.settings.disabled_ages)})"
        ),
        numerator=lambda t: t.enrolled,
    ),
    IndicatorDefinition(
        code="primary_dropout",
        name="小学年辍学率",
        direction=Direction.AT_MOST,
        basis=Basis.ROLL,
        scopes=DROPOUT_SCOPES,
        population=lambda t: f"({t.roll_at_start} AND {t.roll_grades(PRIMARY_GRADES)})",
        # Every dropout of the year, also of pupils who joined during it (domain.md §3).
        numerator=lambda t: f"({t.roll_dropped_out} AND {t.roll_grades(PRIMARY_GRADES)})",
        numerator_within_population=False,
    ),
    IndicatorDefinition(
        code="junior_dropout",
        name="初中年辍学率",
        direction=Direction.AT_MOST,
        basis=Basis.ROLL,
        scopes=DROPOUT_SCOPES,
        population=lambda t: f"({t.roll_at_start} AND {t.roll_grades(JUNIOR_GRADES)})",
        # Every dropout of the year, also of pupils who joined during it (domain.md §3).
        numerator=lambda t: f"({t.roll_dropped_out} AND {t.roll_grades(JUNIOR_GRADES)})",
        numerator_within_population=False,
    ),
    IndicatorDefinition(
        code="primary_completion_15",
        name="15周岁人口初等教育完成率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: f"({t.registered} AND {t.aged((15, 15))})",
        numerator=lambda t: t.primary_completed,
    ),
    IndicatorDefinition(
        code="junior_completion_17",
        name="17周岁人口初级中等教育完成率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: f"({t.registered} AND {t.aged((17, 17))})",
        numerator=lambda t: t.junior_completed,
    ),
    IndicatorDefinition(
        code="illiteracy_15",
        name="15周岁人口文盲率",
        direction=Direction.AT_MOST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: (
            f"({t.registered} AND {t.aged((15, 15))} AND NOT {t.lost_learning_ability})"
        ),
        numerator=lambda t: t.illiterate,
    ),
    IndicatorDefinition(
        code="literacy_15_50",
        name="15–50周岁人口非文盲率",
        direction=Direction.AT_LEAST,
        basis=Basis.PERSON,
        scopes=POPULATION_SCOPES,
        population=lambda t: (
            f"({t.registered} AND {t.aged((15, 50))} AND NOT {t.lost_learning_ability})"
        ),
        # 脱盲 is literate; a relapse (复盲) is recorded by setting the level back to 文盲.
        numerator=lambda t: f"NOT {t.illiterate}",
    ),
)
BY_CODE: dict[str, IndicatorDefinition] = {d.code: d for d in DEFINITIONS}


def definition_get(code: str) -> IndicatorDefinition:
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"未知的指标 {code}；可用的指标：{', '.join(BY_CODE)}") from None
