"""The statistical tables (统计报表) in the layout offices file, for a town or a village (a school
for the dropout table), for one school year.

Every figure is the indicator engine's: an indicator's population and numerator come from
`indicators_compute`, every other column is a named fact of `indicators.facts` over the same
`Terms`, counted set-wise by `indicators.engine`. Nothing here decides who counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from liangji.indicators.context import Context, context_for
from liangji.indicators.definitions import Terms, definition_get
from liangji.indicators.engine import age_key, person_counts, roll_counts
from liangji.indicators.facts import fact_get
from liangji.indicators.report import IndicatorReport
from liangji.indicators.selectors import indicators_compute
from liangji.indicators.values import IndicatorValue, rate_value
from liangji.registers.choices import (
    JUNIOR_GRADES,
    PRIMARY_GRADES,
    SCHOOL_KINDS,
    VILLAGE_KINDS,
    Sex,
)
from liangji.registers.models import Unit
from liangji.registers.rules import age_on
from liangji.reports.catalogue import (
    REPORTS,
    TOWN_AND_SCHOOLS,
    TOWN_AND_VILLAGES,
    TOWN_ONLY,
    ReportKind,
    ReportRequest,
    ReportSpec,
    report_register,
)
from liangji.reports.layout import Column, Sheet, Value

TOTAL = "合计"


@dataclass(frozen=True)
class Where:
    """The units a table covers: the town's villages (or schools) the request may see."""

    ctx: Context
    villages: list[Unit]
    schools: list[Unit]

    def village_filter(self) -> str:
        return f"AND r.village_id IN ({_ids(v.pk for v in self.villages)})"

    def school_filter(self) -> str:
        return f"AND e.school_id IN ({_ids(s.pk for s in self.schools)})"

    def rate(self, numerator: int, denominator: int) -> str:
        value = rate_value(
            numerator=numerator,
            denominator=denominator,
            decimals=self.ctx.settings.rate_decimals,
            rounding=self.ctx.settings.rate_rounding,
        )
        return "—" if value is None else f"{value}%"


def _ids(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in values) or "NULL"


def _visible(request: ReportRequest, unit: Unit) -> bool:
    ids = request.unit_ids
    return ids is None or request.town.pk in ids or unit.pk in ids


def where_for(request: ReportRequest) -> Where:
    where: Where = request.remember("where", lambda: _where(request))
    return where


def _where(request: ReportRequest) -> Where:
    ctx = context_for(school_year=request.school_year.year, town=request.town)
    children = list(Unit.objects.filter(parent=request.town).order_by("name"))
    chosen = [request.unit] if request.unit.pk != request.town.pk else children
    chosen = [u for u in chosen if _visible(request, u)]
    return Where(
        ctx=ctx,
        villages=[u for u in chosen if u.kind in VILLAGE_KINDS],
        schools=[u for u in chosen if u.kind in SCHOOL_KINDS],
    )


def _indicators(request: ReportRequest, where: Where) -> IndicatorReport:
    report: IndicatorReport = request.remember(
        "indicators",
        lambda: indicators_compute(
            school_year=request.school_year.year,
            town=request.town,
            unit_ids=request.unit_ids,
            include_groups=False,
        ),
    )
    return report


def _value(report: IndicatorReport, unit_id: int, code: str) -> IndicatorValue | None:
    unit = next((u for u in report.units if u.unit_id == unit_id), None)
    return next((v for v in unit.indicators if v.code == code), None) if unit else None


def _sheet(
    request: ReportRequest,
    title: str,
    unit: Unit,
    columns: list[Column],
    rows: list[list[Value]],
    notes: Sequence[str] = (),
    totals: int = 1,
) -> Sheet:
    return Sheet(
        title=title,
        unit=unit.name,
        school_year=request.school_year.year,
        columns=columns,
        rows=rows,
        date=request.today,
        notes=list(notes),
        total_rows=set(range(len(rows) - totals, len(rows))) if totals else set(),
    )


def _sum_rows(rows: Sequence[Sequence[Value]], start: int) -> list[Value]:
    """Column sums of the numeric columns from `start` on (rates are recomputed by callers)."""
    width = len(rows[0]) if rows else 0
    sums: list[Value] = []
    for c in range(start, width):
        sums.append(sum(v for r in rows if isinstance(v := r[c], int)))
    return sums


# -- 0–17 周岁人口及受教育状况 --------------------------------------------------------------
POPULATION_0_17_FACTS = (
    "population", "at_primary", "at_junior", "at_special", "elsewhere_proof",
    "elsewhere_no_proof", "exempted", "three_class", "home_taught", "dropped_out",
    "never_enrolled", "gone",
)  # fmt: skip


def _by_age_and_sex(
    where: Where, facts: Sequence[str], low: int, high: int
) -> dict[tuple[int, int, str], list[int]]:
    """(village id, age, sex) → the count of each fact."""
    t = where.ctx.terms
    rows = person_counts(
        terms=t,
        town_id=where.ctx.town.pk,
        keys=["r.village_id", age_key(t, low, high), "p.sex"],
        conditions=[fact_get(code).sql(t) for code in facts],
        where=f"{where.village_filter()} AND {t.aged((low, high))}",
    )
    return {(int(v), int(a), str(s)): [int(n) for n in counts] for v, a, s, *counts in rows}  # type: ignore[call-overload]


def population_0_17_sheet(
    request: ReportRequest, unit: Unit, counts: dict[tuple[int, int, str], list[int]],
    village_ids: set[int],
) -> Sheet:  # fmt: skip
    columns = [Column("年龄（周岁）", width=8)]
    for code in POPULATION_0_17_FACTS:
        name = fact_get(code).name
        columns += [Column("计", name, 6), Column("女", name, 6)]
    # One pass over the counts: per age, each fact's 计 and 女 side by side.
    by_age = {age: [0] * (2 * len(POPULATION_0_17_FACTS)) for age in range(0, 18)}
    for (v, a, s), c in counts.items():
        if v not in village_ids or a not in by_age:
            continue
        sums = by_age[a]
        for i, n in enumerate(c):
            sums[2 * i] += n
            if s == Sex.FEMALE:
                sums[2 * i + 1] += n
    rows: list[list[Value]] = [[age, *by_age[age]] for age in range(0, 18)]
    rows.append([TOTAL, *_sum_rows(rows, 1)])
    t = request_terms(request)
    return _sheet(
        request,
        "0—17周岁人口及受教育状况统计表",
        unit,
        columns,
        rows,
        notes=[
            f"统计时点 {t.reference.isoformat()}；人口为户籍在册、在世的人口，"
            "年龄按统计时点的周岁计算；"
            "在外就读按登记的学段与证明；辍学、失学为统计时点未入学者。"
        ],
    )


def request_terms(request: ReportRequest) -> Terms:
    return where_for(request).ctx.terms


def population_0_17(request: ReportRequest) -> list[Sheet]:
    where = where_for(request)
    counts = _by_age_and_sex(where, POPULATION_0_17_FACTS, 0, 17)
    sheets = []
    if request.unit.pk == request.town.pk:
        ids = {v.pk for v in where.villages}
        sheets.append(population_0_17_sheet(request, request.town, counts, ids))
    for village in where.villages:
        sheets.append(population_0_17_sheet(request, village, counts, {village.pk}))
    return sheets


# -- tables by village, from the indicators and their parts -----------------------------------
def _village_parts(where: Where, conditions: Sequence[str]) -> dict[int, list[int]]:
    if not conditions:
        return {}
    rows = person_counts(
        terms=where.ctx.terms,
        town_id=where.ctx.town.pk,
        keys=["r.village_id"],
        conditions=list(conditions),
        where=where.village_filter(),
    )
    return {int(v): [int(n) for n in counts] for v, *counts in rows}  # type: ignore[call-overload]


VillageRow = Callable[[Unit | None, dict[str, IndicatorValue | None], list[int]], list[Value]]


def _by_village(
    request: ReportRequest,
    *,
    title: str,
    columns: list[Column],
    codes: Sequence[str],
    parts: Callable[[Terms], list[str]],
    row: VillageRow,
    notes: Sequence[str] = (),
) -> list[Sheet]:
    """One row a village and a 合计 row (the town's own figures when the town is asked for)."""
    where = where_for(request)
    report = _indicators(request, where)
    by_village = _village_parts(where, parts(where.ctx.terms))
    width = len(parts(where.ctx.terms))
    rows = []
    for village in where.villages:
        values = {c: _value(report, village.pk, c) for c in codes}
        rows.append(row(village, values, by_village.get(village.pk, [0] * width)))
    total_values = {c: _value(report, request.unit.pk, c) for c in codes}
    total_parts = [sum(p[i] for p in by_village.values()) for i in range(width)]
    rows.append(row(None, total_values, total_parts))
    return [_sheet(request, title, request.unit, columns, rows, notes)]


def _nd(value: IndicatorValue | None) -> tuple[int, int]:
    return (value.numerator, value.denominator) if value is not None else (0, 0)


def _rate(value: IndicatorValue | None) -> str:
    return "—" if value is None or value.value is None else f"{value.value}%"


def enrollment(request: ReportRequest) -> list[Sheet]:
    codes = ("primary_enrollment", "junior_gross_enrollment", "junior_net_enrollment")

    def parts(t: Terms) -> list[str]:
        primary, junior = t.aged(t.settings.primary_ages), t.aged(t.settings.junior_ages)
        p_def = definition_get("primary_enrollment")
        return [
            f"({t.registered} AND {primary})",
            f"({t.registered} AND {primary} AND {t.three_class_disabled})",
            f"({t.registered} AND {primary} AND {t.exempted})",
            f"({p_def.numerator_sql(t)} AND {t.studying_elsewhere})",
            f"({t.registered} AND {junior})",
        ]

    def row(unit: Unit | None, v: dict[str, IndicatorValue | None], p: list[int]) -> list[Value]:
        pn, pd = _nd(v["primary_enrollment"])
        gn, gd = _nd(v["junior_gross_enrollment"])
        nn, _ = _nd(v["junior_net_enrollment"])
        return [
            unit.name if unit else TOTAL, p[0], p[1], p[2], pd, pn, p[3], pd - pn,
            _rate(v["primary_enrollment"]), p[4], gd, gn, _rate(v["junior_gross_enrollment"]),
            nn, _rate(v["junior_net_enrollment"]),
        ]  # fmt: skip

    g1, g2 = "小学适龄儿童", "初中适龄少年"
    columns = [
        Column("村（社区）", width=14), Column("适龄人口", g1), Column("其中三类残疾", g1),
        Column("其中免缓学", g1), Column("应入学", g1), Column("已入学", g1),
        Column("其中在外就读", g1), Column("未入学", g1), Column("入学率", g1, 9),
        Column("适龄人口", g2), Column("应入学", g2), Column("初中在校", g2),
        Column("毛入学率", g2, 9), Column("初中及以上在校", g2), Column("净入学率", g2, 9),
    ]  # fmt: skip
    return _by_village(request, title="适龄儿童少年入学情况统计表", columns=columns,
                       codes=codes, parts=parts, row=row)  # fmt: skip


def completion(request: ReportRequest) -> list[Sheet]:
    codes = ("primary_completion_15", "illiteracy_15", "junior_completion_17")

    def row(unit: Unit | None, v: dict[str, IndicatorValue | None], p: list[int]) -> list[Value]:
        n15, d15 = _nd(v["primary_completion_15"])
        i15, di15 = _nd(v["illiteracy_15"])
        n17, d17 = _nd(v["junior_completion_17"])
        return [
            unit.name if unit else TOTAL, d15, n15, d15 - n15, _rate(v["primary_completion_15"]),
            di15, i15, _rate(v["illiteracy_15"]), d17, n17, d17 - n17,
            _rate(v["junior_completion_17"]),
        ]  # fmt: skip

    g15, g17 = "15周岁人口", "17周岁人口"
    columns = [
        Column("村（社区）", width=14), Column("人口", g15), Column("完成初等教育", g15),
        Column("未完成", g15), Column("完成率", g15, 9), Column("文盲率统计人口", g15),
        Column("文盲半文盲", g15), Column("文盲率", g15, 9), Column("人口", g17),
        Column("完成初级中等教育", g17), Column("未完成", g17), Column("完成率", g17, 9),
    ]  # fmt: skip
    return _by_village(request, title="15周岁、17周岁人口教育完成情况统计表", columns=columns,
                       codes=codes, parts=lambda t: [], row=row)  # fmt: skip


def disabled(request: ReportRequest) -> list[Sheet]:
    definition = definition_get("disabled_enrollment")

    def parts(t: Terms) -> list[str]:
        among = definition.numerator_sql(t)
        ordinary = "(COALESCE(f.primary_on_roll, 0) = 1 OR COALESCE(f.junior_on_roll, 0) = 1)"
        return [
            f"({among} AND {ordinary})",
            f"({among} AND {t.enrolled_special})",
            f"({among} AND {t.home_taught} AND NOT {ordinary} AND NOT {t.enrolled_special})",
            f"({among} AND {t.studying_elsewhere} AND NOT {t.enrolled_special})",
        ]

    def row(unit: Unit | None, v: dict[str, IndicatorValue | None], p: list[int]) -> list[Value]:
        n, d = _nd(v["disabled_enrollment"])
        return [unit.name if unit else TOTAL, d, n, *p, d - n, _rate(v["disabled_enrollment"])]

    columns = [
        Column("村（社区）", width=14), Column("三类残疾适龄人口"), Column("已入学"),
        Column("其中随班就读"), Column("其中特殊教育学校"), Column("其中送教上门"),
        Column("其中在外就读"), Column("未入学"), Column("入学率", width=9),
    ]  # fmt: skip
    return _by_village(request, title="三类残疾儿童少年入学情况统计表", columns=columns,
                       codes=("disabled_enrollment",), parts=parts, row=row)  # fmt: skip


def migrant(request: ReportRequest) -> list[Sheet]:
    definition = definition_get("migrant_enrollment")

    def parts(t: Terms) -> list[str]:
        among = definition.numerator_sql(t)
        return [
            f"({among} AND COALESCE(f.on_roll, 0) = 1)",
            f"({among} AND {t.studying_elsewhere})",
            f"({among} AND COALESCE(f.on_roll, 0) = 0 AND NOT {t.studying_elsewhere})",
        ]

    def row(unit: Unit | None, v: dict[str, IndicatorValue | None], p: list[int]) -> list[Value]:
        n, d = _nd(v["migrant_enrollment"])
        return [unit.name if unit else TOTAL, d, n, *p, d - n, _rate(v["migrant_enrollment"])]

    columns = [
        Column("村（社区）", width=14), Column("流动人口适龄子女"), Column("已入学"),
        Column("其中在校就读"), Column("其中在外就读"), Column("其中送教上门"),
        Column("未入学"), Column("入学率", width=9),
    ]  # fmt: skip
    return _by_village(request, title="流动人口子女入学情况统计表", columns=columns,
                       codes=("migrant_enrollment",), parts=parts, row=row)  # fmt: skip


# -- 辍学情况 by grade ----------------------------------------------------------------------
def dropout(request: ReportRequest) -> list[Sheet]:
    where = where_for(request)
    t = where.ctx.terms
    p_def, j_def = definition_get("primary_dropout"), definition_get("junior_dropout")
    rows = roll_counts(
        terms=t,
        town_id=where.ctx.town.pk,
        keys=["e.school_id", "e.grade"],
        conditions=[
            f"({p_def.population_sql(t)} OR {j_def.population_sql(t)})",
            f"({p_def.numerator_sql(t)} OR {j_def.numerator_sql(t)})",
            fact_get("resumed").sql(t),
        ],
        where=where.school_filter(),
    )
    counts = {(int(s), int(g)): [int(n) for n in c] for s, g, *c in rows}  # type: ignore[call-overload]
    sheets = []
    if request.unit.pk == request.town.pk:
        sheets.append(_dropout_sheet(request, where, request.town, counts, where.schools))
    for school in where.schools:
        sheets.append(_dropout_sheet(request, where, school, counts, [school]))
    return sheets


def _dropout_sheet(
    request: ReportRequest,
    where: Where,
    unit: Unit,
    counts: dict[tuple[int, int], list[int]],
    schools: list[Unit],
) -> Sheet:
    ids = {s.pk for s in schools}

    def grade_counts(grades: range) -> list[int]:
        return [
            sum(c[i] for (s, g), c in counts.items() if s in ids and g in grades) for i in range(3)
        ]

    rows: list[list[Value]] = []
    for label, grades in (("小学", PRIMARY_GRADES), ("初中", JUNIOR_GRADES)):
        for grade in grades:
            start, out, back = grade_counts(range(grade, grade + 1))
            rows.append([f"{grade}年级", start, out, back, where.rate(out, start)])
        start, out, back = grade_counts(grades)
        rows.append([f"{label}合计", start, out, back, where.rate(out, start)])
    columns = [
        Column("年级", width=10), Column("学年初在校生"), Column("学年内辍学"),
        Column("辍学后已复学"), Column("辍学率", width=9),
    ]  # fmt: skip
    sheet = _sheet(
        request, "义务教育阶段学生辍学情况统计表", unit, columns, rows, totals=0,
        notes=["辍学按事件法：学年内辍学（含退学、转出未找到接收学校）且学年结束前未复学者；"
               "辍学后已复学者不计入辍学。"],
    )  # fmt: skip
    sheet.total_rows = {6, 10}
    return sheet


# -- 青壮年文盲 by age band and sex ----------------------------------------------------------
LITERACY_BANDS = ((15, 24), (25, 34), (35, 50))
LITERACY_FACTS = ("population", "lost_ability", "illiterate")


def _literacy_work(where: Where) -> dict[tuple[int, int, str], list[int]]:
    """(village, age, sex) → [learners in the year's classes, 脱盲 certificates of the year],
    from the literacy app's ledger (its classes and certificates), ages on the reference date."""
    from liangji.literacy.models import Certificate, ClassMember

    t, year = where.ctx.terms, where.ctx.school_year
    counts: dict[tuple[int, int, str], list[int]] = defaultdict(lambda: [0, 0])
    learners = (
        ClassMember.objects.filter(klass__school_year=year, klass__town=where.ctx.town)
        .values_list("klass__village_id", "person_id", "person__birth_date", "person__sex")
        .distinct()
    )
    certificates = Certificate.objects.filter(school_year=year, town=where.ctx.town).values_list(
        "village_id", "person_id", "person__birth_date", "person__sex"
    )
    for column, rows in enumerate((learners, certificates)):
        for village_id, _, born, sex in rows:
            counts[(village_id, age_on(born, t.reference), sex)][column] += 1
    return counts


def illiteracy(request: ReportRequest) -> list[Sheet]:
    where = where_for(request)
    register = _by_age_and_sex(where, LITERACY_FACTS, 15, 50)
    work = _literacy_work(where)
    counts = {
        key: [*register.get(key, [0] * len(LITERACY_FACTS)), *work.get(key, [0, 0])]
        for key in register.keys() | work.keys()
    }
    sheets = []
    if request.unit.pk == request.town.pk:
        ids = {v.pk for v in where.villages}
        sheets.append(_illiteracy_sheet(request, where, request.town, counts, ids))
    for village in where.villages:
        sheets.append(_illiteracy_sheet(request, where, village, counts, {village.pk}))
    return sheets


def _illiteracy_sheet(
    request: ReportRequest,
    where: Where,
    unit: Unit,
    counts: dict[tuple[int, int, str], list[int]],
    ids: set[int],
) -> Sheet:
    own = [(a, s, c) for (v, a, s), c in counts.items() if v in ids]

    def band(low: int, high: int, sex: str | None) -> list[int]:
        width = len(LITERACY_FACTS) + 2
        sums = [0] * width
        for a, s, c in own:
            if low <= a <= high and (sex is None or s == sex):
                for i in range(width):
                    sums[i] += c[i]
        return sums

    rows: list[list[Value]] = []
    for low, high in (*LITERACY_BANDS, (15, 50)):
        both, women = band(low, high, None), band(low, high, Sex.FEMALE)
        counted = both[0] - both[1]
        rows.append([
            f"{low}—{high}周岁" if (low, high) != (15, 50) else "合计（15—50周岁）",
            both[0], women[0], both[1], women[1], both[2], women[2],
            counted, counted - both[2], where.rate(counted - both[2], counted), both[3], both[4],
        ])  # fmt: skip
    columns = [
        Column("年龄段", width=16), Column("计", "户籍人口"), Column("女", "户籍人口"),
        Column("计", "丧失学习能力"), Column("女", "丧失学习能力"),
        Column("计", "文盲半文盲"), Column("女", "文盲半文盲"),
        Column("统计人口"), Column("非文盲"), Column("非文盲率", width=9),
        Column("扫盲学员", "本学年扫盲"), Column("脱盲证书", "本学年扫盲"),
    ]  # fmt: skip
    notes = [
        "统计人口 = 户籍人口 − 丧失学习能力者；脱盲者计为非文盲。",
        "扫盲学员、脱盲证书取自扫盲工作台账（本学年的扫盲班和颁发的证书）。",
    ]
    return _sheet(request, "青壮年文盲状况统计表", unit, columns, rows, notes=notes)


# -- 学校基本情况 ---------------------------------------------------------------------------
def schools(request: ReportRequest) -> list[Sheet]:
    from liangji.inspection.models import SafetyHazard, SchoolBuilding, Teacher

    where = where_for(request)
    t = where.ctx.terms
    on_roll = fact_get("on_roll_at_reference").sql(t)
    rows = roll_counts(
        terms=t, town_id=where.ctx.town.pk, keys=["e.school_id", "e.grade", "e.class_name"],
        conditions=[on_roll, f"({on_roll} AND e.sex = '{Sex.FEMALE.value}')"],
        where=where.school_filter(),
    )  # fmt: skip
    pupils: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for school_id, _, class_name, total, women in rows:
        counts = pupils[int(school_id)]  # type: ignore[call-overload]
        counts[0] += int(total)  # type: ignore[call-overload]
        counts[1] += int(women)  # type: ignore[call-overload]
        counts[2] += 1 if class_name and int(total) else 0  # type: ignore[call-overload]
    ids = [s.pk for s in where.schools]
    teachers: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for teacher in Teacher.objects.filter(school_id__in=ids).values("school_id", "qualified"):
        teachers[teacher["school_id"]][0] += 1
        teachers[teacher["school_id"]][1] += 1 if teacher["qualified"] else 0
    buildings: dict[int, list[Decimal | int]] = defaultdict(lambda: [0, Decimal(0), 0])
    for b in SchoolBuilding.objects.filter(school_id__in=ids, in_use=True).values(
        "school_id", "area", "safety_grade"
    ):
        entry = buildings[b["school_id"]]
        entry[0] = int(entry[0]) + 1
        entry[1] = Decimal(entry[1]) + b["area"]
        entry[2] = int(entry[2]) + (1 if b["safety_grade"] == "D" else 0)
    hazards: dict[int, int] = defaultdict(int)
    for h in SafetyHazard.objects.filter(school_id__in=ids, closed_on__isnull=True).values(
        "school_id"
    ):
        hazards[h["school_id"]] += 1
    table: list[list[Value]] = []
    for school in where.schools:
        p, te, bu = pupils[school.pk], teachers[school.pk], buildings[school.pk]
        table.append([
            school.name, school.get_kind_display(), p[2], p[0], p[1], te[0], te[1],
            int(bu[0]), Decimal(bu[1]), int(bu[2]), hazards[school.pk],
        ])  # fmt: skip
    sums: list[Value] = [TOTAL, ""]
    for c in range(2, 11):
        column = [v for r in table if isinstance(v := r[c], int | Decimal)]
        sums.append(sum(column, Decimal(0)) if c == 8 else sum(int(v) for v in column))
    table.append(sums)
    columns = [
        Column("学校", width=18), Column("类型", width=10), Column("班级数"), Column("在校生"),
        Column("其中女生"), Column("教师数"), Column("学历合格教师"), Column("在用校舍（栋）"),
        Column("校舍面积（㎡）", width=12), Column("在用D级危房"), Column("未整改安全隐患"),
    ]  # fmt: skip
    return [_sheet(request, "学校基本情况统计表", request.unit, columns, table,
                   notes=["在校生为统计时点在读的学籍；班级按登记的年级与班级计；"
                          "教师、校舍、安全隐患取自迎检登记。"])]  # fmt: skip


for _spec in (
    ReportSpec("population-0-17", "0—17周岁人口及受教育状况统计表", ReportKind.TABLE,
               ("xlsx", "pdf"), TOWN_AND_VILLAGES, sheets=population_0_17),
    ReportSpec("enrollment", "适龄儿童少年入学情况统计表", ReportKind.TABLE, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=enrollment),
    ReportSpec("dropout", "义务教育阶段学生辍学情况统计表", ReportKind.TABLE, ("xlsx", "pdf"),
               TOWN_AND_SCHOOLS, sheets=dropout),
    ReportSpec("completion", "15周岁、17周岁人口教育完成情况统计表", ReportKind.TABLE,
               ("xlsx", "pdf"), TOWN_AND_VILLAGES, sheets=completion),
    ReportSpec("disabled", "三类残疾儿童少年入学情况统计表", ReportKind.TABLE, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=disabled),
    ReportSpec("migrant", "流动人口子女入学情况统计表", ReportKind.TABLE, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=migrant),
    ReportSpec("illiteracy", "青壮年文盲状况统计表", ReportKind.TABLE, ("xlsx", "pdf"),
               TOWN_AND_VILLAGES, sheets=illiteracy),
    ReportSpec("schools", "学校基本情况统计表", ReportKind.TABLE, ("xlsx", "pdf"),
               TOWN_AND_SCHOOLS, sheets=schools),
):  # fmt: skip
    report_register(_spec)


def every_table(request: ReportRequest) -> list[Sheet]:
    """Every statistical table that applies to the unit, in one workbook."""
    sheets: list[Sheet] = []
    applicable = [s for s in STATISTICAL_TABLES if request.unit.kind in REPORTS[s].unit_kinds]
    for done, name in enumerate(applicable, start=1):
        request.progress(REPORTS[name].title, done, len(applicable))
        sheets += REPORTS[name].sheets(request)  # type: ignore[misc]
    return sheets


STATISTICAL_TABLES = ("population-0-17", "enrollment", "dropout", "completion", "disabled",
                      "migrant", "illiteracy", "schools")  # fmt: skip
_ = TOWN_ONLY  # the town-only reports live in indicator_sheets and documents

report_register(
    ReportSpec("tables", "全部统计报表", ReportKind.TABLE, ("xlsx", "pdf"),
               frozenset(TOWN_AND_VILLAGES | TOWN_AND_SCHOOLS), sheets=every_table)
)  # fmt: skip
