"""The 脱盲证书 as Word and PDF: its text read back from both files, filed in the archive."""

from __future__ import annotations

import datetime
import io

from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from liangji.archive.models import Document as ArchivedDocument
from liangji.audit.models import AuditAction, AuditEntry
from liangji.literacy.certificates import certificate_docx, certificate_pdf
from liangji.literacy.services import certificate_issue, literacy_test_record
from liangji.literacy.tests.conftest import result
from liangji.registers.official import date_arabic
from liangji.registers.tests.documents import dates_assert_arabic, docx_footer_fields, docx_text
from liangji.registers.tests.pdfs import pdf_text

D = datetime.date


def _certificate(cast, klass, members):
    test = literacy_test_record(klass=klass, date=D(2024, 6, 1),
                                results=[result(members[0], 1520)], user=cast.alice)  # fmt: skip
    return certificate_issue(result=test.results.get(), issued_on=D(2024, 6, 5), user=cast.alice)


def test_dates_are_written_in_arabic_numerals():
    assert date_arabic(D(2024, 6, 5)) == "2024年6月5日"
    assert date_arabic(D(2024, 10, 18)) == "2024年10月18日"


def test_the_word_certificate_names_the_holder_the_number_the_government_and_the_date(
    cast, klass, members
):
    certificate = _certificate(cast, klass, members)
    text = "\n".join(p.text for p in Document(io.BytesIO(certificate_docx(certificate))).paragraphs)
    assert "脱盲证书" in text
    assert "汉源镇脱盲〔2024〕第0001号" in text
    assert "王秀英\uff0c女\uff0c1980年3月2日出生\uff0c富林村村民。" in text
    assert "识字1520个\uff08脱盲标准1500个\uff09" in text
    assert "汉源镇人民政府\n2024年6月5日" in text


def test_every_date_of_the_certificate_is_in_arabic_numerals_in_both_files(cast, klass, members):
    certificate = _certificate(cast, klass, members)
    birth, tested, issued = D(1980, 3, 2), D(2024, 6, 1), D(2024, 6, 5)

    docx = certificate_docx(certificate)

    dates_assert_arabic(docx_text(docx), birth, tested, issued)
    dates_assert_arabic(pdf_text(certificate_pdf(certificate)), birth, tested, issued)
    # One sheet for its holder, not a 公文 of numbered pages (its PDF has none either).
    assert docx_footer_fields(docx) == []


def test_the_pdf_certificate_says_the_same(cast, klass, members):
    certificate = _certificate(cast, klass, members)
    reader = PdfReader(io.BytesIO(certificate_pdf(certificate)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("脱 盲 证 书", "汉源镇脱盲〔2024〕第0001号", "王秀英", "1980年3月2日出生",
                     "富林村村民", "汉源镇人民政府", "2024年6月5日"):  # fmt: skip
        assert expected in text, expected


def test_downloading_the_pdf_files_it_in_the_archive_and_is_audited(cast, klass, members):
    certificate = _certificate(cast, klass, members)
    client = Client()
    client.force_login(cast.alice)
    response = client.get(reverse("literacy:certificate_download", args=[certificate.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, entity="Certificate").count() == 1
    filed = ArchivedDocument.objects.filter(key=certificate.number)
    assert [d.entry.code for d in filed] == ["B4-2"]
    wendy = Client()
    wendy.force_login(cast.wendy)
    url = reverse("literacy:certificate_download", args=[certificate.pk, "docx"])
    assert wendy.get(url).status_code == 404
