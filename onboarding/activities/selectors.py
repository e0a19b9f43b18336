"""Reads of events, signups, tickets and calendars.

Every list here fetches what its template needs in a fixed number of
queries, however many events or signups there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Length, Substr
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from onboarding.bookings.models import BookingStatus
from onboarding.bookings.selectors import (
    HolderPeople,
    Places,
    holders_with_people,
    places_for,
    places_get,
    waitlist_position,
    waitlist_positions,
)
from onboarding.checklists.calendar import TERM_START_MONTH, Term, term_of
from onboarding.units.selectors import page_unit_organiser

from .models import (
    CalendarFeed,
    EventCancellation,
    EventLanguage,
    EventPage,
    EventQuestion,
    EventRecurrence,
    EventSeriesPage,
    Signup,
    SignupAnswer,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage

# The size event images are shown at in lists; renditions come with the list.
LIST_IMAGE_FILTER = "fill-480x270"
PAGE_IMAGE_FILTER = "fill-960x540"


# --- The person ---------------------------------------------------------------------------


def profile_for(user: Any) -> Any:
    """The student profile of ``user`` (status, faculty), or None.

    The profile belongs to the accounts app; a person without one (or a site
    without profiles) counts only for events meant for everyone.
    """
    if user is None or not user.is_authenticated:
        return None
    try:
        from onboarding.accounts.profile_selectors import profile_get
    except ImportError:
        return None
    try:
        return profile_get(user=user)
    except ObjectDoesNotExist:
        return None


def audience_admits(*, event: EventPage, user: Any, profile: Any = None) -> bool:
    """Whether the event is meant for ``user``: everyone, or their status and faculty.

    An event limited to statuses admits people whose profile has one of them;
    one limited to faculties admits people whose profile names one of them;
    one limited to both needs both. A person without a profile is admitted
    only to events for everyone.
    """
    if event.is_for_everyone:
        return True
    profile = profile if profile is not None else profile_for(user)
    if profile is None:
        return False
    if event.audience_statuses and getattr(profile, "status", None) not in event.audience_statuses:
        return False
    faculty_ids = event.audience_faculty_ids
    return not faculty_ids or getattr(profile, "faculty_id", None) in faculty_ids


def event_may_organise(*, event: EventPage, user: Any) -> bool:
    """Whether ``user`` may run ``event``: write to its attendees, cancel it, change its
    recurrence, as well as see the attendees and check them in.

    The editors of the event's unit and the International Section's staff may
    (they can edit the page, through Wagtail's group page permissions), and
    superusers.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    # Page permissions on the event's branch, as Wagtail's editor checks them
    # (one query per request, cached on the user), without its workflow look-ups.
    granted = PagePermissionTester(user, event).permissions
    return "change" in granted or ("add" in granted and event.owner_id == user.pk)


def event_may_check_in(*, event: EventPage, user: Any) -> bool:
    """Whether ``user`` may see the attendees of ``event`` and check them in.

    Those who may organise it (:func:`event_may_organise`), and the organisers of
    the event's unit, who check people in without editing anything.
    """
    if event_may_organise(event=event, user=user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return page_unit_organiser(page=event, user=user)


def series_may_organise(*, series: Any, user: Any) -> bool:
    """Whether ``user`` may make ``series`` repeat and change its recurrence.

    The same people who may organise its events: those who may edit the series
    page (its unit's editors, the International Section's staff) and superusers.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    granted = PagePermissionTester(user, series).permissions
    return "change" in granted or ("add" in granted and series.owner_id == user.pk)


def series_get_any(*, series_id: int) -> Any:
    """The event series with this id, published or not, or None."""
    return EventSeriesPage.objects.filter(pk=series_id).first()


def series_recurrence_current(*, series: Any) -> EventRecurrence | None:
    """The series' newest recurrence (the one a split started last), or None."""
    return EventRecurrence.objects.filter(series=series).order_by("-pk").first()


def series_occurrences(*, series: Any, now: datetime | None = None) -> Any:
    """The coming occurrences of the series' recurrences, by time, with their cancellation."""
    return (
        EventPage.objects.child_of(series)
        .filter(recurrence__isnull=False, end_at__gt=now or timezone.now())
        .select_related("cancellation")
        .annotate(
            people=Count(
                "signups",
                filter=Q(signups__status__in=[BookingStatus.CONFIRMED, BookingStatus.WAITLISTED]),
            )
        )
        .order_by("start_at")
    )


# --- Events -------------------------------------------------------------------------------


def _public_events() -> Any:
    return EventPage.objects.live().public()


def _coming_events(now: datetime | None) -> Any:
    """Live, public events that have not ended and are not cancelled."""
    return _public_events().filter(end_at__gt=now, cancellation__isnull=True)


def event_get(*, event_id: int) -> EventPage | None:
    """The live, public event with this id, or None."""
    return _public_events().filter(pk=event_id).first()


def event_get_any(*, event_id: int) -> EventPage | None:
    """The event with this id whether or not it is live (for its organisers), or None."""
    return EventPage.objects.filter(pk=event_id).first()


def _confirmed_subquery(status: str = BookingStatus.CONFIRMED) -> Coalesce:
    counts = (
        Signup.objects.filter(event=OuterRef("pk"), status=status)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _faculty_link(faculty_id: int | None) -> Exists:
    through = EventPage.audience_faculties.through
    return Exists(through.objects.filter(eventpage_id=OuterRef("pk"), unitpage_id=faculty_id))


def _any_faculty_link() -> Exists:
    through = EventPage.audience_faculties.through
    return Exists(through.objects.filter(eventpage_id=OuterRef("pk")))


def _status_admits(status: str | None) -> Q:
    condition = Q(audience_statuses=[])
    if status:
        condition |= Q(audience_statuses__icontains=f'"{status}"')
    return condition


def _owned_by(unit: Any) -> Q:
    """Events whose own unit is ``unit``: its children and its event series' children."""
    series_paths = EventSeriesPage.objects.child_of(unit).values_list("path", flat=True)
    condition = Q(path__startswith=unit.path, depth=unit.depth + 1)
    paths = list(series_paths)
    if paths:
        series = Q()
        for path in paths:
            series |= Q(path__startswith=path)
        condition |= Q(depth=unit.depth + 2) & series
    return condition


@dataclass(frozen=True)
class EventFilters:
    """What the listing's filter form asks for; every field optional."""

    date_from: date | None = None
    date_to: date | None = None
    unit: Page | None = None
    faculty: Page | None = None
    language: str = ""
    audience: str = ""
    free_places: bool = False
    for_you: bool = False


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def event_list(
    *, filters: EventFilters | None = None, user: Any = None, now: datetime | None = None
) -> QuerySet[EventPage]:
    """Upcoming (not yet ended, not cancelled) live events, soonest first, filtered; with counts.

    Each event carries ``confirmed_count`` and ``waitlisted_count``. With
    ``filters.for_you`` and a logged-in person, events meant for them come
    first, then those that match their faculty, the units they follow and
    their language (``for_you_score``), then by date. Pass the result to
    :func:`event_rows` for what the page shows of each.
    """
    filters = filters or EventFilters()
    now = now or timezone.now()
    events = _coming_events(now)
    if filters.date_from:
        events = events.filter(end_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(start_at__lt=_day_start(filters.date_to) + timedelta(days=1))
    if filters.unit is not None:
        events = events.filter(_owned_by(filters.unit))
    if filters.faculty is not None:
        events = events.filter(
            Q(path__startswith=filters.faculty.path) | _faculty_link(filters.faculty.pk)
        )
    if filters.language in (EventLanguage.NORWEGIAN, EventLanguage.ENGLISH):
        events = events.filter(event_language__in=[filters.language, EventLanguage.BOTH])
    if filters.audience == "everyone":
        events = events.filter(audience_statuses=[]).exclude(_any_faculty_link())
    elif filters.audience:
        events = events.filter(_status_admits(filters.audience))
    events = events.annotate(
        confirmed_count=_confirmed_subquery(),
        waitlisted_count=_confirmed_subquery(BookingStatus.WAITLISTED),
    )
    if filters.free_places:
        events = events.filter(Q(capacity__isnull=True) | Q(capacity__gt=F("confirmed_count")))
    if filters.for_you and user is not None and user.is_authenticated:
        return _for_you(events, user=user)
    return events.order_by("start_at", "path")


def _for_you(events: QuerySet[EventPage], *, user: Any) -> QuerySet[EventPage]:
    from onboarding.units.models import Follow

    profile = profile_for(user)
    status = getattr(profile, "status", None) if profile else None
    faculty_id = getattr(profile, "faculty_id", None) if profile else None
    faculty_path = None
    if faculty_id:
        faculty_path = Page.objects.filter(pk=faculty_id).values_list("path", flat=True).first()

    admits: Any = _status_admits(status) & (~_any_faculty_link() | _faculty_link(faculty_id or 0))
    if profile is None:
        admits = Q(audience_statuses=[]) & ~_any_faculty_link()

    followed = Q(pk__in=[])
    for path in Follow.objects.filter(user=user).values_list("unit__path", flat=True):
        followed |= Q(path__startswith=path)
    at_faculty: Any = Q(pk__in=[])
    if faculty_path:
        at_faculty = Q(path__startswith=faculty_path) | _faculty_link(faculty_id)
    language = user.language if user.language in ("nb", "en") else "nb"

    def points(condition: Any, value: int) -> Case:
        return Case(
            When(condition, then=Value(value)), default=Value(0), output_field=IntegerField()
        )

    return events.annotate(
        admitted_rank=Case(
            When(admits, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        for_you_score=points(at_faculty, 4)
        + points(followed, 4)
        + points(Q(event_language__in=[language, EventLanguage.BOTH]), 1),
    ).order_by("admitted_rank", "-for_you_score", "start_at", "path")


def _with_images(events: QuerySet[EventPage], image_filter: str) -> QuerySet[EventPage]:
    images = get_image_model().objects.prefetch_renditions(image_filter)
    return events.prefetch_related(Prefetch("image", queryset=images))


@dataclass(frozen=True)
class EventRow:
    """An event in a list, with what the list shows of it.

    ``unit`` is its organising unit (None when it has none), ``places`` how
    full it is, ``my_signup`` the person's active signup (None without one)
    and ``my_position`` that signup's place on the waitlist (None with a place).
    """

    event: EventPage
    unit: UnitPage | None
    places: Places
    my_signup: Signup | None = None
    my_position: int | None = None


def event_rows(
    events: Iterable[EventPage], *, user: User | AnonymousUser | None = None
) -> list[EventRow]:
    """An :class:`EventRow` for each event, in a fixed number of queries, in the events' order.

    The image renditions and audience faculties are fetched with the events
    when ``events`` is a queryset; places come from the ``confirmed_count``
    and ``waitlisted_count`` annotations when every event has them.
    """
    from onboarding.units.models import UnitPage

    if isinstance(events, QuerySet):
        events = _with_images(events, LIST_IMAGE_FILTER).prefetch_related("audience_faculties")
    events = list(events)
    if not events:
        return []
    paths = {
        event.path[:end]
        for event in events
        for end in range(Page.steplen, len(event.path), Page.steplen)
    }
    units = {unit.path: unit for unit in UnitPage.objects.filter(path__in=paths)}
    if all(hasattr(event, "confirmed_count") for event in events):
        places = {
            event.pk: Places(
                capacity=event.capacity,
                confirmed=event.confirmed_count,
                waitlisted=event.waitlisted_count,
            )
            for event in events
        }
    else:
        places = places_for(booking_model=Signup, holders=events)
    mine: dict[int, tuple[Signup | None, int | None]] = {}
    if user is not None and user.is_authenticated:
        signups = list(
            Signup.objects.filter(
                person=user,
                event_id__in=[e.pk for e in events],
                status__in=["confirmed", "waitlisted"],
            )
        )
        positions = waitlist_positions(booking_model=Signup, bookings=signups)
        mine = {s.event_id: (s, positions.get(s.pk)) for s in signups}
    rows = []
    for event in events:
        my_signup, my_position = mine.get(event.pk, (None, None))
        rows.append(
            EventRow(
                event=event,
                unit=next(
                    (
                        units[event.path[:end]]
                        for end in range(len(event.path) - Page.steplen, 0, -Page.steplen)
                        if event.path[:end] in units
                    ),
                    None,
                ),
                places=places[event.pk],
                my_signup=my_signup,
                my_position=my_position,
            )
        )
    return rows


def unit_upcoming_events(
    *, unit: Any, limit: int = 5, now: datetime | None = None
) -> list[EventRow]:
    """The next ``limit`` live events of ``unit`` (its own, not its sub-units'), as rows."""
    now = now or timezone.now()
    events = (
        _coming_events(now)
        .filter(_owned_by(unit))
        .annotate(
            confirmed_count=_confirmed_subquery(),
            waitlisted_count=_confirmed_subquery(BookingStatus.WAITLISTED),
        )
        .order_by("start_at", "path")[:limit]
    )
    return event_rows(events)


def units_upcoming_events(
    *, units: Iterable[Any], user: Any = None, limit: int = 10, now: datetime | None = None
) -> list[EventRow]:
    """The next ``limit`` live events of any of ``units`` (their own, not their sub-units'), as rows.

    Soonest first; each :class:`EventRow` holds the organising ``unit`` and
    the person's own signup. Three queries
    for the events however many units there are: the events are matched on
    the path of their parent (a unit, or an event series under one).
    """
    unit_paths = [unit.path for unit in units]
    if not unit_paths:
        return []
    now = now or timezone.now()
    steplen = Page.steplen
    series_paths = (
        EventSeriesPage.objects.annotate(parent_path=_parent_path(steplen))
        .filter(parent_path__in=unit_paths)
        .values("path")
    )
    events = (
        _coming_events(now)
        .annotate(parent_path=_parent_path(steplen))
        .filter(Q(parent_path__in=unit_paths) | Q(parent_path__in=series_paths))
        .annotate(
            confirmed_count=_confirmed_subquery(),
            waitlisted_count=_confirmed_subquery(BookingStatus.WAITLISTED),
        )
        .order_by("start_at", "path")[:limit]
    )
    return event_rows(events, user=user)


def _parent_path(steplen: int) -> Substr:
    return Substr("path", 1, Length("path") - Value(steplen))


def series_events(*, series: EventSeriesPage, now: datetime | None = None) -> Any:
    """The live events of an event series that have not ended, soonest first."""
    now = now or timezone.now()
    events = (
        _coming_events(now)
        .child_of(series)
        .annotate(
            confirmed_count=_confirmed_subquery(),
            waitlisted_count=_confirmed_subquery(BookingStatus.WAITLISTED),
        )
        .order_by("start_at", "path")
    )
    return events


def event_filter_units(*, now: datetime | None = None) -> list[Any]:
    """Units that have upcoming live events (the listing's unit filter), by title."""
    from onboarding.units.models import UnitPage

    now = now or timezone.now()
    event_paths = list(_coming_events(now).values_list("path", flat=True))
    paths = {
        path[:end] for path in event_paths for end in range(Page.steplen, len(path), Page.steplen)
    }
    return list(UnitPage.objects.filter(path__in=paths).order_by("title", "path"))


def event_cancellation(*, event: EventPage) -> EventCancellation | None:
    """The event's :class:`EventCancellation`, or None while it goes ahead."""
    return EventCancellation.objects.filter(event_id=event.pk).first()


def events_with_people(
    *,
    page: Page,
    include_descendants: bool = True,
    live_only: bool = False,
    now: datetime | None = None,
) -> list[HolderPeople]:
    """Events at or under ``page`` that still have people to tell, soonest first.

    These are the events that have not ended, are not cancelled, and have someone
    with a place or on the waitlist, each with ``people``, how many (:class:`HolderPeople`). Hiding
    or deleting one of them would leave those people with a ticket to nothing,
    so the admin asks for the event to be cancelled (which tells them) first.
    """
    now = now or timezone.now()
    return holders_with_people(
        booking_model=Signup,
        holders=EventPage.objects.filter(end_at__gt=now, cancellation__isnull=True).order_by(
            "start_at", "pk"
        ),
        page=page,
        include_descendants=include_descendants,
        live_only=live_only,
    )


def event_places(*, event: EventPage) -> Places:
    """The :class:`~onboarding.bookings.selectors.Places` of one event."""
    return places_get(booking_model=Signup, holder=event)


# --- Signups ------------------------------------------------------------------------------


def signup_for(*, event: EventPage, user: Any) -> Signup | None:
    """The person's signup to the event (any status), or None."""
    if user is None or not user.is_authenticated:
        return None
    return Signup.objects.filter(event=event, person=user).first()


def signup_position(*, signup: Signup | None) -> int | None:
    """The place of a waitlisted signup in the queue (1 is next), or None."""
    return waitlist_position(booking=signup) if signup is not None else None


def signups_of(
    *, user: Any, include_past: bool = False, now: datetime | None = None
) -> QuerySet[Signup]:
    """The person's active signups with their events, soonest first (upcoming unless asked)."""
    now = now or timezone.now()
    signups = Signup.objects.filter(
        person=user, status__in=["confirmed", "waitlisted"]
    ).select_related("event")
    if not include_past:
        signups = signups.filter(event__end_at__gt=now)
    return signups.order_by("event__start_at", "event_id")


def ticket_get(*, code: str, user: Any) -> Signup | None:
    """The signup behind a ticket code, if ``user`` may see it: its owner or the event's organisers."""
    if user is None or not user.is_authenticated:
        return None
    signup = Signup.objects.select_related("event", "person").filter(ticket_code=code).first()
    if signup is None:
        return None
    if signup.person_id == user.pk or event_may_check_in(event=signup.event, user=user):
        return signup
    return None


def _cancelled_with_the_event() -> Q:
    """Signups the event's cancellation called off (not those their people cancelled before).

    Calling an event off cancels every active signup at the moment it records
    as the cancellation's (``bookings.services.bookings_cancel_all``).
    """
    return Q(status=BookingStatus.CANCELLED, cancelled_at=F("event__cancellation__cancelled_at"))


def _by_name(signups: QuerySet[Signup]) -> QuerySet[Signup]:
    return signups.select_related("person", "checked_in_by").order_by(
        "person__last_name", "person__first_name", "person__email"
    )


def attendee_list(*, event: EventPage) -> QuerySet[Signup]:
    """The signups with a place at an event by name, with the people loaded.

    Once the event is cancelled, these are the people who had a place when it
    was (each carries ``cancelled_with_event``), so that its organisers still
    see who was coming.
    """
    held_place = _cancelled_with_the_event() & Q(confirmed_at__isnull=False)
    return _by_name(
        Signup.objects.filter(event=event)
        .filter(Q(status=BookingStatus.CONFIRMED) | held_place)
        .annotate(cancelled_with_event=_flag(held_place))
    )


def waitlist(*, event: EventPage, now: datetime | None = None) -> QuerySet[Signup]:
    """The waitlisted signups of an event in queue order, with the people loaded; those
    offered a place they have not claimed yet are among them, in their place in the queue.
    People held back by the no-show rule come after everyone else until the release moment.

    Once the event is cancelled, those who were on the waitlist when it was
    (each carries ``cancelled_with_event``).
    """
    queued = _cancelled_with_the_event() & Q(confirmed_at__isnull=True)
    waiting = Q(status=BookingStatus.WAITLISTED, held=True)
    order: tuple[str, ...] = ("sequence",)
    if event_holds_on(event=event, now=now):
        order = ("held_back", "sequence")
    return (
        Signup.objects.filter(event=event)
        .filter(Q(status__in=(BookingStatus.OFFERED, BookingStatus.WAITLISTED)) | queued)
        .annotate(cancelled_with_event=_flag(queued), held_back=_flag(waiting))
        .select_related("person")
        .order_by(*order)
    )


def _flag(condition: Any) -> Case:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def export_rows(*, event: EventPage) -> list[Signup]:
    """Every signup of an event's lists: with a place (by name), then waitlisted (in order).

    Once the event is cancelled, the people it had when it was (see :func:`attendee_list`).
    """
    return list(attendee_list(event=event)) + list(waitlist(event=event))


def contactable_people(*, event: EventPage) -> set[int]:
    """The ids of the people signed up to ``event`` whose email its organisers may see.

    Signing up shares a name with the organisers, not an address: the email
    is theirs only where the person agreed that the units they follow may
    contact them (their profile) and follows the unit that organises the
    event. Everyone else is reached through the organisers' message to
    attendees, on the platform.
    """
    from onboarding.units.models import Follow

    unit = event.unit
    if unit is None:
        return set()
    followers = Follow.objects.filter(unit=unit, user__student_profile__contact_consent=True)
    return set(
        Signup.objects.filter(event=event, person__in=followers.values("user")).values_list(
            "person_id", flat=True
        )
    )


def checkin_search(*, event: EventPage, query: str, limit: int = 20) -> list[Signup]:
    """Confirmed signups whose given, family or preferred name, email or ticket code matches."""
    from .models import normalise_ticket_code

    query = (query or "").strip()
    if not query:
        return []
    condition = Q(person__email__icontains=query)
    for word in query.split():
        condition |= (
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__preferred_name__icontains=word)
        )
    code = normalise_ticket_code(query)
    if len(code) >= 4:
        condition |= Q(ticket_code__startswith=code)
    confirmed = _by_name(Signup.objects.filter(event=event, status=BookingStatus.CONFIRMED))
    return list(confirmed.filter(condition)[:limit])


@dataclass(frozen=True)
class Attendance:
    confirmed: int
    checked_in: int
    waitlisted: int
    ended: bool

    @property
    def no_shows(self) -> int | None:
        return max(self.confirmed - self.checked_in, 0) if self.ended else None

    @property
    def no_show_rate(self) -> float | None:
        """The share of confirmed people who did not come (0–1), once the event has ended."""
        if not self.ended or not self.confirmed:
            return None
        return (self.no_shows or 0) / self.confirmed


def event_attendance(*, event: EventPage, now: datetime | None = None) -> Attendance:
    """Attendance of one event: confirmed, checked in, waitlisted, and no-shows once ended."""
    row = Signup.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
        checked_in=Count(
            "pk", filter=Q(status=BookingStatus.CONFIRMED, checked_in_at__isnull=False)
        ),
        waitlisted=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
    )
    return Attendance(ended=event.has_ended(now), **row)


# --- No-shows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SemesterSpan:
    """A semester as the no-show rule counts it: spring January–June, autumn July–December,
    in local time; ``code`` is e.g. ``2026-autumn``."""

    code: str
    starts: datetime
    ends: datetime


def semester_span(day: date) -> SemesterSpan:
    """The semester ``day`` falls in (as ``onboarding.checklists.calendar.term_of`` says)."""
    year, term = term_of(day)
    first_month = TERM_START_MONTH[Term(term)]
    last_month = first_month + 6
    zone = timezone.get_current_timezone()
    starts = datetime(year, first_month, 1, tzinfo=zone)
    ends = (
        datetime(year + 1, 1, 1, tzinfo=zone)
        if last_month > 12
        else datetime(year, last_month, 1, tzinfo=zone)
    )
    return SemesterSpan(code=f"{year}-{term}", starts=starts, ends=ends)


def _noshows(now: datetime, day: date | None) -> tuple[SemesterSpan, QuerySet[Signup]]:
    span = semester_span(day or timezone.localdate(now))
    signups = Signup.objects.filter(
        status=BookingStatus.CONFIRMED,
        checked_in_at__isnull=True,
        event__start_at__gte=span.starts,
        event__start_at__lt=span.ends,
        event__end_at__lte=now,
        event__cancellation__isnull=True,
    )
    return span, signups


def noshows_count(*, user: Any, now: datetime | None = None, day: date | None = None) -> int:
    """How many events of the semester ``day`` falls in (today's by default) ``user`` had a
    place at and did not check in at, of those that had ended by ``now`` and were not
    cancelled. One query."""
    _span, signups = _noshows(now or timezone.now(), day)
    return signups.filter(person=user).count()


def noshows_counts(
    *, people: Iterable[int], now: datetime | None = None, day: date | None = None
) -> dict[int, int]:
    """``{person id: no-shows}`` as :func:`noshows_count` counts them, for many people in one
    query (people without any are left out)."""
    _span, signups = _noshows(now or timezone.now(), day)
    rows = (
        signups.filter(person_id__in=list(people))
        .order_by()
        .values("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    return dict(rows)


def event_noshow_marks(*, event: EventPage, now: datetime | None = None) -> dict[int, int]:
    """``{signup id: no-shows this semester}`` for the people held back on the event's
    waitlist by the no-show rule (for its organisers' list)."""
    held = list(
        Signup.objects.filter(event=event, held=True, status=BookingStatus.WAITLISTED).values_list(
            "pk", "person_id"
        )
    )
    if not held:
        return {}
    counts = noshows_counts(people={person for _pk, person in held}, now=now)
    return {pk: counts.get(person, 0) for pk, person in held}


def event_holds_on(*, event: EventPage, now: datetime | None = None) -> bool:
    """Whether people held back at ``event`` still wait behind the others (before the release
    moment)."""
    release = event.hold_release_at()
    return release is None or (now or timezone.now()) < release


def events_organised_by(*, user: Any, now: datetime | None = None) -> QuerySet[EventPage]:
    """Events ``user`` may organise, newest first, with attendance counts on each.

    Pass a page of them to :func:`organiser_event_rows` for each one's
    :class:`Attendance`.
    """
    if user is None or not user.is_authenticated:
        return EventPage.objects.none()
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, {"change"})
    checked_in = (
        Signup.objects.filter(
            event=OuterRef("pk"), status=BookingStatus.CONFIRMED, checked_in_at__isnull=False
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        EventPage.objects.filter(pk__in=pages.values("pk"))
        .annotate(
            confirmed_count=_confirmed_subquery(),
            waitlisted_count=_confirmed_subquery(BookingStatus.WAITLISTED),
            checked_in_count=Coalesce(Subquery(checked_in, output_field=IntegerField()), Value(0)),
            cancelled_at=F("cancellation__cancelled_at"),
        )
        .order_by("-start_at", "path")
    )


@dataclass(frozen=True)
class OrganiserEventRow:
    """An event in an organiser's list: its organising unit and its attendance."""

    event: EventPage
    unit: UnitPage | None
    attendance: Attendance


def organiser_event_rows(
    events: Iterable[EventPage], *, now: datetime | None = None
) -> list[OrganiserEventRow]:
    """An :class:`OrganiserEventRow` for each event of :func:`events_organised_by`'s list."""
    return [
        OrganiserEventRow(
            event=row.event,
            unit=row.unit,
            attendance=Attendance(
                confirmed=row.event.confirmed_count,
                checked_in=row.event.checked_in_count,
                waitlisted=row.event.waitlisted_count,
                ended=row.event.has_ended(now),
            ),
        )
        for row in event_rows(events)
    ]


# --- Calendars ----------------------------------------------------------------------------


def calendar_feed_active(*, user: Any) -> CalendarFeed | None:
    """The person's active calendar feed, or None."""
    if user is None or not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """The active feed with this secret, with its owner, or None (revoked feeds are gone)."""
    if not token:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_signups(
    *, user: Any, now: datetime | None = None, days_back: int = 90
) -> QuerySet[Signup]:
    """What a person's feed holds: their active signups from ``days_back`` days ago on."""
    now = now or timezone.now()
    return (
        Signup.objects.filter(
            person=user,
            status__in=["confirmed", "waitlisted"],
            event__live=True,
            event__end_at__gte=now - timedelta(days=days_back),
        )
        .select_related("event")
        .order_by("event__start_at")
    )


def event_topic_allowed(user: Any, key: str) -> bool:
    """Anyone logged in may follow the places of a live, public event (``event:<id>``)."""
    return key.isdigit() and event_get(event_id=int(key)) is not None


# --- Signup questions and answers -----------------------------------------------------------

DEFAULT_PERSONAL_ANSWERS_RETENTION_DAYS = 30


def personal_answers_retention_days() -> int:
    """How many days after an event ends the answers to its personal questions are kept
    (``EVENT_PERSONAL_ANSWERS_RETENTION_DAYS``, 30 unless set)."""
    return int(
        getattr(
            settings,
            "EVENT_PERSONAL_ANSWERS_RETENTION_DAYS",
            DEFAULT_PERSONAL_ANSWERS_RETENTION_DAYS,
        )
    )


def event_questions(*, event: EventPage) -> list[EventQuestion]:
    """The event's signup questions in their order (those stored for the live page)."""
    if not event.pk:
        return []
    return list(EventQuestion.objects.filter(event_id=event.pk).order_by("sort_order", "pk"))


def signup_answers(*, signup: Signup | None) -> list[SignupAnswer]:
    """A signup's answers in the order of the questions, with the questions loaded."""
    if signup is None:
        return []
    return list(
        SignupAnswer.objects.filter(signup=signup)
        .select_related("question")
        .order_by("question__sort_order", "question_id")
    )


@dataclass(frozen=True)
class AnswerTable:
    """The answers of an event's signups: the questions in order, and for each signup's id the
    answers in words, one per question (empty where none), in the active language."""

    questions: list[EventQuestion]
    rows: dict[int, list[str]]

    def of(self, signup: Signup) -> list[str]:
        return self.rows.get(signup.pk, [""] * len(self.questions))


def answer_table(*, event: EventPage) -> AnswerTable:
    """The answers of everyone signed up to ``event`` (two queries, whatever their number)."""
    questions = event_questions(event=event)
    if not questions:
        return AnswerTable(questions=[], rows={})
    column = {question.pk: index for index, question in enumerate(questions)}
    by_pk = {question.pk: question for question in questions}
    rows: dict[int, list[str]] = {}
    for answer in SignupAnswer.objects.filter(signup__event=event).order_by("pk"):
        answer.question = by_pk[answer.question_id]
        row = rows.setdefault(answer.signup_id, [""] * len(questions))
        row[column[answer.question_id]] = answer.text
    return AnswerTable(questions=questions, rows=rows)
