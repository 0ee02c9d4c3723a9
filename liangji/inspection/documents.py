"""Word documents of inspection readiness: the self-check report and the supervision 通报.

Laid out after GB/T 9704 as far as python-docx reaches: A4, 仿宋 body at 16 pt (三号), 黑体
headings, 小标宋 title, and the issuing body and date at the end. Fonts fall back to what the
reader's machine has (Noto CJK under LibreOffice). Every generation is an export and audited.
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.indicators.report import IndicatorReport
from liangji.inspection import rules
from liangji.inspection.archiving import bulletin_file, self_check_file
from liangji.inspection.models import Evidence, Rectification, SelfCheck, SupervisionVisit
from liangji.inspection.selectors import self_check_rows
from liangji.registers.official import date_arabic, date_arabic_month, docx_document

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


BODY_FONT, HEADING_FONT, TITLE_FONT = "仿宋", "黑体", "方正小标宋简体"


def _new_document() -> Any:
    document = docx_document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    _east_asian(normal.element, BODY_FONT)
    return document


def _east_asian(element: Any, font: str) -> None:
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), font)


def _run(paragraph: Any, text: str, *, font: str = BODY_FONT, size: int = 16) -> Any:
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = font
    _east_asian(run._element, font)
    return run


def _title(document: Any, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font=TITLE_FONT, size=22)


def _red_header(document: Any, body: str, number: str) -> None:
    """The 版头 of GB/T 9704: the issuing body in red, the 发文字号, and a red rule under it."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, body, font=TITLE_FONT, size=26).font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    numbered = document.add_paragraph()
    numbered.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(numbered, number)
    border = numbered._p.get_or_add_pPr().makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(
        qn("w:bottom"),
        {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): "4", qn("w:color"): "C00000"},
    )
    border.append(bottom)
    numbered._p.get_or_add_pPr().append(border)


def _heading(document: Any, text: str) -> None:
    _run(document.add_paragraph(), text, font=HEADING_FONT)


def _text(document: Any, text: str, *, indent: bool = True) -> None:
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    _run(paragraph, text)


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _run(cell.paragraphs[0], text, font=HEADING_FONT, size=12)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            _run(cell.paragraphs[0], text, size=12)


def _signature(document: Any, body: str, day: datetime.date) -> None:
    for text in (body, date_arabic(day)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, text)


def _bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_MET_TEXT = {True: "达标", False: "未达标", None: "无适龄人口"}


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value}%"


@transaction.atomic
def evidence_open(*, evidence: Evidence, user: Actor | None) -> Any:
    """Open an attachment for download; it may hold personal data, so the reveal is audited."""
    owner = (
        evidence.self_check_result.self_check.unit
        if evidence.self_check_result is not None
        else evidence.rectification.unit
        if evidence.rectification is not None
        else None
    )
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="Evidence",
        entity_id=evidence.pk,
        summary=f"下载佐证材料：{evidence.title}",
        unit=owner,
    )
    return evidence.file.open("rb")


@transaction.atomic
def self_check_report_docx(
    *,
    self_check: SelfCheck,
    indicator_report: IndicatorReport | None,
    user: Actor | None,
    archive: bool = True,
) -> bytes:
    """The unit's 自查报告 with its indicator values, item results and veto summary; filed in
    the 两基档案 (A2-4) unless the archive itself asked for it (`archive=False`)."""
    unit, year = self_check.unit, self_check.school_year
    rows = self_check_rows(self_check)
    document = _new_document()
    _title(document, f"{unit.name}两基迎国检自查报告")
    _text(
        document,
        f"（{year}，第{self_check.round}轮自查，自查日期 {date_arabic(self_check.checked_on)}，"
        f"状态：{self_check.get_status_display()}）",
        indent=False,
    )
    _heading(document, "一、自查总体情况")
    met = sum(1 for r in rows if r["result"] and r["result"].result == "达标")
    failed = sum(1 for r in rows if r["result"] and r["result"].result == "未达标")
    _text(
        document,
        f"对照国家两基检查验收七个方面共 {len(rows)} 项适用指标逐项自查：达标 {met} 项，"
        f"未达标 {failed} 项，未填写 {sum(1 for r in rows if r['result'] is None)} 项。"
        + (self_check.summary or ""),
    )
    _heading(document, "二、普及程度指标")
    outcomes = (
        rules.universalisation_results(indicator_report).get(unit.pk, [])
        if indicator_report is not None
        else []
    )
    if outcomes:
        _table(
            document,
            ["指标", "数值", "目标", "是否达标"],
            [
                [
                    o.name,
                    _rate(o.value),
                    f"{o.target}%",
                    _MET_TEXT[o.met],
                ]
                for o in outcomes
            ],
        )
    else:
        _text(document, "本单位无普及程度指标（或指标尚未计算）。")
    _heading(document, "三、逐项自查结果")
    _table(
        document,
        ["编号", "方面", "项目", "结果", "说明"],
        [
            [
                r["item"].code,
                r["aspect"].name,
                r["item"].name + ("（一票否决）" if r["item"].veto else ""),
                r["result"].result if r["result"] else "未填写",
                r["result"].comment if r["result"] else "",
            ]
            for r in rows
        ],
    )
    _heading(document, "四、一票否决指标")
    vetoes = [r for r in rows if r["item"].veto]
    failed_vetoes = [r for r in vetoes if not r["result"] or r["result"].result == "未达标"]
    _text(
        document,
        f"适用的一票否决指标 {len(vetoes)} 项，"
        + (
            "全部达标。"
            if not failed_vetoes
            else "存在问题："
            + "；".join(
                r["item"].name + (f"（{r['result'].comment}）" if r["result"] else "（未填写）")
                for r in failed_vetoes
            )
            + "。"
        ),
    )
    _heading(document, "五、存在问题及整改措施")
    tasks = Rectification.objects.filter(unit=unit, school_year=year).order_by("deadline", "id")
    if tasks:
        _table(
            document,
            ["存在问题", "整改措施", "整改时限", "状态"],
            [
                [t.problem, t.measure or "—", date_arabic(t.deadline), t.get_status_display()]
                for t in tasks
            ],
        )
    else:
        _text(document, "无。")
    _signature(document, unit.name, self_check.checked_on)
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="SelfCheck",
        entity_id=self_check.pk,
        summary=f"生成自查报告：{self_check}",
        unit=unit,
    )
    content = _bytes(document)
    if archive:
        self_check_file(
            self_check=self_check, indicator_report=indicator_report, content=content, user=user
        )
    return content


def bulletin_number(visit: SupervisionVisit) -> str:
    """发文字号: the visit's place among the town's visits of its calendar year."""
    earlier = SupervisionVisit.objects.filter(
        town=visit.town, visited_on__year=visit.visited_on.year
    ).filter(Q(visited_on__lt=visit.visited_on) | Q(visited_on=visit.visited_on, pk__lt=visit.pk))
    return f"{visit.town.name[:1]}两基办〔{visit.visited_on.year}〕{earlier.count() + 1}号"


@transaction.atomic
def bulletin_docx(*, visit: SupervisionVisit, user: Actor | None, archive: bool = True) -> bytes:
    """The 通报 of a supervision visit: what was checked, the problems by unit, and the
    rectification required of each, with its deadline."""
    town = visit.town
    findings = list(visit.findings.select_related("unit", "item", "rectification"))
    by_unit: dict[str, list[Any]] = defaultdict(list)
    for finding in findings:
        by_unit[finding.unit.name].append(finding)
    document = _new_document()
    _red_header(document, f"{town.name}两基迎国检工作领导小组办公室", bulletin_number(visit))
    _title(document, f"关于{date_arabic_month(visit.visited_on)}两基迎国检督查情况的通报")
    _text(document, "各村（社区）、学校：", indent=False)
    units = "、".join(u.name for u in visit.units.order_by("name"))
    _text(
        document,
        f"{date_arabic(visit.visited_on)}，镇两基迎国检督查组（{visit.team}）对{units}"
        f"进行了督查，重点检查了{visit.checked}。现将督查情况通报如下。",
    )
    _heading(document, "一、发现的主要问题")
    if not findings:
        _text(document, "本次督查未发现问题。")
    for number, (unit_name, unit_findings) in enumerate(sorted(by_unit.items()), start=1):
        _text(document, f"（{number}）{unit_name}：")
        for finding in unit_findings:
            item = f"[{finding.item.code} {finding.item.name}]" if finding.item else ""
            _text(document, f"{item}{finding.description}（问题程度：{finding.severity}）")
    _heading(document, "二、整改要求")
    if findings:
        _table(
            document,
            ["单位", "问题", "整改时限"],
            [
                [f.unit.name, f.description, date_arabic(f.rectification.deadline)]
                for f in findings
                if hasattr(f, "rectification")
            ],
        )
        _text(
            document,
            "请各单位对照问题逐项整改，在时限内将整改情况及佐证材料报镇两基办验收销号。"
            "对整改不力的单位，将按照目标责任书予以问责。",
        )
    else:
        _text(document, "请各单位继续巩固，做好迎检各项准备。")
    _signature(document, f"{town.name}两基迎国检工作领导小组办公室", visit.visited_on)
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="SupervisionVisit",
        entity_id=visit.pk,
        summary=f"生成督查通报：{town} {visit.visited_on}",
        unit=town,
    )
    content = _bytes(document)
    if archive:
        bulletin_file(visit=visit, number=bulletin_number(visit), content=content, user=user)
    return content
