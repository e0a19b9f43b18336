"""What student democracy registers for other apps: search sources, completeness, kinds."""

import pytest
from wagtail import hooks

from onboarding.democracy.models import ElectionPage, MeetingPage, Representative
from onboarding.hooks import COMPLETENESS_SOURCES, SEARCH_SOURCES
from onboarding.live.kinds import get_kind
from tests.onboarding.democracy.builders import representatives_make

pytestmark = pytest.mark.django_db


def _search_sources():
    return {source.key: source for fn in hooks.get_hooks(SEARCH_SOURCES) for source in fn()}


def test_meetings_and_elections_are_search_sources():
    sources = _search_sources()
    assert sources["meeting"].model is MeetingPage
    assert sources["election"].model is ElectionPage


@pytest.mark.parametrize("model", [MeetingPage, ElectionPage])
def test_the_search_fields_name_each_language(model):
    names = {field.field_name for field in model.search_fields}
    assert {"title_nb", "title_en", "intro_nb", "intro_en"} <= names


def test_representatives_are_counted_under_their_body(tree):
    (source,) = [
        s for fn in hooks.get_hooks(COMPLETENESS_SOURCES) for s in fn() if s.model is Representative
    ]
    representatives_make(tree["parliament"], [("Kari Nordmann", "Leder", "Leader")])
    rows = Representative.objects.filter(**{source.unit_field: tree["parliament"]})
    assert [row.name for row in rows] == ["Kari Nordmann"]
    assert source.edit_url(rows[0]).startswith("/admin/pages/")


@pytest.mark.parametrize("code", ["democracy_candidacy", "democracy_election_announced"])
def test_the_notification_kinds_are_registered(code):
    assert get_kind(code) is not None
