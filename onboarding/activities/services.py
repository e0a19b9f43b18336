"""Writes of the events app: signups, cancellations, check-in, organiser messages, calendar feeds.

Signups and cancellations go through the booking engine (``onboarding.bookings``)
and the layer every holder shares around it (``bookings.holders``): one
transaction that locks the event's row, checks the rules on the fresh row,
counts and writes. This module adds the event's own rules (the signup window,
the audience) and its own follow-ups (the signup's confirmation, the unit's
followers). Live hints (the event's free places) and notifications leave only
after the transaction commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from onboarding.bookings import holders
from onboarding.bookings.holders import HolderCancelled, HolderKind, Refusal
from onboarding.bookings.models import BookingStatus, unknown_statuses
from onboarding.bookings.pools import person_facts
from onboarding.bookings.selectors import Places, waitlist_position
from onboarding.bookings.services import organiser_texts
from onboarding.dates import in_range, out_of_range_message
from onboarding.live.kinds import per_reader, translated_field
from onboarding.live.services import notify

from . import recurrence as rules
from .errors import CheckInError, OrganiserError, RecurrenceError, SignupError
from .models import (
    NOSHOW_RELEASE_BEFORE,
    CalendarFeed,
    EventCancellation,
    EventPage,
    EventQuestion,
    EventRecurrence,
    EventSeriesPage,
    NoShowNotice,
    QuestionKind,
    Signup,
    SignupAnswer,
    approval_required,
    normalise_ticket_code,
    noshow_limit,
)
from .selectors import (
    audience_admits,
    event_may_check_in,
    event_may_organise,
    noshows_count,
    profile_for,
    semester_span,
    series_may_organise,
)

LANGUAGES = ("nb", "en")
NOSHOW_RELEASE_HOURS = int(NOSHOW_RELEASE_BEFORE.total_seconds() // 3600)
logger = logging.getLogger(__name__)


# --- The event as a holder ----------------------------------------------------------------


def _per_language(function: Any) -> dict[str, str]:
    values = {}
    for language in LANGUAGES:
        with translation.override(language):
            values[language] = str(function())
    return values


def event_notice(event: EventPage) -> dict[str, Any]:
    """The context every notification about ``event`` starts from."""
    return {
        "event_title": translated_field(event, "title"),
        "starts_at": event.start_at,
        "location": _per_language(lambda: event.place_label),
    }


EVENTS = HolderKind(
    booking_model=Signup,
    cancellation_model=EventCancellation,
    topic="event",
    notice=event_notice,
    promoted_kind="waitlist_place_given",
    offered_kind="waitlist_place_offered",
    lapsed_kind="waitlist_offer_lapsed",
    changed_kind="event_changed",
    cancelled_kind="event_cancelled",
    may_manage=lambda event, user: event_may_organise(event=event, user=user),
    booking_name="signup",
    refusals={
        "not_found": Refusal(SignupError, "not_found", gettext_lazy("This event does not exist.")),
        "full": Refusal(
            SignupError, "full", gettext_lazy("The event is full, and it has no waitlist.")
        ),
        "not_yours": Refusal(SignupError, "forbidden", gettext_lazy("This signup is not yours.")),
        "not_booked": Refusal(
            SignupError, "not_signed_up", gettext_lazy("You are not signed up to this event.")
        ),
        "deadline_passed": Refusal(
            SignupError,
            "cancellation_closed",
            gettext_lazy("The cancellation deadline has passed. Contact the organisers."),
        ),
        "over_for_waitlist": Refusal(
            SignupError, "cancellation_closed", gettext_lazy("The event is over.")
        ),
        "not_manager": Refusal(
            OrganiserError,
            "forbidden",
            gettext_lazy("Only the organisers of this event can do this."),
        ),
        "already_cancelled": Refusal(
            OrganiserError, "already_cancelled", gettext_lazy("This event is already cancelled.")
        ),
        "over": Refusal(
            OrganiserError,
            "event_over",
            gettext_lazy("The event is over; it can no longer be cancelled."),
        ),
        "held_no_waitlist": Refusal(
            SignupError,
            "held_no_waitlist",
            gettext_lazy(
                "Because of your no-shows this semester you would wait on the waitlist, but "
                "this event has none. Ask the organisers."
            ),
        ),
    },
)


def places_payload(
    *, event_id: int, places: Places, promoted: int = 0, cancelled: bool = False
) -> dict[str, Any]:
    """The live hint about an event's places: what every open page of the event shows."""
    return holders.places_payload(
        kind=EVENTS, holder_id=event_id, places=places, promoted=promoted, cancelled=cancelled
    )


def _notify_signup(event: EventPage, signup: Signup) -> None:
    waitlisted = signup.status == BookingStatus.WAITLISTED
    notify(
        recipients=[signup.person],
        kind="event_signup",
        context={
            **event_notice(event),
            "waitlisted": waitlisted,
            "position": waitlist_position(booking=signup) if waitlisted else None,
        },
        # Read again: Wagtail caches site paths on a page instance that callers may share.
        url=EventPage.objects.get(pk=event.pk),
    )


def _local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.time_format(timezone.localtime(moment), "H:i")


# --- Signup -------------------------------------------------------------------------------


def _check_may_sign_up(event: EventPage, now: datetime) -> None:
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


def _already_signed_up(signup: Signup) -> SignupError:
    if signup.status == BookingStatus.WAITLISTED:
        position = waitlist_position(booking=signup)
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


@dataclass(frozen=True)
class SignupResult:
    """A signup just made: the signup, the event's places right after it, its place on the
    waitlist (None with a place), and the person's no-shows this semester when the event
    uses the no-show rule (else 0)."""

    signup: Signup
    places: Places
    position: int | None
    noshows: int = 0


MAX_ANSWER_LENGTH = 1000


def _answer_refused(errors: dict[int, str]) -> SignupError:
    return SignupError(
        code="answers_invalid",
        message=_("Check your answers to the questions."),
        errors=errors,
    )


def answers_check(
    *, event: EventPage, answers: dict[int, str] | None
) -> list[tuple[EventQuestion, str, int | None]]:
    """The answers to ``event``'s questions, checked: ``answers`` maps a question's id to the
    text given, or to the number of the choice for a choice (1, 2, …) or a yes/no question
    (1 yes, 2 no). Returns ``(question, value, choice)`` for each question answered, the
    value in words in the active language.

    Raises ``SignupError`` ``answers_invalid`` with ``errors`` (by question id) when a
    required question is unanswered, a choice is not among the choices, or an answer is
    too long; an answer to a question the event does not ask is ignored.
    """
    answers = answers or {}
    errors: dict[int, str] = {}
    checked: list[tuple[EventQuestion, str, int | None]] = []
    for question in event.questions.all():
        given = str(answers.get(question.pk) or "").strip()
        if not given:
            if question.required:
                errors[question.pk] = _("Answer this question.")
            continue
        if question.kind == QuestionKind.TEXT:
            if len(given) > MAX_ANSWER_LENGTH:
                errors[question.pk] = _("Write at most %(most)s characters.") % {
                    "most": MAX_ANSWER_LENGTH
                }
                continue
            checked.append((question, given, None))
            continue
        options = question.options()
        if not given.isdigit() or not 1 <= int(given) <= len(options):
            errors[question.pk] = _("Choose one of the answers given.")
            continue
        checked.append((question, options[int(given) - 1], int(given)))
    if errors:
        raise _answer_refused(errors)
    return checked


def _answers_write(
    signup: Signup, checked: list[tuple[EventQuestion, str, int | None]], now: datetime
) -> None:
    """Store the answers of ``signup`` as ``checked`` says: the earlier ones are replaced and
    those to questions left unanswered go."""
    kept = []
    for question, value, choice in checked:
        answer, made = SignupAnswer.objects.get_or_create(
            signup=signup,
            question=question,
            defaults={"value": value, "choice": choice, "created_at": now, "updated_at": now},
        )
        if not made and (answer.value, answer.choice) != (value, choice):
            answer.value, answer.choice, answer.updated_at = value, choice, now
            answer.save(update_fields=["value", "choice", "updated_at"])
        kept.append(question.pk)
    SignupAnswer.objects.filter(signup=signup).exclude(question_id__in=kept).delete()


def signup_book(
    *,
    event: EventPage,
    user: Any,
    answers: dict[int, str] | None = None,
    now: datetime | None = None,
) -> SignupResult:
    """Sign ``user`` up to ``event``: a place if one is free, else the waitlist.

    Returns a :class:`SignupResult`. ``answers`` answer the event's signup
    questions (see :func:`answers_check`); they are checked before anything is
    written and stored with the signup, in the same transaction. Locks the event's row, then checks on the
    fresh row that the event is published and signup is open
    (``signup_opens_at`` inclusive, up to ``signup_closes_at``, or the start,
    exclusive), and that the person is in the audience. The signup is
    confirmed while places remain (or without a limit), waitlisted in arrival
    order when full and the event has a waitlist. After commit, every open
    page of the event hears the new count, and the person is sent a
    confirmation (``event_signup``) of their place or their place on the
    waitlist. A person who cancelled may sign up again, at the back of the
    queue. The signup is committed when this returns, unless the caller holds
    an outer transaction.

    An event with the no-show rule (``noshow_rule``) holds back a person with at least
    the International Section's number of no-shows this semester (``noshow_limit``): they
    go on the waitlist even if places are free, behind everyone else until 24 hours
    before the start, and are told once a semester (``noshow_notice_send``).

    Raises ``SignupError`` with code ``login_required``, ``answers_invalid``
    (``errors`` by question id), ``not_found``,
    ``cancelled``, ``not_open``, ``closed``, ``not_in_audience``, ``already_signed_up``
    (``signup`` and ``position`` set), ``full`` (no place and no waitlist),
    ``held_no_waitlist`` (held back at an event without a waitlist) or ``busy`` (too
    many at once: try again).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise SignupError(code="login_required", message=_("Log in to sign up."))
    checked = answers_check(event=event, answers=answers)
    # The audience and the pool of reserved places depend on the person's profile: read it
    # before taking the lock, and only when the event needs it.
    pooled = bool(event.booking_pools()) and event.capacity is not None
    profile = profile_for(user) if pooled or not event.is_for_everyone else None
    admitted = audience_admits(event=event, user=user, profile=profile)
    # The no-show rule: counted before the lock too (it reads the person's past events).
    limit = noshow_limit() if event.noshow_rule else 0
    noshows = noshows_count(user=user, now=now) if limit else 0
    hold = bool(limit) and noshows >= limit

    def check(locked: EventPage) -> None:
        _check_may_sign_up(locked, now or timezone.now())
        if not admitted:
            raise SignupError(
                code="not_in_audience",
                message=_(
                    "This event is for a particular group of students, and you are not in it."
                ),
            )

    with transaction.atomic():
        result = holders.booking_place(
            kind=EVENTS,
            holder_id=event.pk,
            person=user,
            check=check,
            already=_already_signed_up,
            now=now,
            facts=person_facts(profile) if pooled else None,
            hold=hold,
        )
        signup = result.booking
        # A signup made again after a cancellation starts from these answers alone.
        _answers_write(signup, checked, now or timezone.now())
    # The confirmation (in the person's language, by email if they want it) once it is stored.
    transaction.on_commit(lambda: _notify_signup(event, signup))
    if hold:
        noshow_notice_send(user=user, noshows=noshows, now=now)
    position = (
        waitlist_position(booking=signup) if signup.status == BookingStatus.WAITLISTED else None
    )
    return SignupResult(
        signup=signup, places=result.places, position=position, noshows=noshows if hold else 0
    )


def _my_events_url() -> dict[str, str]:
    urls = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            urls[language] = reverse("activities:my_events")
    return urls


@transaction.atomic
def noshow_notice_send(*, user: Any, noshows: int, now: datetime | None = None) -> bool:
    """Tell ``user`` that their no-shows this semester put them on the waitlist of events
    that use the rule (``noshow_limit_reached``), once per semester; returns whether they
    were told now. Running it again in the same semester tells nobody.
    """
    moment = now or timezone.now()
    semester = semester_span(timezone.localdate(moment)).code
    try:
        with transaction.atomic():
            _notice, created = NoShowNotice.objects.get_or_create(
                person=user,
                semester=semester,
                defaults={"noshows": noshows, "sent_at": moment},
            )
    except IntegrityError:
        # Told at the same moment by another signup of theirs.
        return False
    if not created:
        return False
    notify(
        recipients=[user],
        kind="noshow_limit_reached",
        context={"noshows": noshows, "release_hours": NOSHOW_RELEASE_HOURS},
        url=_my_events_url(),
    )
    return True


def signup_create(
    *,
    event: EventPage,
    user: Any,
    answers: dict[int, str] | None = None,
    now: datetime | None = None,
) -> Signup:
    """Sign ``user`` up to ``event`` (see :func:`signup_book`); returns the signup.

    Raises what :func:`signup_book` raises.
    """
    return signup_book(event=event, user=user, answers=answers, now=now).signup


@transaction.atomic
def signup_answers_update(
    *, signup: Signup | None, user: Any, answers: dict[int, str], now: datetime | None = None
) -> list[SignupAnswer]:
    """Change ``user``'s answers to the questions of the event of their ``signup``, until the
    event starts. Answers left empty are removed (unless required). Returns the answers.

    Raises ``SignupError`` ``not_signed_up`` (no active signup), ``forbidden`` (someone
    else's), ``answers_closed`` (the event has started) or ``answers_invalid``.
    """
    if signup is None or not signup.is_active:
        raise SignupError(code="not_signed_up", message=_("You are not signed up to this event."))
    if user is None or not user.is_authenticated or signup.person_id != user.pk:
        raise SignupError(code="forbidden", message=_("This signup is not yours."))
    moment = now or timezone.now()
    event = signup.event
    if moment >= event.start_at:
        raise SignupError(
            code="answers_closed",
            message=_("The event has started; the answers can no longer be changed."),
        )
    checked = answers_check(event=event, answers=answers)
    _answers_write(signup, checked, moment)
    return list(signup.answers.select_related("question").order_by("question__sort_order"))


def noshow_held_text(noshows: int) -> str:
    """Why a person waits on the waitlist although places may be free: their no-shows."""
    return ngettext(
        "You have missed %(count)s event you had a place at this semester without "
        "cancelling, so you are on the waitlist; if a place is still free %(hours)s hours "
        "before the start, it is yours.",
        "You have missed %(count)s events you had a place at this semester without "
        "cancelling, so you are on the waitlist; if a place is still free %(hours)s hours "
        "before the start, it is yours.",
        noshows,
    ) % {"count": noshows, "hours": NOSHOW_RELEASE_HOURS}


def signup_message(*, signup: Signup, position: int | None = None, noshows: int = 0) -> str:
    """What to tell a person right after signing up: their place, or their place in the queue.

    ``position`` is the signup's place on the waitlist when the caller knows it;
    ``noshows`` the person's no-shows this semester when the no-show rule held them back.
    """
    if signup.status == BookingStatus.WAITLISTED and signup.held:
        return noshow_held_text(noshows or noshows_count(user=signup.person_id))
    if signup.status == BookingStatus.WAITLISTED:
        position = position or waitlist_position(booking=signup)
        return _(
            "The event is full. You are on the waitlist, as number %(position)s; "
            "you will be told if you get a place."
        ) % {"position": position}
    return _("You are signed up. Your ticket is ready.")


@transaction.atomic
def signup_cancel(*, signup: Signup | None, user: Any, now: datetime | None = None) -> Signup:
    """Cancel ``user``'s own signup; a freed place goes to the first on the waitlist.

    The answers to the event's questions go with it (a new signup answers again).

    A confirmed place can be given up until the cancellation deadline (or the
    start); a waitlist place until the event ends. Each freed place is given
    to exactly one waitlisted person, in arrival order, who is told through
    the notification centre; every open page of the event hears the new count.
    Returns the cancelled signup.

    Raises ``SignupError`` ``forbidden`` (someone else's signup),
    ``not_signed_up`` (none, or already cancelled), ``cancellation_closed`` or ``busy``.
    """
    booking: Signup = holders.booking_give_up(kind=EVENTS, booking=signup, user=user, now=now)
    SignupAnswer.objects.filter(signup=booking).delete()
    return booking


def signup_offer_claim(*, signup: Signup | None, user: Any, now: datetime | None = None) -> Signup:
    """Claim the place offered to ``user`` from the waitlist of an event: it is theirs.

    The offer must not have run out (checked under the event's lock, so a claim and
    ``events_offers`` settle it exactly once). Open pages hear the new count. Returns
    the signup, now confirmed.

    Raises ``SignupError`` ``forbidden`` (someone else's), ``not_signed_up``,
    ``not_offered`` (no offer to claim), ``offer_lapsed`` or ``busy``.
    """
    result = holders.offer_take(kind=EVENTS, booking=signup, user=user, now=now)
    booking: Signup = result.booking
    return booking


def events_offers_settle(*, now: datetime | None = None) -> holders.OffersSettled:
    """Pass on every offer of a place that ran out, give places pools released, and give
    places still free from 24 hours before the start to people the no-show rule held back.

    Safe to run any number of times and alongside claims; see ``holders.offers_settle``.
    """
    return holders.offers_settle(
        kind=EVENTS, holders=holders.holders_to_settle(kind=EVENTS, now=now), now=now
    )


def signups_release(*, user: Any, now: datetime | None = None) -> int:
    """Give up every signup ``user`` holds on events not yet over (their account is being
    deleted), whatever the cancellation deadline; the waitlist moves up and is told.

    Returns how many were given up. Raises ``BookingError`` ``busy``.
    """
    return holders.bookings_release(kind=EVENTS, user=user, now=now)


def event_waitlist_fill(*, event: EventPage, now: datetime | None = None) -> list[Signup]:
    """Give every free place of ``event`` to its waitlist (after more places were published).

    Promoted people are told through the notification centre; open pages
    hear the new count. Returns the promoted signups.
    """
    return holders.holder_waitlist_fill(kind=EVENTS, holder=event, now=now)


def event_changes_announce(*, event: EventPage, changed: Iterable[str]) -> int:
    """Tell everyone signed up (or waitlisted) that the event's time or place changed.

    ``changed`` lists what changed (``time``, ``place``, ``capacity``); a
    change of capacity alone is not announced. Returns how many were told.
    """
    return holders.holder_changes_announce(kind=EVENTS, holder=event, changed=changed)


def _followers_of(unit: Any) -> list[Any]:
    from onboarding.units.models import Follow

    return [
        follow.user
        for follow in Follow.objects.filter(unit=unit, user__is_active=True).select_related("user")
    ]


def _first_of_its_recurrence(event: EventPage) -> bool:
    """Whether ``event`` stands alone or is the first occurrence of its recurrence: followers
    hear of a weekly series once, not every week."""
    if event.recurrence_id is None:
        return True
    return not (
        EventPage.objects.filter(recurrence_id=event.recurrence_id).exclude(pk=event.pk).exists()
    )


@transaction.atomic
def event_publication_followup(
    *, event: EventPage, changes: Iterable[str] = (), first_publication: bool = False
) -> list[Signup]:
    """What follows publishing an event: places, people signed up, and followers are told.

    More places (or no limit) go to the waitlist at once and a new time or
    place is announced to everyone signed up (``holders.holder_publication_followup``);
    the unit's followers hear of a new event the first time it is published.
    Returns the promoted signups.
    """
    promoted = holders.holder_publication_followup(kind=EVENTS, holder=event, changes=changes)
    unit = event.unit
    if first_publication and unit is not None and _first_of_its_recurrence(event):
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
    """A check-in just made: the signup and when."""

    signup: Signup
    checked_in_at: datetime


def _check_organiser(
    event: EventPage, user: Any, error_class: type[OrganiserError | CheckInError]
) -> None:
    # Checking in is open to the unit's organisers too; everything else to its editors.
    allowed = event_may_check_in if error_class is CheckInError else event_may_organise
    if not allowed(event=event, user=user):
        raise error_class(
            code="forbidden", message=_("Only the organisers of this event can do this.")
        )


@transaction.atomic
def checkin_perform(
    *,
    event: EventPage,
    by: Any,
    code: str = "",
    signup_id: int | None = None,
    now: datetime | None = None,
) -> CheckIn:
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
def checkin_undo(*, event: EventPage, by: Any, signup_id: int) -> Signup:
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


# --- People held back by the no-show rule --------------------------------------------------


def signup_place_give(
    *, event: EventPage, by: Any, signup_id: int, now: datetime | None = None
) -> Signup:
    """An organiser gives a person held back on the waitlist by the no-show rule a free place
    at ``event`` now, before the 24 hours before the start when the places still free go to
    them anyway. The person is told (``waitlist_place_given``); open pages hear the new
    count; the decision is logged. Returns the signup, now confirmed.

    Raises ``OrganiserError`` ``forbidden``, ``not_held`` (not held back on this event's
    waitlist), ``full`` (no place free for them) or ``busy``.
    """
    result = holders.held_place_give(
        kind=EVENTS, holder=event, booking_id=signup_id, by=by, now=now
    )
    signup: Signup = result.booking
    logger.info(
        "Event %s: a place given by hand to held-back signup %s by user %s",
        event.pk,
        signup.pk,
        getattr(by, "pk", None),
    )
    return signup


# --- Organiser messages -------------------------------------------------------------------


@transaction.atomic
def event_message_send(
    *,
    event: EventPage,
    sender: Any,
    message_nb: str = "",
    message_en: str = "",
    include_waitlist: bool = False,
) -> int:
    """Send a message to everyone with a place (and the waitlist, if asked); returns how many.

    Each person gets it through the notification centre in their own
    language: the Norwegian text for Norwegian readers, the English for
    English ones, and the one written when only one is.

    Raises ``OrganiserError`` ``forbidden``, ``message_empty``,
    ``message_too_long`` or ``no_recipients``.
    """
    _check_organiser(event, sender, OrganiserError)
    texts = organiser_texts(message_nb, message_en, error_class=OrganiserError)
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


# --- Calling an event off -----------------------------------------------------------------


def event_cancel(
    *,
    event: EventPage,
    by: Any,
    reason_nb: str = "",
    reason_en: str = "",
    now: datetime | None = None,
) -> HolderCancelled:
    """Call ``event`` off: every place and waitlist place is cancelled, and each person told.

    Under the event's lock (so no signup slips in after it) it checks that
    the event is not cancelled already and has not ended, cancels every
    active signup, and records the cancellation with its reason. Everyone who
    held a place or a waitlist place hears it through the notification centre
    (``event_cancelled``, which nobody can turn off), in their own language;
    open pages of the event hear the new count. The page stays published and
    says that the event is cancelled. Returns a ``HolderCancelled``: the
    :class:`EventCancellation` and ``told``, how many people were told.

    Raises ``OrganiserError`` ``forbidden``, ``message_too_long``,
    ``already_cancelled``, ``event_over`` or ``busy``.
    """
    return holders.holder_cancel(
        kind=EVENTS, holder=event, by=by, reason_nb=reason_nb, reason_en=reason_en, now=now
    )


# --- Calendar feeds -----------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, user: Any) -> CalendarFeed:
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
def calendar_feed_revoke(*, user: Any) -> bool:
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


# --- Recurring events ---------------------------------------------------------------------

# What every occurrence copies from its recurrence (and a "this and following" edit updates).
TEMPLATE_FIELDS = (
    "title_nb",
    "title_en",
    "summary_nb",
    "summary_en",
    "building",
    "room",
    "online_url",
    "event_language",
    "capacity",
    "waitlist_enabled",
    "audience_statuses",
)
MAX_DURATION = timedelta(hours=24)


@dataclass(frozen=True)
class RecurrenceInput:
    """A recurrence as the organiser gives it: the rule's words, its time, the dates skipped,
    and what each occurrence copies (``template``: the ``TEMPLATE_FIELDS``; ``faculties``:
    the audience's faculties)."""

    parts: rules.RuleParts
    starts_on: date
    start_time: time
    duration: timedelta
    template: dict[str, Any]
    exceptions: tuple[date, ...] = ()
    faculties: tuple[Any, ...] = field(default=())


def recurrence_window_end(*, now: datetime | None = None) -> date:
    """The last date occurrences are made ahead for: today plus ``EVENTS_RECURRENCE_WEEKS``."""
    today = timezone.localdate(now or timezone.now())
    return today + timedelta(weeks=settings.EVENTS_RECURRENCE_WEEKS)


def _refuse(code: str, message: str, field: str | None = None) -> RecurrenceError:
    return RecurrenceError(code=code, message=message, field=field)


def _recurrence_rule(given: RecurrenceInput) -> str:
    """The RRULE line of ``given``, after checking every part; raises ``RecurrenceError``."""
    parts = given.parts
    if not in_range(given.starts_on):
        raise _refuse("date_out_of_range", out_of_range_message(), "starts_on")
    if parts.until is not None and not in_range(parts.until):
        raise _refuse("date_out_of_range", out_of_range_message(), "until")
    if parts.until is not None and parts.count is not None:
        raise _refuse(
            "two_ends", _("End the series on a date or after a number of times, not both."), "count"
        )
    if parts.count is not None and not 1 <= parts.count <= rules.MAX_COUNT:
        raise _refuse(
            "count",
            _("The number of times must be from 1 to %(most)s.") % {"most": rules.MAX_COUNT},
            "count",
        )
    if parts.until is not None and parts.until < given.starts_on:
        raise _refuse("until_before_start", _("The series must end after it starts."), "until")
    if not timedelta(0) < given.duration <= MAX_DURATION:
        raise _refuse(
            "duration",
            _("An event must last more than 0 minutes and at most 24 hours."),
            "duration",
        )
    if parts.frequency == "monthly" and parts.week_of_month not in rules.WEEKS_OF_MONTH:
        raise _refuse(
            "week_of_month", _("Choose which week of the month the event is in."), "week_of_month"
        )
    try:
        rule = rules.rule_build(parts, starts_on=given.starts_on, start_time=given.start_time)
    except ValueError as error:
        raise _refuse("bad_rule", _("Choose how often the event repeats from the list.")) from error
    first = rules.rule_first_date(rule, starts_on=given.starts_on, start_time=given.start_time)
    if first is None:
        raise _refuse("no_dates", _("This rule gives no dates. Check the start and the end."))
    for day in given.exceptions:
        if not rules.rule_has_date(
            rule, starts_on=given.starts_on, start_time=given.start_time, day=day
        ):
            raise _refuse(
                "exception_not_in_rule",
                _("%(date)s is not one of the dates of the series, so it cannot be skipped.")
                % {"date": formats.date_format(day, "SHORT_DATE_FORMAT")},
                "exceptions",
            )
    return rule


def _template_check(template: dict[str, Any]) -> None:
    for name in ("title_nb", "title_en"):
        if not (template.get(name) or "").strip():
            raise _refuse("title_missing", _("Give the title in both languages."), name)
    for name in ("summary_nb", "summary_en"):
        if not (template.get(name) or "").strip():
            raise _refuse("summary_missing", _("Give the summary in both languages."), name)
    if not (template.get("building") or template.get("online_url")):
        raise _refuse("no_place", _("Give a building, an online link, or both."), "building")
    if unknown_statuses(template.get("audience_statuses") or []):
        raise _refuse("audience", _("Choose statuses from the list."), "audience_statuses")


def _check_may_repeat(series: Any, user: Any) -> None:
    if not series_may_organise(series=series, user=user):
        raise _refuse("forbidden", _("Only the organisers of this event series can do this."))
    if approval_required(series, user):
        # Occurrences are published at once: in a series whose events wait for approval, only
        # the approvers may make it repeat or change it.
        raise _refuse(
            "approval_required",
            _(
                "Events in this series are approved before they are published, so only the "
                "approvers can make it repeat or change its occurrences."
            ),
        )


def _recurrence_fill(recurrence: EventRecurrence, given: RecurrenceInput, rule: str) -> None:
    recurrence.rule = rule
    recurrence.starts_on = given.starts_on
    recurrence.start_time = given.start_time
    recurrence.duration = given.duration
    recurrence.exceptions = sorted(day.isoformat() for day in set(given.exceptions))
    for name in TEMPLATE_FIELDS:
        setattr(recurrence, name, given.template.get(name, getattr(recurrence, name)))
    recurrence.audience_statuses = list(recurrence.audience_statuses or [])


def _skipped(recurrence: EventRecurrence) -> set[date]:
    return {date.fromisoformat(day) for day in recurrence.exceptions}


def _occurrence_apply(event: EventPage, recurrence: EventRecurrence, day: date) -> None:
    """Give ``event`` the recurrence's fields and the time of its occurrence on ``day``."""
    start, end = rules.occurrence_times(
        day,
        start_time=recurrence.start_time,
        duration=recurrence.duration,
        time_zone=recurrence.time_zone,
    )
    if event.start_at:
        # The signup window and the deadline move with the event.
        shift = start - event.start_at
        for name in ("signup_opens_at", "signup_closes_at", "cancellation_deadline"):
            if getattr(event, name):
                setattr(event, name, getattr(event, name) + shift)
    event.start_at, event.end_at = start, end
    event.title = recurrence.title_nb
    for name in TEMPLATE_FIELDS:
        setattr(event, name, getattr(recurrence, name))
    event.audience_statuses = list(recurrence.audience_statuses or [])
    event.recurrence = recurrence
    event.occurrence_date = day


def _occurrence_publish(event: EventPage, faculties: list[Any] | None) -> None:
    """Publish the occurrence; an event the page's own rules refuse (more people signed up
    than the new places, say) refuses the whole change (``RecurrenceError`` ``occurrence``)."""
    if faculties is not None:
        event.audience_faculties.set(faculties)
    try:
        event.save_revision().publish()
    except ValidationError as error:
        problems = " ".join(str(message) for message in error.messages)
        raise _refuse(
            "occurrence",
            _("The event on %(date)s cannot be changed so: %(problems)s")
            % {
                "date": formats.date_format(
                    timezone.localtime(event.start_at).date(), "SHORT_DATE_FORMAT"
                ),
                "problems": problems,
            },
        ) from error


def _questions_source(recurrence: EventRecurrence) -> EventPage | None:
    """The occurrence whose signup questions a new occurrence copies: the latest of its
    recurrence, else (a rule just split) the latest of its series."""
    occurrences = EventPage.objects.order_by("-occurrence_date", "-pk")
    return (
        occurrences.filter(recurrence=recurrence).first()
        or occurrences.filter(
            recurrence__series_id=recurrence.series_id, occurrence_date__isnull=False
        ).first()
    )


def _questions_copied(source: EventPage | None) -> list[EventQuestion]:
    """Unsaved copies of ``source``'s signup questions (without their answers)."""
    if source is None:
        return []
    # The per-language columns, not the translated fields that stand for the active language.
    skipped = {"id", "event", "label", "help_text", "choices"}
    names = [f.name for f in EventQuestion._meta.concrete_fields if f.name not in skipped]
    return [
        EventQuestion(**{name: getattr(question, name) for name in names})
        for question in EventQuestion.objects.filter(event=source).order_by("sort_order", "pk")
    ]


def _occurrence_new(
    series: EventSeriesPage, recurrence: EventRecurrence, day: date, faculties: list[Any]
) -> EventPage:
    event = EventPage()
    _occurrence_apply(event, recurrence, day)
    # The recurrence holds the page's fields; the questions an organiser added to its
    # occurrences are carried forward from the latest one.
    event.questions.set(_questions_copied(_questions_source(recurrence)))
    event.slug_nb = f"{slugify(recurrence.title_nb)[:200]}-{day.isoformat()}"
    event.slug_en = f"{slugify(recurrence.title_en)[:200]}-{day.isoformat()}"
    event.slug = event.slug_nb
    series.add_child(instance=event)
    _occurrence_publish(event, faculties)
    return event


def _series_lock(series_id: int) -> EventSeriesPage:
    # One maker of a series' occurrences at a time: a second run waits, then finds them made.
    return EventSeriesPage.objects.select_for_update().get(pk=series_id)


def _occurrences_make(recurrence: EventRecurrence, *, now: datetime | None) -> list[EventPage]:
    series = _series_lock(recurrence.series_id)
    today = timezone.localdate(now or timezone.now())
    dates = rules.rule_dates(
        recurrence.rule,
        starts_on=recurrence.starts_on,
        start_time=recurrence.start_time,
        first=max(today, recurrence.starts_on),
        last=recurrence_window_end(now=now),
        skipped=_skipped(recurrence),
    )
    made = set(
        EventPage.objects.filter(recurrence=recurrence).values_list("occurrence_date", flat=True)
    )
    faculties = list(recurrence.audience_faculties.all())
    return [_occurrence_new(series, recurrence, day, faculties) for day in dates if day not in made]


def occurrences_create(
    *, recurrence: EventRecurrence | None = None, now: datetime | None = None
) -> list[EventPage]:
    """Make the occurrences of ``recurrence`` (or of every recurrence) that are due and missing.

    Every date the rule gives from today to ``recurrence_window_end`` that is not
    skipped and has no occurrence yet becomes a published ``EventPage`` under the
    series, copying the recurrence's titles, summaries, place, language, places and
    audience, at the recurrence's local start time. Running it again makes nothing
    new (an occurrence moved or deleted on its own is not made again, since its
    date is kept or skipped). Returns the events made.
    """
    recurrences = (
        [recurrence]
        if recurrence is not None
        else EventRecurrence.objects.filter(series__live=True).order_by("pk")
    )
    made: list[EventPage] = []
    for each in recurrences:
        try:
            with transaction.atomic():
                made += _occurrences_make(each, now=now)
        except RecurrenceError:
            if recurrence is not None:
                raise
            # One series whose occurrence its own rules refuse does not hold up the others.
            logger.exception("Occurrences of recurrence %s were not made.", each.pk)
    return made


@transaction.atomic
def recurrence_create(
    *, series: EventSeriesPage, by: Any, given: RecurrenceInput, now: datetime | None = None
) -> EventRecurrence:
    """Make ``series`` repeat as ``given`` says, and make its first occurrences at once.

    Raises ``RecurrenceError`` ``forbidden``, ``date_out_of_range``, ``two_ends``,
    ``count``, ``until_before_start``, ``duration``, ``week_of_month``, ``bad_rule``,
    ``no_dates``, ``exception_not_in_rule``, ``title_missing``, ``summary_missing``,
    ``no_place`` or ``audience``; nothing is written then.
    """
    _check_may_repeat(series, by)
    rule = _recurrence_rule(given)
    _template_check(given.template)
    recurrence = EventRecurrence(series=series)
    _recurrence_fill(recurrence, given, rule)
    recurrence.save()
    recurrence.audience_faculties.set(given.faculties)
    occurrences_create(recurrence=recurrence, now=now)
    return recurrence


def _active_people(event: EventPage) -> int:
    return Signup.objects.filter(
        event=event, status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]
    ).count()


@dataclass(frozen=True)
class RecurrenceSplit:
    """A "this and following" edit: the new recurrence, and what became of the occurrences
    from the split on. ``updated`` were moved or updated (``told`` people with a place
    there were told), ``removed`` had nobody signed up and no date in the new rule, and
    ``kept`` had people but no date in the new rule: they stay as they were, to cancel."""

    recurrence: EventRecurrence
    updated: list[EventPage]
    removed: int
    kept: list[EventPage]
    told: int


@transaction.atomic
def recurrence_split(
    *,
    recurrence: EventRecurrence,
    day: date,
    by: Any,
    given: RecurrenceInput,
    now: datetime | None = None,
) -> RecurrenceSplit:
    """Change ``recurrence`` from ``day`` on ("this and following").

    The old rule ends the day before ``day``; a new recurrence, as ``given``
    says, starts on ``day``. The coming occurrences of the old rule from ``day``
    on (those not edited on their own and not cancelled) take the new rule's
    dates in order: each is moved and updated to the new time, place and
    texts; people signed up keep their places and are told of a new time or
    place through the notification centre (``event_changed``). Occurrences
    left without a date are deleted when nobody is signed up, else kept as they
    are for the organisers to cancel. Missing occurrences of the new rule are
    then made. Returns a :class:`RecurrenceSplit`.

    Raises ``RecurrenceError`` as :func:`recurrence_create` does, with
    ``given.starts_on`` taken to be ``day``; nothing is written then.
    """
    _check_may_repeat(recurrence.series, by)
    given = RecurrenceInput(**{**given.__dict__, "starts_on": day})
    rule = _recurrence_rule(given)
    _template_check(given.template)
    old = EventRecurrence.objects.select_for_update().get(pk=recurrence.pk)
    _series_lock(old.series_id)

    old.rule = rules.rule_end_before(
        old.rule, day=day, starts_on=old.starts_on, start_time=old.start_time
    )
    old.exceptions = [iso for iso in old.exceptions if date.fromisoformat(iso) < day]
    old.save(update_fields=["rule", "exceptions"])
    new = EventRecurrence(series_id=old.series_id, time_zone=old.time_zone)
    _recurrence_fill(new, given, rule)
    new.save()
    new.audience_faculties.set(given.faculties)

    moment = now or timezone.now()
    following = list(
        EventPage.objects.filter(
            recurrence=old,
            occurrence_date__gte=day,
            recurrence_detached=False,
            cancellation__isnull=True,
            start_at__gte=moment,
        ).order_by("occurrence_date")
    )
    last = max(
        [recurrence_window_end(now=now)]
        + [e.occurrence_date for e in following if e.occurrence_date is not None]
    )
    dates = rules.rule_dates(
        new.rule,
        starts_on=new.starts_on,
        start_time=new.start_time,
        first=day,
        last=last,
        skipped=_skipped(new),
    )
    # Only coming dates: an occurrence is never moved into the past.
    dates = [
        each
        for each in dates
        if rules.occurrence_times(
            each, start_time=new.start_time, duration=new.duration, time_zone=new.time_zone
        )[0]
        >= moment
    ]
    faculties = list(given.faculties)
    updated, kept, removed, told = [], [], 0, 0
    for position, event in enumerate(following):
        people = _active_people(event)
        if position < len(dates):
            _occurrence_apply(event, new, dates[position])
            _occurrence_publish(event, faculties)
            updated.append(event)
            told += people
        elif people:
            EventPage.objects.filter(pk=event.pk).update(recurrence_detached=True)
            kept.append(event)
        else:
            event.delete()
            removed += 1
    occurrences_create(recurrence=new, now=now)
    return RecurrenceSplit(recurrence=new, updated=updated, removed=removed, kept=kept, told=told)


@transaction.atomic
def occurrence_update(
    *,
    event: EventPage,
    by: Any,
    day: date,
    start_time: time,
    duration: timedelta,
    building: str,
    room: str,
    online_url: str = "",
) -> EventPage:
    """Change one occurrence alone ("this occurrence"): its date, time and place.

    It is marked as edited on its own, so that later edits of the rule leave it
    alone, and it keeps the date it stood for in the rule (the rule does not
    make that date again). People signed up keep their places and are told of a
    new time or place (``event_changed``). Returns the event.

    Raises ``RecurrenceError`` ``forbidden``, ``not_an_occurrence``,
    ``date_out_of_range``, ``duration`` or ``no_place``.
    """
    if event.recurrence_id is None:
        raise _refuse("not_an_occurrence", _("This event is not part of a repeating series."))
    recurrence = event.recurrence
    assert recurrence is not None
    _check_may_repeat(recurrence.series, by)
    if not in_range(day):
        raise _refuse("date_out_of_range", out_of_range_message(), "starts_on")
    if not timedelta(0) < duration <= MAX_DURATION:
        raise _refuse(
            "duration",
            _("An event must last more than 0 minutes and at most 24 hours."),
            "duration",
        )
    if not (building or online_url):
        raise _refuse("no_place", _("Give a building, an online link, or both."), "building")
    event = EventPage.objects.get(pk=event.pk)
    start, end = rules.occurrence_times(
        day, start_time=start_time, duration=duration, time_zone=recurrence.time_zone
    )
    shift = start - event.start_at
    for name in ("signup_opens_at", "signup_closes_at", "cancellation_deadline"):
        if getattr(event, name):
            setattr(event, name, getattr(event, name) + shift)
    event.start_at, event.end_at = start, end
    event.building, event.room, event.online_url = building, room, online_url
    event.recurrence_detached = True
    _occurrence_publish(event, None)
    return event
