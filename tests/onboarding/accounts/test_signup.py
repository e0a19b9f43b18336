"""Signing up: the confirmation email is in the language the person signed up in."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils.translation import get_language_from_path

from .conftest import links_in, log_in, url, view_name

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(client, language, email="new.student@example.org"):
    return client.post(
        url("account_signup", language),
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


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
