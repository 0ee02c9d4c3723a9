"""The generated self-check report and 通报 open in LibreOffice and say what they should.

The conversion test needs `soffice`: in CI (CI=true) a missing LibreOffice is a failure; on a
developer machine without it the test is skipped.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from docx import Document
from pypdf import PdfReader

from liangji.audit.models import AuditEntry
from liangji.inspection.choices import SafetyGrade, Severity
from liangji.inspection.documents import bulletin_docx, self_check_report_docx
from liangji.inspection.models import StandardItem
from liangji.inspection.services.conditions import building_save
from liangji.inspection.services.rectification import finding_record, visit_record
from liangji.inspection.tests.conftest import DAY, report_for, self_check_all_met
from liangji.registers.tests.documents import (
    dates_assert_arabic,
    docx_footer_fields,
    docx_text,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Never skipped: `make test` installs LibreOffice (scripts/system-deps); without it `_pdf_text`
# fails with the reason.


def _pdf_text(docx: bytes, tmp_path) -> str:
    assert SOFFICE is not None, "LibreOffice (soffice) is missing: run scripts/system-deps"
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "document.docx"
    source.write_bytes(docx)
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(str(tmp_path / "document.pdf"))
    # Table cells wrap: compare the text without the layout's spaces and line breaks.
    text = "".join(page.extract_text() for page in reader.pages)
    return text.replace(" ", "").replace("\n", "")


def _docx_text(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def report_and_check(clean_town):
    cast = clean_town
    building_save(
        school=cast.primary,
        name="旧平房",
        area=Decimal("180.0"),
        safety_grade=SafetyGrade.D,
        in_use=True,
        user=None,
    )
    report = report_for(cast, {("青石小学", "primary_dropout"): (3, 1000)})
    check = self_check_all_met(cast.primary, cast, report)
    # The clean town's first round was reported before the D building; this is round 2.
    assert check.round == 2
    return cast, report, check


def test_the_self_check_report_holds_indicators_results_and_the_veto_summary(report_and_check):
    cast, report, check = report_and_check

    text = _docx_text(
        self_check_report_docx(self_check=check, indicator_report=report, user=cast.pat)
    )

    assert "青石小学两基迎国检自查报告" in text
    assert "小学年辍学率" in text and "0.30%" in text  # 3 of 1,000 pupils, target ≤ 0.2 %
    assert "D级危房「旧平房」（180.0㎡）仍在使用" in text
    assert "适用的一票否决指标 4 项，存在问题：小学在校生年辍学率" in text
    assert AuditEntry.objects.filter(action="export", entity="SelfCheck").count() == 1


def test_the_bulletin_lists_findings_by_unit_with_deadlines(cast):
    visit = visit_record(
        town=cast.town,
        school_year=cast.year,
        visited_on=datetime.date(2025, 5, 12),
        team="王建国、赵学文",
        units=[cast.primary, cast.village],
        checked="校舍安全和档案建设",
        user=cast.olivia,
    )
    finding_record(
        unit=cast.primary,
        item=StandardItem.objects.get(code="S01"),
        description="消防通道堆放杂物",
        severity=Severity.SERIOUS,
        found_on=datetime.date(2025, 5, 12),
        school_year=cast.year,
        visit=visit,
        user=cast.olivia,
        deadline=datetime.date(2025, 5, 19),
    )

    text = _docx_text(bulletin_docx(visit=visit, user=cast.olivia))

    assert "关于2025年5月两基迎国检督查情况的通报" in text
    assert "青两基办〔2025〕1号" in text
    assert "[S01 校园安全隐患全部整改]消防通道堆放杂物（问题程度：严重）" in text
    assert "2025年5月19日" in text
    assert "青石镇两基迎国检工作领导小组办公室" in text


def _visit_with_finding(cast):
    visit = visit_record(town=cast.town, school_year=cast.year,
                         visited_on=datetime.date(2025, 5, 12), team="王建国",
                         units=[cast.primary], checked="校舍安全", user=None)  # fmt: skip
    finding_record(unit=cast.primary, description="旧平房仍有班级上课", severity=Severity.SERIOUS,
                   found_on=datetime.date(2025, 5, 12), school_year=cast.year, visit=visit,
                   user=None, deadline=datetime.date(2025, 6, 9))  # fmt: skip
    return visit


def test_both_documents_write_dates_in_arabic_numerals_and_number_their_pages(report_and_check):
    cast, report, check = report_and_check
    visit = _visit_with_finding(cast)

    report_docx = self_check_report_docx(self_check=check, indicator_report=report, user=None)
    bulletin = bulletin_docx(visit=visit, user=None)

    dates_assert_arabic(docx_text(report_docx), DAY)
    dates_assert_arabic(docx_text(bulletin), datetime.date(2025, 5, 12), datetime.date(2025, 6, 9))
    assert "关于2025年5月两基迎国检督查情况的通报" in docx_text(bulletin)
    for content in (report_docx, bulletin):
        assert docx_footer_fields(content) == [("odd", "PAGE"), ("even", "PAGE")]


def test_libreoffice_opens_both_documents(report_and_check, tmp_path):
    cast, report, check = report_and_check
    visit = visit_record(
        town=cast.town,
        school_year=cast.year,
        visited_on=datetime.date(2025, 5, 12),
        team="王建国",
        units=[cast.primary],
        checked="校舍安全",
        user=None,
    )
    finding_record(
        unit=cast.primary,
        description="旧平房仍有班级上课",
        severity=Severity.SERIOUS,
        found_on=datetime.date(2025, 5, 12),
        school_year=cast.year,
        visit=visit,
        user=None,
    )

    report_pdf = _pdf_text(
        self_check_report_docx(self_check=check, indicator_report=report, user=None),
        tmp_path / "report",
    )
    bulletin_pdf = _pdf_text(bulletin_docx(visit=visit, user=None), tmp_path / "bulletin")

    assert "青石小学两基迎国检自查报告" in report_pdf
    assert "D级危房「旧平房」" in report_pdf
    assert "旧平房仍有班级上课" in bulletin_pdf
    assert "青石镇两基迎国检工作领导小组办公室" in bulletin_pdf
    # The PAGE field in the footer becomes the page number when LibreOffice lays the pages out.
    assert "—1—" in report_pdf and "—2—" in report_pdf
    assert "—1—" in bulletin_pdf
    dates_assert_arabic(report_pdf, DAY)
    dates_assert_arabic(bulletin_pdf, datetime.date(2025, 5, 12))
