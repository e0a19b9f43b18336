"""Emails about changes to an account go out in the holder's language."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

from tests.factories import PASSWORD

from .conftest import reauthenticate, totp_code, url

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-long-passphrase-7"


def change_password(client, language="en"):
    return client.post(
        url("account_change_password", language),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


def test_password_change_is_notified_in_norwegian(client, nb_user, mailoutbox):
    client.force_login(nb_user)
    change_password(client, "en")
    (message,) = mailoutbox
    assert message.to == [nb_user.email]
    assert message.subject == "[Velkommen] Passordet ditt er endret"
    assert "Hei Kari," in message.body


def test_password_change_is_notified_in_english(client, en_user, mailoutbox):
    client.force_login(en_user)
    change_password(client, "nb")
    (message,) = mailoutbox
    assert message.subject == "[Velkommen] Your password has been changed"
    assert "Hello Ana," in message.body


def test_notification_offers_a_reset_link_in_the_holders_language(client, nb_user, mailoutbox):
    client.force_login(nb_user)
    change_password(client, "en")
    assert f"http://testserver{url('account_reset_password', 'nb')}" in mailoutbox[0].body


def test_password_change_keeps_the_person_logged_in(client, en_user, mailoutbox):
    client.force_login(en_user)
    change_password(client)
    en_user.refresh_from_db()
    assert en_user.check_password(NEW_PASSWORD)
    assert client.get(url("account_email", "en")).wsgi_request.user == en_user


def test_turning_on_two_factor_is_notified_in_the_holders_language(
    client, nb_user, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(nb_user)
    reauthenticate(client)
    client.get(url("mfa_activate_totp", "en"))
    secret = client.session[SECRET_SESSION_KEY]
    # allauth sends this email once the activation is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("mfa_activate_totp", "en"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=nb_user, type=Authenticator.Type.TOTP).exists()
    (message,) = mailoutbox
    assert message.subject == "[Velkommen] Tofaktorautentisering er slått på"


def test_turning_off_two_factor_is_notified(client, mfa_staff, mailoutbox):
    client.force_login(mfa_staff)
    reauthenticate(client)
    client.post(url("mfa_deactivate_totp", "en"))
    assert not Authenticator.objects.filter(user=mfa_staff, type=Authenticator.Type.TOTP).exists()
    (message,) = mailoutbox
    assert message.subject == "[Velkommen] Two-factor authentication is off"
