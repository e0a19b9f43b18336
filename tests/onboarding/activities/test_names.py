"""Names on tickets, attendee lists, check-in and the CSV: the preferred name, and the official one."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.activities.selectors import checkin_search
from onboarding.activities.services import signup_create
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db
LANGUAGES = ["nb", "en"]


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"activities:{name}", args=args)


@pytest.fixture
def event(unit):
    return event_create(unit, capacity=5, title_nb="Velkomstfest", title_en="Welcome party")


@pytest.fixture
def kim(db):
    return UserFactory(
        email="k.park@example.org", first_name="Kyung-min", last_name="Park", preferred_name="Kim"
    )


@pytest.fixture
def nameless(db):
    """Someone who signed up before signup asked for names."""
    return UserFactory(email="old@example.org", first_name="", last_name="")


def _ticket_name(html):
    (name,) = re.findall(r"<dt>(?:Name|Navn)</dt>\s*<dd>([^<]*)</dd>", html)
    return name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ticket_shows_the_preferred_name_or_else_the_email(
    client, event, kim, nameless, language
):
    for person, name in ((kim, "Kim Park"), (nameless, "old@example.org")):
        signup = signup_create(event=event, user=person)
        client.force_login(person)
        html = client.get(url("ticket", language, signup.ticket_code)).content.decode()
        assert _ticket_name(html) == name


@pytest.mark.parametrize(
    ("language", "official"),
    [("nb", "offisielt navn: Kyung-min Park"), ("en", "official name: Kyung-min Park")],
)
def test_the_attendee_list_shows_the_preferred_and_the_official_name(
    client, event, editor, kim, nameless, student, language, official
):
    for person in (kim, nameless, student):
        signup_create(event=event, user=person)
    client.force_login(editor)
    html = client.get(url("attendees", language, event.pk)).content.decode()
    assert f'<th scope="row">Kim Park <span class="meta">({official})</span></th>' in html
    # Someone without a preferred name has one name; someone without any, their email.
    assert '<th scope="row">Ana Silva</th>' in html
    assert '<th scope="row">old@example.org</th>' in html


@pytest.mark.parametrize(
    ("language", "header"),
    [
        ("nb", ["Fornavn", "Etternavn", "Foretrukket navn", "E-post"]),
        ("en", ["First name", "Last name", "Preferred name", "Email"]),
    ],
)
def test_the_csv_has_the_official_and_the_preferred_name(
    client, event, editor, kim, language, header
):
    signup_create(event=event, user=kim)
    client.force_login(editor)
    response = client.get(url("attendees_csv", language, event.pk))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == header
    # Kim follows nobody, so the email stays with the platform (test_contact.py).
    assert rows[1][:4] == ["Kyung-min", "Park", "Kim", ""]


def test_check_in_search_finds_a_person_by_their_preferred_name(event, kim, student):
    signup_create(event=event, user=kim)
    signup_create(event=event, user=student)
    assert [signup.person for signup in checkin_search(event=event, query="kim")] == [kim]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_check_in_page_shows_the_preferred_name(client, event, editor, kim, language):
    signup_create(event=event, user=kim)
    client.force_login(editor)
    html = client.get(url("checkin", language, event.pk), {"q": "Kim"}).content.decode()
    assert "<strong>Kim Park <span" in html
