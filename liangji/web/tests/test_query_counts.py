"""List pages and the dashboard run a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from liangji.accounts.testing import Cast
from liangji.indicators.models import WorkItem
from liangji.querycount import data_statements
from liangji.registers.choices import PriorityGroup, Sex
from liangji.registers.models import Enrollment, GroupMembership, Household, Person, PersonRecord
from liangji.registers.tests.register import Register, register_create

PAGES = [
    "/",
    "/people/",
    "/people/?q=zx&age_min=6&age_max=15&group=留守儿童",
    "/households/",
    "/rolls/",
    "/worklist/?code=junior_net_enrollment",
    "/worklist/?code=primary_dropout",
    "/years/",
]
# The most any of these pages may take (layout, session, user, scope, page data).
CEILING = 40


def _more_people(cast: Cast, register: Register, count: int, start: int = 0) -> None:
    """`count` more children in both villages, each on a roll and in a group, some assigned."""
    for n in range(start, start + count):
        village = cast.east if n % 2 else cast.west
        household = Household.objects.create(village=village, number=f"H{n:03d}")
        person = Person.objects.create(
            name=f"学生{n}", sex=Sex.FEMALE, birth_date=datetime.date(2010 + n % 5, 1, 1 + n % 27)
        )
        record = PersonRecord.objects.create(
            person=person, school_year=register.year, household=household, village=village
        )
        GroupMembership.objects.create(record=record, group=PriorityGroup.POOR_REGISTERED)
        if n % 3:
            Enrollment.objects.create(
                school_year=register.year, school=cast.primary if n % 2 else cast.junior,
                person=person, name=person.name, sex=Sex.FEMALE, birth_date=person.birth_date,
                grade=1 + n % 9,
            )  # fmt: skip
        else:
            WorkItem.objects.create(
                school_year=register.year, town=cast.town, list_code="junior_net_enrollment",
                key=f"p{person.pk}", person=person, assigned_unit=village,
            )  # fmt: skip


def _queries(client: Client, url: str) -> int:
    cache.clear()  # the page computed, not the dashboard kept from the previous request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(data_statements(captured))


@pytest.mark.parametrize("user", ["alice", "vera", "sam", "ian"])
def test_pages_take_the_same_queries_for_23_or_123_people(cast: Cast, user: str) -> None:
    register = register_create(cast)
    # Some of every kind of row already (an empty list may skip a query), then five times more.
    _more_people(cast, register, 20)
    client = Client()
    client.force_login(getattr(cast, user))
    allowed = [url for url in PAGES if client.get(url).status_code == 200]
    assert allowed, "the user should see some pages"
    small = {url: _queries(client, url) for url in allowed}
    _more_people(cast, register, 100, start=20)
    large = {url: _queries(client, url) for url in allowed}
    assert large == small
    assert max(large.values()) <= CEILING, large


def test_the_person_page_does_not_grow_with_years_and_events(client: Client, cast: Cast) -> None:
    register = register_create(cast)
    client.force_login(cast.alice)
    url = f"/people/{register.xiaoming.pk}/"
    before = _queries(client, url)
    roll = register.xiaoming_roll
    for day in (4, 11, 18):
        roll.events.create(kind="休学", date=datetime.date(2024, 11, day))
    assert _queries(client, url) == before
