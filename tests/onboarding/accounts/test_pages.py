"""Every account page a person can reach is a page of the site, in both languages."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import translation

from tests.factories import UserFactory

from .conftest import log_in, reauthenticate, url

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]


def assert_site_page(response, language):
    """The page has the site's frame: its language, skip link, header, one <main>, an <h1>."""
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert html.count("<main ") == 1
    assert 'id="main"' in html
    assert 'class="skip-link"' in html
    assert 'class="site-header"' in html
    assert 'class="site-footer"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert "Menu:" not in html  # allauth's bare layout
    return html


# Pages for people who are not logged in

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_inactive",
    "account_reset_password_from_key_done",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_page(client, name, language):
    assert_site_page(client.get(url(name, language)), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_signup_closed_page(client, language):
    with override_settings(ACCOUNT_SIGNUP_ENABLED=False):
        html = assert_site_page(client.get(url("account_signup", language)), language)
    assert 'name="password1"' not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_invalid_confirmation_link_page(client, language):
    assert_site_page(client.get(url("account_confirm_email", language, key="nonsense")), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_confirmation_page(client, mailoutbox, language):
    client.post(
        url("account_signup", language),
        {
            "first_name": "Page",
            "last_name": "Tester",
            "email": "pages@example.org",
            "password1": "pages-passphrase-1",
            "password2": "pages-passphrase-1",
        },
    )
    link = re.search(r"https?://testserver(/\S+)", mailoutbox[0].body).group(1)
    html = assert_site_page(client.get(link), language)
    assert "pages@example.org" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_form_page(client, user, language):
    key = default_token_generator.make_token(user)
    link = url(
        "account_reset_password_from_key", language, uidb36=user_pk_to_url_str(user), key=key
    )
    html = assert_site_page(client.get(link, follow=True), language)
    assert 'name="password1"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_password_reset_bad_link_page(client, user, language):
    link = url("account_reset_password_from_key", language, uidb36="1", key="bad-key")
    html = assert_site_page(client.get(link), language)
    assert 'name="password1"' not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_mfa_code_page_while_logging_in(client, mfa_staff, language):
    log_in(client, mfa_staff.email, language=language)
    html = assert_site_page(client.get(url("mfa_authenticate", language)), language)
    assert 'autocomplete="one-time-code"' in html


# Pages for people who are logged in

MANAGE_PAGES = [
    "account_email",
    "account_change_password",
    "account_preferences",
    "mfa_index",
    "account_logout",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_logged_in_page(client, user, name, language):
    client.force_login(user)
    assert_site_page(client.get(url(name, language)), language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "account_preferences", "mfa_index"]
)
def test_settings_pages_have_the_account_navigation(client, user, name, language):
    client.force_login(user)
    html = client.get(url(name, language)).content.decode()
    assert 'class="account-nav"' in html
    assert f'href="{url(name, language)}" aria-current="page"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_set_password_page(client, db, mailoutbox, language):
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    client.force_login(person)
    # Without a password, the person confirms it is them with a code sent by email.
    client.post(url("account_request_reauthentication_code", language), {"recipient": person.email})
    code = re.search(r"^([A-Z0-9-]{6,})$", mailoutbox[0].body, re.MULTILINE).group(1)
    client.post(url("account_confirm_reauthentication_code", language), {"code": code})
    html = assert_site_page(client.get(url("account_set_password", language)), language)
    assert 'autocomplete="new-password"' in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name", ["account_reauthenticate", "account_request_reauthentication_code"]
)
def test_reauthentication_pages(client, user, name, language):
    client.force_login(user)
    assert_site_page(client.get(url(name, language)), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_reauthentication_code_page(client, user, mailoutbox, language):
    client.force_login(user)
    client.post(url("account_request_reauthentication_code", language), {"recipient": user.email})
    html = assert_site_page(
        client.get(url("account_confirm_reauthentication_code", language)), language
    )
    assert user.email in html
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_totp_setup_page(client, user, language):
    client.force_login(user)
    reauthenticate(client, language=language)
    html = assert_site_page(client.get(url("mfa_activate_totp", language)), language)
    assert 'class="qr-code"' in html and 'alt="' in html
    assert 'autocomplete="one-time-code"' in html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "name",
    [
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
    ],
)
def test_mfa_management_pages(client, mfa_staff, name, language):
    RecoveryCodes.activate(mfa_staff)
    client.force_login(mfa_staff)
    reauthenticate(client, language=language)
    assert_site_page(client.get(url(name, language)), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_verified_email_required_page(user, language):
    request = RequestFactory().get("/")
    request.user = user
    with translation.override(language):
        html = render_to_string("account/verified_email_required.html", request=request)
    assert f'<html lang="{language}">' in html
    assert html.count("<main ") == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_errors_are_announced_and_tied_to_their_fields(client, language):
    response = client.post(url("account_signup", language), {"email": "not-an-address"})
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert 'href="#id_email"' in html
    (email_input,) = re.findall(r'<input[^>]*id="id_email"[^>]*>', html)
    assert 'aria-invalid="true"' in email_input
    assert "id_email_error" in email_input
    assert 'id="id_email_error"' in html


# Templates allauth only uses with other settings than ours; they must still render.


@pytest.mark.parametrize("language", LANGUAGES)
def test_multiple_addresses_page_renders(user, language):
    from allauth.account.forms import AddEmailForm
    from allauth.account.models import EmailAddress

    request = RequestFactory().get("/")
    request.user = user
    address = EmailAddress.objects.get(user=user)
    context = {
        "emailaddresses": [address],
        "emailaddress_radios": [{"id": "email_radio_0", "checked": True, "emailaddress": address}],
        "form": AddEmailForm(user=user),
        "can_add_email": True,
    }
    with translation.override(language):
        html = render_to_string("account/email.html", context, request=request)
    assert f'<html lang="{language}">' in html
    assert 'id="email_radio_0"' in html and 'name="action_add"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_code_page_renders(language):
    from allauth.account.forms import ConfirmLoginCodeForm

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    context = {"verify_form": ConfirmLoginCodeForm(code="ABC123"), "email": "a@example.org"}
    with translation.override(language):
        html = render_to_string("account/confirm_login_code.html", context, request=request)
    assert f'<html lang="{language}">' in html
    assert "a@example.org" in html and 'name="code"' in html
