"""Builders of events for tests (events, browser and benchmark tests)."""

import itertools
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from onboarding.activities.models import EventPage, EventSeriesPage
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory

_numbers = itertools.count(1)


def event_create(parent, *, publish=False, title_nb=None, title_en=None, faculties=(), **fields):
    """An event under ``parent`` (a unit or an event series), filled in both languages.

    Starts in three days unless told otherwise; ``fields`` set any other field.
    By default it is saved live directly, as published pages are stored; with
    ``publish`` it goes through a revision and ``page_published`` (for tests of
    publishing, revisions and what follows a publication). Publishing costs
    about four times as much, and most tests only need an event that is live.
    """
    number = next(_numbers)
    title_nb = title_nb or f"Arrangement {number}"
    title_en = title_en or f"Event {number}"
    start = fields.pop("start_at", timezone.now() + timedelta(days=3))
    end = fields.pop("end_at", start + timedelta(hours=2))
    event = EventPage(
        title=title_nb,
        slug=slugify(title_nb),
        start_at=start,
        end_at=end,
        building=fields.pop("building", "Realfagbygget"),
        room=fields.pop("room", "A4-112"),
    )
    event.title_nb, event.title_en = title_nb, title_en
    event.slug_nb, event.slug_en = slugify(title_nb), slugify(title_en)
    event.summary_nb = fields.pop("summary_nb", f"Om {title_nb}.")
    event.summary_en = fields.pop("summary_en", f"About {title_en}.")
    for name, value in fields.items():
        setattr(event, name, value)
    if not publish:
        event.live = True
        event.first_published_at = timezone.now()
    parent.add_child(instance=event)
    if faculties:
        event.audience_faculties.set(faculties)
        event.save()
    if publish:
        event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def series_create(unit, *, title_nb="Fadderuka", title_en="Welcome week", publish=True):
    series = EventSeriesPage(title=title_nb, slug=slugify(title_nb))
    series.title_nb, series.title_en = title_nb, title_en
    series.slug_nb, series.slug_en = slugify(title_nb), slugify(title_en)
    series.intro_nb, series.intro_en = "Velkommen!", "Welcome!"
    unit.add_child(instance=series)
    if publish:
        series.save_revision().publish()
    return EventSeriesPage.objects.get(pk=series.pk)


def editor_of(unit, **fields):
    """A new person who edits ``unit``."""
    user = UserFactory(**fields)
    unit_editor_add(unit=unit, user=user)
    return user
