"""Reserved places: a holder may split its places into *pools*, each for a group of people.

A holder (an event, a Norwegian course) with a number of places may reserve some of them:
half the places for international degree students, ten for one faculty, twenty for
first-year students. Each reserved pool has a rule and a number of places; the places
left over are the *open* places, for everyone (pool key ``""``). A pool may *release*
its unused places at a set time: from then on anyone may take them.

Who is in which pool is decided when a person books, from their profile
(:class:`PersonFacts`): the first reserved pool whose rule they meet, or the open
places. A person in a reserved pool takes a place there while one is free, then an open
place, then a place in a released pool; a person in no pool takes an open place, then a
released one. The waitlist is served in arrival order by the same rule, so each pool's
queue keeps its order (:func:`fill_plan`). These are pure functions: the engine calls
them under the holder's lock (``services``), so that no pool is ever overbooked.

Pools are edited on the holder page as a StreamField of :class:`PoolBlock`; a block's id
is the pool's key, kept by every revision, so bookings stay in their pool when the page
is edited.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.fields import StreamField

from .models import audience_status_choices, status_labels

OPEN = ""


class PoolRule:
    STATUS = "status"
    FACULTY = "faculty"
    FIRST_YEAR = "first_year"

    CHOICES = [
        (STATUS, _("Students who are …")),
        (FACULTY, _("Students at the faculties …")),
        (FIRST_YEAR, _("First-year students (arriving this academic year)")),
    ]


# --- Who a person is, as the rules need it ------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    """What the pool rules look at: the person's status, faculty and whether they are new."""

    status: str = ""
    faculty_id: int | None = None
    first_year: bool = False


def academic_year_start(today: date) -> date:
    """The 1 August that began the academic year ``today`` is in."""
    year = today.year if today.month >= 8 else today.year - 1
    return date(year, 8, 1)


def person_facts(profile: Any, *, today: date | None = None) -> PersonFacts:
    """The facts of a student profile (``None``: a person without one, in no reserved pool).

    First-year students are those who arrive in the current academic year (from 1 August),
    or later: a student signing up before arriving counts as new.
    """
    if profile is None:
        return PersonFacts()
    today = today or timezone.localdate()
    arrival = getattr(profile, "arrival_date", None)
    return PersonFacts(
        status=getattr(profile, "status", "") or "",
        faculty_id=getattr(profile, "faculty_id", None),
        first_year=bool(arrival and academic_year_start(today) <= arrival),
    )


# --- Pools --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    """One reserved pool of places, as the holder's page defines it."""

    key: str
    places: int
    rule: str
    statuses: tuple[str, ...] = ()
    faculty_ids: tuple[int, ...] = ()
    faculty_names: tuple[str, ...] = ()
    release_at: datetime | None = None

    def matches(self, facts: PersonFacts) -> bool:
        if self.rule == PoolRule.STATUS:
            return bool(facts.status) and facts.status in self.statuses
        if self.rule == PoolRule.FACULTY:
            return facts.faculty_id is not None and facts.faculty_id in self.faculty_ids
        if self.rule == PoolRule.FIRST_YEAR:
            return facts.first_year
        return False

    def released(self, now: datetime) -> bool:
        return self.release_at is not None and now >= self.release_at

    @property
    def label(self) -> str:
        """Who the pool is for, in the active language."""
        if self.rule == PoolRule.STATUS:
            names = ", ".join(str(label) for label in status_labels(list(self.statuses)))
            return str(_("Reserved for: %(who)s")) % {"who": names}
        if self.rule == PoolRule.FACULTY:
            return str(_("Reserved for students at %(faculties)s")) % {
                "faculties": ", ".join(self.faculty_names)
            }
        return str(_("Reserved for first-year students"))


@dataclass(frozen=True)
class PoolPlaces:
    """How full one pool is: ``key`` ``""`` is the open places."""

    key: str
    label: str
    places: int
    held: int
    waitlisted: int = 0
    released: bool = False
    release_at: datetime | None = None

    @property
    def free(self) -> int:
        return max(self.places - self.held, 0)

    @property
    def is_open(self) -> bool:
        return self.key == OPEN

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "places": self.places,
            "held": self.held,
            "free": self.free,
            "waitlisted": self.waitlisted,
            "released": self.released,
        }


def open_places(capacity: int | None, pools: Iterable[Pool]) -> int | None:
    """The open places: the capacity less the reserved ones (None: no limit)."""
    if capacity is None:
        return None
    return max(capacity - sum(pool.places for pool in pools), 0)


def pool_of(pools: Iterable[Pool], facts: PersonFacts) -> str:
    """The key of the first reserved pool whose rule ``facts`` meets, or ``""`` (open)."""
    for pool in pools:
        if pool.matches(facts):
            return pool.key
    return OPEN


def _limits(capacity: int | None, pools: list[Pool]) -> dict[str, int | None]:
    limits: dict[str, int | None] = {pool.key: pool.places for pool in pools}
    limits[OPEN] = open_places(capacity, pools)
    return limits


def held_by_pool(held: Mapping[str, int], pools: Iterable[Pool]) -> dict[str, int]:
    """Places held per pool, counting places in a pool that no longer exists as open ones."""
    keys = {pool.key for pool in pools}
    counted: dict[str, int] = dict.fromkeys(keys, 0)
    counted[OPEN] = 0
    for key, count in held.items():
        counted[key if key in keys else OPEN] += count
    return counted


def _order(pools: list[Pool], own: str, now: datetime) -> list[str]:
    """Where a person in pool ``own`` may take a place, in the order they take it."""
    order = [own] if own != OPEN and any(pool.key == own for pool in pools) else []
    order.append(OPEN)
    order += [pool.key for pool in pools if pool.released(now) and pool.key != own]
    return order


def place_for(
    *,
    capacity: int | None,
    pools: list[Pool],
    held: Mapping[str, int],
    own: str,
    now: datetime,
) -> str | None:
    """The pool a person in pool ``own`` gets a place in now, or None when none is free.

    ``held`` counts places held per pool (as :func:`held_by_pool` gives them).
    """
    limits = _limits(capacity, pools)
    for key in _order(pools, own, now):
        limit = limits[key]
        if limit is None or held.get(key, 0) < limit:
            return key
    return None


@dataclass
class FillPlan:
    """Which waitlisted bookings get a place, and in which pool: ``[(booking id, pool key)]``."""

    given: list[tuple[int, str]] = field(default_factory=list)


def fill_plan(
    *,
    capacity: int | None,
    pools: list[Pool],
    held: Mapping[str, int],
    waitlist: Iterable[tuple[int, str]],
    now: datetime,
) -> FillPlan:
    """Serve the waitlist (``(booking id, own pool)`` in arrival order) from the free places.

    Each person is given a place as if they booked now, in arrival order: the first
    in a pool's queue is served first, and nobody takes a place a person before them
    could have taken.
    """
    counted = dict(held_by_pool(held, pools))
    plan = FillPlan()
    for booking_id, own in waitlist:
        if not any(_has_room(capacity, pools, counted, key) for key in _keys(pools)):
            break
        key = place_for(capacity=capacity, pools=pools, held=counted, own=own, now=now)
        if key is None:
            continue
        counted[key] = counted.get(key, 0) + 1
        plan.given.append((booking_id, key))
    return plan


def _keys(pools: list[Pool]) -> list[str]:
    return [OPEN, *(pool.key for pool in pools)]


def _has_room(capacity: int | None, pools: list[Pool], held: Mapping[str, int], key: str) -> bool:
    limit = _limits(capacity, pools)[key]
    return limit is None or held.get(key, 0) < limit


def overfull(
    *, capacity: int | None, pools: list[Pool], held: Mapping[str, int]
) -> list[tuple[str, int, int]]:
    """The pools that hold more places than they have: ``[(key, places, held)]``."""
    limits = _limits(capacity, pools)
    counted = held_by_pool(held, pools)
    return [
        (key, limit, counted.get(key, 0))
        for key, limit in limits.items()
        if limit is not None and counted.get(key, 0) > limit
    ]


# --- On the holder page -------------------------------------------------------------------


class PoolBlock(blocks.StructBlock):
    """One reserved pool, as an editor sets it up on the holder page."""

    rule = blocks.ChoiceBlock(choices=PoolRule.CHOICES, label=_("Reserved for"))
    statuses = blocks.MultipleChoiceBlock(
        choices=audience_status_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Statuses"),
        help_text=_("For “Students who are …”."),
    )
    faculties = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="units.UnitPage", required=False),
        default=[],
        required=False,
        label=_("Faculties"),
        help_text=_("For “Students at the faculties …”."),
    )
    places = blocks.IntegerBlock(min_value=1, label=_("Places"))
    release_at = blocks.DateTimeBlock(
        required=False,
        label=_("Release unused places"),
        help_text=_(
            "From this time, places still free in this pool are open to everyone. "
            "Leave blank to keep them reserved."
        ),
    )

    class Meta:
        icon = "group"
        label = _("Reserved places")

    def clean(self, value: Any) -> Any:
        # A new pool's list of faculties starts with one empty chooser: left empty (a pool
        # by status or year), it is no faculty, not a missing one.
        value["faculties"] = [page for page in value.get("faculties") or [] if page is not None]
        value = super().clean(value)
        errors = {}
        if value.get("rule") == PoolRule.STATUS and not value.get("statuses"):
            errors["statuses"] = ValidationError(_("Tick at least one status."))
        if value.get("rule") == PoolRule.FACULTY:
            faculties = [page for page in value.get("faculties") or [] if page is not None]
            if not faculties:
                errors["faculties"] = ValidationError(_("Choose at least one faculty."))
            elif any(getattr(page.specific, "kind", None) != "faculty" for page in faculties):
                errors["faculties"] = ValidationError(_("Choose faculties only."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class _Unreadable(list[Any]):
    """A pools value a form post garbled (a count or a type missing): refused by ``clean``."""


class PoolsBlock(blocks.StreamBlock):
    """The holder's pools. A forged or truncated form post is a form error, not a crash, and
    never empties the pools already saved."""

    pool = PoolBlock()

    def value_from_datadict(self, data: Any, files: Any, prefix: str) -> Any:
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError, TypeError):
            return _Unreadable()

    def clean(self, value: Any) -> Any:
        if isinstance(value, _Unreadable):
            raise StreamBlockValidationError(
                non_block_errors=ValidationError(
                    _("The reserved places could not be read. Reload the page and try again.")
                )
            )
        return super().clean(value)


def pools_field() -> StreamField:
    return StreamField(
        PoolsBlock(),
        blank=True,
        verbose_name=_("reserved places"),
        help_text=_(
            "Reserve some of the places for a group. The places not reserved are open to "
            "everyone. Needs a number of places."
        ),
    )


def _faculty_ids(value: Any) -> tuple[tuple[int, ...], tuple[str, ...]]:
    pages = [page for page in value.get("faculties") or [] if page is not None]
    return tuple(page.pk for page in pages), tuple(str(page.title) for page in pages)


def pools_from_stream(stream: Any) -> list[Pool]:
    """The pools of a holder's ``pools`` StreamField value, in their order."""
    result = []
    for child in stream or []:
        if child.block_type != "pool":
            continue
        value = child.value
        faculty_ids, faculty_names = _faculty_ids(value)
        result.append(
            Pool(
                key=str(child.id),
                places=int(value.get("places") or 0),
                rule=str(value.get("rule") or ""),
                statuses=tuple(value.get("statuses") or ()),
                faculty_ids=faculty_ids,
                faculty_names=faculty_names,
                release_at=value.get("release_at"),
            )
        )
    return result


def pools_errors(*, capacity: int | None, pools: list[Pool]) -> list[str]:
    """What is wrong with a holder's pools as a whole (each pool checks itself)."""
    if not pools:
        return []
    for pool in pools:
        # The admin's form checks each pool as it is edited; pools set from code too.
        if pool.rule == PoolRule.STATUS and not pool.statuses:
            return [str(_("Tick at least one status."))]
        if pool.rule == PoolRule.FACULTY and not pool.faculty_ids:
            return [str(_("Choose at least one faculty."))]
        if pool.places < 1:
            return [str(_("A pool needs at least one place."))]
    if capacity is None:
        return [str(_("Reserved places need a number of places for the event as a whole."))]
    reserved = sum(pool.places for pool in pools)
    if reserved > capacity:
        return [
            ngettext(
                "The pools reserve %(reserved)s places, more than the %(capacity)s place there is.",
                "The pools reserve %(reserved)s places, more than the %(capacity)s places "
                "there are.",
                capacity,
            )
            % {"reserved": reserved, "capacity": capacity}
        ]
    return []


# --- Offers -------------------------------------------------------------------------------

# Closer to the start than this, a freed place is given at once: there is no time to claim it.
OFFER_MINIMUM = timedelta(hours=1)


def offer_expiry(*, now: datetime, hours: int, ends_at: datetime | None) -> datetime | None:
    """Until when a place offered ``now`` can be claimed, or None: give the place at once.

    The organiser's window (``hours``), shortened close to ``ends_at`` (the start) to half
    the time left; when less than an hour is left, there is no offer.
    """
    expiry = now + timedelta(hours=hours)
    if ends_at is None:
        return expiry
    left = ends_at - now
    if left < OFFER_MINIMUM:
        return None
    return min(expiry, now + left / 2)
