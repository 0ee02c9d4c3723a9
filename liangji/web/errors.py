"""The 403 and 404 pages: the reason is shown only when it is written for people.

Django hands the pages the exception's text, which for an unknown address is the class name
"Resolver404" and for `get_object_or_404` an English sentence ("No User matches the given
query."): those give way to the page's own Chinese sentence.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _reason(exception: Exception | None) -> str:
    text = str(exception.args[0]) if exception is not None and exception.args else ""
    return text if _CHINESE.search(text) else ""


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", {"exception": _reason(exception)}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"exception": _reason(exception)}, status=403)
