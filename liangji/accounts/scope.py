"""The one scoping mechanism: which units a user may see, and what a user may do.

Every read of personal data goes through here. Deny by default: an anonymous or inactive user,
a user without a role, a user whose unit does not fit the role (a "village" account attached to
a town, say) and the administrator all get an empty scope and see no person at all.

- `scope_for(user)` → `UnitScope` (the unit ids the user may see, split by kind).
- `scope_filter(qs, user, field=...)` filters any queryset by a unit foreign key.
- `person_scope_q(user)` is the condition a `Person` must meet (a record in a visible village,
  or a roll at a visible school).
- `access_<thing>(user, pk)` fetches and authorises in one call and raises `Http404` both for
  "does not exist" and "not yours", so that ids cannot be probed.
- `can(user, capability)` answers "may this role do that"; `CAPABILITIES` is the one table of it.
- `capability_required(capability)` / `CapabilityRequiredMixin` guard views (login + capability).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase

from liangji.accounts.models import Actor, Role, User
from liangji.registers.choices import SCHOOL_KINDS, TOWN_KINDS, VILLAGE_KINDS, UnitKind
from liangji.registers.models import Enrollment, Household, Person, PersonRecord, Unit

if TYPE_CHECKING:
    from typing import TypeGuard

# The kind of unit each role must be attached to; any other combination sees nothing.
ROLE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Role.TOWN_OFFICE: frozenset(TOWN_KINDS),
    Role.LEADER: frozenset(TOWN_KINDS),
    Role.VILLAGE: frozenset(VILLAGE_KINDS),
    Role.SCHOOL: frozenset(SCHOOL_KINDS),
    Role.INSPECTOR: frozenset({UnitKind.COUNTY}),
}

_EVERY_UNIT_ROLE = frozenset({Role.TOWN_OFFICE, Role.LEADER, Role.VILLAGE, Role.SCHOOL})
_READERS = frozenset({*_EVERY_UNIT_ROLE, Role.INSPECTOR})
_KEEPERS = frozenset({Role.TOWN_OFFICE, Role.VILLAGE, Role.SCHOOL})
_OFFICE = frozenset({Role.TOWN_OFFICE})
_ADMIN = frozenset({Role.ADMIN})

# Who may do what. Writes are further limited to the writer's scope by the access_ functions.
CAPABILITIES: dict[str, frozenset[str]] = {
    "dashboard.view": _READERS,
    "register.view": _READERS,
    # Lists by kind of register: a school keeps no households, a village no roll.
    "population.view": frozenset({Role.TOWN_OFFICE, Role.LEADER, Role.VILLAGE, Role.INSPECTOR}),
    "rolls.view": frozenset({Role.TOWN_OFFICE, Role.LEADER, Role.SCHOOL, Role.INSPECTOR}),
    "register.edit": _KEEPERS,
    "register.export": _READERS,
    "id.reveal": _KEEPERS,
    "import.run": _OFFICE,
    "worklist.view": _READERS,
    "worklist.assign": _OFFICE,
    "worklist.resolve": _KEEPERS,
    "year.submit": frozenset({Role.VILLAGE, Role.SCHOOL}),
    "year.approve": _OFFICE,
    "settings.edit": _OFFICE,
    "dropout.view": _READERS,
    "dropout.edit": _KEEPERS,
    # 扫盲 is the work of the villages and the town office on the population register; the
    # certificate is issued in the name of the town government, so by its office only.
    "literacy.view": frozenset({Role.TOWN_OFFICE, Role.LEADER, Role.VILLAGE, Role.INSPECTOR}),
    "literacy.edit": frozenset({Role.TOWN_OFFICE, Role.VILLAGE}),
    "literacy.certify": _OFFICE,
    "inspection.view": _READERS,
    "inspection.edit": _KEEPERS,
    "inspection.review": frozenset({Role.TOWN_OFFICE, Role.INSPECTOR}),
    # Reports read what the user may see; the town's documents and their narratives are the
    # office's to write.
    "reports.view": _READERS,
    "reports.write": _OFFICE,
    "archive.view": _READERS,
    "archive.edit": _KEEPERS,
    "archive.catalogue": _OFFICE,
    "archive.spotcheck": frozenset({Role.TOWN_OFFICE, Role.INSPECTOR}),
    "archive.export": frozenset({Role.TOWN_OFFICE, Role.INSPECTOR}),
    "audit.view": _ADMIN,
    "users.manage": _ADMIN,
}


def can(user: Actor | None, capability: str) -> bool:
    """May this user's role do `capability`? Unknown capability names are a programming error."""
    try:
        roles = CAPABILITIES[capability]
    except KeyError:
        raise ValueError(f"unknown capability {capability!r}; declare it in CAPABILITIES") from None
    return _usable(user) and user.role in roles


@dataclass(frozen=True)
class UnitScope:
    """The units a user may see: their own unit and everything below it."""

    root_id: int | None
    town_ids: frozenset[int]
    village_ids: frozenset[int]
    school_ids: frozenset[int]

    @property
    def unit_ids(self) -> frozenset[int]:
        ids = self.town_ids | self.village_ids | self.school_ids
        return ids | {self.root_id} if self.root_id is not None else ids

    @property
    def is_empty(self) -> bool:
        return self.root_id is None

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.unit_ids


EMPTY_SCOPE = UnitScope(
    root_id=None, town_ids=frozenset(), village_ids=frozenset(), school_ids=frozenset()
)


def _usable(user: Actor | None) -> TypeGuard[User]:
    """Logged in, active and not locked (a lock also ends the sessions already open)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "locked_at", None) is None
    )


def _scope_compute(user: Actor | None) -> UnitScope:
    return _scope_of(user) if _usable(user) else EMPTY_SCOPE


def _scope_of(user: User) -> UnitScope:
    allowed_kinds = ROLE_UNIT_KINDS.get(user.role)
    unit = user.unit if allowed_kinds and user.unit_id else None
    if unit is None or allowed_kinds is None or unit.kind not in allowed_kinds:
        return EMPTY_SCOPE
    by_kind: dict[str, set[int]] = {"town": set(), "village": set(), "school": set()}
    _scope_add(by_kind, unit.pk, unit.kind)
    frontier = [unit.pk]
    # Level by level (a county has towns, a town villages and schools): a fixed, small number
    # of queries per request instead of loading the whole unit table.
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier).values_list("id", "kind"))
        for child_id, kind in children:
            _scope_add(by_kind, child_id, kind)
        frontier = [child_id for child_id, _ in children]
    return UnitScope(
        root_id=unit.pk,
        town_ids=frozenset(by_kind["town"]),
        village_ids=frozenset(by_kind["village"]),
        school_ids=frozenset(by_kind["school"]),
    )


def _scope_add(by_kind: dict[str, set[int]], unit_id: int, kind: str) -> None:
    if kind in TOWN_KINDS:
        by_kind["town"].add(unit_id)
    elif kind in VILLAGE_KINDS:
        by_kind["village"].add(unit_id)
    elif kind in SCHOOL_KINDS:
        by_kind["school"].add(unit_id)


def scope_for(user: Actor | None) -> UnitScope:
    """The user's scope, computed once per request (cached on the user object)."""
    cached = getattr(user, "_liangji_scope", None)
    if cached is None:
        cached = _scope_compute(user)
        if getattr(user, "is_authenticated", False):
            setattr(user, "_liangji_scope", cached)  # noqa: B010 (not a declared field)
    return cached


def scope_unit_ids(user: Actor | None) -> frozenset[int]:
    """Every unit id the user may see (empty: nothing)."""
    return scope_for(user).unit_ids


_M = TypeVar("_M", bound=Model)


def scope_filter(qs: QuerySet[_M], user: Actor | None, field: str = "village_id") -> QuerySet[_M]:
    """Rows of `qs` whose unit (`field`, a Unit foreign key or its id) the user may see."""
    ids = scope_unit_ids(user)
    if not ids:
        return qs.none()
    return qs.filter(**{f"{field}__in": sorted(ids)})


def person_scope_q(user: Actor, school_year_id: int | None = None) -> Q:
    """The condition on `Person` rows the user may see.

    A person is visible with a register record in a visible village, or a roll at a visible
    school (a school sees its pupils, wherever they live). With `school_year_id`, only that
    year's records and rolls count.
    """
    scope = scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    year = {"school_year_id": school_year_id} if school_year_id is not None else {}
    condition = Q(pk__in=[])
    if scope.village_ids:
        records = PersonRecord.objects.filter(village_id__in=sorted(scope.village_ids), **year)
        condition |= Q(pk__in=records.values("person_id"))
    if scope.school_ids:
        rolls = Enrollment.objects.filter(
            school_id__in=sorted(scope.school_ids), person_id__isnull=False, **year
        )
        condition |= Q(pk__in=rolls.values("person_id"))
    return condition


def _not_found(what: str) -> Http404:
    # One message for "does not exist" and "not yours", so ids cannot be probed.
    return Http404(f"没有找到该{what}，或您无权查看。")


def access_in(qs: QuerySet[_M], pk: object, what: str) -> _M:
    """Row `pk` of an already scoped queryset, else the one 404 for "missing" and "not yours"."""
    try:
        return qs.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise _not_found(what) from None


def access_unit(user: Actor, pk: object) -> Unit:
    return access_in(scope_filter(Unit.objects.all(), user, field="id"), pk, "单位")


def access_household(user: Actor, pk: object) -> Household:
    qs = scope_filter(Household.objects.select_related("village"), user, field="village_id")
    return access_in(qs, pk, "户")


def access_person(user: Actor, pk: object) -> Person:
    person = access_in(Person.objects.all(), pk, "人员")
    # Asked from the person's side (indexed by person), not as "pk IN every visible person":
    # a county inspector's scope covers hundreds of thousands of people.
    scope = scope_for(user)
    visible = (
        PersonRecord.objects.filter(
            person_id=person.pk, village_id__in=sorted(scope.village_ids)
        ).exists()
        or Enrollment.objects.filter(
            person_id=person.pk, school_id__in=sorted(scope.school_ids)
        ).exists()
    )
    if not visible:
        raise _not_found("人员")
    return person


def access_person_record(user: Actor, pk: object) -> PersonRecord:
    qs = scope_filter(
        PersonRecord.objects.select_related("person", "village", "household", "school_year"),
        user,
        field="village_id",
    )
    return access_in(qs, pk, "人口记录")


def access_enrollment(user: Actor, pk: object) -> Enrollment:
    qs = scope_filter(
        Enrollment.objects.select_related("school", "school_year", "person"), user, "school_id"
    )
    return access_in(qs, pk, "学籍")


def units_visible(user: Actor | None, kinds: Iterable[str] | None = None) -> QuerySet[Unit]:
    """The units the user may see, optionally of some kinds (for filters and pickers)."""
    qs = scope_filter(Unit.objects.all(), user, field="id")
    return qs.filter(kind__in=list(kinds)) if kinds is not None else qs


_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def capability_required(capability: str) -> Callable[[_View], _View]:
    """Login, then the capability: anonymous → login page, logged in without it → 403."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability {capability!r}; declare it in CAPABILITIES")

    def decorator(view: _View) -> _View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, capability):
                raise PermissionDenied("您的角色无权进行此操作。")
            return view(request, *args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorator


class CapabilityRequiredMixin(LoginRequiredMixin):
    """For class-based views: set `capability = "register.view"` on the view."""

    capability: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can(request.user, self.capability):
            raise PermissionDenied("您的角色无权进行此操作。")
        return super().dispatch(request, *args, **kwargs)
