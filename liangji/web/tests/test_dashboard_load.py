"""The dashboard under load (issue 10): a kept page costs the queries every logged-in page
pays and no more, and the web keeps its database connection from one request to the next."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test import Client

from liangji.accounts.testing import Cast
from liangji.registers.tests.register import register_create

# The session, the user, the school year shown and the latest data version; on PostgreSQL
# also the web's statement timeout (web/middleware.py).
KEPT_PAGE_QUERIES = 4


def test_a_kept_dashboard_takes_four_queries(
    client: Client,
    cast: Cast,
    django_assert_max_num_queries: Callable[[int], AbstractContextManager[Any]],
) -> None:
    register_create(cast)
    client.force_login(cast.alice)
    client.get("/")  # the browser receives its CSRF cookie with its first page
    page = client.get("/").content  # computed once, then kept
    timeout = 1 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(KEPT_PAGE_QUERIES + timeout):
        assert client.get("/").content == page


@pytest.mark.django_db(transaction=True)  # autocommit, as in the server
def test_the_web_keeps_its_database_connection_between_requests() -> None:
    # A new SQLite connection reads the whole schema on its first statement, which cost more
    # than the kept dashboard itself under 200 requests at once.
    connection.close()
    connection.ensure_connection()  # opened now, as by a request of the server
    opened = connection.connection
    request_finished.send(sender=None)  # what the server signals around every request
    request_started.send(sender=None)
    assert connection.connection is opened
