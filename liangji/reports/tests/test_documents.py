"""The town's documents: the office's narrative and the figures liangji fills in, read back
from the Word and the PDF file; generation in the background filed into the archive."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from liangji.archive.models import Document as ArchivedDocument
from liangji.audit.models import AuditAction, AuditEntry
from liangji.registers.models import SchoolYear
from liangji.registers.tests.documents import dates_assert_arabic, document_text, docx_footer_fields
from liangji.reports.catalogue import report_get, report_request
from liangji.reports.documents import content_text, document_content
from liangji.reports.models import DocumentKind, ReportJob, ReportJobState
from liangji.reports.services import narrative_save, report_job_create, report_job_run
from liangji.reports.tests.conftest import World

TODAY = datetime.date(2024, 3, 1)
INTRO = "根据县两基办的统一部署，我镇于2023年10月组织开展自查。"


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _flat(text: str) -> str:
    # PDF text extraction may break lines (and spaces) anywhere.
    return "".join(text.split())


@pytest.fixture
def year(world: World) -> SchoolYear:
    return SchoolYear.objects.get(year=2023)


def test_the_self_check_report_holds_the_narrative_and_the_figures(
    world: World, year: SchoolYear
) -> None:
    narrative_save(town=world.cast.town, school_year=year, document=DocumentKind.SELF_CHECK,
                   texts={"intro": INTRO}, user=world.cast.alice)  # fmt: skip
    request = report_request(school_year=2023, town=world.cast.town, today=TODAY)
    content = document_content(request, DocumentKind.SELF_CHECK)
    text = content_text(content)
    assert "青山镇两基迎国检自查报告" in text
    assert "根据县两基办的统一部署，我镇于2023年10月组织开展自查。" in text  # full width
    # 张小明 and 李小红 enrolled, 王小二 not: 2 of 3, one short of the 100 % target.
    assert "小学适龄儿童入学率为 66.67%（2/3），目标≥100%，未达到，差 1 人。" in text
    assert "控辍保学" in text and "存在问题" in text
    spec = report_get("doc-self-check")
    docx_text = _docx_text(spec.render(request, "docx"))
    assert "小学适龄儿童入学率为 66.67%（2/3）" in docx_text
    assert INTRO.replace(",", "，") in docx_text
    assert "2024年3月1日" in docx_text  # Arabic numerals (GB/T 9704-2012)
    pdf_text = _flat(_pdf_text(spec.render(request, "pdf")))
    assert _flat("小学适龄儿童入学率为 66.67%（2/3）") in pdf_text
    assert _flat("青山镇人民政府") in pdf_text and "2024年3月1日" in pdf_text


@pytest.mark.parametrize("name", ["doc-indicators", "doc-briefing"])
def test_the_other_documents_render(world: World, name: str) -> None:
    request = report_request(school_year=2023, town=world.cast.town, today=TODAY)
    text = _docx_text(report_get(name).render(request, "docx"))
    assert "15周岁人口初等教育完成率" in text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", ["doc-indicators", "doc-self-check", "doc-briefing"])
def test_every_document_is_dated_in_arabic_numerals(world: World, name: str, fmt: str) -> None:
    request = report_request(school_year=2023, town=world.cast.town, today=TODAY)

    content = report_get(name).render(request, fmt)

    dates_assert_arabic(document_text(content, fmt), TODAY)
    if fmt == "docx":
        assert docx_footer_fields(content) == [("odd", "PAGE"), ("even", "PAGE")]


def test_a_job_generates_in_the_data_directory_and_files_into_the_archive(
    world: World, year: SchoolYear, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    job = report_job_create(
        report="doc-self-check", fmt="docx", school_year=year, town=world.cast.town,
        unit=world.cast.town, user=world.cast.alice,
    )  # fmt: skip
    job = report_job_run(job)
    assert job.state == ReportJobState.DONE, job.message
    assert Path(job.file_path).parent == tmp_path / "reports"
    assert "自查报告" in _docx_text(Path(job.file_path).read_bytes())
    archived = ArchivedDocument.objects.get(entry__code="A2-4", unit=world.cast.town)
    assert archived.title == "青山镇自查报告"


def test_the_office_writes_the_narrative_in_the_browser(world: World) -> None:
    client = Client()
    client.force_login(world.cast.alice)
    url = reverse("reports:narrative_edit", args=["self_check"])
    response = client.post(url, {"intro": INTRO, "plans": "整改"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(entity="Narrative", action=AuditAction.UPDATE).count() == 1
    page = client.get(url).content.decode()
    assert INTRO in page


def test_a_village_cadre_may_not_generate_the_town_documents(world: World) -> None:
    client = Client()
    client.force_login(world.cast.vera)
    assert client.get(reverse("reports:documents")).status_code == 403
    data = {"report": "doc-self-check", "format": "pdf"}
    assert client.post(reverse("reports:document_generate"), data).status_code == 403
    assert not ReportJob.objects.exists()
