"""The account pages' paths are Norwegian under /nb/ and English under /en/."""

import pytest
from allauth import urls as allauth_urls
from django.urls import URLResolver
from django.utils import translation

from onboarding.accounts.urls import translated

from .conftest import url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "nb", "en"),
    [
        ("account_login", "/nb/konto/logg-inn/", "/en/accounts/login/"),
        ("account_logout", "/nb/konto/logg-ut/", "/en/accounts/logout/"),
        ("account_signup", "/nb/konto/ny-konto/", "/en/accounts/signup/"),
        ("account_reset_password", "/nb/konto/passord/nytt/", "/en/accounts/password/reset/"),
        ("account_email", "/nb/konto/e-post/", "/en/accounts/email/"),
        ("mfa_index", "/nb/konto/tofaktor/", "/en/accounts/2fa/"),
        ("mfa_authenticate", "/nb/konto/tofaktor/kode/", "/en/accounts/2fa/authenticate/"),
        ("mfa_activate_totp", "/nb/konto/tofaktor/app/sla-pa/", "/en/accounts/2fa/totp/activate/"),
        ("account_preferences", "/nb/konto/innstillinger/", "/en/accounts/preferences/"),
    ],
)
def test_account_paths_in_each_language(name, nb, en):
    assert url(name, "nb") == nb
    assert url(name, "en") == en


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_login_and_signup_pages_open_at_their_translated_paths(client, language):
    for name in ("account_login", "account_signup", "account_reset_password"):
        response = client.get(url(name, language))
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()


def test_the_keyed_links_are_translated_too():
    key = url("account_confirm_email", "nb", key="abc:123")
    assert key == "/nb/konto/bekreft-e-post/abc:123/"
    reset = url("account_reset_password_from_key", "nb", uidb36="1z", key="set-abc")
    assert reset == "/nb/konto/passord/nytt/lenke/1z-set-abc/"


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        else:
            yield entry.name, route


def test_every_allauth_path_has_a_norwegian_translation():
    patterns = translated(allauth_urls.urlpatterns)
    with translation.override("en"):
        english = dict(_routes(patterns))
    with translation.override("nb"):
        norwegian = dict(_routes(patterns))
    assert set(english) == set(norwegian)
    assert [name for name in english if english[name] == norwegian[name]] == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/nb/konto/signup/", "/nb/konto/ny-konto/"),
        ("/nb/konto/login/?next=/nb/sok/", "/nb/konto/logg-inn/?next=/nb/sok/"),
        ("/nb/konto/confirm-email/abc:123/", "/nb/konto/bekreft-e-post/abc:123/"),
        ("/nb/konto/2fa/authenticate/", "/nb/konto/tofaktor/kode/"),
    ],
)
def test_the_english_paths_under_nb_lead_on_to_the_norwegian_ones(client, old, new):
    response = client.get(old)
    assert response.status_code == 302
    assert response.url == new


@pytest.mark.parametrize("path", ["/nb/konto/no-such-page/", "/en/accounts/no-such-page/"])
def test_an_unknown_account_path_is_not_found(client, site_tree, path):
    assert client.get(path).status_code == 404
