"""The indicator page, its people, the 校验表 and the 四查三比对 lines as printable sheets."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from liangji.indicators.definitions import IndicatorDefinition
from liangji.indicators.selectors import (
    CrosscheckRow,
    ReconciliationReport,
    ShortfallRow,
    dropout_crosscheck,
    reconciliation_run,
)
from liangji.indicators.values import IndicatorValue
from liangji.registers.models import Unit
from liangji.registers.privacy import mask_id
from liangji.reports.catalogue import (
    TOWN_ONLY,
    ReportKind,
    ReportRequest,
    ReportSpec,
    report_register,
)
from liangji.reports.layout import Column, Sheet, Value
from liangji.reports.selectors import IndicatorTable, PeopleQuery, indicator_table_for

MET_TEXT = {True: "达标", False: "未达标", None: "无统计人口"}


def _rate(value: IndicatorValue) -> str:
    return "—" if value.value is None else f"{value.value}%"


# The eleven indicators do not fit one A4 landscape page side by side: the enrolment rates on
# one sheet, the dropout, completion and literacy rates on the other.
SHEET_PARTS = (
    ("入学率", ("primary_enrollment", "junior_gross_enrollment", "junior_net_enrollment",
                "migrant_enrollment", "disabled_enrollment")),
    ("辍学率、完成率与文盲率", ("primary_dropout", "junior_dropout", "primary_completion_15",
                              "junior_completion_17", "illiteracy_15", "literacy_15_50")),
)  # fmt: skip


def indicator_table_sheets(table: IndicatorTable, *, today: datetime.date) -> list[Sheet]:
    """One row per unit; per indicator its rate, the fraction, and 达标 or 差 N 人."""
    sheets = []
    for number, (part, codes) in enumerate(SHEET_PARTS, start=1):
        wanted = [(i, d) for i, d in enumerate(table.definitions) if d.code in codes]
        columns = [Column("单位", width=16), Column("类型", width=8)]
        for _, d in wanted:
            columns += [
                Column("比率", d.name, 9),
                Column("分子/分母", d.name, 12),
                Column("结果", d.name, 9),
            ]
        rows: list[list[Value]] = []
        for row in table.rows:
            values: list[Value] = [row.unit.name, row.kind_label]
            for i, _ in wanted:
                cell = row.cells[i]
                if cell is None:
                    values += [None, None, None]
                    continue
                result = f"差{cell.shortfall}人" if cell.shortfall else MET_TEXT[cell.met]
                values += [_rate(cell), f"{cell.numerator}/{cell.denominator}", result]
            rows.append(values)
        targets = ";".join(f"{d.name}{d.direction.value}{t}%" for d, t in _targets(table))
        sheets.append(
            Sheet(
                title=f"{table.town.name}两基指标一览表（{'一二'[number - 1]}）：{part}",
                unit=table.town.name,
                school_year=table.report.school_year,
                columns=columns,
                rows=rows,
                date=today,
                notes=[f"统计时点：{table.report.reference_date.isoformat()}。目标：{targets}。"],
                total_rows={0} if table.rows and table.rows[0].unit.kind == "town" else set(),
            )
        )
    return sheets


def _targets(table: IndicatorTable) -> list[tuple[IndicatorDefinition, Decimal]]:
    first = next((r for r in table.rows if r.unit.kind == "town"), None)
    if first is None:
        return []
    values = {c.code: c.target for c in first.cells if c is not None}
    return [(d, values[d.code]) for d in table.definitions if d.code in values]


PEOPLE_COLUMNS = [
    Column("序号", width=6),
    Column("姓名", width=10),
    Column("性别", width=6),
    Column("出生日期", width=12),
    Column("年龄", width=6),
    Column("身份证号", width=21),
    Column("村/社区", width=12),
    Column("户号", width=8),
    Column("学校", width=14),
    Column("年级", width=6),
    Column("原因", width=40),
]


def people_sheet(
    rows: Sequence[ShortfallRow],
    *,
    query: PeopleQuery,
    school_year: int,
    today: datetime.date,
    full_ids: bool,
) -> Sheet:
    group = f"（{query.group}）" if query.group else ""
    return Sheet(
        title=f"{query.unit.name}{group}{query.definition.name}未达标人员名单",
        unit=query.unit.name,
        school_year=school_year,
        columns=PEOPLE_COLUMNS,
        rows=[
            [
                n,
                r.name,
                r.sex,
                r.birth_date.isoformat(),
                r.age,
                r.id_number if full_ids else mask_id(r.id_number),
                r.village,
                r.household,
                r.school,
                r.grade,
                r.reason,
            ]
            for n, r in enumerate(rows, start=1)
        ],
        date=today,
    )


def crosscheck_sheets(
    rows: Sequence[CrosscheckRow], *, town: Unit, school_year: int, today: datetime.date
) -> list[Sheet]:
    summary = Sheet(
        title=f"{town.name}辍学率校验表（流量法与事件法）",
        unit=town.name,
        school_year=school_year,
        columns=[
            Column("学校", width=16),
            Column("学段", width=6),
            Column("期初在册"),
            Column("学年内入学/复学"),
            Column("转出"),
            Column("死亡"),
            Column("毕业"),
            Column("期末在册"),
            Column("流量法辍学"),
            Column("事件法辍学"),
            Column("差异", width=6),
            Column("结论", width=40),
        ],
        rows=[
            [
                r.school,
                r.level,
                r.roll_at_start,
                r.entries,
                r.transfers_out,
                r.deaths,
                r.graduations,
                r.roll_at_end,
                r.flow_dropouts,
                r.event_dropouts,
                r.flow_dropouts - r.event_dropouts,
                r.finding or "两种方法一致或差异均可解释",
            ]
            for r in rows
        ],
        date=today,
        notes=[
            "流量法：期初在册+学年内入学（含复学）−转出−死亡−毕业−期末在册；事件法：学年内辍学且未复学。"
        ],
    )
    pupils = Sheet(
        title=f"{town.name}辍学率校验表逐人差异",
        unit=town.name,
        school_year=school_year,
        columns=[
            Column("学校", width=16),
            Column("学段", width=6),
            Column("姓名", width=10),
            Column("年级", width=6),
            Column("流量法退出次数"),
            Column("事件法辍学"),
            Column("说明", width=44),
            Column("可解释", width=8),
        ],
        rows=[
            [
                r.school,
                r.level,
                p.name,
                p.grade,
                p.flow_exits,
                p.event_dropout,
                p.explanation,
                "是" if p.explained else "否（数据质量问题）",
            ]
            for r in rows
            for p in r.pupils
        ],
        date=today,
    )
    return [summary, pupils]


def reconciliation_sheet(
    report: ReconciliationReport, *, town: Unit, today: datetime.date
) -> Sheet:
    return Sheet(
        title=f"{town.name}四查三比对结果",
        unit=town.name,
        school_year=report.school_year,
        columns=[
            Column("序号", width=6),
            Column("类别", width=20),
            Column("涉及人员", width=40),
            Column("情况", width=40),
            Column("建议处理", width=14),
            Column("处理方式", width=30),
        ],
        rows=[
            [
                n,
                line.kind,
                "；".join(
                    f"{w.name}（{w.birth_date.isoformat()}，{w.where}）" for w in line.people
                ),
                line.details,
                line.resolution,
                line.suggestion,
            ]
            for n, line in enumerate(report.lines, start=1)
        ],
        date=today,
        notes=[
            "各类条数：" + ";".join(f"{kind} {count} 条" for kind, count in report.counts().items())
        ],
    )


def _indicators(request: ReportRequest) -> list[Sheet]:
    table = indicator_table_for(
        unit_ids=request.unit_ids, school_year=request.school_year, town=request.town
    )
    return indicator_table_sheets(table, today=request.today)


def _crosscheck(request: ReportRequest) -> list[Sheet]:
    rows = dropout_crosscheck(
        school_year=request.school_year.year, unit_ids=request.unit_ids, town=request.town
    )
    return crosscheck_sheets(
        rows, town=request.town, school_year=request.school_year.year, today=request.today
    )


def _reconciliation(request: ReportRequest) -> list[Sheet]:
    report = reconciliation_run(
        school_year=request.school_year.year, town=request.town, unit_ids=request.unit_ids
    )
    return [reconciliation_sheet(report, town=request.town, today=request.today)]


report_register(ReportSpec(
    name="indicators", title="两基指标一览表", kind=ReportKind.INDICATORS,
    formats=("xlsx", "pdf"), unit_kinds=TOWN_ONLY, sheets=_indicators,
))  # fmt: skip
report_register(ReportSpec(
    name="crosscheck", title="辍学率校验表", kind=ReportKind.INDICATORS,
    formats=("xlsx", "pdf"), unit_kinds=TOWN_ONLY, sheets=_crosscheck, person_data=True,
))  # fmt: skip
report_register(ReportSpec(
    name="reconciliation", title="四查三比对结果", kind=ReportKind.INDICATORS,
    formats=("xlsx", "pdf"), unit_kinds=TOWN_ONLY, sheets=_reconciliation, person_data=True,
))  # fmt: skip
