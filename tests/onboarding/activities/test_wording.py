"""Words that mean two things in English: signing up to an event is not creating an account."""

import datetime
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.activities.services import event_cancel, signup_cancel, signup_create
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db


def page_url(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.fixture
def event(unit):
    # A Friday in December, years ahead so that it stays upcoming.
    start = datetime.datetime(2037, 12, 4, 18, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    return event_create(
        unit, capacity=5, start_at=start, title_nb="Julebord", title_en="Yule party"
    )


def _signup_button(html):
    (button,) = re.findall(r"<button[^>]*data-signup-button[^>]*>([^<]*)</button>", html)
    return button


@pytest.mark.parametrize(
    ("language", "label", "account_label"),
    [("nb", "Meld deg på", "Registrer deg"), ("en", "Sign up", "Sign up")],
)
def test_the_event_signup_button_is_not_the_account_signup(
    client, event, student, language, label, account_label
):
    client.force_login(student)
    html = client.get(page_url(event, language)).content.decode()
    assert _signup_button(html) == label
    assert f'data-label-signup="{label}"' in html
    client.logout()
    with translation.override(language):
        signup_url = reverse("account_signup")
    html = client.get(page_url(event, language)).content.decode()
    assert f'<a href="{signup_url}">{account_label}</a>' in html


@pytest.mark.parametrize(("language", "when"), [("nb", "fre 4. des"), ("en", "Fri 4 Dec")])
def test_the_event_list_writes_dates_as_the_language_does(client, event, language, when):
    with translation.override(language):
        html = client.get(reverse("activities:event_list")).content.decode()
    assert f"{when}, 18:00–20:00" in html


FULL_ONE = {"nb": "Fullt: den eneste plassen er tatt.", "en": "Full: the only place is taken."}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_event_with_its_only_place_taken_says_so_in_the_singular(
    client, unit, student, language
):
    single = event_create(unit, capacity=1, title_nb="Kajakk", title_en="Kayak")
    signup_create(event=single, user=student)

    html = client.get(page_url(single, language)).content.decode()

    (text,) = re.findall(r"<[^>]*data-places-text[^>]*>([^<]*)<", html)
    assert text.strip() == FULL_ONE[language]
    # The label the page's script words a live count with, when the only place is taken.
    (labels,) = re.findall(r'<script id="event-live-labels"[^>]*>(.*?)</script>', html)
    assert json.loads(labels)["full_one"] == FULL_ONE[language]


def _ticket_status(client, signup, language):
    with translation.override(language):
        html = client.get(reverse("activities:ticket", args=[signup.ticket_code])).content.decode()
    (status,) = re.findall(r"<dt>Status</dt>\s*<dd>([^<]*)", html)
    return status.strip()


@pytest.mark.parametrize(
    ("language", "withdrew", "called_off"),
    [("nb", "Avmeldt", "Avlyst"), ("en", *["Cancelled"] * 2)],
)
def test_a_ticket_tells_a_place_given_up_from_an_event_called_off(
    client, unit, student, editor, language, withdrew, called_off
):
    given_up = signup_create(event=event_create(unit, capacity=5), user=student)
    signup_cancel(signup=given_up, user=student)
    called = event_create(unit, capacity=5)
    held = signup_create(event=called, user=student)
    event_cancel(event=called, by=editor)
    client.force_login(student)

    assert _ticket_status(client, given_up, language) == withdrew
    assert _ticket_status(client, held, language) == called_off


def test_a_language_on_its_own_is_capitalised_in_norwegian_and_not_in_a_sentence():
    from cms.forms import LANGUAGE_NAMES
    from onboarding.activities.models import EventLanguage
    from onboarding.units.models import MeetingLanguage

    with translation.override("nb"):
        assert [str(label) for label in EventLanguage.labels] == [
            "Norsk",
            "Engelsk",
            "Norsk og engelsk",
        ]
        assert str(MeetingLanguage.NORWEGIAN.label) == "Norsk"
        assert str(MeetingLanguage.ENGLISH.label) == "Engelsk"
        # Inside a sentence ("Gi navnet på norsk."), a language is written in lower case.
        assert [str(LANGUAGE_NAMES["nb"]), str(LANGUAGE_NAMES["en"])] == ["norsk", "engelsk"]
