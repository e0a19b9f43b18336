"""Upcoming events come from every provider, merged soonest first, with one template."""

from datetime import datetime, timedelta
from types import SimpleNamespace

from onboarding.hooks import UPCOMING_EVENTS
from onboarding.units.selectors import (
    UPCOMING_EVENTS_TEMPLATE,
    UpcomingEventsProvider,
    unit_upcoming_events,
    units_upcoming_events,
)
from tests.hooks import hooks_only

START = datetime(2026, 8, 17, 10, 0)
UNIT = SimpleNamespace(pk=1)


def _events(*days):
    return [SimpleNamespace(start_at=START + timedelta(days=day), day=day) for day in days]


def _provider(events, template="a.html", units_template="a_units.html"):
    def provider():
        return UpcomingEventsProvider(
            fetch=lambda *, unit, limit: events,
            template_name=template,
            fetch_for_units=lambda *, units, user, limit: events,
            units_template_name=units_template,
        )

    return provider


def test_two_providers_events_are_merged_soonest_first(monkeypatch):
    hooks_only(monkeypatch, UPCOMING_EVENTS, _provider(_events(1, 4)), _provider(_events(2, 3)))

    upcoming = unit_upcoming_events(unit=UNIT, limit=3)

    assert [event.day for event in upcoming.events] == [1, 2, 3]
    assert upcoming.template_name == "a.html"


def test_events_of_providers_with_different_templates_share_the_units_list(monkeypatch):
    hooks_only(
        monkeypatch,
        UPCOMING_EVENTS,
        _provider(_events(1), template="a.html"),
        _provider(_events(2), template="b.html"),
    )

    assert unit_upcoming_events(unit=UNIT).template_name == UPCOMING_EVENTS_TEMPLATE


def test_only_the_providers_whose_events_are_shown_choose_the_template(monkeypatch):
    hooks_only(
        monkeypatch,
        UPCOMING_EVENTS,
        _provider(_events(1, 2), template="a.html"),
        _provider(_events(9), template="b.html"),
    )

    upcoming = unit_upcoming_events(unit=UNIT, limit=2)

    assert ([e.day for e in upcoming.events], upcoming.template_name) == ([1, 2], "a.html")


def test_a_unit_without_events_shows_no_section(monkeypatch):
    hooks_only(monkeypatch, UPCOMING_EVENTS, _provider([]), _provider([], template="b.html"))

    upcoming = unit_upcoming_events(unit=UNIT)

    assert (upcoming.events, upcoming.template_name) == ((), None)


def test_followed_units_without_events_still_get_the_providers_template(monkeypatch):
    hooks_only(monkeypatch, UPCOMING_EVENTS, _provider([]), _provider([]))

    upcoming = units_upcoming_events(units=[UNIT], user=None)

    assert (upcoming.events, upcoming.template_name) == ((), "a_units.html")


def test_no_units_or_no_provider_gives_nothing(monkeypatch):
    hooks_only(monkeypatch, UPCOMING_EVENTS)
    assert units_upcoming_events(units=[UNIT]).template_name is None
    assert unit_upcoming_events(unit=UNIT).template_name is None

    hooks_only(monkeypatch, UPCOMING_EVENTS, _provider(_events(1)))
    assert units_upcoming_events(units=[]).template_name is None


def test_the_units_own_list_gets_each_providers_page_of_its_rows(monkeypatch):
    pages = _events(1)
    rows = [SimpleNamespace(event=page) for page in _events(2)]

    def rows_provider():
        return UpcomingEventsProvider(
            fetch=lambda *, unit, limit: rows,
            template_name="b.html",
            starts_at=lambda row: row.event.start_at,
            page_of=lambda row: row.event,
        )

    hooks_only(monkeypatch, UPCOMING_EVENTS, _provider(pages), rows_provider)

    upcoming = unit_upcoming_events(unit=UNIT)

    assert upcoming.template_name == UPCOMING_EVENTS_TEMPLATE
    assert [event.day for event in upcoming.events] == [1, 2]


def test_a_providers_own_template_gets_its_rows_as_they_are(monkeypatch):
    rows = [SimpleNamespace(event=page) for page in _events(1)]

    def rows_provider():
        return UpcomingEventsProvider(
            fetch=lambda *, unit, limit: rows,
            template_name="b.html",
            starts_at=lambda row: row.event.start_at,
            page_of=lambda row: row.event,
        )

    hooks_only(monkeypatch, UPCOMING_EVENTS, rows_provider)

    assert unit_upcoming_events(unit=UNIT).events == tuple(rows)
