"""What meeting and election pages show besides their own fields (read-only assembly)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from .models import ElectionPage, MeetingPage, SeatType
from .selectors import body_of, candidacy_of, election_stage


def meeting_context(request: HttpRequest, *, meeting: MeetingPage) -> dict[str, Any]:
    """A meeting's body, and whether it is over (then the minutes come first)."""
    now = timezone.now()
    return {
        "body": body_of(meeting),
        "is_past": (meeting.end_at or meeting.start_at) < now,
    }


def election_context(request: HttpRequest, *, election: ElectionPage) -> dict[str, Any]:
    """An election's body, its stage now, the reader's own candidacy and the results."""
    now = timezone.now()
    stage = election_stage(election, now)
    results = []
    if stage == "finished":
        labels = dict(SeatType.choices)
        for block in election.results:
            value = block.value
            results.append(
                {
                    "seat": labels.get(value["seat_type"], value["seat_type"]),
                    "international": value["seat_type"] == SeatType.INTERNATIONAL,
                    "name": value["name"],
                    "group": value["group"],
                }
            )
    return {
        "body": body_of(election),
        "stage": stage,
        "candidacy": candidacy_of(election=election, user=request.user),
        "results": results,
        "ordinary_seats": election.seats - election.international_seats,
    }
