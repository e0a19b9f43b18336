"""The demo's student democracy: meetings with minutes, an election open for nominations now,
a finished one with results, representatives, all in both languages; a second seed changes
nothing."""

import pytest
from django.utils import timezone, translation
from wagtail.models import Revision

from onboarding.democracy.demo import DATA, seed_democracy
from onboarding.democracy.models import ElectionPage, MeetingPage, Representative
from onboarding.democracy.selectors import body_past_meetings, body_upcoming_meetings
from onboarding.units.demo import demo_units

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def test_the_parliament_and_two_councils_have_past_minutes_and_coming_meetings(demo):
    units = demo_units()
    for key in ("student-parliament", "council-ie", "council-hf"):
        assert body_past_meetings(unit=units[key]), key
        assert body_upcoming_meetings(unit=units[key]), key
    for meeting in MeetingPage.objects.all():
        assert meeting.title_nb and meeting.title_en
        assert bool(meeting.minutes_nb) == bool(meeting.minutes_en)


def test_an_election_with_international_seats_is_open_for_nominations(demo):
    now = timezone.now()
    open_now = [e for e in ElectionPage.objects.live() if e.nomination_is_open(now)]
    assert open_now and all(e.international_seats for e in open_now)
    finished = [e for e in ElectionPage.objects.live() if e.results_are_out(now)]
    assert finished
    names = {block.value["name"] for block in finished[0].results}
    spec = next(e for body in DATA["body"] for e in body.get("election", []) if e.get("results"))
    assert names == {row["name"] for row in spec["results"]}


def test_representatives_in_both_languages(demo):
    people = Representative.objects.all()
    assert people.count() == sum(len(rows) for rows in DATA["representatives"].values())
    assert not people.filter(role_nb="").exists() and not people.filter(role_en="").exists()
    assert people.filter(seat_type="international").exists()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_demo_pages_open(client, demo, language):
    election = ElectionPage.objects.live().first()
    meeting = MeetingPage.objects.live().first()
    with translation.override(language):
        paths = [election.get_url(), meeting.get_url()]
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_a_second_seed_changes_nothing(demo):
    revisions = Revision.objects.count()
    people = list(Representative.objects.values_list("pk", flat=True))
    seed_democracy()
    assert Revision.objects.count() == revisions
    assert list(Representative.objects.values_list("pk", flat=True)) == people
