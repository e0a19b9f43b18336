"""Admin wiring: from an event in the page explorer to its organiser pages, and a guard that
an event people are signed up to is cancelled (so they are told) before it is hidden or deleted.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from onboarding.bookings.admin_guard import (
    ORGANISER_BUTTONS_HOOK,
    PEOPLE_GUARD_HOOK,
    OrganiserButtons,
    PeopleGuard,
)
from onboarding.hooks import (
    INTERNATIONAL_STAFF_PERMISSIONS,
    LIVE_TOPICS,
    NOTIFICATION_KINDS,
    PERSONAL_DATA,
    SEARCH_SOURCES,
    UPCOMING_EVENTS,
)
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import Erasure, LegalBasis, PersonalData, Purpose, Retention
from onboarding.units.selectors import UpcomingEventsProvider

from . import selectors
from .models import (
    CalendarFeed,
    EventCancellation,
    EventPage,
    EventSeriesPage,
    NoShowNotice,
    Signup,
    SignupAnswer,
)
from .services import signups_release


@hooks.register(ORGANISER_BUTTONS_HOOK)
def series_organiser_buttons() -> OrganiserButtons:
    return OrganiserButtons(
        page_class=EventSeriesPage,
        links=[(_("Repeat"), "activities:series_recurrence", "date")],
    )


@hooks.register(ORGANISER_BUTTONS_HOOK)
def event_organiser_buttons() -> OrganiserButtons:
    return OrganiserButtons(
        page_class=EventPage,
        links=[
            (_("Attendees"), "activities:attendees", "group"),
            (_("Check-in"), "activities:checkin", "tick"),
            (_("Cancel event"), "activities:cancel_event", "cross"),
        ],
    )


# --- Events with people signed up are cancelled, not hidden --------------------------------


def _alone(title: str, count: int) -> str:
    return ngettext(
        "“%(title)s” has %(count)s person with a place or on the waitlist. Cancel the event "
        "first, which tells them; then it can be unpublished or deleted.",
        "“%(title)s” has %(count)s people with a place or on the waitlist. Cancel the event "
        "first, which tells them; then it can be unpublished or deleted.",
        count,
    ) % {"title": title, "count": count}


def _under(count: int, title: str, listing: str) -> str:
    return ngettext(
        "%(count)s coming event under “%(title)s” has people with a place or on the "
        "waitlist: %(events)s. Cancel it first, which tells them.",
        "%(count)s coming events under “%(title)s” have people with a place or on the "
        "waitlist: %(events)s. Cancel them first, which tells them.",
        count,
    ) % {"count": count, "title": title, "events": listing}


@hooks.register(PEOPLE_GUARD_HOOK)
def event_people_guard() -> PeopleGuard:
    return PeopleGuard(
        with_people=selectors.events_with_people,
        when=lambda event: formats.date_format(
            timezone.localtime(event.start_at), "SHORT_DATETIME_FORMAT"
        ),
        cancel_url=lambda event: reverse("activities:cancel_event", args=[event.pk]),
        cancel_label=_("Cancel event"),
        alone=_alone,
        under=_under,
    )


# --- What the events app gives other apps -------------------------------------------------


@hooks.register(LIVE_TOPICS)
def event_topics():
    """The ``event:<id>`` page topic: anyone logged in may follow a live, public event."""
    return {"event": selectors.event_topic_allowed}


@hooks.register(UPCOMING_EVENTS)
def upcoming_events_provider():
    """The events of a unit on its page, and of the followed units on "My connections"."""
    return UpcomingEventsProvider(
        fetch=selectors.unit_upcoming_events,
        template_name="activities/includes/unit_upcoming_events.html",
        fetch_for_units=selectors.units_upcoming_events,
        units_template_name="activities/includes/followed_upcoming_events.html",
        starts_at=lambda row: row.event.start_at,
        page_of=lambda row: row.event,
    )


@hooks.register(NOTIFICATION_KINDS)
def event_notification_kinds():
    """The kinds of notification the events app sends: a signup, a place from the waitlist,
    an event changed or cancelled, a new event from a followed unit, organisers' messages."""
    return [
        NotificationKind(
            code="waitlist_place_given",
            label=_("You got a place from the waitlist"),
            description=_("A place became free at an event you are on the waitlist for."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("event_title", "starts_at", "location"),
        ),
        NotificationKind(
            code="waitlist_place_offered",
            label=_("A place is offered to you from the waitlist"),
            description=_(
                "A place became free at an event you are on the waitlist for; claim it in time."
            ),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("event_title", "starts_at", "location", "expires_at"),
        ),
        NotificationKind(
            code="waitlist_offer_lapsed",
            label=_("An offered place was not claimed in time"),
            description=_("The place offered to you has gone to the next person on the waitlist."),
            mandatory=True,
            default_channel=Channel.SITE,
            context_keys=("event_title", "starts_at"),
        ),
        NotificationKind(
            code="event_signup",
            label=_("You signed up to an event"),
            description=_("A confirmation of your place, or of your place on the waitlist."),
            default_channel=Channel.EMAIL,
            context_keys=("event_title", "starts_at", "location", "waitlisted", "position"),
        ),
        NotificationKind(
            code="event_changed",
            label=_("An event you signed up to has changed"),
            description=_("The time, place or details of the event have changed."),
            default_channel=Channel.EMAIL,
            context_keys=("event_title", "starts_at", "location", "changed"),
        ),
        NotificationKind(
            code="event_cancelled",
            label=_("An event you signed up to is cancelled"),
            description=_("The organisers have cancelled the event."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("event_title", "starts_at", "reason"),
        ),
        NotificationKind(
            code="unit_new_event",
            label=_("A new event from a unit you follow"),
            description=_("A faculty, department or organisation you follow has posted an event."),
            default_channel=Channel.DIGEST,
            context_keys=("unit_name", "event_title", "starts_at"),
        ),
        NotificationKind(
            code="noshow_limit_reached",
            label=_("Your no-shows put you on the waitlist"),
            description=_(
                "You missed several events you had a place at this semester without "
                "cancelling; at some events you now wait on the waitlist."
            ),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("noshows", "release_hours"),
        ),
        NotificationKind(
            code="organiser_message",
            label=_("A message from organisers"),
            description=_("The organisers of an event you signed up to have written to you."),
            default_channel=Channel.EMAIL,
            context_keys=("sender", "event_title", "message"),
        ),
    ]


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def noshow_rule_staff_permissions():
    """The International Section sets how many no-shows in a semester hold a person back."""
    return ["activities.change_noshowrules"]


@hooks.register(PERSONAL_DATA)
def activities_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=Signup,
            subjects=("person",),
            fields=Signup.PERSONAL_FIELDS,
            other_fields=("id", "event"),
            context=("event",),
            purpose=Purpose.EVENTS,
            legal_basis=LegalBasis.PUBLIC_TASK,
            # Places on events to come are given up; past signups stay for the figures.
            erasure=Erasure.ANONYMISE,
            release=signups_release,
        ),
        PersonalData(
            model=SignupAnswer,
            subjects=("signup__person",),
            fields=SignupAnswer.PERSONAL_FIELDS,
            other_fields=("id", "question"),
            context=("question",),
            purpose=Purpose.EVENTS,
            legal_basis=LegalBasis.CONSENT,
            # Answers marked personal (health, an emergency contact) go soon after the event;
            # the others stay with the signup until the account is deleted.
            retention=Retention(
                days=selectors.personal_answers_retention_days(),
                after="signup__event__end_at",
                only={"question__personal": True},
                only_label=_("Answers to questions marked as personal data"),
            ),
        ),
        PersonalData(
            model=CalendarFeed,
            subjects=("user",),
            fields=CalendarFeed.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.EVENTS,
            legal_basis=LegalBasis.CONSENT,
        ),
        PersonalData(
            model=EventCancellation,
            subjects=("cancelled_by",),
            fields=EventCancellation.PERSONAL_FIELDS,
            other_fields=("id", "event", "cancelled_at", "reason_nb", "reason_en"),
            context=("event", "cancelled_at"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            erasure=Erasure.ANONYMISE,
        ),
        PersonalData(
            model=NoShowNotice,
            subjects=("person",),
            fields=NoShowNotice.PERSONAL_FIELDS,
            other_fields=("id",),
            purpose=Purpose.EVENTS,
            legal_basis=LegalBasis.PUBLIC_TASK,
            # Only the semester it is about matters: a year is more than enough.
            retention=Retention(days=365, after="sent_at"),
        ),
    ]


@hooks.register(SEARCH_SOURCES)
def event_search_sources():
    """Events for the site search: every live, public event, past ones labelled as past."""
    import dataclasses

    from cms.search.selectors import page_hit
    from cms.search.sources import SearchSource

    def hit(page):
        when = formats.date_format(timezone.localtime(page.start_at), "DATE_FORMAT")
        note = str(_("Past event, %(date)s")) % {"date": when} if page.has_ended() else when
        return dataclasses.replace(page_hit(page), note=note)

    return [
        SearchSource(
            key="event", name=_("Event"), plural=_("Events"), model=EventPage, order=30, hit=hit
        )
    ]
