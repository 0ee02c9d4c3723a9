"""Every role sees only what it can do (issue 11): a walk of the pages each user of the cast can
reach by following links from the dashboard finds no link that answers 403 for that user.

A link that leads to 权限不足 is a button the role should not have been shown (a 修改 on a
leader's or an inspector's page, say). The walk follows the links a user really has, so a page
added later is walked as soon as some page links to it.
"""

from __future__ import annotations

import html
import re
from collections import deque

import pytest
from django.http import HttpResponse, HttpResponseForbidden
from django.test import Client
from django.urls import path

from liangji.accounts.testing import Cast
from liangji.registers.tests.register import register_create

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#]*)')
# Links whose GET changes the session (logging out, choosing a school year) end the walk's
# session or change what the next pages show: they are not buttons of a role.
NOT_WALKED = ("/logout/", "/static/", "/media/", "/year/")
# Generated files are links too, but rendering every PDF of every page would make the walk slow;
# their permission is the page's own (the permission table checks each of them).
FILE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".zip", ".csv")
PAGES_PER_USER = 400


def _links(page: str) -> set[str]:
    links = set()
    for href in HREF.findall(page):
        url = html.unescape(href)
        if url.startswith(NOT_WALKED) or url.split("?")[0].endswith(FILE_SUFFIXES):
            continue
        links.add(url)
    return links


def _walk(client: Client) -> tuple[list[tuple[str, str]], int]:
    """(page, link) pairs whose link answers 403, and the number of pages read."""
    forbidden = []
    seen = {"/"}
    queue: deque[tuple[str, str]] = deque([("", "/")])
    read = 0
    while queue and read < PAGES_PER_USER:
        source, url = queue.popleft()
        response = client.get(url)
        read += 1
        if response.status_code == 403:
            forbidden.append((source, url))
            continue
        location = response.get("Location", "")
        if response.status_code in (301, 302) and location.startswith("/") and location not in seen:
            seen.add(location)  # the administrator's dashboard is the users page, say
            queue.append((url, location))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in sorted(_links(response.content.decode()) - seen):
            seen.add(link)
            queue.append((url, link))
    return forbidden, read


@pytest.mark.parametrize("user", ["alice", "lee", "vera", "wang", "sam", "oscar", "ian", "ada"])
def test_no_page_shows_a_link_the_role_may_not_follow(cast: Cast, user: str) -> None:
    register_create(cast)
    client = Client()
    client.force_login(getattr(cast, user))
    forbidden, read = _walk(client)
    assert read > 3, f"{user} reached only {read} pages"
    assert not forbidden, "\n".join(f"{source} → {link}" for source, link in forbidden)


# The walk itself, on two pages made for it: a page whose link answers 403 is found.
urlpatterns = [
    path(
        "",
        lambda request: HttpResponse(
            '<a href="/open/">甲</a><a href="/closed/?a=1&amp;b=2">乙</a>'
        ),
    ),
    path("open/", lambda request: HttpResponse('<a href="/">返回</a>')),
    path("closed/", lambda request: HttpResponseForbidden("权限不足")),
]


@pytest.mark.urls(__name__)
def test_the_walk_finds_a_link_that_answers_403() -> None:
    forbidden, read = _walk(Client())
    assert forbidden == [("/", "/closed/?a=1&b=2")]
    assert read == 3
