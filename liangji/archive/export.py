"""The archive of a unit (or a town with its villages and schools) for a range of school years
as one ZIP: a folder per catalogue entry, 目录.xlsx (text only, through the shared writer), an
index.html that opens offline and links every file, and SHA256SUMS.txt.

Every file is hashed from the bytes written into the ZIP; a stored file whose hash no longer
matches the one recorded at filing is exported anyway and marked "校验不符" in the 目录 and the
index, so that a damaged file is seen, not hidden.
"""

from __future__ import annotations

import hashlib
import html
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from liangji.archive.models import Document
from liangji.archive.selectors import catalogue_tree, documents_visible, unit_subtree
from liangji.archive.uploads import filename_safe
from liangji.audit.models import AuditAction
from liangji.audit.services import audit_record
from liangji.registers.models import Unit
from liangji.registers.spreadsheets import table_sheet_add, workbook_open

if TYPE_CHECKING:
    from liangji.archive.selectors import ArchiveActor


CHUNK = 1 << 20
CATALOGUE_HEADER = [
    "目录编号", "目录名称", "单位", "学年", "标题", "来源", "版本",
    "文件", "大小（字节）", "SHA-256", "归档人", "归档时间", "校验",
]  # fmt: skip


@dataclass(frozen=True)
class ExportResult:
    path: Path
    files: int
    size: int


@dataclass(frozen=True)
class _Member:
    document: Document
    name: str
    sha256: str
    size: int
    intact: bool


def export_documents(
    *, user: ArchiveActor, unit: Unit, year_from: int, year_to: int
) -> list[Document]:
    units = unit_subtree(user, unit)
    years = Q(school_year__year__gte=year_from, school_year__year__lte=year_to)
    return list(
        documents_visible(user)
        .filter(unit__in=units, current__isnull=False)
        .filter(years | Q(school_year__isnull=True))
        .select_related("current__filed_by", "entry")
        .order_by("entry__position", "unit__kind", "unit__name", "school_year__year", "id")
    )


def _folder(document: Document) -> str:
    entry = document.entry
    return filename_safe(f"{entry.code} {entry.title}")


def _member_name(document: Document) -> str:
    assert document.current is not None
    year = str(document.school_year.year) if document.school_year else "长期"
    unit = filename_safe(document.unit.name)
    return f"{_folder(document)}/{unit}/{year}/{document.pk}-{document.current.original_name}"


def _copy(archive: zipfile.ZipFile, document: Document, name: str) -> _Member:
    version = document.current
    assert version is not None
    digest, size = hashlib.sha256(), 0
    with version.file.open("rb") as source, archive.open(name, "w", force_zip64=True) as sink:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            sink.write(chunk)
            size += len(chunk)
    sha = digest.hexdigest()
    return _Member(document, name, sha, size, sha == version.sha256)


def _row(member: _Member) -> list[object]:
    document, version = member.document, member.document.current
    assert version is not None
    return [
        document.entry.code,
        document.entry.title,
        document.unit.name,
        f"{document.school_year.year}学年" if document.school_year else "长期",
        document.title,
        document.get_source_display(),
        f"第{version.number}版",
        member.name,
        member.size,
        member.sha256,
        version.filed_by.username if version.filed_by else "系统",
        timezone.localtime(version.filed_at).strftime("%Y-%m-%d %H:%M"),
        "一致" if member.intact else "校验不符",
    ]


def _catalogue_xlsx(members: list[_Member], title: str) -> bytes:
    import io

    buffer = io.BytesIO()
    workbook = workbook_open(buffer)
    table_sheet_add(workbook, "目录", CATALOGUE_HEADER, [_row(m) for m in members], title=title)
    workbook.close()
    return buffer.getvalue()


def _index_html(members: list[_Member], title: str) -> str:
    by_entry: dict[int, list[_Member]] = {}
    for member in members:
        by_entry.setdefault(member.document.entry_id, []).append(member)
    parts = [
        "<!doctype html><html lang='zh-Hans'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;"
        "padding:4px 8px}table{border-collapse:collapse}code{font-size:80%}"
        ".bad{color:#b00}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>共 {len(members)} 个文件；目录见 <a href='目录.xlsx'>目录.xlsx</a>，"
        "校验值见 <a href='SHA256SUMS.txt'>SHA256SUMS.txt</a>。</p>",
    ]
    for entry, depth in catalogue_tree(include_retired=True):
        rows = by_entry.get(entry.pk, [])
        if entry.level != "file":
            parts.append(f"<h{min(depth + 2, 4)}>{html.escape(str(entry))}</h{min(depth + 2, 4)}>")
            continue
        if not rows:
            continue
        parts.append(f"<h4>{html.escape(str(entry))}</h4><table><tr><th>单位</th><th>学年</th>"
                     "<th>标题</th><th>文件</th><th>SHA-256</th></tr>")  # fmt: skip
        for m in rows:
            d = m.document
            year = f"{d.school_year.year}学年" if d.school_year else "长期"
            flag = "" if m.intact else " <span class='bad'>校验不符</span>"
            link = f"<a href='{quote(m.name)}'>{html.escape(m.name.rsplit('/', 1)[-1])}</a>"
            parts.append(
                f"<tr><td>{html.escape(d.unit.name)}</td><td>{year}</td>"
                f"<td>{html.escape(d.title)}</td>"
                f"<td>{link}{flag}</td>"
                f"<td><code>{m.sha256}</code></td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def archive_export(
    *,
    user: ArchiveActor,
    unit: Unit,
    year_from: int,
    year_to: int,
    target: Path,
    progress: Callable[[int, int], None] | None = None,
) -> ExportResult:
    """Write the ZIP to `target` (audited: the archive holds personal data)."""
    documents = export_documents(user=user, unit=unit, year_from=year_from, year_to=year_to)
    title = f"{unit.name}两基档案（{year_from}—{year_to}学年）"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    members: list[_Member] = []
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, document in enumerate(documents, start=1):
            members.append(_copy(archive, document, _member_name(document)))
            if progress is not None:
                progress(done, len(documents))
        archive.writestr("目录.xlsx", _catalogue_xlsx(members, title))
        archive.writestr("index.html", _index_html(members, title))
        sums = "".join(f"{m.sha256}  {m.name}\n" for m in members)
        archive.writestr("SHA256SUMS.txt", sums)
    partial.replace(target)
    with transaction.atomic():
        audit_record(
            user=user,
            action=AuditAction.EXPORT,
            entity="ArchiveExport",
            entity_id=unit.pk,
            summary=f"导出{title}：{len(members)} 个文件",
            unit=unit,
        )
    return ExportResult(target, len(members), target.stat().st_size)
