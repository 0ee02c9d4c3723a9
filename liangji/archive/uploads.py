"""What may be filed, under which name, and the text a file holds.

The one upload rule of the project: case attachments (控辍保学), inspection evidence and the
archive accept the same kinds of files up to the same size, refused with the same Chinese
message. Lower than every app that takes uploads, so all of them can read it.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

logger = logging.getLogger("liangji.archive")

# Scans and photos of letters and certificates, Word, Excel and PDF; nothing a browser would run.
ATTACHMENT_EXTENSIONS = frozenset(
    {"pdf", "jpg", "jpeg", "png", "gif", "tif", "tiff", "doc", "docx", "xls", "xlsx", "txt"}
)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
# Extracted text kept per file: enough to find any document, bounded for a scanned book.
TEXT_MAX_CHARS = 200_000
_UNSAFE = re.compile(r"[^\w.\-()（）【】\[\] ]+")


def upload_refusal(name: str, size: int) -> str | None:
    """Why a file may not be filed (a Chinese sentence for the user), or None when it may."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_EXTENSIONS:
        return f"文件 {name} 的类型不支持；请上传 PDF、图片（JPG/PNG）、Word 或 Excel 文件。"
    if size > ATTACHMENT_MAX_BYTES:
        return f"文件 {name} 超过 20 MB，请压缩或分页扫描后再上传。"
    return None


def filename_safe(name: str) -> str:
    """The last component of a user's file name, with nothing that could climb out of the
    archive directory or upset a file system (``../../x``, ``C:\\x``, NUL, control characters)."""
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    if not cleaned or set(cleaned) <= {".", "_"}:
        cleaned = "文件"
    stem, dot, extension = cleaned.rpartition(".")
    if dot and len(cleaned) > 120:  # keep the extension when shortening a very long name
        cleaned = f"{stem[: 119 - len(extension)]}.{extension}"
    return cleaned[:120]


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def text_extract(name: str, content: bytes) -> str:
    """The text of a PDF, Word or Excel file, for search; empty for images and on damage
    (a damaged file is still filed: the archive keeps what the office has)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    extractor = _EXTRACTORS.get(extension)
    if extractor is None:
        return ""
    try:
        return extractor(content)[:TEXT_MAX_CHARS]
    except Exception:  # any parser error of a user's file means "no text", never a failure
        logger.info("no text extracted from %s (damaged or unusual file)", name)
        return ""


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(part for part in parts if part)


def _xlsx_text(content: bytes) -> str:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    lines = []
    for sheet_name in workbook.sheet_names:
        lines.append(sheet_name)
        rows: list[list[Any]] = workbook.get_sheet_by_name(sheet_name).to_python()
        lines.extend(" ".join(str(v) for v in row if v not in ("", None)) for row in rows)
    return "\n".join(line for line in lines if line)


def _txt_text(content: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return ""


_EXTRACTORS = {
    "pdf": _pdf_text,
    "docx": _docx_text,
    "xlsx": _xlsx_text,
    "xls": _xlsx_text,
    "txt": _txt_text,
}
