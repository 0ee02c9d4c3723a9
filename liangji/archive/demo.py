"""The demo step of the 两基档案: a partly filled archive, so that every page shows something.

Registered in liangji.demo.services.DEMO_STEPS after the dropout and inspection steps. The town
office uploads its leadership documents for every school year but one meeting record; half the
villages upload their 目标责任书; village cadres attach about two thirds of the proofs the
register asks for (the rest stay missing, some of them claimed "证明: 有"); the generated
documents (self-check reports, notices, 通报) of the latest year are filed; then a pupil is
reported as dropped out after the filing, so one school's self-check report is stale; and the
county inspector draws a spot check with one verdict of each kind.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import docx

from liangji.accounts.models import Role, User
from liangji.archive.models import CatalogueEntry, Document, Verdict
from liangji.archive.proofs import PROOF_RULES, school_age_q
from liangji.archive.services import archive_file_upload, archive_generate, proof_attach
from liangji.archive.spotchecks import spot_check_draw, spot_check_verdict
from liangji.registers.choices import (
    SCHOOL_KINDS,
    TOWN_KINDS,
    VILLAGE_KINDS,
    RollEventKind,
    RollStatus,
)
from liangji.registers.models import Enrollment, PersonRecord, SchoolYear, Unit
from liangji.registers.services import enrollment_record_event

Write = Callable[[str], None]
DEMO_SEED = 20261201


def _docx(title: str, body: str) -> bytes:
    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _scan(text: str) -> bytes:
    # A stand-in for a scanned page: a one-page PDF whose text names what it proves.
    from weasyprint import HTML

    return HTML(string=f"<p style='font-family: Noto Sans CJK SC'>{text}</p>").write_pdf()  # type: ignore[no-any-return]


def _user(role: str, unit: Unit | None) -> User | None:
    return User.objects.filter(role=role, unit=unit).first() if unit else None


def demo_archive_create(*, stdout_write: Write) -> None:
    town = Unit.objects.filter(kind__in=TOWN_KINDS).order_by("name").first()
    years = list(SchoolYear.objects.order_by("year"))
    if town is None or not years:
        raise RuntimeError("示范镇或学年尚未创建，无法生成两基档案的示范数据")
    if Document.objects.filter(unit=town).exists():
        stdout_write("两基档案：示范数据已存在，跳过")
        return
    latest = years[-1]
    office = _user(Role.TOWN_OFFICE, town)
    entries = {e.code: e for e in CatalogueEntry.objects.all()}
    for index, year in enumerate(years):
        for code in ("A1-1", "A2-5") if index else ("A1-1", "A1-2", "A2-1", "A2-2", "A2-5"):
            if code == "A2-5" and year == latest:
                continue  # the latest year's meeting record is missing
            entry = entries[code]
            archive_file_upload(
                user=office, entry=entry, unit=town, school_year=year,
                title=f"{town.name}{entry.title}（{year.year}学年）",
                filename=f"{entry.title}{year.year}.docx",
                content=_docx(entry.title, f"{town.name} {year} {entry.title}。两基迎国检工作。"),
            )  # fmt: skip
    villages = list(Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).order_by("name"))
    for village in villages[::2]:
        archive_file_upload(
            user=_user(Role.VILLAGE, village) or office, entry=entries["A2-3"], unit=village,
            school_year=latest, title=f"{village.name}目标责任书", filename="目标责任书.docx",
            content=_docx("目标责任书", f"{town.name}与{village.name}签订的两基工作目标责任书。"),
        )  # fmt: skip
    proofs = _proofs_attach(villages, latest, office)
    filed = archive_generate(
        user=office, units=[town, *Unit.objects.filter(parent=town)], school_year=latest
    )
    stale_school = _pupil_drops_out(town, latest, office)
    _spot_check(villages, latest)
    stdout_write(
        f"两基档案：{town.name} 上传文件和 {proofs} 份人员证明，生成归档 {filed} 份；"
        f"{stale_school} 归档后新报告一名辍学学生，其自查报告和辍学报表已过期；县督导抽查 1 次"
    )


def _proofs_attach(villages: list[Unit], year: SchoolYear, office: User | None) -> int:
    records = PersonRecord.objects.filter(school_year=year, village__in=villages).filter(
        school_age_q(year)
    )
    count = 0
    for rule in PROOF_RULES:
        needing = list(
            records.filter(rule.needs).select_related("person", "village").order_by("pk")
        )
        for index, record in enumerate(needing[:40]):
            if index % 3 == 2:
                continue  # a third stay missing
            proof_attach(
                user=_user(Role.VILLAGE, record.village) or office, record=record, kind=rule.kind,
                filename=f"{record.person.name}{rule.kind}.pdf",
                content=_scan(f"{record.person.name} {rule.kind} {year}"),
            )  # fmt: skip
            count += 1
    return count


def _pupil_drops_out(town: Unit, year: SchoolYear, office: User | None) -> str:
    """A pupil reported as dropped out after the self-check report was filed."""
    pupil = (
        Enrollment.objects.filter(
            school_year=year,
            school__parent=town,
            school__kind__in=SCHOOL_KINDS,
            status=RollStatus.STUDYING,
            events__isnull=True,
        )
        .select_related("school")
        .order_by("school__name", "pk")
        .first()
    )
    if pupil is None:
        return "（无）"
    enrollment_record_event(
        enrollment=pupil, kind=RollEventKind.DROPPED_OUT,
        date=year.first_day + datetime.timedelta(days=75),
        note="示范：归档后新报告的辍学", user=office,
    )  # fmt: skip
    return pupil.school.name


def _spot_check(villages: list[Unit], year: SchoolYear) -> None:
    inspector = User.objects.filter(role=Role.INSPECTOR).first()
    if not villages:
        return
    check = spot_check_draw(
        user=inspector, unit=villages[0], school_year=year, size=5, seed=DEMO_SEED,
        note="县督导示范抽查",
    )  # fmt: skip
    items = list(check.items.select_related("person").order_by("position"))
    spot_check_verdict(user=inspector, item=items[0], verdict=Verdict.MATCHES)
    if len(items) > 1:
        spot_check_verdict(
            user=inspector, item=items[1], verdict=Verdict.DIFFERS,
            note="文化户口册与学籍登记的出生日期不一致",
        )  # fmt: skip
