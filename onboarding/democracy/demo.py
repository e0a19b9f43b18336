"""Demo student democracy (``demo.toml``): meetings with minutes and coming meetings of the
Student Parliament and two student councils, an election with nominations open now and one
finished with results, and the bodies' representatives.

Dates count from today, so a fresh seed is always current. Safe to run again:
pages are found by their body and Norwegian slug, and the representatives of a
body are replaced by those of the data.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cms.demo_data import (
    Data,
    child_find,
    child_publish,
    load,
    page_changed,
    set_translated,
    slug,
)
from onboarding.units.demo import demo_units

from .models import ElectionPage, MeetingPage, Representative, RepresentativesPage

DATA = load(__file__)


def _at(days: int, clock: str = "12:00") -> datetime:
    hour, minute = (int(part) for part in clock.split(":"))
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _meeting(body: Any, spec: Data) -> MeetingPage:
    slug_nb = slug(spec["title"]["nb"])
    page = child_find(MeetingPage, body, slug_nb)
    created = page is None
    if page is None:
        page = MeetingPage(title=spec["title"]["nb"], slug=slug_nb)
    set_translated(page, "title", spec["title"])
    set_translated(page, "slug", {"nb": slug_nb, "en": slug(spec["title"]["en"])})
    set_translated(page, "place", spec["place"])
    set_translated(page, "intro", spec["intro"])
    page.start_at = _at(spec["days"], spec["time"])
    page.end_at = page.start_at + timedelta(hours=spec["hours"])
    page.online_url = spec["online_url"]
    for language in ("nb", "en"):
        items = [("item", {"title": item[language], "description": ""}) for item in spec["agenda"]]
        setattr(page, f"agenda_{language}", items)
    minutes = spec.get("minutes", {"nb": "", "en": ""})
    set_translated(page, "minutes", minutes)
    child_publish(page, body, created=created)
    return page


def _election(body: Any, spec: Data) -> ElectionPage:
    page = child_find(ElectionPage, body, spec["slug"])
    created = page is None
    if page is None:
        page = ElectionPage(title=spec["title"]["nb"], slug=spec["slug"])
    set_translated(page, "title", spec["title"])
    set_translated(page, "slug", {"nb": spec["slug"], "en": slug(spec["title"]["en"])})
    set_translated(page, "intro", spec["intro"])
    set_translated(page, "how_to_stand", spec["how_to_stand"])
    page.seats = spec["seats"]
    page.international_seats = spec["international_seats"]
    page.nomination_opens_at = _at(spec["nomination_opens"], "09:00")
    page.nomination_closes_at = _at(spec["nomination_closes"], "23:59")
    page.voting_opens_at = _at(spec["voting_opens"], "09:00")
    page.voting_closes_at = _at(spec["voting_closes"], "15:00")
    page.voting_url = spec["voting_url"]
    page.results = [
        ("elected", {"seat_type": row["seat_type"], "name": row["name"], "group": row["group"]})
        for row in spec.get("results", [])
    ]
    child_publish(page, body, created=created)
    return page


def _representatives(body: Any, rows: list[Data]) -> RepresentativesPage:
    page = child_find(RepresentativesPage, body)
    created = page is None
    if page is None:
        page = RepresentativesPage(title="Representanter", slug="representanter")
    set_translated(page, "title", {"nb": "Representanter", "en": "Representatives"})
    set_translated(page, "slug", {"nb": "representanter", "en": "representatives"})
    set_translated(
        page,
        "intro",
        {
            "nb": f"Hvem som sitter i {body.title_nb}, og hvordan du når dem.",
            "en": f"Who sits in {body.title_en}, and how to reach them.",
        },
    )
    same = not created and [
        (r.name, r.email, r.role_nb, r.role_en) for r in page.representatives.all()
    ] == [(row["name"], row["email"], row["role"]["nb"], row["role"]["en"]) for row in rows]
    people = []
    for order, row in enumerate(rows):
        person = Representative(
            sort_order=order, name=row["name"], email=row["email"], seat_type=row["seat"]
        )
        for field in ("role", "group", "description"):
            set_translated(person, field, row[field])
        people.append(person)
    if same and not page_changed(page):
        return page
    # The rows go into the published revision, so the admin's editor shows them too.
    page.representatives = people  # type: ignore[misc]  # a modelcluster relation
    if created:
        body.add_child(instance=page)
    else:
        page.save()
    page.save_revision().publish()
    return page


@transaction.atomic
def seed_democracy() -> list[MeetingPage]:
    """Create or refresh the demo's meetings, elections and representatives; returns the
    meetings."""
    units = demo_units()
    meetings: list[MeetingPage] = []
    for spec in DATA["body"]:
        body = units.get(spec["unit"])
        if body is None:
            continue
        meetings.extend(_meeting(body, meeting) for meeting in spec.get("meeting", []))
        for election in spec.get("election", []):
            _election(body, election)
        rows = DATA["representatives"].get(spec["unit"])
        if rows:
            _representatives(body, rows)
    return meetings
