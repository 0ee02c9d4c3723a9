"""Filing: the default catalogue, uploads within the limits, versions, generated documents with
their figures, text for search, and the files in backups."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import docx
import pytest
import xlsxwriter

from liangji.accounts.testing import Cast
from liangji.archive.models import CatalogueEntry, Document, DocumentVersion, EntrySource
from liangji.archive.registry import GENERATORS
from liangji.archive.services import (
    ArchiveError,
    archive_file_generated,
    archive_file_replace,
    archive_file_upload,
    entry_add,
    entry_move,
    entry_retire,
    entry_update,
    proof_attach,
)
from liangji.archive.tests.conftest import People
from liangji.archive.uploads import filename_safe, text_extract
from liangji.audit.models import AuditEntry
from liangji.ops.services import backup_create, backup_restore

pytestmark = pytest.mark.django_db


def entry(code: str) -> CatalogueEntry:
    return CatalogueEntry.objects.get(code=code)


def test_the_default_catalogue_has_the_town_classes_and_the_school_classes_one_to_seven() -> None:
    classes = list(CatalogueEntry.objects.filter(parent=None).order_by("position"))
    assert [c.code for c in classes] == ["A", "B", "Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ"]
    assert [c.title for c in classes[:2]] == ["领导管理", "普及程度"]
    self_check = entry("A2-4")
    assert (self_check.title, self_check.source, self_check.required) == (
        "自查报告",
        "generated",
        True,
    )
    assert self_check.unit_levels == ["town", "village", "school"]
    assert entry("A1-2").per_year is False  # the school map is not redone every year
    assert entry("B2-1").proof_kind == "在外就读证明"
    assert entry("Ⅱ-1").unit_levels == ["school"]


def test_the_dropout_and_inspection_generators_are_registered_by_their_apps() -> None:
    assert {g.entry_code for g in GENERATORS.values()} >= {"B3-1", "B3-2", "A2-4", "A2-6"}


def test_an_upload_is_filed_with_who_when_its_sha256_and_the_file_in_the_data_directory(
    cast: Cast, people: People, media: Path
) -> None:
    content = b"%PDF-1.4 minutes of the meeting"
    document = archive_file_upload(
        user=cast.alice, entry=entry("A2-5"), unit=cast.town, school_year=people.year,
        title="第一次领导小组会议记录", filename="会议记录.pdf", content=content,
    )  # fmt: skip
    version = document.current
    assert version is not None
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert (version.size, version.number, version.filed_by) == (len(content), 1, cast.alice)
    assert Path(version.file.path).read_bytes() == content
    assert Path(version.file.path).is_relative_to(media / "archive")
    assert AuditEntry.objects.filter(entity="ArchiveDocument", entity_id=str(document.pk)).exists()


def test_a_replacement_keeps_the_old_version(cast: Cast, people: People) -> None:
    document = archive_file_upload(
        user=cast.alice, entry=entry("A2-5"), unit=cast.town, school_year=people.year,
        title="会议记录", filename="v1.pdf", content=b"%PDF-1 first",
    )  # fmt: skip
    archive_file_replace(user=cast.alice, document=document, filename="v2.pdf", content=b"%PDF-2")
    document.refresh_from_db()
    versions = list(document.versions.order_by("number"))
    assert [(v.number, v.original_name) for v in versions] == [(1, "v1.pdf"), (2, "v2.pdf")]
    assert document.current == versions[1]
    assert Path(versions[0].file.path).read_bytes() == b"%PDF-1 first"


@pytest.mark.parametrize(
    ("filename", "size", "message"),
    [
        (
            "病毒.exe",
            10,
            "文件 病毒.exe 的类型不支持；请上传 PDF、图片（JPG/PNG）、Word 或 Excel 文件。",
        ),
        (
            "page.html",
            10,
            "文件 page.html 的类型不支持；请上传 PDF、图片（JPG/PNG）、Word 或 Excel 文件。",
        ),
        (
            "扫描件.pdf",
            20 * 1024 * 1024 + 1,
            "文件 扫描件.pdf 超过 20 MB，请压缩或分页扫描后再上传。",
        ),
    ],
)
def test_uploads_outside_the_types_or_size_are_refused_in_chinese_and_nothing_is_written(
    cast: Cast, people: People, media: Path, filename: str, size: int, message: str
) -> None:
    with pytest.raises(ArchiveError) as refused:
        archive_file_upload(
            user=cast.alice, entry=entry("A2-5"), unit=cast.town, school_year=people.year,
            title="x", filename=filename, content=b"x" * size,
        )  # fmt: skip
    assert str(refused.value) == message
    assert not Document.objects.exists()
    assert not (media / "archive").exists()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("/absolute/证明.jpg", "证明.jpg"),
        ("..", "文件"),
        ("a\x00b.pdf", "ab.pdf"),
        ("张三 在外就读证明（广州）.pdf", "张三 在外就读证明（广州）.pdf"),
    ],
)
def test_file_names_cannot_climb_out_of_the_archive(name: str, safe: str) -> None:
    assert filename_safe(name) == safe


def test_a_traversing_file_name_is_stored_inside_the_archive_directory(
    cast: Cast, people: People, media: Path
) -> None:
    document = proof_attach(
        user=cast.vera, record=people.xiaoming, kind="在外就读证明",
        filename="../../../../secret.pdf", content=b"%PDF-1.4 proof",
    )  # fmt: skip
    version = document.current
    assert version is not None
    stored = Path(version.file.path).resolve()
    assert stored.is_relative_to((media / "archive").resolve())
    assert stored.name == "v1-secret.pdf"
    assert not (media.parent.parent / "secret.pdf").exists()


def test_an_upload_is_refused_for_a_unit_the_entry_is_not_kept_by(
    cast: Cast, people: People
) -> None:
    with pytest.raises(ArchiveError, match="青山小学 不需要归档“A2-5 会议记录”。"):
        archive_file_upload(
            user=cast.sam, entry=entry("A2-5"), unit=cast.primary, school_year=people.year,
            title="x", filename="x.pdf", content=b"%PDF",
        )  # fmt: skip


def test_a_generated_document_keeps_its_figures_and_filing_it_again_adds_a_version_only_on_change(
    cast: Cast, people: People
) -> None:
    def file(figures: dict[str, Any], content: bytes) -> Document | None:
        return archive_file_generated(
            user=None, unit=cast.town, school_year=people.year, entry_code="A1-3",
            title="两基主要指标汇总表", filename="指标.xlsx", content=content, figures=figures,
        )  # fmt: skip

    first = file({"小学适龄儿童入学率": {"青山镇": "99.05"}}, b"one")
    again = file({"小学适龄儿童入学率": {"青山镇": "99.05"}}, b"one")
    changed = file({"小学适龄儿童入学率": {"青山镇": "98.00"}}, b"two")
    assert first is not None and first == again == changed
    assert first.source == EntrySource.GENERATED
    assert list(first.versions.values_list("number", "figures")) == [
        (1, {"小学适龄儿童入学率": {"青山镇": "99.05"}}),
        (2, {"小学适龄儿童入学率": {"青山镇": "98.00"}}),
    ]


def test_a_generated_document_under_an_unknown_entry_is_skipped_not_an_error(
    cast: Cast, people: People
) -> None:
    filed = archive_file_generated(
        user=None, unit=cast.town, school_year=people.year, entry_code="Z9-9",
        title="x", filename="x.pdf", content=b"x", figures={},
    )  # fmt: skip
    assert filed is None


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "东村"
    table.rows[0].cells[1].text = "99.26%"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _xlsx(text: str) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("花名册")
    sheet.write_string(0, 0, text)
    workbook.close()
    return out.getvalue()


def _pdf(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<p style='font-family: Noto Sans CJK SC'>{text}</p>").write_pdf()


def test_text_is_extracted_from_word_excel_and_pdf() -> None:
    assert "自查报告正文" in text_extract("a.docx", _docx("自查报告正文"))
    assert "99.26%" in text_extract("a.docx", _docx("x"))
    assert text_extract("a.xlsx", _xlsx("在校生张三")) == "花名册\n在校生张三"
    assert "在外就读证明" in text_extract("a.pdf", _pdf("在外就读证明"))
    assert text_extract("a.jpg", b"\xff\xd8") == ""
    assert text_extract("broken.pdf", b"not a pdf") == ""


def test_catalogue_edits_add_rename_reorder_and_retire_without_losing_files(
    cast: Cast, people: People
) -> None:
    item = entry("A2")
    added = entry_add(
        user=cast.alice, parent=item, code="A2-10", title="宣传材料", unit_levels=["town"]
    )
    assert (added.level, added.required, added.per_year) == ("file", False, True)
    document = archive_file_upload(
        user=cast.alice, entry=added, unit=cast.town, school_year=people.year,
        title="横幅照片", filename="横幅.jpg", content=b"\xff\xd8 photo",
    )  # fmt: skip
    entry_update(
        user=cast.alice, entry=added, title="宣传发动材料", required=True, per_year=True,
        unit_levels=["town"],
    )  # fmt: skip
    entry_move(user=cast.alice, entry=added, up=True)
    siblings = list(CatalogueEntry.objects.filter(parent=item).order_by("position"))
    assert [s.code for s in siblings][-2:] == ["A2-10", "A2-9"]
    entry_retire(user=cast.alice, entry=added)
    added.refresh_from_db()
    assert added.retired and added.title == "宣传发动材料"
    assert Document.objects.get(pk=document.pk).entry == added
    with pytest.raises(ArchiveError, match="已停用"):
        archive_file_upload(
            user=cast.alice, entry=added, unit=cast.town, school_year=people.year,
            title="x", filename="x.jpg", content=b"x",
        )  # fmt: skip
    assert AuditEntry.objects.filter(entity="CatalogueEntry").count() == 4


def test_archive_files_come_back_with_a_restore(
    cast: Cast, people: People, media: Path, tmp_path: Path, settings: Any
) -> None:
    document = proof_attach(
        user=cast.vera, record=people.xiaoming, kind="在外就读证明",
        filename="张小明在外就读证明.pdf", content=b"%PDF-1.4 proof of study elsewhere",
    )  # fmt: skip
    version = document.current
    assert version is not None
    backup = backup_create(path=tmp_path / "backup.zip")
    fresh = tmp_path / "fresh"
    settings.DATA_DIR, settings.MEDIA_ROOT = fresh, fresh / "media"

    backup_restore(path=backup.path, force=True)

    restored = DocumentVersion.objects.get(pk=version.pk)
    assert restored.file.name == version.file.name
    assert Path(restored.file.path).read_bytes() == b"%PDF-1.4 proof of study elsewhere"
    assert hashlib.sha256(Path(restored.file.path).read_bytes()).hexdigest() == restored.sha256
    assert Document.objects.get(pk=document.pk).current_id == version.pk
