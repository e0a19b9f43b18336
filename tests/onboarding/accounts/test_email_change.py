"""Changing the email address: asks for the password again, then confirms the new address."""

import pytest
from allauth.account.models import EmailAddress
from django.utils.translation import get_language_from_path

from tests.factories import PASSWORD

from .conftest import links_in, reauthenticate, url, view_name

pytestmark = pytest.mark.django_db

NEW_EMAIL = "new.address@example.org"


def ask_to_change(client, language="en"):
    return client.post(url("account_email", language), {"email": NEW_EMAIL, "action_add": ""})


def change_with_password(client, language="en"):
    """Ask for the change, give the password when asked; returns the last response."""
    asked = ask_to_change(client, language)
    return client.post(asked.url, {"password": PASSWORD})


@pytest.mark.parametrize("language", ["nb", "en"])
def test_change_without_a_recent_password_asks_for_it_first(client, user, mailoutbox, language):
    client.force_login(user)
    response = ask_to_change(client, language)
    assert response.status_code == 302
    assert response.url.startswith(url("account_reauthenticate", language) + "?next=")
    assert mailoutbox == []
    assert not EmailAddress.objects.filter(email=NEW_EMAIL).exists()


def test_the_reauthentication_page_renders(client, user):
    client.force_login(user)
    page = client.get(ask_to_change(client).url)
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()


def test_a_wrong_password_does_not_make_the_change(client, user, mailoutbox):
    client.force_login(user)
    asked = ask_to_change(client)
    response = client.post(asked.url, {"password": "not-my-password"})
    assert response.status_code == 200
    assert mailoutbox == []
    assert not EmailAddress.objects.filter(email=NEW_EMAIL).exists()


def test_after_the_password_the_change_goes_ahead(client, user, mailoutbox):
    client.force_login(user)
    response = change_with_password(client)
    assert response.status_code == 302
    assert response.url == url("account_email", "en")
    assert EmailAddress.objects.filter(user=user, email=NEW_EMAIL, verified=False).exists()
    (message,) = mailoutbox
    assert message.to == [NEW_EMAIL]


def test_a_recent_reauthentication_is_not_asked_again(client, user, mailoutbox):
    client.force_login(user)
    reauthenticate(client)
    response = ask_to_change(client)
    assert response.url == url("account_email", "en")
    assert [m.to for m in mailoutbox] == [[NEW_EMAIL]]


def test_an_old_reauthentication_is_asked_again(client, user, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    client.force_login(user)
    reauthenticate(client)
    response = ask_to_change(client)
    assert response.url.startswith(url("account_reauthenticate", "en"))


def test_the_confirmation_goes_out_in_the_holders_language(client, nb_user, mailoutbox):
    client.force_login(nb_user)
    change_with_password(client, "en")
    (message,) = mailoutbox
    assert message.subject == "[Velkommen] Bekreft e-postadressen din"
    (link,) = links_in(message)[:1]
    assert get_language_from_path(link) == "nb"
    assert view_name(link) == "account_confirm_email"


def test_the_old_address_stays_until_the_new_one_is_confirmed(client, user, mailoutbox):
    old_email = user.email
    client.force_login(user)
    change_with_password(client)
    user.refresh_from_db()
    assert user.email == old_email
    page = client.get(url("account_email", "en")).content.decode()
    assert NEW_EMAIL in page and old_email in page


def test_confirming_the_new_address_changes_the_login(client, user, mailoutbox):
    client.force_login(user)
    change_with_password(client)
    (link,) = links_in(mailoutbox[0])[:1]
    client.post(link)
    user.refresh_from_db()
    assert user.email == NEW_EMAIL
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        (NEW_EMAIL, True)
    ]


def test_the_old_address_is_told_of_the_change_in_the_holders_language(client, nb_user, mailoutbox):
    old_email = nb_user.email
    client.force_login(nb_user)
    change_with_password(client, "en")
    (link,) = links_in(mailoutbox[0])[:1]
    client.post(link)
    notification = mailoutbox[-1]
    assert notification.to == [old_email]
    assert notification.subject == "[Velkommen] E-postadressen din er endret"
    assert NEW_EMAIL in notification.body
