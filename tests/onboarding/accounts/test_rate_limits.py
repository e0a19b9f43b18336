"""The login limits behind the proxy: per client address and per account, never one limit for
everyone who comes through the proxy, and sized for a campus behind NAT."""

import pytest
from django.test import Client

from onboarding.settings import base
from tests.factories import UserFactory

from .conftest import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.stack]

TOO_MANY = "Too many failed login attempts"
PROXY = "127.0.0.1"


def through_proxy(address):
    """A browser at ``address`` whose requests nginx passes on (docs/deploy.md)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def per_address_failures():
    """How many failed logins a minute one address may make, as the settings say."""
    rule = next(
        part for part in base.ACCOUNT_RATE_LIMITS["login_failed"].split(",") if "/ip" in part
    )
    return int(rule.split("/")[0])


@pytest.fixture(autouse=True)
def behind_the_proxy(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def is_logged_in(client):
    return "_auth_user_id" in client.session


def test_wrong_passwords_from_one_client_do_not_lock_out_a_student_elsewhere():
    student = UserFactory()
    attacker = through_proxy("203.0.113.9")
    for attempt in range(12):
        log_in(attacker, f"guess{attempt}@example.org", password="wrong")
    elsewhere = through_proxy("198.51.100.7")
    response = log_in(elsewhere, student.email)
    assert response.status_code == 302
    assert is_logged_in(elsewhere)


def test_a_flood_from_one_address_is_stopped_there_only():
    student = UserFactory()
    flood = through_proxy("203.0.113.9")
    for attempt in range(per_address_failures()):
        log_in(flood, f"guess{attempt}@example.org", password="wrong")
    refused = log_in(flood, student.email)
    assert TOO_MANY in refused.content.decode()
    assert not is_logged_in(flood)
    elsewhere = through_proxy("198.51.100.7")
    log_in(elsewhere, student.email)
    assert is_logged_in(elsewhere)


def test_a_campus_behind_nat_logs_in_together():
    # Fifty students at one address, each with a typo first: nobody is turned away.
    campus = "192.0.2.10"
    for number in range(50):
        student = UserFactory()
        client = through_proxy(campus)
        log_in(client, student.email, password="typo")
        log_in(client, student.email)
        assert is_logged_in(client), number


def test_guessing_one_persons_password_locks_that_account_only():
    student, neighbour = UserFactory(), UserFactory()
    for number in range(5):
        log_in(through_proxy(f"203.0.113.{number + 1}"), student.email, password="wrong")
    locked = through_proxy("198.51.100.7")
    assert TOO_MANY in log_in(locked, student.email).content.decode()
    assert not is_logged_in(locked)
    other = through_proxy("198.51.100.8")
    log_in(other, neighbour.email)
    assert is_logged_in(other)


def test_a_client_cannot_choose_its_address_by_writing_the_header():
    # The client writes its own X-Forwarded-For; nginx appends the address it saw.
    for attempt in range(per_address_failures()):
        spoofed = through_proxy(f"10.0.0.{attempt % 250}, 203.0.113.9")
        log_in(spoofed, f"guess{attempt}@example.org", password="wrong")
    again = through_proxy("10.9.9.9, 203.0.113.9")
    assert TOO_MANY in log_in(again, UserFactory().email).content.decode()


def test_without_a_proxy_the_header_is_not_believed(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for attempt in range(per_address_failures()):
        log_in(
            Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt % 250}"),
            f"guess{attempt}@example.org",
            password="wrong",
        )
    again = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert TOO_MANY in log_in(again, UserFactory().email).content.decode()
