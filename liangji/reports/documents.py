"""The town's documents: 两基指标报告, 自查报告 and 汇报材料, as Word and PDF.

The content is composed once (`document_content`): the office's narrative sections (written in
the browser, kept per school year) between the parts liangji fills from the data — the town's
profile, its organisation, each indicator with its figures and trend, the work done (cases and
returns, rectification, supervision, literacy) and the open problems — with charts drawn on
the server (`charts`). It is then laid out twice in the conventions of the notices (GB/T 9704:
A4, 仿宋-style body at 16 pt, 黑体 headings, the issuing body and an Arabic-numeral date at the
end): python-docx through inspection.documents' helpers, WeasyPrint through registers.pdf.
"""

from __future__ import annotations

import base64
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from liangji.indicators.definitions import DEFINITIONS
from liangji.indicators.engine import person_counts, roll_counts
from liangji.indicators.facts import fact_get
from liangji.indicators.report import IndicatorReport
from liangji.indicators.selectors import indicator_trends, indicators_compute
from liangji.indicators.values import IndicatorValue
from liangji.registers.choices import SCHOOL_KINDS, VILLAGE_KINDS, Resolution
from liangji.registers.models import Unit
from liangji.registers.official import date_arabic, full_width
from liangji.registers.pdf import pdf_render
from liangji.reports.catalogue import (
    TOWN_ONLY,
    ReportKind,
    ReportRequest,
    ReportSpec,
    report_register,
)
from liangji.reports.charts import BarGroup, bar_chart_png
from liangji.reports.models import DocumentKind, Narrative
from liangji.reports.statistics import where_for

# The sections the office writes, per document: (key, heading, what to write).
NARRATIVE_SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    DocumentKind.INDICATOR_REPORT: [
        ("intro", "说明", "编制依据、统计口径的补充说明"),
        ("analysis", "分析与建议", "对未达标指标的原因分析和工作建议"),
    ],
    DocumentKind.SELF_CHECK: [
        ("intro", "前言", "自查的组织、时间、范围和方法"),
        ("organisation", "组织领导", "领导小组、办公室、目标责任制的落实情况"),
        ("measures", "主要措施", "控辍保学、扫盲、办学条件改善等主要工作措施"),
        ("plans", "整改打算", "针对存在问题的整改措施和时限"),
    ],
    DocumentKind.BRIEFING: [
        ("intro", "开篇", "向检查组汇报的开头语"),
        ("organisation", "组织领导", "领导重视、机构健全、责任落实"),
        ("measures", "主要做法", "主要工作做法和成效"),
        ("highlights", "特色亮点", "本镇的特色和亮点"),
        ("plans", "下一步打算", "巩固提高的打算"),
    ],
}
TITLES: dict[str, str] = {
    DocumentKind.INDICATOR_REPORT: "{town}{year}学年两基指标报告",
    DocumentKind.SELF_CHECK: "{town}两基迎国检自查报告",
    DocumentKind.BRIEFING: "{town}两基工作汇报材料",
}


@dataclass
class Block:
    kind: str  # "p" | "table" | "chart"
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    png: bytes = b""

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)

    def p(self, text: str) -> None:
        # The office's own text may be typed with ASCII punctuation.
        for paragraph in text.splitlines():
            if paragraph.strip():
                self.blocks.append(Block("p", text=full_width(paragraph.strip())))


@dataclass
class DocumentContent:
    title: str
    issuer: str
    date: datetime.date
    subtitle: str
    sections: list[Section]
    figures: dict[str, Any]

    @property
    def date_text(self) -> str:
        return date_arabic(self.date)


def _rate(value: IndicatorValue) -> str:
    return "—" if value.value is None else f"{value.value}%"


def _figure_sentence(value: IndicatorValue) -> str:
    if value.met is None:
        return f"{value.name}：本学年无统计人口。"
    verdict = "达到" if value.met else f"未达到，差 {value.shortfall} 人"
    return (
        f"{value.name}为 {_rate(value)}（{value.numerator}/{value.denominator}），"
        f"目标{value.direction}{value.target}%，{verdict}。"
    )


def _trend_sentence(points: list[tuple[int, IndicatorValue]]) -> str:
    shown = [f"{year}—{year + 1}学年{_rate(v)}" for year, v in points if v.value is not None]
    return "历年：" + ",".join(shown) + "。" if len(shown) > 1 else ""


def _profile(request: ReportRequest, report: IndicatorReport) -> Section:
    where = where_for(request)
    t = where.ctx.terms
    children = Unit.objects.filter(parent=request.town)
    villages = children.filter(kind__in=VILLAGE_KINDS).count()
    schools = children.filter(kind__in=SCHOOL_KINDS).count()
    population = person_counts(
        terms=t, town_id=request.town.pk, keys=["1"],
        conditions=[fact_get("population").sql(t), f"({t.registered} AND {t.aged((0, 17))})"],
    )  # fmt: skip
    pupils = roll_counts(
        terms=t, town_id=request.town.pk, keys=["1"],
        conditions=[fact_get("on_roll_at_reference").sql(t)],
    )  # fmt: skip
    registered, young = (int(str(n)) for n in population[0][1:]) if population else (0, 0)
    on_roll = int(str(pupils[0][1])) if pupils else 0
    section = Section("一、基本情况")
    section.p(
        f"{request.town.name}辖 {villages} 个村（社区），有中小学校（含教学点）{schools} 所。"
        f"统计时点（{t.reference.isoformat()}）户籍人口 {registered} 人，其中0—17周岁 {young} 人；"
        f"全镇学校在校学生 {on_roll} 人。"
    )
    return section


def _organisation(request: ReportRequest) -> list[str]:
    from liangji.inspection.models import Agreement

    agreements = Agreement.objects.filter(
        unit__parent=request.town, school_year=request.school_year
    ).count()
    if not agreements:
        return []
    return [f"本学年镇政府与村（社区）、学校签订目标责任书 {agreements} 份，责任落实到人。"]


def _indicators_section(
    request: ReportRequest, report: IndicatorReport, heading: str
) -> tuple[Section, dict[str, Any]]:
    section = Section(heading)
    town = report.units[0]
    trends = indicator_trends(town=request.town)
    figures: dict[str, Any] = {}
    for value in town.indicators:
        section.p(_figure_sentence(value) + _trend_sentence(trends.get(value.code, [])))
        figures[value.name] = {request.town.name: None if value.value is None else str(value.value)}
    section.blocks.append(
        Block(
            "table",
            header=["指标", "分子/分母", "比率", "目标", "结果"],
            rows=[
                [
                    v.name,
                    f"{v.numerator}/{v.denominator}",
                    _rate(v),
                    f"{v.direction}{v.target}%",
                    {True: "达标", False: f"差{v.shortfall}人", None: "无统计人口"}[v.met],
                ]
                for v in town.indicators
            ],
        )
    )
    years = sorted({y for points in trends.values() for y, _ in points})[-4:]
    for title, codes, low, high in (
        ("历年入学率与完成率", ("primary_enrollment", "junior_net_enrollment",
                               "primary_completion_15", "junior_completion_17",
                               "literacy_15_50"), 90.0, 100.0),
        ("历年辍学率", ("primary_dropout", "junior_dropout"), 0.0, 2.0),
    ):  # fmt: skip
        groups = []
        for code in codes:
            points = dict(trends.get(code, []))
            values = [points.get(y) for y in years]
            target = next((float(v.target) for v in values if v is not None), 0.0)
            groups.append(BarGroup(
                next(d.name for d in DEFINITIONS if d.code == code),
                [None if v is None or v.value is None else float(v.value) for v in values],
                target,
            ))  # fmt: skip
        png = bar_chart_png(title=title, series=[f"{y}—{y + 1}学年" for y in years],
                            groups=groups, low=low, high=high)  # fmt: skip
        section.blocks.append(Block("chart", text=title, png=png))
    return section, figures


def _units_missing(report: IndicatorReport) -> list[str]:
    lines = []
    for unit in report.units[1:]:
        missed = [f"{v.name}差{v.shortfall}人" for v in unit.indicators if v.met is False]
        if missed:
            lines.append(f"{unit.name}：{'、'.join(missed)}。")
    return lines


def _work_done(request: ReportRequest) -> Section:
    from liangji.dropout.models import CaseStatus
    from liangji.dropout.models import DropoutCase as Case
    from liangji.inspection.choices import RectificationStatus
    from liangji.inspection.models import Rectification, SupervisionVisit

    section = Section("三、主要工作")
    cases = Case.objects.filter(town=request.town, school_year=request.school_year)
    closed = cases.filter(status=CaseStatus.CLOSED)
    returned = closed.filter(resolution=Resolution.RETURNED).count()
    section.p(
        f"控辍保学：本学年立案 {cases.count()} 件，已销号 {closed.count()} 件，"
        f"其中劝返复学 {returned} 人；未销号 {cases.count() - closed.count()} 件，逐人跟踪。"
    )
    tasks = Rectification.objects.filter(
        unit__in=Unit.objects.filter(pk=request.town.pk) | Unit.objects.filter(parent=request.town),
        school_year=request.school_year,
    )
    done = tasks.filter(status=RectificationStatus.CLOSED).count()
    visits = SupervisionVisit.objects.filter(town=request.town, school_year=request.school_year)
    section.p(
        f"督查整改：开展督查 {visits.count()} 次，形成整改任务 {tasks.count()} 项，"
        f"已验收销号 {done} 项。"
    )
    literacy = _literacy_line(request)
    if literacy:
        section.p(literacy)
    return section


def _literacy_line(request: ReportRequest) -> str:
    try:
        from liangji.literacy.models import Certificate, LiteracyClass
    except ImportError:  # literacy work not installed
        return ""
    classes = LiteracyClass.objects.filter(town=request.town, school_year=request.school_year)
    certificates = Certificate.objects.filter(town=request.town, school_year=request.school_year)
    return (
        f"扫除青壮年文盲：本学年开办扫盲班 {classes.count()} 个，"
        f"颁发脱盲证书 {certificates.count()} 本。"
    )


def _problems(request: ReportRequest, report: IndicatorReport) -> Section:
    from liangji.dropout.models import CaseStatus
    from liangji.dropout.models import DropoutCase as Case
    from liangji.inspection.choices import RectificationStatus
    from liangji.inspection.models import Rectification

    section = Section("四、存在问题")
    town = report.units[0]
    missed = [v for v in town.indicators if v.met is False]
    if missed:
        section.p("全镇未达标指标：" + ";".join(
            f"{v.name}{_rate(v)}，差{v.shortfall}人" for v in missed) + "。")  # fmt: skip
    for line in _units_missing(report):
        section.p(line)
    open_cases = Case.objects.filter(
        town=request.town, school_year=request.school_year, status=CaseStatus.OPEN
    ).count()
    open_tasks = (
        Rectification.objects.filter(unit__parent=request.town, school_year=request.school_year)
        .exclude(status=RectificationStatus.CLOSED)
        .count()
    )
    section.p(f"尚未销号的控辍保学个案 {open_cases} 件，尚未完成的整改任务 {open_tasks} 项。")
    return section


def narratives(request: ReportRequest, document: str) -> dict[str, str]:
    return dict(
        Narrative.objects.filter(
            town=request.town, school_year=request.school_year, document=document
        ).values_list("section", "text")
    )


def document_content(request: ReportRequest, document: str) -> DocumentContent:
    request.progress("计算指标", 1, 5)
    report = indicators_compute(
        school_year=request.school_year.year, town=request.town, include_groups=False
    )
    written = narratives(request, document)
    labels = {key: heading for key, heading, _ in NARRATIVE_SECTIONS[document]}

    def office(key: str, number: str = "") -> Section | None:
        text = written.get(key, "").strip()
        if not text:
            return None
        section = Section(f"{number}{labels[key]}" if number else "")
        section.p(text)
        return section

    sections: list[Section | None] = [office("intro")]
    request.progress("基本情况", 2, 5)
    if document == DocumentKind.INDICATOR_REPORT:
        indicators, figures = _indicators_section(request, report, "一、全镇指标")
        sections += [indicators]
        by_unit = Section("二、各村（社区）和学校指标")
        for unit in report.units[1:]:
            by_unit.p(f"{unit.name}:" + ";".join(
                f"{v.name}{_rate(v)}" + ("" if v.met is not False else f"（差{v.shortfall}人）")
                for v in unit.indicators) + "。")  # fmt: skip
        sections += [by_unit, _problems(request, report), office("analysis", "五、")]
    else:
        profile = _profile(request, report)
        organisation = office("organisation") or Section("")
        for line in _organisation(request):
            organisation.p(line)
        organisation.heading = "二、组织领导"
        request.progress("指标与趋势", 3, 5)
        indicators, figures = _indicators_section(request, report, "三、普及程度指标")
        work = _work_done(request)
        work.heading = "四、主要工作"
        measures = office("measures")
        if measures is not None:
            work.blocks = measures.blocks + work.blocks
        request.progress("工作与问题", 4, 5)
        problems = _problems(request, report)
        problems.heading = "五、存在问题"
        sections += [profile, organisation, indicators, work, office("highlights", "六、"),
                     problems, office("plans", "七、" if document == DocumentKind.BRIEFING
                                      else "六、")]  # fmt: skip
    request.progress("排版", 5, 5)
    kept = [s for s in sections if s is not None and s.blocks]
    return DocumentContent(
        title=TITLES[document].format(town=request.town.name, year=request.school_year.year),
        issuer=f"{request.town.name}人民政府"
        if document != DocumentKind.INDICATOR_REPORT
        else f"{request.town.name}两基工作领导小组办公室",
        date=request.today,
        subtitle=f"（{request.school_year.year}—{request.school_year.year + 1}学年）",
        sections=kept,
        figures=figures,
    )


# -- layout --------------------------------------------------------------------------------
def content_docx(content: DocumentContent) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    from liangji.inspection.documents import (
        _bytes,
        _heading,
        _new_document,
        _signature,
        _table,
        _text,
        _title,
    )

    document = _new_document()
    _title(document, content.title)
    _text(document, content.subtitle, indent=False)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in content.sections:
        if section.heading:
            _heading(document, section.heading)
        for block in section.blocks:
            if block.kind == "p":
                _text(document, block.text)
            elif block.kind == "table":
                _table(document, block.header, block.rows)
            else:
                document.add_picture(io.BytesIO(block.png), width=Cm(15))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _signature(document, content.issuer, content.date)
    return bytes(_bytes(document))


def content_pdf(content: DocumentContent) -> bytes:
    return pdf_render(render_to_string("reports/document_pdf.html", {"doc": content}))


def content_text(content: DocumentContent) -> str:
    """The document as plain text (the tests compare it with what DOCX and PDF hold)."""
    lines = [content.title]
    for section in content.sections:
        lines.append(section.heading)
        lines += [b.text for b in section.blocks if b.kind == "p"]
    return "\n".join(lines)


def _builder(document: str) -> Any:
    def build(request: ReportRequest, fmt: str) -> bytes:
        content = document_content(request, document)
        return content_docx(content) if fmt == "docx" else content_pdf(content)

    return build


for _kind, _name in ((DocumentKind.INDICATOR_REPORT, "doc-indicators"),
                     (DocumentKind.SELF_CHECK, "doc-self-check"),
                     (DocumentKind.BRIEFING, "doc-briefing")):  # fmt: skip
    report_register(ReportSpec(_name, _kind.label, ReportKind.DOCUMENT, ("docx", "pdf"), TOWN_ONLY,
                               document=_builder(_kind)))  # fmt: skip

DOCUMENT_BY_NAME = {"doc-indicators": DocumentKind.INDICATOR_REPORT,
                    "doc-self-check": DocumentKind.SELF_CHECK,
                    "doc-briefing": DocumentKind.BRIEFING}  # fmt: skip
