"""File downloads: one helper for every app, Django's own attachment header (RFC 6266 with an
RFC 5987 UTF-8 name for Chinese file names), never a hand-quoted Content-Disposition.

A file on disk streams through `FileResponse(as_attachment=True)`; bytes made for the request
(a workbook, a notice) are one `HttpResponse` with the same header. This module sits below every
app and imports none of them.
"""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes made for this request, saved by the browser as `filename`."""
    response = HttpResponse(content, content_type=content_type)
    # Never None for an attachment; the stubs type it for the inline case too.
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def download_file(path: Path, *, filename: str) -> FileResponse:
    """A file on disk, streamed, saved by the browser as `filename`."""
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename)
