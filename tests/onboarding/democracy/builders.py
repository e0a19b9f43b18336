"""Small builders of meetings, elections and representatives for tests."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from onboarding.democracy.models import (
    ElectionPage,
    MeetingPage,
    Representative,
    RepresentativesPage,
)

_numbers = itertools.count(1)


def _translated(page, field, nb, en):
    setattr(page, f"{field}_nb", nb)
    setattr(page, f"{field}_en", en)


def meeting_make(body, *, start_at: datetime, minutes=None, publish=False, **fields):
    """A live meeting under ``body`` in both languages; ``minutes`` is an (nb, en) pair."""
    number = next(_numbers)
    page = MeetingPage(title=f"Møte {number}", slug=f"mote-{number}", start_at=start_at, **fields)
    _translated(page, "title", f"Møte {number}", f"Meeting {number}")
    _translated(page, "slug", f"mote-{number}", f"meeting-{number}")
    _translated(page, "place", "Realfagbygget, rom 1", "Science building, room 1")
    page.agenda_nb = [("item", {"title": "Godkjenning av innkalling", "description": ""})]
    page.agenda_en = [("item", {"title": "Approval of the notice", "description": ""})]
    if minutes:
        _translated(page, "minutes", f"<p>{minutes[0]}</p>", f"<p>{minutes[1]}</p>")
    if not publish:
        page.live = True
        page.first_published_at = timezone.now()
    body.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def election_make(body, *, opens: datetime, publish=True, international_seats=2, **fields):
    """An election under ``body``: nominations from ``opens`` for a week, voting the week after."""
    number = next(_numbers)
    title_nb, title_en = f"Valg {number}", f"Election {number}"
    page = ElectionPage(
        title=title_nb,
        slug=slugify(title_nb),
        seats=fields.pop("seats", 9),
        international_seats=international_seats,
        nomination_opens_at=opens,
        nomination_closes_at=fields.pop("closes", opens + timedelta(days=7)),
        voting_opens_at=fields.pop("voting_opens", opens + timedelta(days=8)),
        voting_closes_at=fields.pop("voting_closes", opens + timedelta(days=14)),
        voting_url="https://valg.example.org/",
        **fields,
    )
    _translated(page, "title", title_nb, title_en)
    _translated(page, "slug", slugify(title_nb), slugify(title_en))
    _translated(page, "intro", "Vi velger nye medlemmer.", "We elect new members.")
    if not publish:
        page.live = True
        page.first_published_at = timezone.now()
    body.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def representatives_make(body, people):
    """A representatives page under ``body`` with ``people``: (name, role_nb, role_en) rows."""
    page = RepresentativesPage(title="Representanter", slug="representanter", live=True)
    _translated(page, "title", "Representanter", "Representatives")
    _translated(page, "slug", "representanter", "representatives")
    body.add_child(instance=page)
    for order, (name, role_nb, role_en) in enumerate(people):
        Representative.objects.create(
            page=page,
            sort_order=order,
            name=name,
            email=f"{slugify(name)}@example.org",
            role_nb=role_nb,
            role_en=role_en,
            group_nb="Informatikk",
            group_en="Informatics",
        )
    return page
