"""Logging in with the email address, and allauth's rate limit on failed attempts."""

import pytest
from django.test import override_settings

from .conftest import log_in, url

pytestmark = pytest.mark.django_db


def logged_in_user(client):
    return client.get(url("account_email", "en")).wsgi_request.user


@pytest.mark.parametrize("language", ["nb", "en"])
def test_login_with_email_and_password(client, user, language):
    response = log_in(client, user.email, language=language)
    assert response.status_code == 302
    assert logged_in_user(client) == user


def test_login_email_is_not_case_sensitive(client, user):
    log_in(client, user.email.upper())
    assert logged_in_user(client) == user


def test_login_follows_next(client, user):
    response = log_in(client, user.email, next_url="/en/")
    assert response.url == "/en/"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "E-postadressen og/eller passordet du oppgav er feil."),
        ("en", "The email address and/or password you specified are not correct."),
    ],
)
def test_wrong_password_is_refused_with_an_error_in_the_page_language(
    client, user, language, message
):
    response = log_in(client, user.email, password="wrong-password", language=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert not logged_in_user(client).is_authenticated


@pytest.mark.stack
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,3/5m/key"})
def test_failed_logins_trip_the_rate_limit(client, user):
    for _attempt in range(3):
        log_in(client, user.email, password="wrong-password")
    response = log_in(client, user.email)
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert not logged_in_user(client).is_authenticated


def test_without_the_rate_limit_the_same_attempts_succeed(client, user):
    for _attempt in range(3):
        log_in(client, user.email, password="wrong-password")
    log_in(client, user.email)
    assert logged_in_user(client) == user


def test_logout_asks_first_and_logs_out_on_post(client, user):
    client.force_login(user)
    assert client.get(url("account_logout", "en")).status_code == 200
    client.post(url("account_logout", "en"))
    assert not logged_in_user(client).is_authenticated


# Where a login lands


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_student_lands_on_the_arrival_plan_in_the_login_pages_language(client, user, language):
    response = log_in(client, user.email, language=language)
    assert response.url == url("arrival_plan", language)


def test_a_next_still_wins_over_the_plan(client, user):
    response = log_in(client, user.email, language="nb", next_url="/nb/sok/")
    assert response.url == "/nb/sok/"
