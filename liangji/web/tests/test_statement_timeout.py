"""A web request's query past LIANGJI_WEB_STATEMENT_TIMEOUT is cancelled by PostgreSQL and the
user gets the Chinese error page, not a hang (issue 10). SQLite has no statement timeout: the
same request is simply served."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from liangji.accounts.testing import Cast
from liangji.web.views import dashboard


def _slow_dashboard(**kwargs: Any) -> Any:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(5)" if connection.vendor == "postgresql" else "SELECT 1")
    raise AssertionError("PostgreSQL should have cancelled the query")


def test_a_query_past_the_timeout_gets_the_error_page(
    client: Client, cast: Cast, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.WEB_STATEMENT_TIMEOUT = 1
    monkeypatch.setattr(dashboard, "dashboard_kept", _slow_dashboard)
    client.force_login(cast.alice)
    started = time.monotonic()
    if connection.vendor != "postgresql":
        with pytest.raises(AssertionError, match="should have cancelled"):
            client.get("/")
        return
    response = client.get("/")
    assert time.monotonic() - started < 4
    assert response.status_code == 503
    page = response.content.decode()
    assert "这个页面的查询超过了 1 秒，已被中止，没有写入任何数据" in page
    assert "Traceback" not in page and "canceling statement" not in page


def test_the_timeout_is_set_for_web_requests_only(client: Client, cast: Cast) -> None:
    if connection.vendor != "postgresql":
        client.force_login(cast.alice)
        assert client.get("/").status_code == 200
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("0",)  # commands and imports: no limit
        client.force_login(cast.alice)
        assert client.get("/").status_code == 200
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("30s",)  # the default, in the web request's connection
