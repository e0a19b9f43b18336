"""Writes of the events app: signups, cancellations, check-in, organiser messages, calendar feeds.

Signups and cancellations go through the capacity engine (``capacity.py``):
one transaction that locks the event's row, checks the rules on the fresh
row, counts and writes. Live hints (the event's free places) and
notifications leave only after the transaction commits.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.middleware import page_cache_clear
from onboarding.live.kinds import per_reader, translated_field
from onboarding.live.services import notify, topic_publish

from . import capacity
from .capacity import BookingError, BookingStatus
from .errors import CheckInError, OrganiserError, SignupError
from .models import CalendarFeed, EventCancellation, EventPage, Signup, normalise_ticket_code
from .selectors import audience_admits, event_may_organise

MESSAGE_MAX_LENGTH = 2000
LANGUAGES = ("nb", "en")


# --- Live hints and notifications ---------------------------------------------------------


def places_payload(*, event_id, places, promoted=0, cancelled=False):
    """The live hint about an event's places: what every open page of the event shows.

    ``cancelled`` says the event is called off: pages stop showing places.
    """
    return {
        "type": "event.places",
        "event": event_id,
        "promoted": promoted,
        "cancelled": cancelled,
        **places.as_dict(),
    }


def _publish_places(event_id, places, promoted=0, cancelled=False):
    topic_publish(
        topic=f"event:{event_id}",
        payload=places_payload(
            event_id=event_id, places=places, promoted=promoted, cancelled=cancelled
        ),
    )


def _per_language(function):
    values = {}
    for language in LANGUAGES:
        with translation.override(language):
            values[language] = str(function())
    return values


def _event_context(event):
    return {
        "event_title": translated_field(event, "title"),
        "starts_at": event.start_at,
        "location": _per_language(lambda: event.place_label),
    }


def _own_instance(event):
    """The event read again, for a notification's link.

    Wagtail caches a page's site paths on the instance, and a caller may share
    one instance among threads (a burst of signups does): reading the URL from
    it while another thread fills that cache fails.
    """
    return type(event).objects.get(pk=event.pk)


def _notify_promoted(event, promoted):
    if promoted:
        notify(
            recipients=[signup.person for signup in promoted],
            kind="waitlist_place_given",
            context=_event_context(event),
            url=_own_instance(event),
        )


def _notify_signup(event, signup):
    waitlisted = signup.status == BookingStatus.WAITLISTED
    notify(
        recipients=[signup.person],
        kind="event_signup",
        context={
            **_event_context(event),
            "waitlisted": waitlisted,
            "position": capacity.waitlist_position(booking=signup) if waitlisted else None,
        },
        url=_own_instance(event),
    )


def _local_time(moment):
    return formats.time_format(timezone.localtime(moment), "H:i")


# --- Signup -------------------------------------------------------------------------------


def _check_may_sign_up(event, now):
    if not event.live:
        raise SignupError(code="not_found", message=_("This event is not published."))
    if EventCancellation.objects.filter(event_id=event.pk).exists():
        raise SignupError(code="cancelled", message=_("This event is cancelled."))
    state = event.signup_state(now)
    if state == "not_open":
        opens = formats.date_format(timezone.localtime(event.signup_opens_at), "DATETIME_FORMAT")
        raise SignupError(
            code="not_open",
            message=_("Signup has not opened yet. It opens %(opens)s.") % {"opens": opens},
        )
    if state == "closed":
        raise SignupError(code="closed", message=_("Signup for this event has closed."))


def _already_signed_up(signup):
    if signup.status == BookingStatus.WAITLISTED:
        position = capacity.waitlist_position(booking=signup)
        return SignupError(
            code="already_signed_up",
            message=_("You are already on the waitlist, as number %(position)s.")
            % {"position": position},
            signup=signup,
            position=position,
        )
    return SignupError(
        code="already_signed_up", message=_("You are already signed up."), signup=signup
    )


def signup_create(*, event, user, now=None):
    """Sign ``user`` up to ``event``: a place if one is free, else the waitlist; returns the signup.

    The returned signup carries ``places``: the event's places right after it.

    Locks the event's row, then checks on the fresh row that the event is
    published and signup is open (``signup_opens_at`` inclusive, up to
    ``signup_closes_at``, or the start, exclusive), and that the person is in
    the audience. The signup is confirmed while places remain (or without a
    limit), waitlisted in arrival order when full and the event has a
    waitlist. After commit, every open page of the event hears the new count,
    and the person is sent a confirmation (``event_signup``) of their place or
    their place on the waitlist.
    A person who cancelled may sign up again, at the back of the queue.
    The engine's transaction is the only one (no savepoint around it): the
    signup is committed when this returns, unless the caller holds an outer
    transaction.

    Raises ``SignupError`` with code ``login_required``, ``not_found``,
    ``cancelled``, ``not_open``, ``closed``, ``not_in_audience``, ``already_signed_up``
    (``signup`` and ``position`` set) or ``full`` (no place and no waitlist).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise SignupError(code="login_required", message=_("Log in to sign up."))
    # The audience depends on the person's profile: read it before taking the lock.
    admitted = audience_admits(event=event, user=user)

    def check(locked):
        _check_may_sign_up(locked, now or timezone.now())
        if not admitted:
            raise SignupError(
                code="not_in_audience",
                message=_(
                    "This event is for a particular group of students, and you are not in it."
                ),
            )

    try:
        result = capacity.booking_create(
            booking_model=Signup, holder_id=event.pk, person=user, check=check, now=now
        )
    except EventPage.DoesNotExist as error:
        raise SignupError(code="not_found", message=_("This event does not exist.")) from error
    except BookingError as error:
        if error.code == "already_booked":
            raise _already_signed_up(error.booking) from error
        raise SignupError(
            code="full",
            message=_("The event is full, and it has no waitlist."),
        ) from error
    _publish_places(event.pk, result.places)
    signup = result.booking
    # The confirmation (in the person's language, by email if they want it) once it is stored.
    transaction.on_commit(lambda: _notify_signup(event, signup))
    signup.places = result.places
    return signup


def signup_message(*, signup):
    """What to tell a person right after signing up: their place, or their place in the queue."""
    if signup.status == BookingStatus.WAITLISTED:
        position = signup.position = capacity.waitlist_position(booking=signup)
        return _(
            "The event is full. You are on the waitlist, as number %(position)s; "
            "you will be told if you get a place."
        ) % {"position": position}
    return _("You are signed up. Your ticket is ready.")


@transaction.atomic
def signup_cancel(*, signup, user, now=None):
    """Cancel ``user``'s own signup; a freed place goes to the first on the waitlist.

    A confirmed place can be given up until the cancellation deadline (or the
    start); a waitlist place until the event ends. Each freed place is given
    to exactly one waitlisted person, in arrival order, who is told through
    the notification centre; every open page of the event hears the new count.
    Returns the cancelled signup.

    Raises ``SignupError`` ``forbidden`` (someone else's signup),
    ``not_signed_up`` (already cancelled) or ``cancellation_closed``.
    """
    if user is None or not user.is_authenticated or signup.person_id != user.pk:
        raise SignupError(code="forbidden", message=_("This signup is not yours."))

    def check(event, fresh):
        moment = now or timezone.now()
        if fresh.status == BookingStatus.CONFIRMED and not event.may_cancel(moment):
            raise SignupError(
                code="cancellation_closed",
                message=_("The cancellation deadline has passed. Contact the organisers."),
                signup=fresh,
            )
        if fresh.status == BookingStatus.WAITLISTED and event.has_ended(moment):
            raise SignupError(
                code="cancellation_closed", message=_("The event is over."), signup=fresh
            )

    try:
        result = capacity.booking_cancel(
            booking_model=Signup, booking_id=signup.pk, check=check, now=now
        )
    except BookingError as error:
        raise SignupError(
            code="not_signed_up", message=_("You are not signed up to this event.")
        ) from error
    _notify_promoted(result.holder, result.promoted)
    _publish_places(result.holder.pk, result.places, promoted=len(result.promoted))
    return result.booking


@transaction.atomic
def event_waitlist_fill(*, event, now=None):
    """Give every free place of ``event`` to its waitlist (after more places were published).

    Promoted people are told through the notification centre; open pages
    hear the new count. Returns the promoted signups.
    """
    result = capacity.waitlist_fill(booking_model=Signup, holder_id=event.pk, now=now)
    if result.promoted:
        _notify_promoted(result.holder, result.promoted)
        _publish_places(result.holder.pk, result.places, promoted=len(result.promoted))
    return result.promoted


CHANGE_LABELS = ("time", "place", "capacity")


@transaction.atomic
def event_changes_announce(*, event, changed):
    """Tell everyone signed up (or waitlisted) that the event's time or place changed.

    ``changed`` lists what changed (``time``, ``place``, ``capacity``); a
    change of capacity alone is not announced. Returns how many were told.
    """
    changed = [item for item in changed if item in CHANGE_LABELS]
    if not (set(changed) & {"time", "place"}):
        return 0
    recipients = [
        signup.person
        for signup in Signup.objects.filter(
            event=event, status__in=capacity.ACTIVE_STATUSES
        ).select_related("person")
    ]
    if not recipients:
        return 0
    notify(
        recipients=recipients,
        kind="event_changed",
        context={**_event_context(event), "changed": changed},
        url=event,
    )
    return len(recipients)


def _followers_of(unit):
    from onboarding.units.models import Follow

    return [
        follow.user
        for follow in Follow.objects.filter(unit=unit, user__is_active=True).select_related("user")
    ]


@transaction.atomic
def event_publication_followup(*, event, changes=(), first_publication=False):
    """What follows publishing an event: places, people signed up, and followers are told.

    More places (or no limit) go to the waitlist at once; a new time or place
    is announced to everyone signed up; the unit's followers hear of a new
    event the first time it is published. Open pages hear the new count.
    Returns the promoted signups.
    """
    promoted = []
    if "capacity" in changes:
        result = capacity.waitlist_fill(booking_model=Signup, holder_id=event.pk)
        promoted = result.promoted
        _notify_promoted(result.holder, promoted)
        _publish_places(event.pk, result.places, promoted=len(promoted))
    event_changes_announce(event=event, changed=list(changes))
    unit = event.unit
    if first_publication and unit is not None:
        followers = _followers_of(unit)
        if followers:
            notify(
                recipients=followers,
                kind="unit_new_event",
                context={
                    "unit_name": translated_field(unit, "title"),
                    "event_title": translated_field(event, "title"),
                    "starts_at": event.start_at,
                },
                url=event,
            )
    return promoted


# --- Check-in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckIn:
    signup: Signup
    checked_in_at: object


def _check_organiser(event, user, error_class):
    if not event_may_organise(event=event, user=user):
        raise error_class(
            code="forbidden", message=_("Only the organisers of this event can do this.")
        )


@transaction.atomic
def checkin_perform(*, event, by, code="", signup_id=None, now=None):
    """Check a confirmed person in at ``event``, by ticket code or signup id; returns a CheckIn.

    Checking in twice changes nothing: the second time raises
    ``already_checked_in`` with the time of the first. Only the event's
    organisers may check people in.

    Raises ``CheckInError`` ``forbidden``, ``unknown_ticket``,
    ``wrong_event``, ``not_confirmed`` (waitlisted or cancelled) or
    ``already_checked_in`` (``signup`` set).
    """
    _check_organiser(event, by, CheckInError)
    signups = Signup.objects.select_related("person")
    if signup_id is not None:
        signup = signups.filter(pk=signup_id).first()
    else:
        signup = signups.filter(ticket_code=normalise_ticket_code(code)).first()
    if signup is None:
        raise CheckInError(code="unknown_ticket", message=_("No ticket has this code."))
    if signup.event_id != event.pk:
        raise CheckInError(
            code="wrong_event", message=_("This ticket is for another event."), signup=signup
        )
    if signup.status != BookingStatus.CONFIRMED:
        raise CheckInError(
            code="not_confirmed",
            message=_("%(name)s has no place at this event (waitlisted or cancelled).")
            % {"name": signup.person},
            signup=signup,
        )
    now = now or timezone.now()
    # One conditional update: of two scans at the same moment, only one checks in.
    changed = Signup.objects.filter(pk=signup.pk, checked_in_at__isnull=True).update(
        checked_in_at=now, checked_in_by=by
    )
    if not changed:
        signup.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
        raise CheckInError(
            code="already_checked_in",
            message=_("%(name)s was already checked in at %(time)s.")
            % {"name": signup.person, "time": _local_time(signup.checked_in_at)},
            signup=signup,
        )
    signup.checked_in_at, signup.checked_in_by = now, by
    return CheckIn(signup=signup, checked_in_at=now)


@transaction.atomic
def checkin_undo(*, event, by, signup_id):
    """Take back a check-in made by mistake; returns the signup.

    Raises ``CheckInError`` ``forbidden``, ``unknown_ticket`` or ``not_checked_in``.
    """
    _check_organiser(event, by, CheckInError)
    signup = Signup.objects.select_related("person").filter(pk=signup_id, event=event).first()
    if signup is None:
        raise CheckInError(code="unknown_ticket", message=_("No ticket has this code."))
    changed = Signup.objects.filter(pk=signup.pk, checked_in_at__isnull=False).update(
        checked_in_at=None, checked_in_by=None
    )
    if not changed:
        raise CheckInError(
            code="not_checked_in",
            message=_("%(name)s is not checked in.") % {"name": signup.person},
            signup=signup,
        )
    signup.checked_in_at = signup.checked_in_by = None
    return signup


# --- Organiser messages -------------------------------------------------------------------


@transaction.atomic
def event_message_send(*, event, sender, message_nb="", message_en="", include_waitlist=False):
    """Send a message to everyone with a place (and the waitlist, if asked); returns how many.

    Each person gets it through the notification centre in their own
    language: the Norwegian text for Norwegian readers, the English for
    English ones, and the one written when only one is.

    Raises ``OrganiserError`` ``forbidden``, ``message_empty``,
    ``message_too_long`` or ``no_recipients``.
    """
    _check_organiser(event, sender, OrganiserError)
    texts = organiser_texts(message_nb, message_en)
    if not any(texts.values()):
        raise OrganiserError(code="message_empty", message=_("Write the message."))
    statuses = [BookingStatus.CONFIRMED] + ([BookingStatus.WAITLISTED] if include_waitlist else [])
    recipients = [
        signup.person
        for signup in Signup.objects.filter(event=event, status__in=statuses).select_related(
            "person"
        )
    ]
    if not recipients:
        raise OrganiserError(code="no_recipients", message=_("Nobody is signed up yet."))
    unit = event.unit
    sender_name = translated_field(unit, "title") if unit else str(sender)
    notify(
        recipients=recipients,
        kind="organiser_message",
        context={
            "sender": sender_name,
            "event_title": translated_field(event, "title"),
            "message": per_reader(texts),
        },
        url=event,
    )
    return len(recipients)


def organiser_texts(text_nb, text_en, *, error_class=OrganiserError):
    """An organiser's text in each language, stripped; refuses one that is too long.

    Raises ``error_class`` (any of the apps' errors taking ``code`` and
    ``message``) with code ``message_too_long``.
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


# --- Calling an event off -----------------------------------------------------------------


@transaction.atomic
def event_cancel(*, event, by, reason_nb="", reason_en="", now=None):
    """Call ``event`` off: every place and waitlist place is cancelled, and each person told.

    Under the event's lock (so no signup slips in after it) it checks that
    the event is not cancelled already and has not ended, cancels every
    active signup, and records the cancellation with its reason. Everyone who
    held a place or a waitlist place hears it through the notification centre
    (``event_cancelled``, which nobody can turn off), in their own language;
    open pages of the event hear the new count. The page stays published and
    says that the event is cancelled. Returns the :class:`EventCancellation`,
    with ``told``: how many people were told.

    Raises ``OrganiserError`` ``forbidden``, ``message_too_long``,
    ``already_cancelled`` or ``event_over``.
    """
    _check_organiser(event, by, OrganiserError)
    texts = organiser_texts(reason_nb, reason_en)
    moment = now or timezone.now()

    def check(locked):
        if EventCancellation.objects.filter(event_id=locked.pk).exists():
            raise OrganiserError(
                code="already_cancelled", message=_("This event is already cancelled.")
            )
        if locked.has_ended(moment):
            raise OrganiserError(
                code="event_over", message=_("The event is over; it can no longer be cancelled.")
            )

    result = capacity.bookings_cancel_all(
        booking_model=Signup, holder_id=event.pk, check=check, now=moment
    )
    cancellation = EventCancellation.objects.create(
        event=result.holder,
        cancelled_at=moment,
        cancelled_by=by,
        reason_nb=texts["nb"],
        reason_en=texts["en"],
    )
    recipients = [signup.person for signup in result.cancelled]
    if recipients:
        notify(
            recipients=recipients,
            kind="event_cancelled",
            context={
                "event_title": translated_field(result.holder, "title"),
                "starts_at": result.holder.start_at,
                "reason": per_reader(texts),
            },
            url=result.holder,
        )
    _publish_places(event.pk, result.places, cancelled=True)
    # Cached copies of the event page, the listing and the unit's page must say so now.
    transaction.on_commit(page_cache_clear)
    cancellation.told = len(recipients)
    return cancellation


# --- Calendar feeds -----------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, user):
    """The person's calendar feed: the active one, or a new one. Returns it.

    Raises ``SignupError`` ``login_required`` for an anonymous person.
    """
    if user is None or not user.is_authenticated:
        raise SignupError(code="login_required", message=_("Log in to get a calendar feed."))
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user)
    except IntegrityError:
        # Made at the same moment by another request: that one is the feed.
        return CalendarFeed.objects.get(user=user, revoked_at__isnull=True)


@transaction.atomic
def calendar_feed_revoke(*, user):
    """Turn off the person's feed address for good; returns whether there was one.

    A calendar app still using the old address gets nothing from then on; a
    new feed has a new address.
    """
    if user is None or not user.is_authenticated:
        return False
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return revoked > 0
