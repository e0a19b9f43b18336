"""Writes of the booking engine: places and waitlists, shared by event signups and course
enrolments.

Why it stays right when hundreds of people click at once: every change to a
holder's bookings happens in one transaction that first locks the holder's
row (``SELECT ... FOR UPDATE OF <holder table>`` on PostgreSQL; on SQLite the
write transaction itself is the lock, as ``transaction_mode`` is
``IMMEDIATE``). Under that lock the engine re-reads the capacity, counts, and
gives the next *arrival number* (``sequence``): the waitlist is served in the
order in which people obtained the lock. Unique constraints on
(holder, person) and (holder, sequence) back this up in the database. Nobody
waits on the lock for longer than ``BOOKING_LOCK_TIMEOUT_MS``: past that the
engine refuses with ``busy`` ("try again"), rather than keep a request hanging.

Domain apps wrap these functions: they check their own rules (signup windows,
audiences) in the ``check`` callback, which runs under the lock with the
freshly read holder, turn :class:`~onboarding.bookings.errors.BookingError`
codes into their own errors, and publish live hints after commit (the shared
part of that is in :mod:`onboarding.bookings.holders`). A course enrolment
service, for example::

    def enrolment_create(*, course, user):
        def check(locked_course):
            if not locked_course.enrolment_open():
                raise EnrolmentError(code="closed", message=...)

        try:
            result = services.booking_create(
                booking_model=Enrolment, holder_id=course.pk, person=user, check=check
            )
        except BookingError as error:
            raise EnrolmentError(code=..., message=...) from error
        return result.booking  # result.places: the course's places after it

The services: :func:`booking_create`, :func:`booking_cancel`,
:func:`waitlist_fill` (after more places), :func:`bookings_cancel_all` (the
holder is called off), :func:`capacity_check` (before fewer places are saved),
:func:`offer_claim` and :func:`offers_lapse` (a holder that offers freed places
for a while rather than giving them), :func:`held_place_give` (an organiser gives a
person held back on the waitlist a place); and :func:`holder_lock` for a domain
change that must hold the same lock. Reserved places (pools) and offers are
part of the same decisions, under the same lock (:mod:`.pools`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Count, Max, Q
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from onboarding.errors import DomainError

from . import pools as pools_
from .errors import BookingError
from .models import ACTIVE_STATUSES, HOLDING_STATUSES, Booking, BookingStatus
from .pools import OPEN, PersonFacts
from .selectors import Places, holder_policy, places_get

# PostgreSQL's code for "could not obtain lock" (psycopg's LockNotAvailable).
LOCK_NOT_AVAILABLE = "55P03"
DEFAULT_LOCK_TIMEOUT_MS = 5000
MESSAGE_MAX_LENGTH = 2000


# --- Locking ------------------------------------------------------------------------------


def lock_timeout_ms() -> int:
    """How long a booking waits for its holder's lock: ``BOOKING_LOCK_TIMEOUT_MS``."""
    return int(getattr(settings, "BOOKING_LOCK_TIMEOUT_MS", DEFAULT_LOCK_TIMEOUT_MS))


def _busy(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE


def holder_lock(*, booking_model: type[Booking], holder_id: int) -> Any:
    """Lock the holder's row for the rest of the transaction and return it freshly read.

    Must run inside ``transaction.atomic``. On PostgreSQL this is ``SELECT ...
    FOR UPDATE OF`` the holder's own table only (for a Wagtail page: not the
    shared page table), waiting at most ``BOOKING_LOCK_TIMEOUT_MS`` (``SET
    LOCAL lock_timeout``, for the rest of the transaction). On SQLite the
    ``IMMEDIATE`` transaction already holds the database's write lock.

    Raises :class:`BookingError` ``busy`` when the lock was not given in time
    (the transaction can then only be rolled back), and the holder model's
    ``DoesNotExist``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("holder_lock() must run inside transaction.atomic.")
    holder_model = booking_model.holder_model()
    queryset = holder_model._default_manager.filter(pk=holder_id)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true)", [f"{lock_timeout_ms()}ms"]
            )
    if connection.features.has_select_for_update_of:
        queryset = queryset.select_for_update(of=("self",))
    elif connection.features.has_select_for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get()
    except OperationalError as error:
        if not _busy(error):
            raise
        raise BookingError(
            code="busy",
            message=_("Many people are signing up right now. Please try again."),
        ) from error


# --- Writing ------------------------------------------------------------------------------


@dataclass
class BookingResult:
    """What a change did: the booking, the holder as locked, its places after, who moved up
    (``promoted``) and whose booking was called off with the holder (``cancelled``)."""

    booking: Any
    holder: Any
    places: Places
    promoted: list[Any] = field(default_factory=list)
    cancelled: list[Any] = field(default_factory=list)


VERSION_STEP = timedelta(microseconds=1)


def _version_next(
    booking_model: type[Booking],
    holder_id: int,
    latest: datetime | None = None,
    *,
    read: bool = True,
) -> datetime:
    """The version stamp of a change to the holder's bookings, taken under its lock.

    The clock's time, but always later than the holder's newest stamp: a
    change written with a time of its own (``now``, as the demo and the tests
    give), or on a server whose clock is behind, must still look newer to the
    pages that order live hints by it. ``latest`` is the newest stamp when the
    caller has read it already (then ``read`` is False).
    """
    if read:
        latest = booking_model.for_holder(holder_id).aggregate(latest=Max("updated_at"))["latest"]
    stamp = timezone.now()
    return stamp if latest is None or stamp > latest else latest + VERSION_STEP


def _places_now(booking_model: type[Booking], holder: Any, version: datetime | None) -> Places:
    places = places_get(booking_model=booking_model, holder=holder)
    return replace(places, version=max(filter(None, (places.version, version)), default=None))


def _held(booking_model: type[Booking], holder_id: int) -> dict[str, int]:
    """Places held per pool key at the holder (confirmed and offered)."""
    rows = (
        booking_model.for_holder(holder_id)
        .filter(status__in=HOLDING_STATUSES)
        .order_by()
        .values("pool")
        .annotate(n=Count("pk"))
    )
    return {row["pool"]: row["n"] for row in rows}


def _fill(
    booking_model: type[Booking], holder: Any, now: datetime, stamp: datetime | None = None
) -> list[Any]:
    """Give free places to the waitlist, first come first served in each pool; returns the
    bookings moved up.

    People held back (``Booking.held``) are left waiting until the holder's release moment
    (``HolderPolicy.hold_release_at``); from then on they are served in arrival order with
    everyone else. Each is confirmed, or, when the holder offers places, offered until the offer's
    expiry (``offer_expires_at``). ``now`` is the time of the change, ``stamp`` its
    version (``updated_at``; a new one when not given).
    """
    policy = holder_policy(booking_model, holder)
    queue = booking_model.for_holder(holder.pk).filter(status=BookingStatus.WAITLISTED)
    if policy.holds_on(now):
        # People held back wait until the release moment, even for a place nobody else wants.
        queue = queue.filter(held=False)
    if policy.capacity is None:
        plan = [(pk, OPEN) for pk in queue.order_by("sequence").values_list("pk", flat=True)]
    else:
        held = _held(booking_model, holder.pk)
        free = policy.capacity - sum(held.values())
        if free <= 0:
            return []
        waiting = list(queue.order_by("sequence").values_list("pk", "pool"))
        plan = pools_.fill_plan(
            capacity=policy.capacity, pools=policy.pools, held=held, waitlist=waiting, now=now
        ).given
    if not plan:
        return []
    stamp = stamp or _version_next(booking_model, holder.pk)
    expires = policy.offer_expiry(now)
    status = BookingStatus.OFFERED if expires else BookingStatus.CONFIRMED
    by_pool: dict[str, list[int]] = {}
    for pk, key in plan:
        by_pool.setdefault(key, []).append(pk)
    for key, pks in by_pool.items():
        booking_model._default_manager.filter(pk__in=pks).update(
            status=status,
            pool=key,
            confirmed_at=None if expires else now,
            offer_expires_at=expires,
            updated_at=stamp,
        )
    given = dict(plan)
    promoted = list(booking_model._default_manager.filter(pk__in=given).select_related("person"))
    promoted.sort(key=lambda booking: booking.sequence)
    return promoted


@transaction.atomic
def booking_create(
    *,
    booking_model: type[Booking],
    holder_id: int,
    person: Any,
    check: Callable[[Any], None] | None = None,
    now: datetime | None = None,
    defaults: Mapping[str, Any] | None = None,
    facts: PersonFacts | None = None,
    hold: bool = False,
) -> BookingResult:
    """Book a place for ``person`` at the holder; returns a :class:`BookingResult`.

    Locks the holder, runs ``check(holder)`` (the domain's own rules; raise to
    refuse), then confirms the booking if a place is free for the person (or there
    is no limit), puts it on the waitlist if the holder has one, and otherwise
    refuses. When the holder reserves places in pools, ``facts`` (the person's
    status, faculty, first year) decide the person's pool (:mod:`.pools`): the
    place is taken in their pool, then among the open places, then in a released
    pool; on the waitlist they wait for their pool's or an open place. Places a pool
    has released go to those already waiting before the newcomer (``promoted`` in
    the result). The arrival number is given under the lock. A cancelled booking of the same person is
    reused (with a new arrival number). ``defaults`` sets extra fields of the
    concrete model on a new or reused row.

    With ``hold`` (a domain rule, such as too many no-shows) the person is *held back*:
    put on the waitlist even when a place is free, and served after everyone else until
    the holder's release moment (``hold_release_at``), then in arrival order like anyone
    (``Booking.held``). A hold needs a waitlist; it does not apply without a limit on
    places, nor from the release moment on. Once the release moment has passed, people
    held back who are still waiting are served first (in ``promoted``), before the new
    booking is decided.

    Raises :class:`BookingError` ``busy``, ``already_booked``, ``full`` or
    ``held_no_waitlist`` (a hold at a holder without a waitlist), whatever ``check``
    raises, and the holder's ``DoesNotExist``.
    """
    holder = holder_lock(booking_model=booking_model, holder_id=holder_id)
    if check is not None:
        check(holder)
    now = now or timezone.now()

    def read() -> dict[str, Any]:
        # One query for what the decision needs, the places after it, and the
        # person's earlier booking here (read only if there is one).
        return booking_model.for_holder(holder.pk).aggregate(
            confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
            offered=Count("pk", filter=Q(status=BookingStatus.OFFERED)),
            waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
            held_waiting=Count("pk", filter=Q(status=BookingStatus.WAITLISTED, held=True)),
            highest=Max("sequence"),
            earlier=Max("pk", filter=Q(person=person)),
            latest=Max("updated_at"),
        )

    counts = read()
    booking = None
    if counts["earlier"] is not None:
        booking = booking_model._default_manager.get(pk=counts["earlier"])
        if booking.is_active:
            raise BookingError(
                code="already_booked",
                message=_("You already have a place or a place on the waitlist."),
                booking=booking,
            )
    policy = holder_policy(booking_model, holder)
    promoted: list[Any] = []
    if counts["held_waiting"] and not policy.holds_on(now):
        # Past the release moment, those held back were here first: they are served first.
        promoted = _fill(booking_model, holder, now)
        if promoted:
            counts = read()
    held_back = hold and policy.capacity is not None and policy.holds_on(now)
    if held_back and not policy.waitlist:
        raise BookingError(
            code="held_no_waitlist",
            message=_("You would wait on the waitlist, but there is none here."),
        )
    confirmed, offered, waitlisted = counts["confirmed"], counts["offered"], counts["waitlisted"]
    own = pools_.pool_of(policy.pools, facts or PersonFacts())
    stamp = _version_next(booking_model, holder.pk, counts["latest"], read=False)
    if not promoted and waitlisted and any(pool.released(now) for pool in policy.pools):
        # A pool has released its places since the waitlist last moved: the people
        # waiting get them first, in arrival order, before this newcomer.
        promoted = _fill(booking_model, holder, now, stamp)
    if held_back:
        place: str | None = None
    elif policy.capacity is None:
        place = OPEN
    elif not policy.pools:
        place = OPEN if confirmed + offered < policy.capacity else None
    else:
        held = pools_.held_by_pool(_held(booking_model, holder.pk), policy.pools)
        place = pools_.place_for(
            capacity=policy.capacity, pools=policy.pools, held=held, own=own, now=now
        )
    if place is not None:
        status = BookingStatus.CONFIRMED
        confirmed += 1
    elif policy.waitlist:
        status = BookingStatus.WAITLISTED
        waitlisted += 1
    else:
        raise BookingError(
            code="full", message=_("There are no places left."), confirmed=confirmed + offered
        )

    values = {
        "status": status,
        "sequence": (counts["highest"] or 0) + 1,
        "pool": place if place is not None else own,
        "booked_at": now,
        "confirmed_at": now if status == BookingStatus.CONFIRMED else None,
        "cancelled_at": None,
        "offer_expires_at": None,
        "updated_at": stamp,
        "held": held_back,
        **(defaults or {}),
    }
    if booking is None:
        booking = booking_model(
            **{booking_model.holder_field: holder}, person=person, created_at=now, **values
        )
    else:
        for name, value in values.items():
            setattr(booking, name, value)
    booking.save()
    if policy.pools:
        places = _places_now(booking_model, holder, stamp)
    else:
        places = Places(
            capacity=policy.capacity,
            confirmed=confirmed,
            offered=offered,
            waitlisted=waitlisted,
            version=stamp,
        )
    return BookingResult(booking=booking, holder=holder, places=places, promoted=promoted)


def _booking_locked(
    booking_model: type[Booking],
    booking_id: int,
    check: Callable[[Any, Any], None] | None,
    *,
    with_person: bool = False,
) -> tuple[Any, Any]:
    """Lock the holder of a booking, then read the booking afresh under the lock and run
    ``check(holder, booking)``; returns both. Raises what ``holder_lock`` and ``check`` raise
    and the booking model's ``DoesNotExist``."""
    holder_id = (
        booking_model._default_manager.filter(pk=booking_id)
        .values_list(f"{booking_model.holder_field}_id", flat=True)
        .get()
    )
    holder = holder_lock(booking_model=booking_model, holder_id=holder_id)
    bookings = booking_model._default_manager.all()
    if with_person:
        bookings = bookings.select_related("person")
    booking = bookings.get(pk=booking_id)
    if check is not None:
        check(holder, booking)
    return holder, booking


@transaction.atomic
def booking_cancel(
    *,
    booking_model: type[Booking],
    booking_id: int,
    check: Callable[[Any, Any], None] | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """Cancel a booking and give a freed place to the first on the waitlist.

    Locks the holder, re-reads the booking, runs ``check(holder, booking)``
    (the domain's rules, e.g. a cancellation deadline; raise to refuse), marks
    it cancelled and, if it held a place, confirms as many waitlisted bookings
    as there are free places, in arrival order: each freed place goes to
    exactly one person. Returns a :class:`BookingResult` whose ``promoted``
    lists them (with ``person`` loaded).

    Raises :class:`BookingError` ``busy`` or ``not_active``, whatever ``check``
    raises, and the booking model's ``DoesNotExist``.
    """
    holder, booking = _booking_locked(booking_model, booking_id, check)
    if not booking.is_active:
        raise BookingError(
            code="not_active", message=_("This booking is already cancelled."), booking=booking
        )
    now = now or timezone.now()
    stamp = _version_next(booking_model, holder.pk)
    held_place = booking.status in HOLDING_STATUSES
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at, booking.updated_at = now, stamp
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    promoted = _fill(booking_model, holder, now, stamp) if held_place else []
    return BookingResult(
        booking=booking,
        holder=holder,
        places=_places_now(booking_model, holder, stamp),
        promoted=promoted,
    )


@transaction.atomic
def waitlist_fill(
    *, booking_model: type[Booking], holder_id: int, now: datetime | None = None
) -> BookingResult:
    """Give every free place to the waitlist, in arrival order (after a capacity was raised).

    Returns a :class:`BookingResult` with ``booking`` None and the promoted
    bookings; promotes nobody when no place is free. Raises :class:`BookingError`
    ``busy``.
    """
    holder = holder_lock(booking_model=booking_model, holder_id=holder_id)
    now = now or timezone.now()
    promoted = _fill(booking_model, holder, now)
    return BookingResult(
        booking=None,
        holder=holder,
        places=_places_now(booking_model, holder, None),
        promoted=promoted,
    )


@transaction.atomic
def bookings_cancel_all(
    *,
    booking_model: type[Booking],
    holder_id: int,
    check: Callable[[Any], None] | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """Cancel every place and waitlist place at the holder (the holder itself is called off).

    Locks the holder, runs ``check(holder)`` (raise to refuse), and marks every
    active booking cancelled; nobody is promoted. Returns a
    :class:`BookingResult` with ``booking`` None, the places after it, and in
    ``cancelled`` the bookings that were active (with ``person`` loaded).

    Raises :class:`BookingError` ``busy``, whatever ``check`` raises and the
    holder's ``DoesNotExist``.
    """
    holder = holder_lock(booking_model=booking_model, holder_id=holder_id)
    if check is not None:
        check(holder)
    now = now or timezone.now()
    active = list(
        booking_model.for_holder(holder.pk)
        .filter(status__in=ACTIVE_STATUSES)
        .select_related("person")
        .order_by("sequence")
    )
    stamp = None
    if active:
        stamp = _version_next(booking_model, holder.pk)
        booking_model._default_manager.filter(pk__in=[b.pk for b in active]).update(
            status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=stamp
        )
    return BookingResult(
        booking=None,
        holder=holder,
        places=_places_now(booking_model, holder, stamp),
        cancelled=active,
    )


def capacity_check(
    *,
    booking_model: type[Booking],
    holder_id: int | None,
    capacity: int | None,
    lock: bool = True,
    pools: list[pools_.Pool] | None = None,
) -> None:
    """Refuse a capacity lower than the number of places held, or pools smaller than theirs.

    ``capacity`` None (unlimited) always passes. The holder is locked first
    (inside the caller's transaction), so the count stays true until the
    caller commits the new capacity; ``lock=False`` only counts (a form's
    check before the save that checks again under the lock, or a caller that
    holds the lock already). Places held are confirmed and offered ones. With
    ``pools`` (the holder's reserved places as they are to be saved), each pool
    and the open places must keep room for the places held in them. Raises
    :class:`BookingError` ``capacity_below_confirmed`` with ``confirmed`` set,
    ``pool_below_held`` or ``busy``.
    """
    if capacity is None or holder_id is None:
        return
    if lock:
        holder_lock(booking_model=booking_model, holder_id=holder_id)
    held = _held(booking_model, holder_id)
    confirmed = sum(held.values())
    if capacity < confirmed:
        raise BookingError(
            code="capacity_below_confirmed",
            message=ngettext(
                "%(count)s person already has a place; the capacity cannot be lower than that.",
                "%(count)s people already have a place; the capacity cannot be lower than that.",
                confirmed,
            )
            % {"count": confirmed},
            confirmed=confirmed,
        )
    if pools:
        for key, places, taken in pools_.overfull(capacity=capacity, pools=pools, held=held):
            label = (
                _("the open places")
                if key == OPEN
                else next(pool.label for pool in pools if pool.key == key)
            )
            raise BookingError(
                code="pool_below_held",
                message=ngettext(
                    "%(count)s person already has a place in “%(pool)s”, which would keep "
                    "only %(places)s.",
                    "%(count)s people already have a place in “%(pool)s”, which would keep "
                    "only %(places)s.",
                    taken,
                )
                % {"count": taken, "pool": label, "places": places},
                confirmed=confirmed,
            )


# --- Offers of a place from the waitlist ----------------------------------------------------


@transaction.atomic
def offer_claim(
    *,
    booking_model: type[Booking],
    booking_id: int,
    check: Callable[[Any, Any], None] | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """Claim a place offered from the waitlist: the booking is confirmed.

    Under the holder's lock: only an offer that has not lapsed can be claimed
    (so a claim and the expiry command racing each other settle it exactly
    once). ``check(holder, booking)`` runs first (raise to refuse).

    Raises :class:`BookingError` ``busy``, ``not_offered`` (no offer, or it was
    claimed or withdrawn) or ``offer_lapsed`` (its time ran out), whatever
    ``check`` raises, and the booking model's ``DoesNotExist``.
    """
    holder, booking = _booking_locked(booking_model, booking_id, check)
    now = now or timezone.now()
    lapsed = _("The time to claim this place has run out, so it goes to the next person in line.")
    if booking.status != BookingStatus.OFFERED:
        if (
            booking.status == BookingStatus.CANCELLED
            and booking.offer_expires_at is not None
            and booking.cancelled_at is not None
            and booking.cancelled_at >= booking.offer_expires_at
        ):
            raise BookingError(code="offer_lapsed", message=lapsed, booking=booking)
        raise BookingError(
            code="not_offered", message=_("There is no place offered to claim."), booking=booking
        )
    if booking.offer_expires_at is not None and now >= booking.offer_expires_at:
        raise BookingError(code="offer_lapsed", message=lapsed, booking=booking)
    stamp = _version_next(booking_model, holder.pk)
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at, booking.updated_at = now, stamp
    booking.save(update_fields=["status", "confirmed_at", "updated_at"])
    return BookingResult(
        booking=booking, holder=holder, places=_places_now(booking_model, holder, stamp)
    )


@dataclass
class OffersLapsed:
    """What the expiry of offers at one holder did: the lapsed offers and the next ones."""

    result: BookingResult
    lapsed: list[Any]


@transaction.atomic
def offers_lapse(
    *, booking_model: type[Booking], holder_id: int, now: datetime | None = None
) -> OffersLapsed:
    """Let the offers at the holder whose time ran out lapse, and pass their places on.

    Under the holder's lock, every offer whose expiry is at or before ``now`` is
    cancelled (its ``offer_expires_at`` kept, to say why), and the freed places go
    to the waitlist as usual (new offers, or places when the start is too close);
    once the holder is over, nobody is moved up. Running it again changes nothing. Returns :class:`OffersLapsed` with the lapsed
    bookings and, in ``result.promoted``, those moved up. Raises ``busy``.
    """
    holder = holder_lock(booking_model=booking_model, holder_id=holder_id)
    now = now or timezone.now()
    lapsed = list(
        booking_model.for_holder(holder.pk)
        .filter(status=BookingStatus.OFFERED, offer_expires_at__lte=now)
        .select_related("person")
        .order_by("sequence")
    )
    promoted: list[Any] = []
    stamp = None
    # Once the holder is over, nobody is given a place any more.
    over = hasattr(holder, "has_ended") and holder.has_ended(now)
    if lapsed:
        stamp = _version_next(booking_model, holder.pk)
        booking_model._default_manager.filter(pk__in=[b.pk for b in lapsed]).update(
            status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=stamp
        )
        promoted = [] if over else _fill(booking_model, holder, now, stamp)
    elif not over:
        # A pool's places released meanwhile are given here too.
        promoted = _fill(booking_model, holder, now)
    result = BookingResult(
        booking=None,
        holder=holder,
        places=_places_now(booking_model, holder, stamp),
        promoted=promoted,
    )
    return OffersLapsed(result=result, lapsed=lapsed)


# --- People held back on the waitlist -------------------------------------------------------


@transaction.atomic
def held_place_give(
    *,
    booking_model: type[Booking],
    booking_id: int,
    check: Callable[[Any, Any], None] | None = None,
    now: datetime | None = None,
) -> BookingResult:
    """Give a person held back on the waitlist (``Booking.held``) a free place now, by hand.

    Under the holder's lock: ``check(holder, booking)`` runs first (the domain's rules,
    e.g. who may; raise to refuse), then the booking is confirmed if a place is free for
    it (in its pool, the open places or a released pool, as a booking would take one).
    Returns a :class:`BookingResult` with the booking in ``promoted`` too.

    Raises :class:`BookingError` ``busy``, ``not_held`` (not waiting, or not held back)
    or ``full`` (no place free for the person), whatever ``check`` raises, and the
    booking model's ``DoesNotExist``.
    """
    holder, booking = _booking_locked(booking_model, booking_id, check, with_person=True)
    if booking.status != BookingStatus.WAITLISTED or not booking.held:
        raise BookingError(
            code="not_held",
            message=_("This person is not held back on the waitlist."),
            booking=booking,
        )
    now = now or timezone.now()
    policy = holder_policy(booking_model, holder)
    place: str | None = OPEN
    if policy.capacity is not None:
        held = pools_.held_by_pool(_held(booking_model, holder.pk), policy.pools)
        place = pools_.place_for(
            capacity=policy.capacity, pools=policy.pools, held=held, own=booking.pool, now=now
        )
    if place is None:
        raise BookingError(
            code="full",
            message=_("No place is free for this person. A place must be freed first."),
            booking=booking,
        )
    stamp = _version_next(booking_model, holder.pk)
    booking.status, booking.pool = BookingStatus.CONFIRMED, place
    booking.confirmed_at, booking.offer_expires_at, booking.updated_at = now, None, stamp
    booking.save(update_fields=["status", "pool", "confirmed_at", "offer_expires_at", "updated_at"])
    return BookingResult(
        booking=booking,
        holder=holder,
        places=_places_now(booking_model, holder, stamp),
        promoted=[booking],
    )


# --- Organisers' texts --------------------------------------------------------------------


def organiser_texts(
    text_nb: str | None, text_en: str | None, *, error_class: type[DomainError]
) -> dict[str, str]:
    """An organiser's text in each language (a message, a reason), stripped; returns them.

    Raises ``error_class`` (the calling app's domain error) with code
    ``message_too_long``.
    """
    texts = {"nb": (text_nb or "").strip(), "en": (text_en or "").strip()}
    if any(len(text) > MESSAGE_MAX_LENGTH for text in texts.values()):
        raise error_class(
            code="message_too_long",
            message=ngettext(
                "A message can be at most %(count)s character long.",
                "A message can be at most %(count)s characters long.",
                MESSAGE_MAX_LENGTH,
            )
            % {"count": MESSAGE_MAX_LENGTH},
        )
    return texts
