"""Who sees which units and people, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from liangji.accounts.models import Role, User
from liangji.accounts.scope import (
    access_enrollment,
    access_household,
    access_person,
    access_person_record,
    can,
    scope_filter,
    scope_for,
    scope_unit_ids,
)
from liangji.accounts.testing import Cast
from liangji.registers.choices import Sex
from liangji.registers.models import Enrollment, Household, Person, PersonRecord, SchoolYear


def _person_in(village, school_year, name="张小明", number="1"):  # type: ignore[no-untyped-def]
    household = Household.objects.create(village=village, number=number)
    person = Person.objects.create(name=name, sex=Sex.MALE, birth_date=datetime.date(2015, 3, 1))
    PersonRecord.objects.create(
        person=person, school_year=school_year, household=household, village=village
    )
    return person


def test_town_office_sees_its_town_and_everything_below(cast: Cast) -> None:
    assert scope_unit_ids(cast.alice) == {
        cast.town.pk,
        cast.east.pk,
        cast.west.pk,
        cast.primary.pk,
        cast.junior.pk,
    }
    assert scope_unit_ids(cast.lee) == scope_unit_ids(cast.alice)


def test_village_and_school_see_only_themselves(cast: Cast) -> None:
    assert scope_unit_ids(cast.vera) == {cast.east.pk}
    assert scope_unit_ids(cast.sam) == {cast.primary.pk}
    assert scope_for(cast.sam).school_ids == {cast.primary.pk}
    assert scope_for(cast.sam).village_ids == frozenset()


def test_inspector_sees_the_whole_county(cast: Cast) -> None:
    assert scope_for(cast.ian).town_ids == {cast.town.pk, cast.other_town.pk}
    assert scope_for(cast.ian).village_ids == {cast.east.pk, cast.west.pk, cast.south.pk}


def test_administrator_anonymous_and_misfits_see_nothing(cast: Cast) -> None:
    assert scope_unit_ids(cast.ada) == frozenset()
    assert scope_unit_ids(AnonymousUser()) == frozenset()
    # A "village" account attached to the town would otherwise see the whole town.
    misfit = User.objects.create(username="misfit", role=Role.VILLAGE, unit=cast.town)
    assert scope_unit_ids(misfit) == frozenset()
    cast.alice.is_active = False
    cast.alice.__dict__.pop("_liangji_scope", None)
    assert scope_unit_ids(cast.alice) == frozenset()


def test_scope_filter_keeps_only_rows_of_visible_units(cast: Cast) -> None:
    Household.objects.create(village=cast.east, number="1")
    Household.objects.create(village=cast.west, number="1")
    Household.objects.create(village=cast.south, number="1")
    visible = scope_filter(Household.objects.order_by("village__name"), cast.alice)
    assert [h.village.name for h in visible] == ["东村", "西村"]
    assert [h.village.name for h in scope_filter(Household.objects.all(), cast.vera)] == ["东村"]
    assert list(scope_filter(Household.objects.all(), cast.ada)) == []


def test_access_person_denies_other_villages_with_the_same_404(cast: Cast) -> None:
    year = SchoolYear.objects.create(year=2024)
    ours = _person_in(cast.east, year)
    theirs = _person_in(cast.west, year, name="李小红")
    assert access_person(cast.vera, ours.pk) == ours
    with pytest.raises(Http404) as not_yours:
        access_person(cast.vera, theirs.pk)
    with pytest.raises(Http404) as missing:
        access_person(cast.vera, 999999)
    assert str(not_yours.value) == str(missing.value)
    assert access_person(cast.alice, theirs.pk) == theirs
    with pytest.raises(Http404):
        access_person(cast.oscar, ours.pk)
    with pytest.raises(Http404):
        access_person(cast.ada, ours.pk)
    with pytest.raises(Http404):
        access_person(cast.vera, "not-a-number")


def test_a_school_sees_its_pupils_but_not_their_household_records(cast: Cast) -> None:
    year = SchoolYear.objects.create(year=2024)
    pupil = _person_in(cast.east, year)
    roll = Enrollment.objects.create(
        school_year=year,
        school=cast.primary,
        person=pupil,
        name="张小明",
        sex=Sex.MALE,
        birth_date=datetime.date(2015, 3, 1),
        grade=3,
    )
    assert access_person(cast.sam, pupil.pk) == pupil
    assert access_enrollment(cast.sam, roll.pk) == roll
    with pytest.raises(Http404):
        access_person_record(cast.sam, pupil.records.get().pk)
    with pytest.raises(Http404):
        access_household(cast.sam, pupil.records.get().household_id)
    with pytest.raises(Http404):
        access_enrollment(cast.vera, roll.pk)


def test_capabilities_are_declared_per_role(cast: Cast) -> None:
    assert can(cast.alice, "register.edit")
    assert not can(cast.lee, "register.edit")
    assert can(cast.lee, "dashboard.view")
    assert can(cast.vera, "id.reveal")
    assert not can(cast.ian, "id.reveal")
    assert can(cast.ian, "register.view")
    assert can(cast.alice, "year.approve")
    assert not can(cast.vera, "year.approve")
    assert can(cast.ada, "audit.view")
    assert not can(cast.ada, "register.view")
    assert not can(cast.alice, "audit.view")
    assert not can(AnonymousUser(), "dashboard.view")
    with pytest.raises(ValueError, match="unknown capability"):
        can(cast.alice, "register.edti")


def test_a_locked_account_loses_its_scope_and_capabilities_at_once(cast: Cast) -> None:
    from django.utils import timezone

    cast.alice.locked_at = timezone.now()
    assert not can(cast.alice, "dashboard.view")
    assert scope_unit_ids(cast.alice) == frozenset()
