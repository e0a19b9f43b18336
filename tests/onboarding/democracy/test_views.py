"""The pages of student democracy in both languages, standing through the form, the body's
page and the arrival plan."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.checklists.people import plan_people
from onboarding.democracy.models import Candidacy
from tests.onboarding.checklists.factories import student_create
from tests.onboarding.democracy.builders import (
    election_make,
    meeting_make,
    representatives_make,
)

pytestmark = pytest.mark.django_db


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def page_url(page, language):
    with translation.override(language):
        return page.get_url()


def _text(language, nb, en):
    return nb if language == "nb" else en


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_past_meeting_shows_its_minutes_and_agenda(client, tree, language):
    meeting = meeting_make(
        tree["parliament"],
        start_at=timezone.now() - timedelta(days=3),
        minutes=("Vedtak: budsjettet ble godkjent.", "Decision: the budget was approved."),
    )
    response = client.get(page_url(meeting, language))
    content = response.content.decode()
    assert response.status_code == 200
    assert _text(language, "budsjettet ble godkjent", "the budget was approved") in content
    assert _text(language, "Godkjenning av innkalling", "Approval of the notice") in content
    assert url("democracy:meeting_ics", language, meeting_id=meeting.pk) in content


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_election_page_in_both_languages(client, tree, language):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    content = client.get(page_url(election, language)).content.decode()
    assert _text(language, "Vi velger nye medlemmer.", "We elect new members.") in content
    assert (
        _text(language, "satt av til internasjonale studenter", "reserved for international")
        in content
    )
    assert url("democracy:candidacy_new", language, election_id=election.pk) in content


@pytest.mark.parametrize("language", ["nb", "en"])
def test_results_show_after_voting_only(client, tree, language):
    now = timezone.now()
    results = [("elected", {"seat_type": "international", "name": "Ana Silva", "group": "Fysikk"})]
    running = election_make(tree["council_a"], opens=now - timedelta(days=9), results=results)
    assert "Ana Silva" not in client.get(page_url(running, language)).content.decode()
    done = election_make(tree["parliament"], opens=now - timedelta(days=30), results=results)
    content = client.get(page_url(done, language)).content.decode()
    assert "Ana Silva" in content
    assert (
        _text(language, "Plass for internasjonale studenter", "Seat for international") in content
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_body_page_lists_next_meetings_and_links_to_all(client, tree, language):
    upcoming = meeting_make(tree["council_a"], start_at=timezone.now() + timedelta(days=5))
    past = meeting_make(
        tree["council_a"],
        start_at=timezone.now() - timedelta(days=20),
        minutes=("Referat", "Minutes"),
    )
    content = client.get(page_url(tree["council_a"], language)).content.decode()
    assert _text(language, upcoming.title_nb, upcoming.title_en) in content
    body_url = url("democracy:body_meetings", language, unit_id=tree["council_a"].pk)
    assert body_url in content
    listing = client.get(body_url).content.decode()
    assert _text(language, past.title_nb, past.title_en) in listing
    assert _text(language, "Tidligere møter med referat", "Past meetings with minutes") in listing


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_body_page_shows_its_representatives(client, tree, language):
    meeting_make(tree["parliament"], start_at=timezone.now() + timedelta(days=5))
    representatives_make(tree["parliament"], [("Kari Nordmann", "Leder", "Leader")])
    content = client.get(page_url(tree["parliament"], language)).content.decode()
    assert "Kari Nordmann" in content
    assert _text(language, "Leder", "Leader") in content


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_body_page_shows_meetings_and_elections_beside_its_own_events(client, tree, language):
    from tests.onboarding.activities.factories import event_create

    event_create(tree["parliament"], publish=True, title_nb="Tingfest", title_en="Parliament party")
    open_now = election_make(tree["parliament"], opens=timezone.now() - timedelta(days=1))
    meeting = meeting_make(tree["parliament"], start_at=timezone.now() + timedelta(days=3))

    soup = BeautifulSoup(client.get(page_url(tree["parliament"], language)).content, "html.parser")

    main = soup.find("main").get_text(" ", strip=True)
    assert _text(language, "Tingfest", "Parliament party") in main  # the unit's own events
    meetings = soup.find(id="unit-meetings-heading").find_parent("section")
    assert _text(language, meeting.title_nb, meeting.title_en) in meetings.get_text()
    elections = soup.find(id="unit-elections-heading").find_parent("section")
    assert _text(language, open_now.title_nb, open_now.title_en) in elections.get_text()
    assert _text(language, "Nominasjonen er åpen", "Nominations are open") in elections.get_text()


def test_a_body_with_nothing_planned_says_so_and_links_to_its_meetings(client, tree):
    soup = BeautifulSoup(client.get(page_url(tree["council_a"], "en")).content, "html.parser")

    meetings = soup.find(id="unit-meetings-heading").find_parent("section")
    assert "No meetings are planned yet." in meetings.get_text()
    assert soup.find(id="unit-elections-heading") is None
    assert meetings.find(
        "a", href=url("democracy:body_meetings", "en", unit_id=tree["council_a"].pk)
    )


def test_a_unit_that_is_no_body_has_no_democracy_section(client, tree):
    soup = BeautifulSoup(client.get(page_url(tree["faculty_a"], "en")).content, "html.parser")
    assert soup.find(id="unit-meetings-heading") is None


def test_a_unit_that_is_no_body_has_no_meetings_page(client, tree):
    response = client.get(url("democracy:body_meetings", "en", unit_id=tree["faculty_a"].pk))
    assert response.status_code == 404


@pytest.mark.parametrize("language", ["nb", "en"])
def test_representatives_in_both_languages(client, tree, language):
    page = representatives_make(
        tree["parliament"],
        [("Kari Nordmann", "Leder", "Leader"), ("Ana Silva", "Medlem", "Member")],
    )
    listing = client.get(url("democracy:representatives", language)).content.decode()
    assert "Kari Nordmann" in listing
    assert _text(language, "Leder", "Leader") in listing
    assert _text(language, "Informatikk", "Informatics") in listing
    content = client.get(page_url(page, language)).content.decode()
    assert content.index("Kari Nordmann") < content.index("Ana Silva")
    assert page.unit_id == tree["parliament"].pk


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_student_stands_through_the_form(client, tree, language):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    client.force_login(tree["student"])
    path = url("democracy:candidacy_new", language, election_id=election.pk)
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "statement": "I will work for better study places.",
            "statement_language": "en",
            "group": "Physics",
            "seat_type": "international",
        },
    )
    assert response.status_code == 302
    candidacy = Candidacy.objects.get()
    assert (candidacy.seat_type, candidacy.group) == ("international", "Physics")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_form_refuses_outside_the_period_with_a_translated_message(client, tree, language):
    election = election_make(tree["council_a"], opens=timezone.now() + timedelta(days=2))
    client.force_login(tree["student"])
    path = url("democracy:candidacy_new", language, election_id=election.pk)
    expected = _text(language, "Nominasjonen åpner", "Nominations open on")
    assert expected in client.get(path).content.decode()
    response = client.post(
        path,
        {"statement": "x", "statement_language": "nb", "group": "y", "seat_type": "ordinary"},
    )
    assert response.status_code == 409
    assert expected in response.content.decode()
    assert not Candidacy.objects.exists()


def test_the_form_shows_errors_for_empty_fields(client, tree):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    client.force_login(tree["student"])
    path = url("democracy:candidacy_new", "en", election_id=election.pk)
    response = client.post(path, {"statement": "   ", "group": "", "seat_type": "nonsense"})
    assert response.status_code == 400
    assert not Candidacy.objects.exists()


def test_anonymous_people_are_asked_to_log_in(client, tree):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    response = client.get(url("democracy:candidacy_new", "en", election_id=election.pk))
    assert response.status_code == 302
    assert "login" in response["Location"] or "logg-inn" in response["Location"]


# --- The arrival plan ---------------------------------------------------------------------------


def test_the_plan_names_the_council_and_the_parliament_with_their_news(tree):
    now = timezone.now()
    meeting = meeting_make(tree["council_a"], start_at=now + timedelta(days=4))
    meeting_make(tree["council_a"], start_at=now + timedelta(days=40))
    election = election_make(tree["parliament"], opens=now - timedelta(days=1))
    student = student_create(faculty=tree["faculty_a"])
    people = plan_people(profile=student.student_profile, user=student)
    (council,) = people.student_council
    (parliament,) = people.student_parliament
    assert parliament.unit == tree["parliament"]
    assert council.news.next_meeting.title == meeting.title
    assert council.news.open_elections == ()
    assert parliament.news.next_meeting is None
    assert [e.title for e in parliament.news.open_elections] == [election.title]


def _plan_queries(client, student):
    client.force_login(student)
    path = url("arrival_plan", "en")
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_plan_queries_do_not_grow_with_meetings_and_elections(client, tree):
    now = timezone.now()
    student = student_create(faculty=tree["faculty_a"])
    meeting_make(tree["council_a"], start_at=now + timedelta(days=3))
    election_make(tree["parliament"], opens=now - timedelta(days=1), publish=False)
    few, content = _plan_queries(client, student)
    assert "Election" in content
    for days in range(4, 14):
        meeting_make(tree["council_a"], start_at=now + timedelta(days=days))
        meeting_make(tree["parliament"], start_at=now + timedelta(days=days))
        election_make(tree["council_a"], opens=now - timedelta(hours=days), publish=False)
    many, _content = _plan_queries(client, student)
    assert many == few
