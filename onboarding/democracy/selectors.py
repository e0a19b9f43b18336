"""Reads of student democracy: a body's meetings, elections and representatives, the
elections calendar, and the news on a student's arrival plan.

Every function reads in a fixed number of queries, whatever the number of
bodies, meetings or elections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from onboarding.units.models import UnitPage

from .models import (
    BODY_KINDS,
    Candidacy,
    ElectionPage,
    MeetingPage,
    Representative,
    RepresentativesPage,
    SeatType,
)

if TYPE_CHECKING:
    from wagtail.query import PageQuerySet

    from onboarding.checklists.people import DemocracyNews

# How long a finished election stays on the calendar.
FINISHED_SHOWN = timedelta(days=365)
PAST_MEETINGS_SHOWN = 10


def _children_of(units: Iterable[Page]) -> Q:
    condition = Q(pk__in=[])
    for unit in units:
        condition |= Q(path__startswith=unit.path, depth=unit.depth + 1)
    return condition


def _parent_path(page: Page) -> str:
    return page.path[: -Page.steplen]


def body_list() -> PageQuerySet:
    """The live, public student parliament and councils, the parliament first."""
    return UnitPage.objects.live().public().filter(kind__in=BODY_KINDS).order_by("-kind", "path")


def body_get(*, unit_id: int) -> UnitPage | None:
    """The live, public body with ``unit_id``, or None (also for a unit that is no body)."""
    return body_list().filter(pk=unit_id).first()


def meeting_get(*, meeting_id: int) -> MeetingPage | None:
    return MeetingPage.objects.live().public().filter(pk=meeting_id).first()


def election_get(*, election_id: int) -> ElectionPage | None:
    return ElectionPage.objects.live().public().filter(pk=election_id).first()


def body_of(page: Page) -> UnitPage | None:
    """The body a meeting, election or representatives page belongs to."""
    return UnitPage.objects.filter(path=_parent_path(page)).first()


def body_upcoming_meetings(
    *, unit: UnitPage, limit: int = 5, now: datetime | None = None
) -> list[MeetingPage]:
    """The next ``limit`` meetings of ``unit``, soonest first (running ones included)."""
    now = now or timezone.now()
    return list(
        MeetingPage.objects.live()
        .public()
        .filter(_children_of([unit]))
        .filter(Q(start_at__gte=now) | Q(end_at__gt=now))
        .order_by("start_at", "pk")[:limit]
    )


def body_past_meetings(
    *, unit: UnitPage, limit: int = PAST_MEETINGS_SHOWN, now: datetime | None = None
) -> list[MeetingPage]:
    """The last ``limit`` meetings of ``unit`` that have minutes, latest first."""
    now = now or timezone.now()
    has_minutes = (
        ~Q(minutes_nb="") & Q(minutes_nb__isnull=False)
        | ~Q(minutes_en="") & Q(minutes_en__isnull=False)
        | Q(minutes_document__isnull=False)
    )
    return list(
        MeetingPage.objects.live()
        .public()
        .filter(_children_of([unit]), start_at__lt=now)
        .filter(has_minutes)
        .select_related("minutes_document")
        .order_by("-start_at", "-pk")[:limit]
    )


def body_meetings_all(*, unit: UnitPage) -> list[MeetingPage]:
    """Every live meeting of ``unit``, for its calendar feed."""
    return list(
        MeetingPage.objects.live().public().filter(_children_of([unit])).order_by("start_at")
    )


def body_elections(*, unit: UnitPage, now: datetime | None = None) -> list[ElectionPage]:
    """The elections of ``unit`` still on the calendar, soonest first."""
    now = now or timezone.now()
    return list(
        ElectionPage.objects.live()
        .public()
        .filter(_children_of([unit]), voting_closes_at__gte=now - FINISHED_SHOWN)
        .order_by("nomination_opens_at", "pk")
    )


def body_representatives(*, unit: UnitPage) -> list[Representative]:
    """Who sits in ``unit``, in the order its representatives page gives."""
    return list(
        Representative.objects.filter(
            page__in=RepresentativesPage.objects.live().public().filter(_children_of([unit]))
        ).order_by("sort_order", "pk")
    )


def body_representatives_page(*, unit: UnitPage) -> RepresentativesPage | None:
    return RepresentativesPage.objects.live().public().filter(_children_of([unit])).first()


@dataclass(frozen=True)
class BodyRepresentatives:
    body: UnitPage
    page: RepresentativesPage | None
    representatives: tuple[Representative, ...]


def representatives_by_body() -> list[BodyRepresentatives]:
    """Every body with its representatives, the parliament first, in three queries."""
    bodies = list(body_list())
    pages = {
        _parent_path(page): page
        for page in RepresentativesPage.objects.live().public().filter(_children_of(bodies))
    }
    rows: dict[int, list[Representative]] = {}
    for row in Representative.objects.filter(page__in=list(pages.values())).order_by(
        "sort_order", "pk"
    ):
        rows.setdefault(row.page_id, []).append(row)
    result = []
    for body in bodies:
        page = pages.get(body.path)
        people = tuple(rows.get(page.pk, [])) if page else ()
        result.append(BodyRepresentatives(body=body, page=page, representatives=people))
    return result


# --- The elections calendar -----------------------------------------------------------------


@dataclass(frozen=True)
class CalendarElection:
    """An election on the calendar, with its body and where it stands now."""

    election: ElectionPage
    body: UnitPage | None
    stage: str  # "upcoming", "nominations", "between", "voting", "finished"


def election_stage(election: ElectionPage, now: datetime) -> str:
    if now < election.nomination_opens_at:
        return "upcoming"
    if now < election.nomination_closes_at:
        return "nominations"
    if now < election.voting_opens_at:
        return "between"
    if now < election.voting_closes_at:
        return "voting"
    return "finished"


def elections_calendar(*, now: datetime | None = None) -> list[CalendarElection]:
    """The elections of every body, current and coming first by date, then finished ones.

    Finished elections stay on the calendar for a year. Two queries.
    """
    now = now or timezone.now()
    elections = list(
        ElectionPage.objects.live()
        .public()
        .filter(voting_closes_at__gte=now - FINISHED_SHOWN)
        .order_by("nomination_opens_at", "pk")
    )
    bodies = {
        unit.path: unit
        for unit in UnitPage.objects.filter(path__in={_parent_path(e) for e in elections})
    }
    rows = [
        CalendarElection(election=e, body=bodies.get(_parent_path(e)), stage=election_stage(e, now))
        for e in elections
    ]
    current = [row for row in rows if row.stage != "finished"]
    finished = sorted(
        (row for row in rows if row.stage == "finished"),
        key=lambda row: row.election.voting_closes_at,
        reverse=True,
    )
    return current + finished


# How many of a body's next meetings its unit page lists.
UNIT_PAGE_MEETINGS = 3


def body_overview(*, unit: UnitPage, now: datetime | None = None) -> dict[str, Any]:
    """What a body's unit page shows of its democracy: its next meetings, its elections still
    on the calendar (current and coming first, then the last finished), its representatives
    and its representatives page. Four queries."""
    now = now or timezone.now()
    rows = [
        CalendarElection(election=election, body=None, stage=election_stage(election, now))
        for election in body_elections(unit=unit, now=now)
    ]
    current = [row for row in rows if row.stage != "finished"]
    finished = [row for row in rows if row.stage == "finished"]
    return {
        "meetings": body_upcoming_meetings(unit=unit, limit=UNIT_PAGE_MEETINGS, now=now),
        "elections": current + finished[-1:],
        "representatives": body_representatives(unit=unit),
        "representatives_page": body_representatives_page(unit=unit),
    }


@dataclass(frozen=True)
class SeatCandidacies:
    """The people standing for one kind of seat in an election, and how many seats it has."""

    seat_type: str
    label: str
    seats: int
    candidacies: tuple[Candidacy, ...]


def election_candidacies(*, election: ElectionPage) -> list[SeatCandidacies]:
    """Who stands in ``election``, by kind of seat (ordinary, then the seats reserved for
    international students where it has them), oldest first. One query."""
    found = list(
        Candidacy.objects.filter(election=election)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    ordinary = election.seats - election.international_seats
    kinds = [(SeatType.ORDINARY, max(ordinary, 0))]
    if election.international_seats:
        kinds.append((SeatType.INTERNATIONAL, election.international_seats))
    return [
        SeatCandidacies(
            seat_type=kind,
            label=str(SeatType(kind).label),
            seats=seats,
            candidacies=tuple(c for c in found if c.seat_type == kind),
        )
        for kind, seats in kinds
    ]


def candidacy_of(*, election: ElectionPage, user: Any) -> Candidacy | None:
    """The user's own candidacy in ``election``, if they stand."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Candidacy.objects.filter(election=election, user=user).first()


# --- The arrival plan -------------------------------------------------------------------------


def democracy_news(
    *, units: Sequence[UnitPage], now: datetime | None = None
) -> dict[int, DemocracyNews]:
    """For the bodies among ``units``: the next meeting and the elections open now, by unit id.

    Two queries however many units and pages there are (one for the meetings,
    one for the elections); the links need the site's root paths, which
    Wagtail caches.
    """
    from onboarding.checklists.people import DemocracyItem, DemocracyNews

    now = now or timezone.now()
    bodies = [unit for unit in units if unit.kind in BODY_KINDS]
    if not bodies:
        return {}
    by_path = {unit.path: unit for unit in bodies}
    next_meeting: dict[int, MeetingPage] = {}
    for meeting in (
        MeetingPage.objects.live()
        .public()
        .filter(_children_of(bodies), start_at__gte=now)
        .order_by("start_at", "pk")
    ):
        unit = by_path[_parent_path(meeting)]
        next_meeting.setdefault(unit.pk, meeting)
    open_elections: dict[int, list[ElectionPage]] = {}
    for election in (
        ElectionPage.objects.live()
        .public()
        .filter(_children_of(bodies), nomination_opens_at__lte=now, voting_closes_at__gt=now)
        .order_by("nomination_closes_at", "pk")
    ):
        unit = by_path[_parent_path(election)]
        open_elections.setdefault(unit.pk, []).append(election)

    def when(moment: datetime) -> str:
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")

    news: dict[int, DemocracyNews] = {}
    for unit in bodies:
        meeting = next_meeting.get(unit.pk)
        items = []
        for election in open_elections.get(unit.pk, []):
            stage = election_stage(election, now)
            if stage == "nominations":
                note = _("You can stand until %(when)s.") % {
                    "when": when(election.nomination_closes_at)
                }
            elif stage == "voting":
                note = _("Voting is open until %(when)s.") % {
                    "when": when(election.voting_closes_at)
                }
            else:
                note = _("Voting opens %(when)s.") % {"when": when(election.voting_opens_at)}
            items.append(
                DemocracyItem(
                    title=election.title,
                    url=election.get_url() or "",
                    when=election.nomination_closes_at,
                    note=note,
                )
            )
        if meeting is None and not items:
            continue
        news[unit.pk] = DemocracyNews(
            next_meeting=DemocracyItem(
                title=meeting.title,
                url=meeting.get_url() or "",
                when=meeting.start_at,
                note=_("Next meeting: %(when)s.") % {"when": when(meeting.start_at)},
            )
            if meeting
            else None,
            open_elections=tuple(items),
        )
    return news
