"""Every notice kind printed with the bundled fonts, readable from the PDF; a missing font is
an error in words, never a blank document."""

from __future__ import annotations

import datetime
from pathlib import Path

import pylopdf_fonts_zh_cn
import pytest
from django.urls import reverse

from liangji.audit.models import AuditEntry
from liangji.dropout.exports import notice_export
from liangji.dropout.models import Notice, NoticeKind
from liangji.dropout.tests.test_cases import _to_notices
from liangji.registers.pdf import FontMissing
from liangji.registers.tests.documents import (
    dates_assert_arabic,
    document_text,
    docx_footer_fields,
)
from liangji.registers.tests.pdfs import pdf_assert_readable

TODAY = datetime.datetime(2024, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.mark.parametrize("kind", [k.value for k in NoticeKind])
def test_each_notice_kind_is_readable_and_set_in_the_bundled_font(case, alice, kind):
    _to_notices(case, alice)
    notice = Notice.objects.get(case=case, kind=kind)

    pdf = notice_export(user=alice, notice=notice, fmt="pdf").content

    pdf_assert_readable(pdf, NoticeKind(kind).label, "张小明", notice.number)


D = datetime.date
# 成文日期, return deadline, the child's birth and absence, and (in the 限期 notice) the day the
# 劝返 notice was issued: every date of the notice, each in Arabic numerals.
NOTICE_DATES = {
    NoticeKind.RETURN: (D(2024, 10, 12), D(2024, 10, 27), D(2024, 9, 30)),
    NoticeKind.DEADLINE: (D(2024, 10, 28), D(2024, 11, 12), D(2024, 9, 30), D(2024, 10, 12)),
}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("kind", [k.value for k in NoticeKind])
def test_every_date_of_every_notice_is_in_arabic_numerals(case, alice, kind, fmt):
    _to_notices(case, alice)
    notice = Notice.objects.get(case=case, kind=kind)

    content = notice_export(user=alice, notice=notice, fmt=fmt).content

    dates_assert_arabic(document_text(content, fmt), *NOTICE_DATES[NoticeKind(kind)])


@pytest.mark.parametrize("kind", [k.value for k in NoticeKind])
def test_the_word_notice_numbers_its_pages_in_the_footer(case, alice, kind):
    _to_notices(case, alice)
    notice = Notice.objects.get(case=case, kind=kind)

    content = notice_export(user=alice, notice=notice, fmt="docx").content

    assert docx_footer_fields(content) == [("odd", "PAGE"), ("even", "PAGE")]


def test_without_the_font_the_notice_is_refused_in_words(client, case, alice, monkeypatch):
    _to_notices(case, alice)
    notice = Notice.objects.filter(case=case).first()
    assert notice is not None
    monkeypatch.setattr(pylopdf_fonts_zh_cn, "serif_path", lambda: Path("/nonexistent.otf"))
    with pytest.raises(FontMissing, match="找不到公文字体 Noto Serif SC"):
        notice_export(user=alice, notice=notice, fmt="pdf")

    client.force_login(alice)
    exports = AuditEntry.objects.filter(action="export").count()
    response = client.get(reverse("dropout:notice_download", args=[notice.pk, "pdf"]), follow=True)
    assert "找不到公文字体 Noto Serif SC" in response.content.decode()
    assert response.get("Content-Type", "").startswith("text/html")
    assert AuditEntry.objects.filter(action="export").count() == exports
