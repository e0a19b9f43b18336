"""The layer every kind of holder shares around the engine: booking and giving up a place,
filling the waitlist, what follows a publication, calling a holder off, and the live hints
and notifications that go with them.

A domain app describes its holder once with a :class:`HolderKind` (its booking and
cancellation models, its live topic, its notification kinds, how its refusals are worded)
and calls these functions from its own services, adding only its own rules (the ``check``
callbacks, which run under the holder's lock) and its own follow-ups.

Live hints (the holder's places, on topic ``<topic>:<id>``) and notifications leave only
after the transaction commits (``topic_publish`` and ``notify`` wait for it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cms.middleware import page_cache_clear
from onboarding.errors import DomainError, Message
from onboarding.live.kinds import per_reader
from onboarding.live.services import notify, topic_publish

from . import services
from .errors import BookingError
from .models import ACTIVE_STATUSES, Booking, BookingStatus, HolderCancellation
from .pools import PersonFacts
from .selectors import Places, places_for

# A booking named that is not at the holder: as if it were not there at all.
_not_here = gettext_lazy("This person is not on the waitlist here.")

# What changed in a publication that the people holding places are told of.
ANNOUNCED_CHANGES = ("time", "place")


@dataclass(frozen=True)
class Refusal:
    """How an app words one refusal: its error class, code and message."""

    error_class: type[DomainError]
    code: str
    message: Message

    def error(self, **extra: Any) -> DomainError:
        # The message in the language active now, not when it is read.
        return self.error_class(code=self.code, message=str(self.message), **extra)


@dataclass(frozen=True)
class HolderKind:
    """One kind of holder, as the shared layer needs to know it.

    ``topic`` names its live topic (``event`` → ``event:<id>``) and the key of
    its id in the live hint. ``notice(holder)`` is the context every
    notification about a holder starts from; ``promoted_kind``,
    ``changed_kind`` and ``cancelled_kind`` are the notification kinds for a
    place given from the waitlist, a changed time or place, and the holder
    called off. ``may_manage(holder, user)`` says who may call it off.
    ``booking_name`` is the keyword a refused booking is passed under
    (``signup``, ``enrolment``). ``refusals`` words the refusals, by situation:
    ``not_found``, ``full``, ``not_yours``, ``not_booked``,
    ``deadline_passed``, ``over_for_waitlist`` (booking errors) and
    ``not_manager``, ``already_cancelled``, ``over`` (calling it off). The engine's ``busy``
    is raised in the class of the situation's refusal, with the engine's message.
    ``offered_kind`` and ``lapsed_kind`` are the notification kinds for a place offered
    from the waitlist and an offer that ran out (for holders that offer places).
    """

    booking_model: type[Booking]
    cancellation_model: type[HolderCancellation]
    topic: str
    notice: Callable[[Any], dict[str, Any]]
    promoted_kind: str
    changed_kind: str
    cancelled_kind: str
    may_manage: Callable[..., bool]
    booking_name: str
    refusals: Mapping[str, Refusal]
    offered_kind: str = ""
    lapsed_kind: str = ""

    def refuse(self, situation: str, **extra: Any) -> DomainError:
        return self.refusals[situation].error(**extra)

    def refuse_busy(self, error: BookingError, situation: str) -> DomainError:
        """The app's error for the engine's ``busy`` (same message), in ``situation``'s class."""
        return self.refusals[situation].error_class(code=error.code, message=str(error.message))


# --- Live hints and notifications ---------------------------------------------------------


def places_payload(
    *, kind: HolderKind, holder_id: int, places: Places, promoted: int = 0, cancelled: bool = False
) -> dict[str, Any]:
    """The live hint about a holder's places: what every open page of it shows.

    ``cancelled`` says the holder is called off: pages stop showing places.
    """
    return {
        "type": f"{kind.topic}.places",
        kind.topic: holder_id,
        "promoted": promoted,
        "cancelled": cancelled,
        **places.as_dict(),
    }


def places_publish(
    *, kind: HolderKind, holder_id: int, places: Places, promoted: int = 0, cancelled: bool = False
) -> None:
    """Send every open page of the holder its places (after commit)."""
    topic_publish(
        topic=f"{kind.topic}:{holder_id}",
        payload=places_payload(
            kind=kind, holder_id=holder_id, places=places, promoted=promoted, cancelled=cancelled
        ),
    )


def _fresh(holder: Any) -> Any:
    """The holder read again, for a notification's link.

    Wagtail caches a page's site paths on the instance, and a caller may share
    one instance among threads (a burst of bookings does): reading the URL from
    it while another thread fills that cache fails.
    """
    return type(holder).objects.get(pk=holder.pk)


def promoted_notify(*, kind: HolderKind, holder: Any, promoted: list[Booking]) -> None:
    """Tell the people given a place from the waitlist, or offered one until a set time."""
    given = [booking for booking in promoted if booking.status == BookingStatus.CONFIRMED]
    offered = [booking for booking in promoted if booking.status == BookingStatus.OFFERED]
    if given or offered:
        holder = _fresh(holder)
    if given:
        notify(
            recipients=[booking.person for booking in given],
            kind=kind.promoted_kind,
            context=kind.notice(holder),
            url=holder,
        )
    # Each offer has its own expiry: one notification per person.
    for booking in offered:
        notify(
            recipients=[booking.person],
            kind=kind.offered_kind,
            context={**kind.notice(holder), "expires_at": booking.offer_expires_at},
            url=holder,
        )


def _active_people(kind: HolderKind, holder: Any) -> list[Any]:
    return [
        booking.person
        for booking in kind.booking_model.for_holder(holder.pk)
        .filter(status__in=ACTIVE_STATUSES)
        .select_related("person")
        .order_by("sequence")
    ]


def _moved_up(kind: HolderKind, result: services.BookingResult, *, publish: bool) -> None:
    """Tell those a change gave a place from the waitlist; with ``publish`` open pages hear the
    new count."""
    promoted_notify(kind=kind, holder=result.holder, promoted=result.promoted)
    if publish:
        places_publish(
            kind=kind,
            holder_id=result.holder.pk,
            places=result.places,
            promoted=len(result.promoted),
        )


# --- Booking and giving up a place --------------------------------------------------------


def booking_place(
    *,
    kind: HolderKind,
    holder_id: int,
    person: Any,
    check: Callable[[Any], None],
    already: Callable[[Any], DomainError],
    now: datetime | None = None,
    facts: PersonFacts | None = None,
    hold: bool = False,
) -> services.BookingResult:
    """Book ``person`` a place (or a waitlist place) at the holder through the engine.

    ``check(holder)`` is the app's own rules, run under the lock; ``already(booking)``
    words the refusal for a person who holds one; ``facts`` place the person in a pool
    of reserved places (:mod:`.pools`); ``hold`` holds the person back on the waitlist
    (``services.booking_create``). Live pages hear the new count; people held back whom
    the booking served first (past the release moment) are told.

    Raises ``already(...)``, whatever ``check`` raises, and the kind's
    ``not_found``, ``busy`` or ``full`` refusal (also for a hold without a waitlist,
    with the kind's ``held_no_waitlist`` refusal when it words one).
    """
    try:
        result = services.booking_create(
            booking_model=kind.booking_model,
            holder_id=holder_id,
            person=person,
            check=check,
            now=now,
            facts=facts,
            hold=hold,
        )
    except kind.booking_model.holder_model().DoesNotExist as error:  # type: ignore[attr-defined]
        raise kind.refuse("not_found") from error
    except BookingError as error:
        if error.code == "already_booked":
            raise already(error.booking) from error
        if error.code == "busy":
            raise kind.refuse_busy(error, "full") from error
        if error.code == "held_no_waitlist" and error.code in kind.refusals:
            raise kind.refuse(error.code) from error
        raise kind.refuse("full") from error
    if result.promoted:
        promoted_notify(kind=kind, holder=result.holder, promoted=result.promoted)
    places_publish(
        kind=kind, holder_id=holder_id, places=result.places, promoted=len(result.promoted)
    )
    return result


@transaction.atomic
def booking_give_up(
    *, kind: HolderKind, booking: Booking | None, user: Any, now: datetime | None = None
) -> Any:
    """Give up ``user``'s own place (or waitlist place); a freed place goes to the next in line.

    A place can be given up until the holder's cancellation deadline
    (``holder.may_cancel``); a waitlist place until the holder ends
    (``holder.has_ended``). Each freed place goes to exactly one waitlisted
    person, in arrival order, who is told; open pages hear the new count.
    Returns the cancelled booking.

    Raises the kind's ``not_yours``, ``not_booked`` (also for no booking at
    all: ``booking`` None), ``deadline_passed``, ``over_for_waitlist`` or
    ``busy`` refusal.
    """
    if booking is None:
        raise kind.refuse("not_booked")
    if user is None or not user.is_authenticated or booking.person_id != user.pk:
        raise kind.refuse("not_yours")

    def check(holder: Any, fresh: Booking) -> None:
        moment = now or timezone.now()
        if fresh.status == BookingStatus.CONFIRMED and not holder.may_cancel(moment):
            raise kind.refuse("deadline_passed", **{kind.booking_name: fresh})
        if fresh.status == BookingStatus.WAITLISTED and holder.has_ended(moment):
            raise kind.refuse("over_for_waitlist", **{kind.booking_name: fresh})

    try:
        result = services.booking_cancel(
            booking_model=kind.booking_model, booking_id=booking.pk, check=check, now=now
        )
    except BookingError as error:
        if error.code == "busy":
            raise kind.refuse_busy(error, "not_booked") from error
        raise kind.refuse("not_booked") from error
    _moved_up(kind, result, publish=True)
    return result.booking


@transaction.atomic
def bookings_release(*, kind: HolderKind, user: Any, now: datetime | None = None) -> int:
    """Give up every place and waitlist place ``user`` holds on holders not yet over.

    For a person whose account is being deleted: unlike ``booking_give_up``,
    no cancellation deadline applies. Bookings on holders that have ended
    stay as they are (they are the holder's figures). Each freed place goes to
    the next in line, who is told; open pages hear the new count. Returns how
    many bookings were given up. Raises :class:`BookingError` ``busy``.
    """
    moment = now or timezone.now()
    released = 0
    active = kind.booking_model._default_manager.filter(
        person=user, status__in=ACTIVE_STATUSES
    ).order_by("pk")
    for booking in active:
        holder = getattr(booking, kind.booking_model.holder_field)
        if holder.has_ended(moment):
            continue
        result = services.booking_cancel(
            booking_model=kind.booking_model, booking_id=booking.pk, now=now
        )
        _moved_up(kind, result, publish=True)
        released += 1
    return released


# --- Offers of a place from the waitlist ----------------------------------------------------


@transaction.atomic
def offer_take(
    *, kind: HolderKind, booking: Booking | None, user: Any, now: datetime | None = None
) -> services.BookingResult:
    """Claim the place offered to ``user`` from the waitlist; open pages hear the new count.

    Raises the kind's ``not_booked`` (no booking), ``not_yours`` refusal, and, in the
    class of ``not_booked``, the engine's ``not_offered``, ``offer_lapsed`` and ``busy``.
    """
    if booking is None:
        raise kind.refuse("not_booked")
    if user is None or not user.is_authenticated or booking.person_id != user.pk:
        raise kind.refuse("not_yours")
    try:
        result = services.offer_claim(
            booking_model=kind.booking_model, booking_id=booking.pk, now=now
        )
    except BookingError as error:
        raise kind.refuse_busy(error, "not_booked") from error
    places_publish(kind=kind, holder_id=result.holder.pk, places=result.places)
    return result


def _lapsed_notify(*, kind: HolderKind, holder: Any, lapsed: list[Booking]) -> None:
    if lapsed and kind.lapsed_kind:
        notify(
            recipients=[booking.person for booking in lapsed],
            kind=kind.lapsed_kind,
            context=kind.notice(holder),
            url=_fresh(holder),
        )


@dataclass(frozen=True)
class OffersSettled:
    """What one run of :func:`offers_settle` did, across holders."""

    holders: int = 0
    lapsed: int = 0
    moved_up: int = 0


def offers_settle(
    *, kind: HolderKind, holders: Iterable[Any], now: datetime | None = None
) -> OffersSettled:
    """Let lapsed offers go and give the places they free, and places pools released.

    ``holders`` are the kind's holders to look at (the domain picks those with an
    offer out or a waitlist). Each holder is settled in its own transaction under
    its lock (:func:`services.offers_lapse`), so a claim racing with it settles
    exactly once; people whose offer lapsed and those moved up are told; open pages
    hear the new count. Running it again changes nothing.
    """
    moment = now or timezone.now()
    settled = OffersSettled()
    for holder in holders:
        with transaction.atomic():
            outcome = services.offers_lapse(
                booking_model=kind.booking_model, holder_id=holder.pk, now=moment
            )
            _lapsed_notify(kind=kind, holder=outcome.result.holder, lapsed=outcome.lapsed)
            _moved_up(kind, outcome.result, publish=bool(outcome.lapsed or outcome.result.promoted))
        settled = OffersSettled(
            holders=settled.holders + 1,
            lapsed=settled.lapsed + len(outcome.lapsed),
            moved_up=settled.moved_up + len(outcome.result.promoted),
        )
    return settled


def holders_to_settle(*, kind: HolderKind, now: datetime | None = None) -> list[Any]:
    """The kind's holders with an offer that has run out, a pool released with people
    waiting, or people held back on the waitlist past the release moment with a place free
    for them (before the holder ends): what :func:`offers_settle` has to look at."""
    moment = now or timezone.now()
    bookings = kind.booking_model._default_manager
    holder_key = f"{kind.booking_model.holder_field}_id"
    lapsed = set(
        bookings.filter(status=BookingStatus.OFFERED, offer_expires_at__lte=moment)
        .values_list(holder_key, flat=True)
        .distinct()
    )
    waiting_rows = (
        bookings.filter(status=BookingStatus.WAITLISTED)
        .order_by()
        .values(holder_key)
        .annotate(held=Count("pk", filter=Q(held=True)))
    )
    waiting = {row[holder_key] for row in waiting_rows}
    held_back = {row[holder_key] for row in waiting_rows if row["held"]}
    model = kind.booking_model.holder_model()
    holders: list[Any] = list(model._default_manager.filter(pk__in=lapsed | waiting).order_by("pk"))
    released = [
        holder for holder in holders if holder.pk in held_back and _holds_released(holder, moment)
    ]
    free = places_for(booking_model=kind.booking_model, holders=released) if released else {}
    found = []
    for holder in holders:
        if holder.pk not in lapsed and holder.has_ended(moment):
            continue  # over: nothing more to give
        if (
            holder.pk in lapsed
            or any(pool.released(moment) for pool in holder.booking_pools())
            or (holder.pk in free and free[holder.pk].free != 0)
        ):
            found.append(holder)
    return found


def _holds_released(holder: Any, moment: datetime) -> bool:
    release = holder.hold_release_at()
    has_ended = getattr(holder, "has_ended", None)
    return release is not None and moment >= release and not (has_ended and has_ended(moment))


# --- People held back on the waitlist --------------------------------------------------------


@transaction.atomic
def held_place_give(
    *,
    kind: HolderKind,
    holder: Any,
    booking_id: int,
    by: Any,
    now: datetime | None = None,
) -> services.BookingResult:
    """An organiser gives a person held back on the waitlist a free place, before the release
    moment; the person is told (as anyone given a place) and open pages hear the new count.

    Only those ``kind.may_manage`` admits may, and only for a booking at ``holder``.
    Raises the kind's ``not_manager`` refusal, and in its class the engine's ``not_held``,
    ``full`` (no place free for the person) and ``busy``.
    """
    if not kind.may_manage(holder, by):
        raise kind.refuse("not_manager")
    error_class = kind.refusals["not_manager"].error_class

    def check(locked: Any, booking: Booking) -> None:
        if booking.holder_id != holder.pk:
            raise error_class(code="not_held", message=str(_not_here))

    try:
        result = services.held_place_give(
            booking_model=kind.booking_model, booking_id=booking_id, check=check, now=now
        )
    except kind.booking_model.DoesNotExist as error:
        raise error_class(code="not_held", message=str(_not_here)) from error
    except BookingError as error:
        raise kind.refuse_busy(error, "not_manager") from error
    _moved_up(kind, result, publish=True)
    return result


# --- After more places, and after a publication ------------------------------------------


@transaction.atomic
def holder_waitlist_fill(
    *, kind: HolderKind, holder: Any, now: datetime | None = None, always_publish: bool = False
) -> list[Any]:
    """Give every free place of ``holder`` to its waitlist (after more places were published).

    Promoted people are told; open pages hear the new count (when someone
    moved up, or ``always_publish``: the places themselves changed). Returns
    the promoted bookings (none when no place is free). Raises
    :class:`BookingError` ``busy``.
    """
    result = services.waitlist_fill(booking_model=kind.booking_model, holder_id=holder.pk, now=now)
    _moved_up(kind, result, publish=bool(result.promoted) or always_publish)
    return result.promoted


@transaction.atomic
def holder_changes_announce(*, kind: HolderKind, holder: Any, changed: Iterable[str]) -> int:
    """Tell everyone with a place (or a waitlist place) that the holder's time or place changed.

    ``changed`` lists what changed (``time``, ``place``, ``capacity``); a
    change of capacity alone is not announced. Returns how many were told.
    """
    changed = [item for item in changed if item in (*ANNOUNCED_CHANGES, "capacity")]
    if not set(changed) & set(ANNOUNCED_CHANGES):
        return 0
    recipients = _active_people(kind, holder)
    if not recipients:
        return 0
    notify(
        recipients=recipients,
        kind=kind.changed_kind,
        context={**kind.notice(holder), "changed": changed},
        url=holder,
    )
    return len(recipients)


@transaction.atomic
def holder_publication_followup(
    *, kind: HolderKind, holder: Any, changes: Iterable[str] = ()
) -> list[Any]:
    """What follows publishing a holder: more places go to the waitlist at once (open pages hear
    the new count), and a new time or place is announced to everyone holding a place.

    ``changes`` is what the publication changed (``HolderPage.published_changes``).
    Returns the promoted bookings.
    """
    changes = list(changes)
    promoted: list[Any] = []
    if "capacity" in changes:
        promoted = holder_waitlist_fill(kind=kind, holder=holder, always_publish=True)
    holder_changes_announce(kind=kind, holder=holder, changed=changes)
    return promoted


# --- Calling a holder off -----------------------------------------------------------------


@dataclass(frozen=True)
class HolderCancelled:
    """A holder called off: its cancellation record, and how many people were told."""

    cancellation: Any
    told: int


@transaction.atomic
def holder_cancel(
    *,
    kind: HolderKind,
    holder: Any,
    by: Any,
    reason_nb: str = "",
    reason_en: str = "",
    now: datetime | None = None,
) -> HolderCancelled:
    """Call ``holder`` off: every place and waitlist place is cancelled, and each person told.

    Only those ``kind.may_manage`` admits may. Under the holder's lock (so no
    booking slips in after it) it checks that the holder is not cancelled
    already and has not ended, cancels every active booking, and records the
    cancellation with its reason. Everyone who held a place or a waitlist
    place hears it through the notification centre (``kind.cancelled_kind``,
    which nobody can turn off), in their own language; open pages hear that it
    is called off. The page stays published and says so.

    Raises the kind's ``not_manager``, ``not_found``, ``already_cancelled``,
    ``over`` or ``busy`` refusal, and ``message_too_long``.
    """
    if not kind.may_manage(holder, by):
        raise kind.refuse("not_manager")
    not_manager = kind.refusals["not_manager"]
    texts = services.organiser_texts(reason_nb, reason_en, error_class=not_manager.error_class)
    moment = now or timezone.now()
    cancellations = kind.cancellation_model._default_manager
    holder_field = kind.cancellation_model.holder_field

    def check(locked: Any) -> None:
        if cancellations.filter(**{f"{holder_field}_id": locked.pk}).exists():
            raise kind.refuse("already_cancelled")
        if locked.has_ended(moment):
            raise kind.refuse("over")

    try:
        result = services.bookings_cancel_all(
            booking_model=kind.booking_model, holder_id=holder.pk, check=check, now=moment
        )
    except kind.booking_model.holder_model().DoesNotExist as error:  # type: ignore[attr-defined]
        raise kind.refuse("not_found") from error
    except BookingError as error:
        raise kind.refuse_busy(error, "not_manager") from error
    cancellation = cancellations.create(
        **{holder_field: result.holder},
        cancelled_at=moment,
        cancelled_by=by,
        reason_nb=texts["nb"],
        reason_en=texts["en"],
    )
    recipients = [booking.person for booking in result.cancelled]
    if recipients:
        notify(
            recipients=recipients,
            kind=kind.cancelled_kind,
            context={**kind.notice(result.holder), "reason": per_reader(texts)},
            url=result.holder,
        )
    places_publish(kind=kind, holder_id=holder.pk, places=result.places, cancelled=True)
    # Cached copies of the holder's page, its listings and its unit's page must say so now.
    transaction.on_commit(page_cache_clear)
    return HolderCancelled(cancellation=cancellation, told=len(recipients))
