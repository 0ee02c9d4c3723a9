"""Excel exports of the literacy lists, each audited in the transaction that makes the file.

The rosters carry names, birth dates and villages, not ID numbers: an inspector checks a
learner against the 文化户口册 by household, and an ID number taken out of the system is a risk
with no use here. Every cell goes through `registers.spreadsheets` (text never a formula).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.literacy.archiving import certificate_file
from liangji.literacy.certificates import certificate_docx, certificate_pdf
from liangji.literacy.models import Certificate, LiteracyClass, Retest, TechTraining
from liangji.literacy.selectors import LedgerRow, LostAbilityRow, RetestDue, ShortfallPerson
from liangji.literacy.testsheets import class_sheets_pdf
from liangji.registers.models import Unit
from liangji.registers.spreadsheets import xlsx_bytes

if TYPE_CHECKING:
    from liangji.accounts.models import Actor


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    content_type: str


@transaction.atomic
def _export(
    *,
    user: Actor,
    unit: Unit,
    entity: str,
    title: str,
    sheets: Sequence[tuple[str, str, Sequence[str], Sequence[Sequence[object]]]],
    filename: str,
) -> ExportFile:
    content = xlsx_bytes(sheets)
    rows = sum(len(sheet[3]) for sheet in sheets)
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity=entity,
        summary=f"导出{title}（{rows}行）",
        after={"rows": rows},
        unit=unit,
    )
    return ExportFile(filename, content, XLSX)


LEDGER_HEADER = ["序号", "村（社区）", "户号", "姓名", "性别", "出生日期", "年龄", "文化程度",
                 "状态", "扫盲班", "已学课时", "脱盲证书编号", "备注"]  # fmt: skip
LOST_HEADER = ["序号", "村（社区）", "户号", "姓名", "性别", "年龄", "文化程度", "残疾类别",
               "丧失学习能力的依据"]  # fmt: skip


def ledger_export(
    *,
    user: Actor,
    town: Unit,
    school_year: int,
    rows: Sequence[LedgerRow],
    lost: Sequence[LostAbilityRow],
) -> ExportFile:
    """扫盲对象花名册, with those who lost the ability to learn on a sheet of their own."""
    title = f"{town.name} {school_year}学年 扫盲对象花名册"
    data = [
        [i, r.village, r.household, r.name, r.sex, r.birth_date, r.age, r.level, r.status_label,
         r.class_name, r.hours, r.certificate, r.note]
        for i, r in enumerate(rows, start=1)
    ]  # fmt: skip
    apart = [
        [i, r.village, r.household, r.name, r.sex, r.age, r.level, r.disability, r.evidence]
        for i, r in enumerate(lost, start=1)
    ]
    return _export(
        user=user,
        unit=town,
        entity="LiteracyLedger",
        title=title,
        sheets=[
            ("扫盲对象花名册", title, LEDGER_HEADER, data),
            ("丧失学习能力", f"{title}（另列：丧失学习能力）", LOST_HEADER, apart),
        ],
        filename=f"扫盲对象花名册_{school_year}.xlsx",
    )


def classes_export(*, user: Actor, town: Unit, classes: Sequence[LiteracyClass]) -> ExportFile:
    header = ["村（社区）", "班名", "办学形式", "办学地点", "教材", "教学安排", "计划课时",
              "开班日期", "状态", "结业日期", "学员数", "上课次数"]  # fmt: skip
    data = [
        [c.village.name, c.name, c.get_venue_kind_display(), c.venue, c.textbook, c.schedule,
         c.planned_hours, c.opened_on, c.get_status_display(), c.closed_on,
         getattr(c, "learners", ""), getattr(c, "sessions_count", "")]
        for c in classes
    ]  # fmt: skip
    return _export(user=user, unit=town, entity="LiteracyClass", title=f"{town.name} 扫盲班",
                   sheets=[("扫盲班", f"{town.name} 扫盲班", header, data)],
                   filename="扫盲班.xlsx")  # fmt: skip


def attendance_export(*, user: Actor, detail: dict[str, Any]) -> ExportFile:
    """The class's roll call (点名册): one column per session, 1 for present."""
    klass: LiteracyClass = detail["klass"]
    sessions = detail["sessions"]
    present = detail["present"]
    header = ["姓名", "性别", "出生日期", *[f"{s.date}" for s in sessions], "出勤课时"]
    data = [
        [row.member.person.name, row.member.person.sex, row.member.person.birth_date,
         *["√" if (s.pk, row.member.pk) in present else "" for s in sessions], row.hours]
        for row in detail["members"]
    ]  # fmt: skip
    title = f"{klass.village.name}{klass.name} 点名册"
    return _export(user=user, unit=klass.village, entity="ClassAttendance", title=title,
                   sheets=[("点名册", title, header, data)],
                   filename=f"点名册_{klass.name}.xlsx")  # fmt: skip


def certificates_export(
    *, user: Actor, town: Unit, certificates: Sequence[Certificate]
) -> ExportFile:
    header = ["证书编号", "村（社区）", "姓名", "性别", "出生日期", "脱盲日期", "发证日期",
              "识字数", "复查"]  # fmt: skip
    data = [
        [c.number, c.village.name, c.person.name, c.person.sex, c.person.birth_date, c.passed_on,
         c.issued_on, c.result.characters_known, _retest_text(c)]
        for c in certificates
    ]  # fmt: skip
    return _export(user=user, unit=town, entity="Certificate", title=f"{town.name} 脱盲证书登记",
                   sheets=[("脱盲证书", f"{town.name} 脱盲证书登记", header, data)],
                   filename="脱盲证书登记.xlsx")  # fmt: skip


def _retest_text(certificate: Certificate) -> str:
    retest = getattr(certificate, "retest", None)
    if retest is None:
        return ""
    return f"{retest.date} {'巩固' if retest.passed else '复盲'}"


def retests_export(
    *, user: Actor, town: Unit, due: Sequence[RetestDue], done: Sequence[Retest]
) -> ExportFile:
    due_rows = [
        [d.certificate.number, d.certificate.village.name, d.certificate.person.name,
         d.certificate.passed_on, d.due_on, "已到期" if d.overdue else "即将到期"]
        for d in due
    ]  # fmt: skip
    done_rows = [
        [r.certificate.number, r.village.name, r.certificate.person.name, r.date,
         r.characters_known, r.standard, "巩固" if r.passed else "复盲"]
        for r in done
    ]  # fmt: skip
    return _export(
        user=user,
        unit=town,
        entity="Retest",
        title=f"{town.name} 脱盲复查",
        sheets=[
            (
                "待复查",
                "待复查",
                ["证书编号", "村（社区）", "姓名", "脱盲日期", "应复查日期", "状态"],
                due_rows,
            ),
            (
                "复查结果",
                "复查结果",
                ["证书编号", "村（社区）", "姓名", "复查日期", "识字数", "标准", "结果"],
                done_rows,
            ),
        ],
        filename="脱盲复查.xlsx",
    )


def trainings_export(*, user: Actor, town: Unit, trainings: Sequence[TechTraining]) -> ExportFile:
    header = ["村（社区）", "培训内容", "日期", "课时", "参训人数", "备注"]
    data = [[t.village.name, t.topic, t.date, t.hours, t.participants, t.note] for t in trainings]
    return _export(user=user, unit=town, entity="TechTraining", title=f"{town.name} 实用技术培训",
                   sheets=[("实用技术培训", f"{town.name} 实用技术培训", header, data)],
                   filename="实用技术培训.xlsx")  # fmt: skip


def shortfall_export(
    *, user: Actor, town: Unit, school_year: int, people: Mapping[str, Sequence[ShortfallPerson]]
) -> ExportFile:
    header = ["村（社区）", "户号", "姓名", "性别", "年龄", "原因"]
    sheets = [
        (label, f"{town.name} {school_year}学年 {label}", header,
         [[p.village, p.household, p.name, p.sex, p.age, p.reason] for p in people[code]])
        for code, label in (("unit_literacy", "文盲半文盲名单"), ("relapse_rate", "复盲名单"))
    ]  # fmt: skip
    return _export(user=user, unit=town, entity="LiteracyShortfall",
                   title=f"{town.name} {school_year}学年 扫盲未达标名单", sheets=sheets,
                   filename=f"扫盲未达标名单_{school_year}.xlsx")  # fmt: skip


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@transaction.atomic
def certificate_export(*, user: Actor, certificate: Certificate, fmt: str) -> ExportFile:
    """The certificate as Word or PDF; a PDF is filed in the archive (B4-2) as it is made."""
    if fmt == "pdf":
        content, content_type = certificate_pdf(certificate), PDF
        certificate_file(certificate=certificate, content=content, user=user)
    else:
        content, content_type = certificate_docx(certificate), DOCX
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="Certificate",
        entity_id=certificate.pk,
        summary=f"生成脱盲证书 {certificate.number}（{certificate.person.name}，{fmt}）",
        unit=certificate.village,
    )
    filename = f"脱盲证书_{certificate.person.name}_{certificate.number}.{fmt}"
    return ExportFile(filename, content, content_type)


def test_sheets_export(*, user: Actor, klass: LiteracyClass, date: datetime.date) -> ExportFile:
    """The 识字测验卷 of the class's learners, a page each (names: audited as an export)."""
    content = class_sheets_pdf(klass, date=date)
    audit_record(
        user=user,
        action=AuditAction.EXPORT,
        entity="LiteracyClass",
        entity_id=klass.pk,
        summary=f"打印识字测验卷 {klass.village.name}{klass.name}({date})",
        unit=klass.village,
    )
    return ExportFile(f"识字测验卷_{klass.village.name}_{klass.name}_{date}.pdf", content, PDF)
