"""Password reset: the email is in the account holder's language and the flow completes."""

import pytest
from django.utils.translation import get_language_from_path

from .conftest import links_in, log_in, url, view_name

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-passphrase-42"


def ask_for_reset(client, email, language):
    return client.post(url("account_reset_password", language), {"email": email})


def choose_new_password(client, link):
    """Open the emailed link (it forwards to the form, keeping the key in the session) and post."""
    form_page = client.get(link, follow=True)
    (form_url, _status) = form_page.redirect_chain[-1]
    return client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


@pytest.mark.parametrize("language", ["nb", "en"])
def test_asking_for_a_reset_shows_the_check_your_email_page(client, user, language):
    response = ask_for_reset(client, user.email, language)
    assert response.status_code == 302
    assert response.url == url("account_reset_password_done", language)


def test_reset_email_is_in_the_holders_language_not_the_pages(client, mailoutbox, nb_user):
    ask_for_reset(client, nb_user.email, "en")
    (message,) = mailoutbox
    assert message.to == [nb_user.email]
    assert message.subject == "[Velkommen] Velg et nytt passord"
    assert "Hei Kari," in message.body
    (link,) = links_in(message)[:1]
    assert get_language_from_path(link) == "nb"
    assert view_name(link) == "account_reset_password_from_key"


def test_reset_email_in_english_for_an_english_speaker(client, mailoutbox, en_user):
    ask_for_reset(client, en_user.email, "nb")
    (message,) = mailoutbox
    assert message.subject == "[Velkommen] Choose a new password"
    assert "Hello Ana," in message.body
    (link,) = links_in(message)[:1]
    assert get_language_from_path(link) == "en"


def test_reset_for_an_unknown_address_says_so_in_the_page_language(client, mailoutbox, db):
    ask_for_reset(client, "nobody@example.org", "nb")
    (message,) = mailoutbox
    assert message.subject == "[Velkommen] Ingen konto med denne e-postadressen"


def test_the_reset_link_lets_the_person_choose_a_new_password(client, mailoutbox, en_user):
    ask_for_reset(client, en_user.email, "en")
    (link,) = links_in(mailoutbox[0])[:1]
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    response = choose_new_password(client, link)
    assert response.status_code == 302
    assert response.url == url("account_reset_password_from_key_done", "en")
    en_user.refresh_from_db()
    assert en_user.check_password(NEW_PASSWORD)


def test_after_the_reset_the_new_password_logs_in(client, mailoutbox, en_user):
    ask_for_reset(client, en_user.email, "en")
    (link,) = links_in(mailoutbox[0])[:1]
    choose_new_password(client, link)
    client.logout()
    assert log_in(client, en_user.email, password=NEW_PASSWORD).status_code == 302


def test_the_reset_is_confirmed_by_a_notification_in_the_holders_language(
    client, mailoutbox, nb_user
):
    ask_for_reset(client, nb_user.email, "en")
    (link,) = links_in(mailoutbox[0])[:1]
    choose_new_password(client, link)
    notification = mailoutbox[-1]
    assert notification.subject == "[Velkommen] Passordet ditt er tilbakestilt"
    assert notification.to == [nb_user.email]


def test_a_used_link_no_longer_works(client, mailoutbox, en_user):
    ask_for_reset(client, en_user.email, "en")
    (link,) = links_in(mailoutbox[0])[:1]
    choose_new_password(client, link)
    client.logout()
    again = client.get(link, follow=True)
    assert "The link does not work" in again.content.decode()
