"""Signing up: names are asked for, and the confirmation email is in the person's language."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils.translation import get_language_from_path

from .conftest import links_in, log_in, url, view_name

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(client, language, email="new.student@example.org", **names):
    names = {"first_name": "Kyung-min", "last_name": "Park", **names}
    return client.post(
        url("account_signup", language),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **names},
    )


# Names


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("nb", ["Fornavn", "Etternavn", "Foretrukket navn (valgfritt)"]),
        ("en", ["Given name", "Family name", "Preferred name (optional)"]),
    ],
)
def test_the_signup_form_asks_for_names_first(client, language, labels):
    html = client.get(url("account_signup", language)).content.decode()
    positions = [html.index(f">{label}:</label>") for label in labels]
    assert positions == sorted(positions)
    assert positions[-1] < html.index('name="email"')
    assert 'autocomplete="given-name"' in html
    assert 'autocomplete="family-name"' in html


@pytest.mark.parametrize("language", ["nb", "en"])
def test_signup_saves_the_given_family_and_preferred_name(client, language):
    sign_up(client, language, first_name=" Kyung-min ", last_name="Park", preferred_name="Kim")
    user = get_user_model().objects.get(email="new.student@example.org")
    assert (user.first_name, user.last_name, user.preferred_name) == ("Kyung-min", "Park", "Kim")
    assert user.display_name == "Kim Park"


def test_the_preferred_name_is_optional(client):
    response = sign_up(client, "en")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="new.student@example.org")
    assert (user.first_name, user.preferred_name, user.display_name) == (
        "Kyung-min",
        "",
        "Kyung-min Park",
    )


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        ("nb", ["Skriv fornavnet ditt.", "Skriv etternavnet ditt."]),
        ("en", ["Enter your given name.", "Enter your family name."]),
    ],
)
def test_signup_without_names_is_refused_with_translated_errors(
    client, mailoutbox, language, messages
):
    response = sign_up(client, language, first_name="  ", last_name="")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(message in html for message in messages)
    assert 'href="#id_first_name"' in html
    assert not get_user_model().objects.filter(email="new.student@example.org").exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("language", "message"), [("nb", "Bruk høyst 150 tegn."), ("en", "Use at most 150 characters.")]
)
def test_a_name_that_is_too_long_is_refused(client, language, message):
    response = sign_up(client, language, preferred_name="K" * 151)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(email="new.student@example.org").exists()


@pytest.mark.parametrize(("language", "greeting"), [("nb", "Hei Kim,"), ("en", "Hello Kim,")])
def test_the_confirmation_email_greets_the_person_by_their_preferred_name(
    client, mailoutbox, language, greeting
):
    sign_up(client, language, preferred_name="Kim")
    (message,) = mailoutbox
    assert message.body.startswith(greeting)


# Language


@pytest.mark.parametrize("language", ["nb", "en"])
def test_signup_sends_to_the_check_your_email_page(client, language):
    response = sign_up(client, language)
    assert response.status_code == 302
    assert response.url == url("account_email_verification_sent", language)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_signup_takes_the_language_of_the_page(client, language):
    sign_up(client, language)
    assert get_user_model().objects.get(email="new.student@example.org").language == language


def test_confirmation_email_in_norwegian_after_signing_up_in_norwegian(client, mailoutbox):
    sign_up(client, "nb")
    (message,) = mailoutbox
    assert message.to == ["new.student@example.org"]
    assert message.subject == "[Velkommen] Bekreft e-postadressen din for å fullføre registreringen"
    assert "Velkommen til Velkommen!" in message.body
    assert "Welcome" not in message.body


def test_confirmation_email_in_english_after_signing_up_in_english(client, mailoutbox):
    sign_up(client, "en")
    (message,) = mailoutbox
    assert message.subject == "[Velkommen] Confirm your email address to finish signing up"
    assert "Welcome to Velkommen!" in message.body


@pytest.mark.parametrize("language", ["nb", "en"])
def test_confirmation_link_opens_the_site_in_the_persons_language(client, mailoutbox, language):
    sign_up(client, language)
    (link,) = links_in(mailoutbox[0])[:1]
    assert get_language_from_path(link) == language
    assert view_name(link) == "account_confirm_email"


def test_signup_does_not_log_in_before_the_address_is_confirmed(client):
    sign_up(client, "en")
    assert not client.get(url("account_email", "en")).wsgi_request.user.is_authenticated


@pytest.mark.parametrize("language", ["nb", "en"])
def test_confirming_the_link_verifies_the_address_and_logs_in(client, mailoutbox, language):
    sign_up(client, language)
    (link,) = links_in(mailoutbox[0])[:1]
    page = client.get(link)
    assert page.status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="new.student@example.org")
    assert address.verified
    assert client.get(url("account_email", language)).wsgi_request.user == address.user


def test_the_confirmed_person_can_log_in_with_email_and_password(client, mailoutbox):
    sign_up(client, "en")
    (link,) = links_in(mailoutbox[0])[:1]
    client.post(link)
    client.logout()
    response = log_in(client, "new.student@example.org", password=NEW_PASSWORD)
    assert response.status_code == 302
    assert response.url == url("arrival_plan", "en")


def test_unconfirmed_person_cannot_log_in(client, mailoutbox):
    sign_up(client, "en")
    client.logout()
    response = log_in(client, "new.student@example.org", password=NEW_PASSWORD)
    assert response.url == url("account_email_verification_sent", "en")
    assert not client.get(url("account_email", "en")).wsgi_request.user.is_authenticated


def test_signing_up_with_a_taken_address_tells_its_owner_in_their_language(
    client, mailoutbox, nb_user
):
    sign_up(client, "en", email=nb_user.email)
    (message,) = mailoutbox
    assert message.to == [nb_user.email]
    assert message.subject == "[Velkommen] Du har allerede en konto"
    (link,) = links_in(message)[:1]
    assert get_language_from_path(link) == "nb"
    assert get_user_model().objects.filter(email=nb_user.email).count() == 1
