"""Reads of the booking engine: how full holders are, the queue, who still has a place.

Each read takes a fixed number of queries however many holders or bookings
it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from .models import ACTIVE_STATUSES, Booking, BookingStatus

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Places:
    """How full a holder is. ``capacity`` None means unlimited."""

    capacity: int | None
    confirmed: int = 0
    waitlisted: int = 0
    version: datetime | None = None

    @property
    def free(self) -> int | None:
        """Free places, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.confirmed >= self.capacity

    def as_dict(self) -> dict[str, int | None]:
        return {
            "capacity": self.capacity,
            "confirmed": self.confirmed,
            "waitlisted": self.waitlisted,
            "free": self.free,
            "version": self.version_number,
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
            waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
            version=Max("updated_at"),
        )
    )
    key = f"{booking_model.holder_field}_id"
    return {row[key]: row for row in rows}


def places_get(*, booking_model: type[Booking], holder: models.Model) -> Places:
    """The :class:`Places` of one holder, in one query (capacity from ``holder`` as given)."""
    return places_for(booking_model=booking_model, holders=[holder])[holder.pk]


def places_for(
    *, booking_model: type[Booking], holders: Iterable[models.Model]
) -> dict[int, Places]:
    """``{holder.pk: Places}`` for many holders in one query, however many there are."""
    holders = list(holders)
    counts = _counts(booking_model, [holder.pk for holder in holders]) if holders else {}
    result = {}
    for holder in holders:
        capacity, _waitlist = booking_model.holder_limits(holder)
        row = counts.get(holder.pk, {})
        result[holder.pk] = Places(
            capacity=capacity,
            confirmed=row.get("confirmed", 0),
            waitlisted=row.get("waitlisted", 0),
            version=row.get("version"),
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


def waitlist_position(*, booking: Booking) -> int | None:
    """The 1-based place of a waitlisted booking in its queue, or None if it is not waitlisted."""
    if booking.status != BookingStatus.WAITLISTED:
        return None
    ahead = (
        type(booking)
        .for_holder(booking.holder_id)
        .filter(status=BookingStatus.WAITLISTED, sequence__lt=booking.sequence)
        .count()
    )
    return ahead + 1


def waitlist_positions(
    *, booking_model: type[Booking], bookings: Iterable[Booking]
) -> dict[int, int]:
    """``{booking.pk: position}`` for many waitlisted bookings, in one query however many."""
    wanted = [b.pk for b in bookings if b.status == BookingStatus.WAITLISTED]
    if not wanted:
        return {}
    holder = f"{booking_model.holder_field}_id"
    ahead = (
        booking_model._default_manager.filter(
            **{holder: OuterRef(holder)},
            status=BookingStatus.WAITLISTED,
            sequence__lt=OuterRef("sequence"),
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
