"""The printed 识字测验卷 (issue 13, tests): a page per learner, characters drawn from the GB 2312
一级汉字, the pass mark scaled to the sample."""

from __future__ import annotations

import datetime
import io

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from liangji.audit.models import AuditAction, AuditEntry
from liangji.literacy.testsheets import SAMPLE_SIZE, class_sheets_pdf, common_characters, sheet_for
from liangji.registers.tests.pdfs import pdf_fonts, pdf_text

DAY = datetime.date(2024, 6, 1)


def test_the_list_is_the_3755_first_level_characters_of_gb2312() -> None:
    chars = common_characters()
    assert len(chars) == 3755
    assert (chars[0], chars[-1]) == ("啊", "座")  # the standard's first and last 一级汉字
    assert len(set(chars)) == 3755


def test_a_sheet_per_learner_with_the_sample_and_the_pass_mark(cast, klass, members) -> None:
    content = class_sheets_pdf(klass, date=DAY)

    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 2
    first = pages[0].extract_text().replace("\n", "").replace(" ", "")
    assert "识字测验卷" in first and "王秀英" in first and "富林村扫盲一班" in first
    assert "2024年6月1日" in first
    # 1,500 of 3,755 characters: 39.9 of 100 → 40 read correctly.
    assert "标准1500字,须读对40字及以上" in first.replace("，", ",")
    sheet = sheet_for(members[0], date=DAY, standard=1500)
    drawn = [ch for row in sheet.rows for ch in row]
    assert len(drawn) == SAMPLE_SIZE == len(set(drawn))
    assert set(drawn) <= set(common_characters())
    assert all(c in first for c in drawn)
    assert "GB2312-1980" in pdf_text(content)
    assert pdf_fonts(content) <= {"Noto-Serif-SC", "Noto-Sans-SC", "NotoSerifSC", "NotoSansSC"}


def test_the_draw_is_the_same_when_printed_again_and_differs_between_learners(
    cast, klass, members
) -> None:
    again = sheet_for(members[0], date=DAY, standard=1500)
    assert again.rows == sheet_for(members[0], date=DAY, standard=1500).rows
    assert again.rows != sheet_for(members[1], date=DAY, standard=1500).rows


def test_the_page_downloads_the_pdf_and_audits_it(cast, klass, members) -> None:
    client = Client()
    client.force_login(cast.alice)

    response = client.get(reverse("literacy:test_sheets", args=[klass.pk]), {"date": "2024-06-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(
        action=AuditAction.EXPORT, entity="LiteracyClass", summary__contains="识字测验卷"
    ).exists()
