"""What an event page and an event series page show besides their own fields.

Read-only assembly for the page models' ``get_context``: the builders read
through the selectors and never write. The signup panel's context and the
sentences about places are shared with the views that answer a signup or a
re-read of the places.
"""

import functools
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.bookings import selectors as booking_selectors
from onboarding.bookings.models import BookingStatus
from onboarding.bookings.pools import PoolPlaces
from onboarding.bookings.selectors import Places, waitlist_text

from . import selectors
from .forms import SignupAnswersForm
from .models import EventPage, EventSeriesPage, Signup
from .services import noshow_held_text


def _unlimited_text(count: int) -> str:
    return ngettext(
        "%(count)s signed up; no limit on places.",
        "%(count)s signed up; no limit on places.",
        count,
    ) % {"count": count}


def places_text(places: Places) -> str:
    """The sentence about free places the page shows (activities.js builds the same ones)."""
    return booking_selectors.places_text(places, unlimited=_unlimited_text)


def live_labels() -> dict[str, str]:
    """Sentence patterns for activities.js, in the page's language (one/other by count)."""
    return {
        "unlimited_one": ngettext(
            "%(count)s signed up; no limit on places.",
            "%(count)s signed up; no limit on places.",
            1,
        ),
        "unlimited_other": ngettext(
            "%(count)s signed up; no limit on places.",
            "%(count)s signed up; no limit on places.",
            2,
        ),
        "free_one": ngettext(
            "%(free)s of %(capacity)s places free.", "%(free)s of %(capacity)s places free.", 1
        ),
        "free_other": ngettext(
            "%(free)s of %(capacity)s places free.", "%(free)s of %(capacity)s places free.", 2
        ),
        "cancelled": _("This event is cancelled."),
        "full_one": ngettext(
            "Full: the only place is taken.", "Full: all %(capacity)s places are taken.", 1
        ),
        "full_other": ngettext(
            "Full: the only place is taken.", "Full: all %(capacity)s places are taken.", 2
        ),
        "waitlist_one": ngettext(
            "%(count)s person on the waitlist.", "%(count)s people on the waitlist.", 1
        ),
        "waitlist_other": ngettext(
            "%(count)s person on the waitlist.", "%(count)s people on the waitlist.", 2
        ),
    }


def my_status(signup: Signup | None, position: int | None) -> dict[str, Any] | None:
    """The person's own standing at an event (a place or a waitlist number), or None."""
    if signup is None:
        return None
    if signup.status == BookingStatus.CONFIRMED:
        return {"status": "confirmed", "position": None, "text": _("You have a place.")}
    if signup.status == BookingStatus.OFFERED:
        expires = formats.date_format(
            timezone.localtime(signup.offer_expires_at), "DATETIME_FORMAT"
        )
        return {
            "status": "offered",
            "position": None,
            "text": _("A place is offered to you. Claim it before %(expires)s.")
            % {"expires": expires},
        }
    return {
        "status": "waitlisted",
        "position": position,
        "text": _("You are on the waitlist, as number %(position)s.") % {"position": position},
    }


_UNKNOWN = object()


def _free_for(places: Places, pool: PoolPlaces | None) -> int | None:
    return places.free_for(pool.key) if pool is not None else None


def panel_context(
    request: HttpRequest,
    *,
    event: EventPage,
    signup: Any = _UNKNOWN,
    places: Any = None,
    position: int | None = None,
    cancellation: Any = _UNKNOWN,
    answer_form: Any = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """What the signup panel shows; ``signup``, ``places``, ``position`` (on the waitlist) and
    ``cancellation`` when known, and ``answer_form`` (the signup questions, as sent back with
    their errors)."""
    now = now or timezone.now()
    user = request.user
    if cancellation is _UNKNOWN:
        # Read only when the panel asks (nobody holds a place and the event has not ended).
        def cancellation() -> Any:
            return selectors.event_cancellation(event=event)

    if signup is _UNKNOWN:
        signup = selectors.signup_for(event=event, user=user)
    if signup is not None and not signup.is_active:
        signup = None
    position = position or selectors.signup_position(signup=signup)
    places = places or selectors.event_places(event=event)

    @functools.cache
    def my_pool() -> PoolPlaces | None:
        # Read only when the panel asks (it lists reserved places).
        return booking_selectors.pool_standing(
            places=places, holder=event, booking=signup, profile=lambda: selectors.profile_for(user)
        )

    questions = selectors.event_questions(event=event)
    answers = selectors.signup_answers(signup=signup) if signup is not None and questions else []
    may_change_answers = bool(questions) and signup is not None and now < event.start_at
    if answer_form is None and questions and (signup is None or may_change_answers):
        answer_form = SignupAnswersForm(questions=questions, answers=answers)
    return {
        "questions": questions,
        "has_personal_questions": any(question.personal for question in questions),
        "personal_answers_days": selectors.personal_answers_retention_days(),
        "answer_form": answer_form,
        "my_answers": answers,
        "may_change_answers": may_change_answers,
        "event": event,
        "places": places,
        "signup": signup,
        "position": position,
        "my_status": my_status(signup, position),
        "my_pool": my_pool,
        "my_pool_free": lambda: _free_for(places, my_pool()),
        "signup_state": event.signup_state(now),
        # Read only when the panel asks (a signup form for someone not yet signed up).
        "admitted": lambda: (
            user.is_authenticated and selectors.audience_admits(event=event, user=user)
        ),
        "may_cancel": signup is not None
        and (
            event.may_cancel(now)
            if signup.status == BookingStatus.CONFIRMED
            else not event.has_ended(now)
        ),
        "has_ended": event.has_ended(now),
        "cancellation": cancellation,
        # Why a person held back by the no-show rule waits; read only for them.
        "held_text": (
            (lambda: noshow_held_text(selectors.noshows_count(user=signup.person_id, now=now)))
            if signup is not None
            and signup.status == BookingStatus.WAITLISTED
            and signup.held
            and selectors.event_holds_on(event=event, now=now)
            else None
        ),
    }


def event_context(
    request: HttpRequest,
    *,
    event: EventPage,
    answer_form: Any = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """What an event page shows besides the page's own fields: places, the panel, organiser
    links; ``answer_form`` is the signup questions as sent back with their errors."""
    cancellation = selectors.event_cancellation(event=event)
    context = panel_context(
        request, event=event, cancellation=cancellation, answer_form=answer_form, now=now
    )
    places = context["places"]
    return {
        **context,
        "places_text": places_text(places),
        "waitlist_text": waitlist_text(places),
        "live_labels": live_labels(),
        "is_organiser": selectors.event_may_check_in(event=event, user=request.user),
        "may_organise": lambda: selectors.event_may_organise(event=event, user=request.user),
    }


def series_context(request: HttpRequest, *, series: EventSeriesPage) -> dict[str, Any]:
    """What a series page shows: its events with their places and the person's own signups."""
    rows = selectors.event_rows(selectors.series_events(series=series), user=request.user)
    return {"events": rows}
