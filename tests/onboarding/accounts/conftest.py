"""Helpers for account tests: URLs per language, logging in through the forms, TOTP codes."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import resolve, reverse
from django.utils import translation

from tests.factories import PASSWORD, StaffFactory, UserFactory

# The profile asks for a faculty and department: the arrival journey's chart, built once a module.
from tests.onboarding.checklists.conftest import _module_tree, home, tree  # noqa: F401, E402

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LINK = re.compile(r"https?://testserver(/\S+)")


def url(name, language, **kwargs):
    """The path of a named view in a language (the account prefix is translated)."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def totp_code(secret=TOTP_SECRET):
    """The code an authenticator app would show now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def view_name(path):
    """The name of the view a path opens, resolved in the path's own language."""
    with translation.override(translation.get_language_from_path(path)):
        return resolve(path).url_name


def links_in(message):
    """The site paths linked from an email's text body."""
    return LINK.findall(message.body)


def log_in(client, email, *, password=PASSWORD, language="en", next_url=None):
    """Post the login form as a person would; returns the response."""
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(url("account_login", language), data)


def reauthenticate(client, *, password=PASSWORD, language="en"):
    """Confirm the password again, as the reauthentication page asks."""
    return client.post(url("account_reauthenticate", language), {"password": password})


@pytest.fixture(autouse=True)
def _totp_tolerance(settings):
    # A code made at the very end of a 30-second step is still accepted in the next one.
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def nb_user(db):
    return UserFactory(language="nb", first_name="Kari")


@pytest.fixture
def en_user(db):
    return UserFactory(language="en", first_name="Ana")


@pytest.fixture
def mfa_staff(db):
    """A staff member with an authenticator app set up."""
    staff = StaffFactory(language="en")
    TOTP.activate(staff, TOTP_SECRET)
    return staff
