"""Security headers Django 5.2 does not set by itself, and the statement timeout of web
requests on PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("liangji.web")

# Self only, and no inline script: chart data travels in json_script blocks read by static JS.
# Inline style *attributes* are not allowed either; ECharts and htmx set styles through the
# CSSOM, which the policy does not restrict.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages with personal data must not linger in shared browser caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _query_canceled(exc: BaseException) -> bool:
    # psycopg's QueryCanceled (SQLSTATE 57014) arrives wrapped in Django's OperationalError.
    cause = exc.__cause__
    return isinstance(exc, OperationalError) and getattr(cause, "sqlstate", None) == "57014"


class StatementTimeoutMiddleware:
    """On PostgreSQL, every query of a web request is cancelled by the server after
    WEB_STATEMENT_TIMEOUT seconds: a query gone wrong (stale planner statistics made one take
    minutes) answers the user with an error page instead of running on after the browser gave
    up. Set per request on the connection, so that the import process and the commands, which
    open their own connections, are not limited."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.WEB_STATEMENT_TIMEOUT
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [f"{seconds * 1000}"])
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not _query_canceled(exc):
            return None
        logger.error("statement timeout (%s s) on %s", settings.WEB_STATEMENT_TIMEOUT, request.path)
        # A page of its own, like 500.html: no database access, the connection may be in an
        # aborted transaction.
        page = render_to_string(
            "web/statement_timeout.html", {"seconds": settings.WEB_STATEMENT_TIMEOUT}
        )
        return HttpResponse(page, status=503)
