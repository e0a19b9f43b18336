"""Reads of the booking engine: how full holders are, the queue, who still has a place.

Each read takes a fixed number of queries however many holders or bookings
it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import ngettext

from . import pools as pools_
from .models import ACTIVE_STATUSES, HOLDING_STATUSES, Booking, BookingStatus
from .pools import OPEN, Pool, PoolPlaces

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class HolderPolicy:
    """What the engine needs to know of a holder: its places, waitlist, pools and offers.

    ``offer_hours`` is None when freed places are given at once; ``offers_end_at`` is
    the time offers are shortened towards (the start), if any. ``hold_release_at`` is
    when people held back on the waitlist start being served like anyone (None: never
    automatically).
    """

    capacity: int | None
    waitlist: bool
    pools: list[Pool] = field(default_factory=list)
    offer_hours: int | None = None
    offers_end_at: datetime | None = None
    hold_release_at: datetime | None = None

    def holds_on(self, now: datetime) -> bool:
        """Whether people held back still wait behind the others at ``now``."""
        return self.hold_release_at is None or now < self.hold_release_at

    def offer_expiry(self, now: datetime) -> datetime | None:
        """Until when a place freed ``now`` is offered, or None: it is given at once."""
        if not self.offer_hours:
            return None
        return pools_.offer_expiry(now=now, hours=self.offer_hours, ends_at=self.offers_end_at)


def holder_policy(booking_model: type[Booking], holder: Any) -> HolderPolicy:
    """The :class:`HolderPolicy` of ``holder`` as it says now."""
    capacity, waitlist = booking_model.holder_limits(holder)
    pools = holder.booking_pools() if hasattr(holder, "booking_pools") else []
    offers = bool(getattr(holder, "waitlist_offers", False))
    ends_at = holder.offers_end_at() if hasattr(holder, "offers_end_at") else None
    release = holder.hold_release_at() if hasattr(holder, "hold_release_at") else None
    return HolderPolicy(
        capacity=capacity,
        waitlist=waitlist,
        pools=pools if capacity is not None else [],
        offer_hours=int(getattr(holder, "offer_hours", 0) or 0) if offers else None,
        offers_end_at=ends_at,
        hold_release_at=release,
    )


@dataclass(frozen=True)
class Places:
    """How full a holder is. ``capacity`` None means unlimited.

    ``confirmed`` places are taken, ``offered`` ones kept for someone from the waitlist
    until they claim them; both count as held. ``pools`` is how full each pool is when
    the holder reserves places (the open places first).
    """

    capacity: int | None
    confirmed: int = 0
    waitlisted: int = 0
    version: datetime | None = None
    offered: int = 0
    pools: tuple[PoolPlaces, ...] = ()

    @property
    def held(self) -> int:
        return self.confirmed + self.offered

    @property
    def free(self) -> int | None:
        """Free places, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.held, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.held >= self.capacity

    def pool(self, key: str) -> PoolPlaces | None:
        return next((pool for pool in self.pools if pool.key == key), None)

    def free_for(self, key: str) -> int | None:
        """The places free now for a person in pool ``key``: in their pool, the open places
        and released pools (None: no limit)."""
        if not self.pools:
            return self.free
        return sum(
            pool.free
            for pool in self.pools
            if pool.key in (key, OPEN) or (pool.released and not pool.is_open)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "capacity": self.capacity,
            "confirmed": self.confirmed,
            "offered": self.offered,
            "waitlisted": self.waitlisted,
            "free": self.free,
            "version": self.version_number,
            "pools": [pool.as_dict() for pool in self.pools],
        }

    @property
    def version_number(self) -> int | None:
        """The version as whole microseconds since 1970 (exact in JavaScript), or None."""
        if self.version is None:
            return None
        return (self.version - EPOCH) // timedelta(microseconds=1)


def places_text(places: Places, *, unlimited: Callable[[int], str]) -> str:
    """The sentence a page shows about ``places``.

    ``unlimited(count)`` words the case without a limit, where each holder
    speaks of its own kind of booking ("signed up", "have a place").
    """
    if places.capacity is None:
        return unlimited(places.confirmed)
    if places.free:
        return ngettext(
            "%(free)s of %(capacity)s places free.",
            "%(free)s of %(capacity)s places free.",
            places.free,
        ) % {"free": places.free, "capacity": places.capacity}
    return ngettext(
        "Full: the only place is taken.",
        "Full: all %(capacity)s places are taken.",
        places.capacity,
    ) % {"capacity": places.capacity}


def waitlist_text(places: Places) -> str:
    """The sentence about the waitlist's length, or "" when nobody is on it."""
    if not places.waitlisted:
        return ""
    return ngettext(
        "%(count)s person on the waitlist.",
        "%(count)s people on the waitlist.",
        places.waitlisted,
    ) % {"count": places.waitlisted}


def _counts(booking_model: type[Booking], holder_ids: list[int]) -> dict[int, dict[str, Any]]:
    rows = (
        booking_model._default_manager.filter(
            **{f"{booking_model.holder_field}_id__in": holder_ids}
        )
        .order_by()
        .values(f"{booking_model.holder_field}_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
            offered=Count("pk", filter=Q(status=BookingStatus.OFFERED)),
            waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
            version=Max("updated_at"),
        )
    )
    key = f"{booking_model.holder_field}_id"
    return {row[key]: row for row in rows}


def _pool_counts(
    booking_model: type[Booking], holder_ids: list[int]
) -> dict[int, dict[str, dict[str, int]]]:
    """``{holder id: {pool key: {"held": n, "waitlisted": n}}}`` for holders with pools."""
    holder = f"{booking_model.holder_field}_id"
    rows = (
        booking_model._default_manager.filter(
            **{f"{holder}__in": holder_ids}, status__in=ACTIVE_STATUSES
        )
        .order_by()
        .values(holder, "pool")
        .annotate(
            held=Count("pk", filter=Q(status__in=HOLDING_STATUSES)),
            waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
        )
    )
    result: dict[int, dict[str, dict[str, int]]] = {}
    for row in rows:
        result.setdefault(row[holder], {})[row["pool"]] = {
            "held": row["held"],
            "waitlisted": row["waitlisted"],
        }
    return result


def pool_places(
    policy: HolderPolicy, counts: dict[str, dict[str, int]], now: datetime | None = None
) -> tuple[PoolPlaces, ...]:
    """How full each pool of a holder is (the open places first), from per-pool counts."""
    if not policy.pools:
        return ()
    now = now or timezone.now()
    held = pools_.held_by_pool({k: v["held"] for k, v in counts.items()}, policy.pools)
    waiting = pools_.held_by_pool({k: v["waitlisted"] for k, v in counts.items()}, policy.pools)
    result = [
        PoolPlaces(
            key=OPEN,
            label="",
            places=pools_.open_places(policy.capacity, policy.pools) or 0,
            held=held[OPEN],
            waitlisted=waiting[OPEN],
        )
    ]
    result += [
        PoolPlaces(
            key=pool.key,
            label=pool.label,
            places=pool.places,
            held=held[pool.key],
            waitlisted=waiting[pool.key],
            released=pool.released(now),
            release_at=pool.release_at,
        )
        for pool in policy.pools
    ]
    return tuple(result)


def pool_standing(
    *, places: Places, holder: Any, booking: Booking | None, profile: Callable[[], Any]
) -> PoolPlaces | None:
    """The pool a person holds a place in or waits for at ``holder`` (their booking's), or,
    without a booking, the one they would book in (``profile()`` read only then); None when
    the holder reserves no places."""
    if not places.pools:
        return None
    if booking is not None:
        key = booking.pool
    else:
        key = pools_.pool_of(holder.booking_pools(), pools_.person_facts(profile()))
    return places.pool(key) or places.pool(OPEN)


def places_get(*, booking_model: type[Booking], holder: models.Model) -> Places:
    """The :class:`Places` of one holder, in one query (capacity from ``holder`` as given)."""
    return places_for(booking_model=booking_model, holders=[holder])[holder.pk]


def places_for(
    *, booking_model: type[Booking], holders: Iterable[models.Model]
) -> dict[int, Places]:
    """``{holder.pk: Places}`` for many holders in one query, however many there are."""
    holders = list(holders)
    counts = _counts(booking_model, [holder.pk for holder in holders]) if holders else {}
    policies = {holder.pk: holder_policy(booking_model, holder) for holder in holders}
    pooled = [pk for pk, policy in policies.items() if policy.pools]
    per_pool = _pool_counts(booking_model, pooled) if pooled else {}
    result = {}
    for holder in holders:
        policy = policies[holder.pk]
        row = counts.get(holder.pk, {})
        result[holder.pk] = Places(
            capacity=policy.capacity,
            confirmed=row.get("confirmed", 0),
            offered=row.get("offered", 0),
            waitlisted=row.get("waitlisted", 0),
            version=row.get("version"),
            pools=pool_places(policy, per_pool.get(holder.pk, {})),
        )
    return result


@dataclass(frozen=True)
class HolderPeople:
    """A holder that people hold a place or a waitlist place at, and how many they are."""

    holder: Any
    people: int

    @property
    def pk(self) -> int:
        return int(self.holder.pk)

    @property
    def title(self) -> str:
        return str(self.holder.title)


def holders_with_people(
    *,
    booking_model: type[Booking],
    holders: models.QuerySet[Any],
    page: Any,
    include_descendants: bool = True,
    live_only: bool = False,
) -> list[HolderPeople]:
    """The holder pages among ``holders`` at (or under) ``page`` that people hold a place or a
    waitlist place at, with how many, in one query, in ``holders``' order.

    ``holders`` is the domain's queryset of holders still going ahead (not over, not
    cancelled); ``live_only`` keeps the published ones.
    """
    if include_descendants:
        holders = holders.filter(path__startswith=page.path)
    else:
        holders = holders.filter(pk=page.pk)
    if live_only:
        holders = holders.filter(live=True)
    holder_key = booking_model._meta.get_field(booking_model.holder_field)
    assert isinstance(holder_key, models.ForeignKey)
    bookings = str(holder_key.remote_field.related_name)
    active = Q(**{f"{bookings}__status__in": ACTIVE_STATUSES})
    rows = holders.annotate(people_count=Count(bookings, filter=active)).filter(people_count__gt=0)
    return [HolderPeople(holder=holder, people=holder.people_count) for holder in rows]


def _ahead(held: bool, sequence: Any) -> Q:
    """Who waits ahead of a booking: those held back (``Booking.held``) wait behind everyone
    not held, as they do until the holder's release moment (positions count the queue so)."""
    if held:
        return Q(held=False) | Q(sequence__lt=sequence)
    return Q(held=False, sequence__lt=sequence)


def waitlist_position(*, booking: Booking) -> int | None:
    """The 1-based place of a waitlisted booking in its queue, or None if it is not waitlisted.

    People held back wait behind everyone else (see :func:`_ahead`).
    """
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = (
        type(booking)
        .for_holder(booking.holder_id)
        .filter(_ahead(booking.held, booking.sequence), status=BookingStatus.WAITLISTED)
        .count()
    )
    return ahead + 1


def waitlist_positions(
    *, booking_model: type[Booking], bookings: Iterable[Booking]
) -> dict[int, int]:
    """``{booking.pk: position}`` for many waitlisted bookings, in one query however many
    (counted as :func:`waitlist_position` does)."""
    wanted = [b.pk for b in bookings if b.status == BookingStatus.WAITLISTED]
    if not wanted:
        return {}
    holder = f"{booking_model.holder_field}_id"
    ahead = (
        booking_model._default_manager.filter(
            Q(sequence__lt=OuterRef("sequence"), held=OuterRef("held"))
            | Q(held__lt=OuterRef("held")),
            **{holder: OuterRef(holder)},
            status=BookingStatus.WAITLISTED,
        )
        .order_by()
        .values(holder)
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        booking_model._default_manager.filter(pk__in=wanted)
        .annotate(ahead=Coalesce(Subquery(ahead, output_field=models.IntegerField()), 0))
        .values_list("pk", "ahead")
    )
    return {pk: count + 1 for pk, count in rows}
