"""Places and waitlists: the booking engine shared by event signups and course enrolments.

A *holder* is the row that has places (an event page; later a Norwegian
course). A *booking* is one person's claim on a place in it: ``confirmed``,
``waitlisted`` or ``cancelled``. A concrete booking model inherits
:class:`Booking`, points at its holder with a foreign key and names it::

    class Signup(Booking):
        event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="signups")

        holder_field = "event"  # the foreign key to the holder
        # Inherited, to be overridden where the holder names them otherwise:
        # capacity_attr = "capacity"  (holder attribute: places, None = unlimited)
        # waitlist_attr = "waitlist_enabled"  (holder attribute: is there a waitlist?)

        class Meta:
            constraints = booking_constraints("event", prefix="activities_signup")

Why it stays right when hundreds of people click at once: every change to a
holder's bookings happens in one transaction that first locks the holder's
row (``SELECT ... FOR UPDATE OF <holder table>`` on PostgreSQL; on SQLite the
write transaction itself is the lock, as ``transaction_mode`` is
``IMMEDIATE``). Under that lock the engine re-reads the capacity, counts, and
gives the next *arrival number* (``sequence``): the waitlist is served in the
order in which people obtained the lock. Unique constraints on
(holder, person) and (holder, sequence) back this up in the database.

The functions here are the public services of the engine. Domain apps wrap
them: they check their own rules (signup windows, audiences) in the
``check`` callback, which runs under the lock with the freshly read holder,
translate :class:`BookingError` codes into their own errors, and publish
live hints after commit. A course enrolment service, for example::

    def enrolment_create(*, course, user):
        def check(locked_course):
            if not locked_course.enrolment_open():
                raise EnrolmentError(code="closed", message=...)

        try:
            result = capacity.booking_create(
                booking_model=Enrolment, holder_id=course.pk, person=user, check=check
            )
        except BookingError as error:
            raise EnrolmentError(code=..., message=...) from error
        return result.booking  # result.places: the course's places after it

The services: :func:`booking_create`, :func:`booking_cancel`,
:func:`waitlist_fill` (after more places), :func:`bookings_cancel_all` (the
holder is called off), :func:`capacity_check` (before fewer places are saved); reads: :func:`places_get`, :func:`places_for`,
:func:`waitlist_position`, :func:`waitlist_positions`; and
:func:`holder_lock` for a domain change that must hold the same lock.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Statuses that hold a place or a place in the queue.
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class BookingError(Exception):
    """The engine refused a change; ``code`` says why.

    Codes: ``already_booked`` (the person holds a place or a waitlist place;
    ``booking`` is it), ``full`` (no place and no waitlist), ``not_active``
    (cancelling a booking that is already cancelled), ``capacity_below_confirmed``
    (``confirmed`` people hold places; the capacity cannot go under that).
    Domain apps turn these into their own errors and messages.
    """

    def __init__(self, code, message, *, booking=None, confirmed=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.booking = booking
        self.confirmed = confirmed


class Booking(models.Model):
    """One person's place (or place in the queue) at a holder. Abstract: see the module docs."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    # Arrival order at this holder, given under the holder's lock; a person who
    # cancels and books again gets a new number (the back of the queue).
    sequence = models.PositiveBigIntegerField(_("arrival number"), editable=False)
    created_at = models.DateTimeField(_("first booked"), default=timezone.now, editable=False)
    booked_at = models.DateTimeField(_("booked"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    # Set under the holder's lock on every change to the clock's time, or just
    # after the holder's newest one (see _version_next): the newest one is the
    # version of the holder's places, so clients can order live hints.
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    holder_field = ""
    capacity_attr = "capacity"
    waitlist_attr = "waitlist_enabled"

    PERSONAL_FIELDS = (
        "person",
        "status",
        "sequence",
        "created_at",
        "booked_at",
        "confirmed_at",
        "cancelled_at",
        "updated_at",
    )

    class Meta:
        abstract = True

    # --- What a concrete model says about its holder --------------------------------------

    @classmethod
    def holder_model(cls):
        return cls._meta.get_field(cls.holder_field).related_model

    @classmethod
    def holder_limits(cls, holder):
        """(capacity or None for unlimited, waitlist on?) as the holder says now."""
        return getattr(holder, cls.capacity_attr), bool(getattr(holder, cls.waitlist_attr))

    @classmethod
    def for_holder(cls, holder_id):
        return cls._default_manager.filter(**{f"{cls.holder_field}_id": holder_id})

    @property
    def holder_id(self):
        return getattr(self, f"{self.holder_field}_id")

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES


def capacity_field():
    """A holder's ``capacity``: a number of places, blank for no limit."""
    return models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave blank for no limit."),
    )


def waitlist_field(help_text):
    """A holder's ``waitlist_enabled``: whether later bookings queue when all places are taken."""
    return models.BooleanField(_("waitlist"), default=True, help_text=help_text)


def recorded_by_field(verbose_name):
    """Who recorded something about a booking (a check-in, a result); kept blank if they leave."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class HolderCancellation(models.Model):
    """A holder was called off: when, by whom and why, in both languages. Abstract.

    A concrete model adds a one-to-one field to its holder (``related_name``
    ``cancellation``); :func:`bookings_cancel_all` is what cancels the bookings.
    Kept beside the page, not on it, so that publishing an older revision of
    the holder cannot bring it back; a holder has at most one.
    """

    cancelled_at = models.DateTimeField(_("cancelled"), default=timezone.now)
    cancelled_by = recorded_by_field(_("cancelled by"))
    reason_nb = models.TextField(_("reason in Norwegian"), blank=True)
    reason_en = models.TextField(_("reason in English"), blank=True)

    PERSONAL_FIELDS = ("cancelled_by",)

    class Meta:
        abstract = True

    @property
    def reason(self):
        """The reason in the active language, or in the other one when only that was written."""
        own = self.reason_nb if (get_language() or "").startswith("nb") else self.reason_en
        return own or self.reason_nb or self.reason_en


def booking_constraints(holder_field, *, prefix):
    """The constraints every concrete booking model declares in its ``Meta``.

    One booking row per person and holder (a cancelled booking is reused when
    the person books again), and one arrival number per holder.
    """
    return [
        models.UniqueConstraint(
            fields=[holder_field, "person"], name=f"{prefix}_unique_{holder_field}_person"
        ),
        models.UniqueConstraint(
            fields=[holder_field, "sequence"], name=f"{prefix}_unique_{holder_field}_sequence"
        ),
    ]


def booking_indexes(holder_field, *, prefix):
    """The index the engine's counts and queue reads use: (holder, status, sequence)."""
    return [
        models.Index(
            fields=[holder_field, "status", "sequence"], name=f"{prefix}_{holder_field}_queue"
        )
    ]


# --- Reading places -----------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """How full a holder is. ``capacity`` None means unlimited."""

    capacity: int | None
    confirmed: int = 0
    waitlisted: int = 0
    version: datetime | None = None

    @property
    def free(self):
        """Free places, or None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self):
        return self.capacity is not None and self.confirmed >= self.capacity

    def as_dict(self):
        return {
            "capacity": self.capacity,
            "confirmed": self.confirmed,
            "waitlisted": self.waitlisted,
            "free": self.free,
            "version": self.version_number,
        }

    @property
    def version_number(self):
        """The version as whole microseconds since 1970 (exact in JavaScript), or None."""
        if self.version is None:
            return None
        return (self.version - EPOCH) // timedelta(microseconds=1)


def places_text(places, *, unlimited):
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


def waitlist_text(places):
    """The sentence about the waitlist's length, or "" when nobody is on it."""
    if not places.waitlisted:
        return ""
    return ngettext(
        "%(count)s person on the waitlist.",
        "%(count)s people on the waitlist.",
        places.waitlisted,
    ) % {"count": places.waitlisted}


def _counts(booking_model, holder_ids):
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


def places_get(*, booking_model, holder):
    """The :class:`Places` of one holder, in one query (capacity from ``holder`` as given)."""
    return places_for(booking_model=booking_model, holders=[holder])[holder.pk]


def places_for(*, booking_model, holders):
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


def holders_with_people(*, booking_model, holders, page, include_descendants=True, live_only=False):
    """The holder pages among ``holders`` at (or under) ``page`` that people hold a place or a
    waitlist place at, each carrying ``people``: how many. In one query, in ``holders``' order.

    ``holders`` is the domain's queryset of holders still going ahead (not over, not
    cancelled); ``live_only`` keeps the published ones.
    """
    if include_descendants:
        holders = holders.filter(path__startswith=page.path)
    else:
        holders = holders.filter(pk=page.pk)
    if live_only:
        holders = holders.filter(live=True)
    bookings = booking_model._meta.get_field(booking_model.holder_field).remote_field.related_name
    active = Q(**{f"{bookings}__status__in": ACTIVE_STATUSES})
    return list(holders.annotate(people=Count(bookings, filter=active)).filter(people__gt=0))


def waitlist_position(*, booking):
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


def waitlist_positions(*, booking_model, bookings):
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


# --- Locking ------------------------------------------------------------------------------


def holder_lock(*, booking_model, holder_id):
    """Lock the holder's row for the rest of the transaction and return it freshly read.

    Must run inside ``transaction.atomic``. On PostgreSQL this is ``SELECT ...
    FOR UPDATE OF`` the holder's own table only (for a Wagtail page: not the
    shared page table). On SQLite the ``IMMEDIATE`` transaction already holds
    the database's write lock. Raises the holder model's ``DoesNotExist``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("holder_lock() must run inside transaction.atomic.")
    holder_model = booking_model.holder_model()
    queryset = holder_model._default_manager.filter(pk=holder_id)
    if connection.features.has_select_for_update_of:
        queryset = queryset.select_for_update(of=("self",))
    elif connection.features.has_select_for_update:
        queryset = queryset.select_for_update()
    return queryset.get()


# --- Writing ------------------------------------------------------------------------------


@dataclass
class BookingResult:
    """What a change did: the booking, the holder as locked, its places after, who moved up
    (``promoted``) and whose booking was called off with the holder (``cancelled``)."""

    booking: Booking | None
    holder: models.Model
    places: Places
    promoted: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)


VERSION_STEP = timedelta(microseconds=1)
_UNREAD = object()


def _version_next(booking_model, holder_id, latest=_UNREAD):
    """The version stamp of a change to the holder's bookings, taken under its lock.

    The clock's time, but always later than the holder's newest stamp: a
    change written with a time of its own (``now``, as the demo and the tests
    give), or on a server whose clock is behind, must still look newer to the
    pages that order live hints by it. ``latest`` is the newest stamp when the
    caller has read it already.
    """
    if latest is _UNREAD:
        latest = booking_model.for_holder(holder_id).aggregate(latest=Max("updated_at"))["latest"]
    stamp = timezone.now()
    return stamp if latest is None or stamp > latest else latest + VERSION_STEP


def _places_now(booking_model, holder, version):
    places = places_get(booking_model=booking_model, holder=holder)
    return Places(
        capacity=places.capacity,
        confirmed=places.confirmed,
        waitlisted=places.waitlisted,
        version=max(filter(None, (places.version, version)), default=None),
    )


def _fill(booking_model, holder, now, stamp=None):
    """Give free places to the waitlist, first come first served; returns the promoted bookings.

    ``now`` is the time of the change, ``stamp`` its version (``updated_at``;
    a new one when not given).
    """
    capacity, _waitlist = booking_model.holder_limits(holder)
    queue = booking_model.for_holder(holder.pk).filter(status=BookingStatus.WAITLISTED)
    if capacity is not None:
        confirmed = (
            booking_model.for_holder(holder.pk).filter(status=BookingStatus.CONFIRMED).count()
        )
        free = capacity - confirmed
        if free <= 0:
            return []
        queue = queue.order_by("sequence")[:free]
    else:
        queue = queue.order_by("sequence")
    promoted = list(queue.select_related("person"))
    if promoted:
        stamp = stamp or _version_next(booking_model, holder.pk)
        booking_model._default_manager.filter(pk__in=[b.pk for b in promoted]).update(
            status=BookingStatus.CONFIRMED, confirmed_at=now, updated_at=stamp
        )
        for booking in promoted:
            booking.status = BookingStatus.CONFIRMED
            booking.confirmed_at, booking.updated_at = now, stamp
    return promoted


@transaction.atomic
def booking_create(*, booking_model, holder_id, person, check=None, now=None, defaults=None):
    """Book a place for ``person`` at the holder; returns a :class:`BookingResult`.

    Locks the holder, runs ``check(holder)`` (the domain's own rules; raise to
    refuse), then confirms the booking if a place is free (or there is no
    limit), puts it on the waitlist if the holder has one, and otherwise
    refuses. The arrival number is given under the lock. A cancelled booking
    of the same person is reused (with a new arrival number). ``defaults``
    sets extra fields of the concrete model on a new or reused row.

    Raises :class:`BookingError` ``already_booked`` or ``full``, whatever
    ``check`` raises, and the holder's ``DoesNotExist``.
    """
    holder = holder_lock(booking_model=booking_model, holder_id=holder_id)
    if check is not None:
        check(holder)
    now = now or timezone.now()
    # One query for what the decision needs, the places after it, and the
    # person's earlier booking here (read only if there is one).
    counts = booking_model.for_holder(holder.pk).aggregate(
        confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
        highest=Max("sequence"),
        earlier=Max("pk", filter=Q(person=person)),
        latest=Max("updated_at"),
    )
    booking = None
    if counts["earlier"] is not None:
        booking = booking_model._default_manager.get(pk=counts["earlier"])
        if booking.is_active:
            raise BookingError(
                "already_booked",
                _("You already have a place or a place on the waitlist."),
                booking=booking,
            )
    capacity, waitlist = booking_model.holder_limits(holder)
    confirmed, waitlisted = counts["confirmed"], counts["waitlisted"]
    if capacity is None or confirmed < capacity:
        status = BookingStatus.CONFIRMED
        confirmed += 1
    elif waitlist:
        status = BookingStatus.WAITLISTED
        waitlisted += 1
    else:
        raise BookingError("full", _("There are no places left."), confirmed=confirmed)

    stamp = _version_next(booking_model, holder.pk, counts["latest"])
    values = {
        "status": status,
        "sequence": (counts["highest"] or 0) + 1,
        "booked_at": now,
        "confirmed_at": now if status == BookingStatus.CONFIRMED else None,
        "cancelled_at": None,
        "updated_at": stamp,
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
    places = Places(capacity=capacity, confirmed=confirmed, waitlisted=waitlisted, version=stamp)
    return BookingResult(booking=booking, holder=holder, places=places)


@transaction.atomic
def booking_cancel(*, booking_model, booking_id, check=None, now=None):
    """Cancel a booking and give a freed place to the first on the waitlist.

    Locks the holder, re-reads the booking, runs ``check(holder, booking)``
    (the domain's rules, e.g. a cancellation deadline; raise to refuse), marks
    it cancelled and, if it held a place, confirms as many waitlisted bookings
    as there are free places, in arrival order: each freed place goes to
    exactly one person. Returns a :class:`BookingResult` whose ``promoted``
    lists them (with ``person`` loaded).

    Raises :class:`BookingError` ``not_active``, whatever ``check`` raises,
    and the booking model's ``DoesNotExist``.
    """
    holder_id = (
        booking_model._default_manager.filter(pk=booking_id)
        .values_list(f"{booking_model.holder_field}_id", flat=True)
        .get()
    )
    holder = holder_lock(booking_model=booking_model, holder_id=holder_id)
    booking = booking_model._default_manager.get(pk=booking_id)
    if check is not None:
        check(holder, booking)
    if not booking.is_active:
        raise BookingError("not_active", _("This booking is already cancelled."), booking=booking)
    now = now or timezone.now()
    stamp = _version_next(booking_model, holder.pk)
    held_place = booking.status == BookingStatus.CONFIRMED
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
def waitlist_fill(*, booking_model, holder_id, now=None):
    """Give every free place to the waitlist, in arrival order (after a capacity was raised).

    Returns a :class:`BookingResult` with ``booking`` None and the promoted
    bookings; promotes nobody when no place is free.
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
def bookings_cancel_all(*, booking_model, holder_id, check=None, now=None):
    """Cancel every place and waitlist place at the holder (the holder itself is called off).

    Locks the holder, runs ``check(holder)`` (raise to refuse), and marks every
    active booking cancelled; nobody is promoted. Returns a
    :class:`BookingResult` with ``booking`` None, the places after it, and in
    ``cancelled`` the bookings that were active (with ``person`` loaded).

    Raises whatever ``check`` raises and the holder's ``DoesNotExist``.
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


def capacity_check(*, booking_model, holder_id, capacity, lock=False):
    """Refuse a capacity lower than the number of confirmed bookings.

    ``capacity`` None (unlimited) always passes. With ``lock`` the holder is
    locked first (inside the caller's transaction), so the count stays true
    until the caller commits the new capacity. Raises :class:`BookingError`
    ``capacity_below_confirmed`` with ``confirmed`` set.
    """
    if capacity is None or holder_id is None:
        return
    if lock:
        holder_lock(booking_model=booking_model, holder_id=holder_id)
    confirmed = booking_model.for_holder(holder_id).filter(status=BookingStatus.CONFIRMED).count()
    if capacity < confirmed:
        raise BookingError(
            "capacity_below_confirmed",
            ngettext(
                "%(count)s person already has a place; the capacity cannot be lower than that.",
                "%(count)s people already have a place; the capacity cannot be lower than that.",
                confirmed,
            )
            % {"count": confirmed},
            confirmed=confirmed,
        )
