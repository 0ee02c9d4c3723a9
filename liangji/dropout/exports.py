"""Exports of personal data: the ledgers, the reports (Excel) and the notices (Word, PDF).

Each export writes its audit row (who took which children's data out of the system) in the
same transaction that produces the file. ID numbers are not exported: the rosters need names,
birth dates and villages, not identity documents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.dropout.archiving import notice_file
from liangji.dropout.models import CaseKind, Notice
from liangji.dropout.notices import notice_docx, notice_pdf
from liangji.dropout.selectors import (
    CaseRow,
    ChildPlace,
    LedgerRow,
    MonthlyReport,
    ReviewList,
)
from liangji.registers.models import SchoolYear
from liangji.registers.spreadsheets import xlsx_bytes

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    content_type: str


def _audit_export(user: Actor, entity: str, summary: str, count: int) -> None:
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity=entity,
        summary=f"{summary}（{count}人）",
        after={"rows": count},
        unit=getattr(user, "unit", None),
    )


@transaction.atomic
def ledger_school_age_export(
    *, user: Actor, school_year: SchoolYear, rows: list[LedgerRow]
) -> ExportFile:
    header = [
        "村（社区）",
        "姓名",
        "性别",
        "出生日期",
        "年龄",
        "去向",
        "学校/就读地",
        "年级",
        "说明",
        "个案",
    ]
    data = [
        [
            r.village,
            r.name,
            r.sex,
            r.birth_date,
            r.age,
            ChildPlace(r.place).label,
            r.school,
            r.grade or "",
            r.detail,
            (f"已销号：{r.case_resolution}" if r.case_resolution else "未销号")
            if r.case_id
            else "",
        ]
        for r in rows
    ]
    title = f"{school_year} 适龄儿童台账"
    content = xlsx_bytes([("适龄儿童", title, header, data)])
    _audit_export(user, "Ledger", f"导出{title}", len(rows))
    return ExportFile(f"适龄儿童台账_{school_year.year}.xlsx", content, XLSX)


def _case_line(row: CaseRow) -> list[Any]:
    c = row.case
    return [
        c.village.name if c.village else "",
        c.school.name if c.school else "",
        c.child_name,
        c.child_sex,
        c.child_birth_date or "",
        c.grade or "",
        c.kind,
        c.get_source_display(),
        c.reason,
        c.opened_on,
        c.absent_since or "",
        c.get_step_display(),
        c.step_date,
        row.deadline or "",
        "逾期" if row.overdue else "",
        c.village_person,
        c.school_person,
        c.resolution or "仍未返校",
        c.resolved_on or "",
        row.days_open,
    ]


_CASE_HEADER = [
    "村（社区）",
    "学校",
    "姓名",
    "性别",
    "出生日期",
    "年级",
    "类别",
    "来源",
    "原因",
    "立案日期",
    "缺课起始",
    "当前步骤",
    "步骤日期",
    "下一步期限",
    "逾期",
    "村责任人",
    "学校责任人",
    "销号原因",
    "销号日期",
    "立案天数",
]


@transaction.atomic
def ledger_cases_export(
    *, user: Actor, school_year: SchoolYear, kind: str, rows: list[CaseRow]
) -> ExportFile:
    title = f"{school_year} {CaseKind(kind).label}台账"
    content = xlsx_bytes(
        [(CaseKind(kind).label, title, _CASE_HEADER, [_case_line(r) for r in rows])]
    )
    _audit_export(user, "Ledger", f"导出{title}", len(rows))
    return ExportFile(f"{CaseKind(kind).label}台账_{school_year.year}.xlsx", content, XLSX)


@transaction.atomic
def review_list_export(*, user: Actor, review: ReviewList, today: datetime.date) -> ExportFile:
    head = ["单位", *review.buckets, "合计"]
    sheets: list[tuple[str, str, list[str], list[list[Any]]]] = [
        (
            "按村",
            f"未销号个案（按村、立案时长） {today}",
            head,
            [[name, *counts, total] for name, counts, total in review.by_village],
        ),
        (
            "按学校",
            f"未销号个案（按学校、立案时长） {today}",
            head,
            [[name, *counts, total] for name, counts, total in review.by_school],
        ),
        ("名单", f"未销号个案名单 {today}", _CASE_HEADER, [_case_line(r) for r in review.rows]),
    ]
    content = xlsx_bytes(sheets)
    _audit_export(user, "ReviewList", f"导出未销号个案审核清单 {today}", len(review.rows))
    return ExportFile(f"未销号个案清单_{today:%Y%m%d}.xlsx", content, XLSX)


@transaction.atomic
def monthly_report_export(*, user: Actor, report: MonthlyReport) -> ExportFile:
    month = f"{report.month_start.year}年{report.month_start.month}月"
    labels = {
        "absences": "缺课报告",
        "absences_without_reason": "其中无正当理由",
        "opened_suspected": "新增疑似辍学",
        "opened_dropped_out": "新增辍学",
        "returned": "复学销号",
        "closed_other": "其他销号",
        "open_at_end": "月末未销号",
        "overdue_at_end": "月末逾期",
    }
    sheets: list[tuple[str, str, list[str], list[list[Any]]]] = [
        (
            "汇总",
            f"{report.school.name} {month} 控辍保学月报",
            ["项目", "人数"],
            [[labels[k], v] for k, v in report.counts.items()],
        ),
        (
            "缺课报告",
            f"{month} 缺课报告",
            ["姓名", "年级", "缺课起始", "报告日期", "正当理由", "原因", "个案"],
            [
                [
                    a.enrollment.name,
                    a.enrollment.grade,
                    a.absent_since,
                    a.reported_on,
                    "是" if a.valid_reason else "否",
                    a.reason_text,
                    "有" if a.case_id else "",
                ]
                for a in report.absences
            ],
        ),
        (
            "月末未销号",
            f"{month}末 未销号个案",
            _CASE_HEADER,
            [_case_line(r) for r in report.open_at_end],
        ),
    ]
    content = xlsx_bytes(sheets)
    people = len(report.absences) + len(report.open_at_end)
    _audit_export(user, "MonthlyReport", f"导出{report.school.name}{month}控辍保学月报", people)
    return ExportFile(
        f"控辍保学月报_{report.school.name}_{report.month_start:%Y%m}.xlsx", content, XLSX
    )


@transaction.atomic
def notice_export(*, user: Actor, notice: Notice, fmt: str) -> ExportFile:
    if fmt == "pdf":
        content, content_type = notice_pdf(notice), PDF
        notice_file(notice=notice, content=content, user=user)
    elif fmt == "docx":
        content, content_type = notice_docx(notice), DOCX
    else:
        raise ValueError(f"不支持的格式 {fmt}，应为 pdf 或 docx")
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="Notice",
        entity_id=notice.pk,
        summary=f"下载{notice.get_kind_display()} {notice.number}（{fmt}）",
        unit=notice.case.village or notice.case.school or notice.town,
    )
    title = notice.get_kind_display()
    return ExportFile(
        f"{title}_{notice.case.child_name}_{notice.number}.{fmt}", content, content_type
    )
