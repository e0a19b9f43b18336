"""The admin: one login page (allauth's), and two-factor authentication for staff and editors."""

import re
from urllib.parse import quote

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from wagtail.users.models import UserProfile

from onboarding.accounts.middleware import MFA_NEXT_SESSION_KEY
from tests.factories import StaffFactory, UserFactory

from .conftest import TOTP_SECRET, log_in, reauthenticate, totp_code, url

pytestmark = pytest.mark.django_db


def give_admin_access(user):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )


@pytest.fixture
def admin_staff(mfa_staff):
    """A staff member who may open the admin and has an authenticator app."""
    give_admin_access(mfa_staff)
    return mfa_staff


def activation_url(next_path, language="nb"):
    return f"{url('mfa_activate_totp', language)}?next={quote(next_path, safe='')}"


# Anonymous visitors


@pytest.mark.parametrize(("cookie", "language"), [(None, "nb"), ("en", "en")])
def test_anonymous_admin_goes_to_the_allauth_login(client, cookie, language):
    if cookie:
        client.cookies["velkommen_language"] = cookie
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == f"{url('account_login', language)}?next=/admin/"


def test_wagtails_own_login_page_sends_to_the_allauth_login(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response.url == f"{url('account_login', 'nb')}?next=%2Fadmin%2Fpages%2F"


def test_posting_to_wagtails_own_login_does_not_log_in(client, admin_staff):
    client.post(
        "/admin/login/", {"username": admin_staff.email, "password": "correct-horse-battery"}
    )
    assert not client.get(url("account_login", "en")).wsgi_request.user.is_authenticated


def test_wagtails_own_password_reset_sends_to_the_allauth_one(client):
    response = client.get("/admin/password_reset/")
    assert response.url == url("account_reset_password", "nb")


def test_the_private_page_login_sends_to_the_allauth_login(client):
    response = client.get(f"{url('wagtailcore_login', 'en')}?next=/en/")
    assert response.status_code == 302
    assert response.url == f"{url('account_login', 'en')}?next=%2Fen%2F"


def test_an_outside_next_is_dropped(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response.url == url("account_login", "nb")


# Logging in to the admin


def test_staff_with_mfa_is_asked_for_a_code_after_the_password(client, admin_staff):
    response = log_in(client, admin_staff.email, next_url="/admin/")
    assert response.status_code == 302
    assert response.url == url("mfa_authenticate", "en")
    assert not client.get(url("account_email", "en")).wsgi_request.user.is_authenticated


def test_staff_with_mfa_reaches_the_admin_after_the_code(client, admin_staff):
    log_in(client, admin_staff.email, next_url="/admin/")
    response = client.post(url("mfa_authenticate", "en"), {"code": totp_code()})
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_does_not_log_in(client, admin_staff):
    log_in(client, admin_staff.email, next_url="/admin/")
    response = client.post(url("mfa_authenticate", "en"), {"code": "000000"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_also_logs_in(client, admin_staff):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(admin_staff).generate_codes()
    log_in(client, admin_staff.email, next_url="/admin/")
    response = client.post(url("mfa_authenticate", "en"), {"code": codes[0]})
    assert response.url == "/admin/"


# Two-factor authentication required


def test_staff_without_mfa_is_sent_from_the_admin_to_set_it_up(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == activation_url("/admin/pages/")


def test_an_editor_who_is_not_staff_is_sent_to_set_it_up_too(client, db):
    editor = UserFactory()
    group = Group.objects.create(name="Some editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    editor.groups.add(group)
    client.force_login(editor)
    assert client.get("/admin/").url == activation_url("/admin/")


def test_a_person_without_admin_access_is_not_forced_and_not_looped(client, user):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/nb/"
    assert not Authenticator.objects.filter(user=user).exists()


def test_a_person_without_admin_access_is_told_why(client, user):
    client.cookies["velkommen_language"] = "en"
    client.force_login(user)
    response = client.get("/admin/")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your account does not give access to the admin."
    ]


def test_staff_without_mfa_can_still_log_out_of_the_admin(client, staff_user):
    give_admin_access(staff_user)
    client.force_login(staff_user)
    client.post("/admin/logout/")
    assert not client.get(url("account_login", "en")).wsgi_request.user.is_authenticated


@pytest.mark.parametrize("name", ["mfa_index", "account_email", "account_preferences"])
def test_the_account_pages_stay_open_to_staff_without_mfa(client, staff_user, name):
    client.force_login(staff_user)
    assert client.get(url(name, "en")).status_code == 200


def test_setting_up_asks_for_the_password_first_then_shows_the_setup(client, staff_user):
    client.force_login(staff_user)
    asked = client.get(activation_url("/admin/", "en"))
    assert asked.url.startswith(url("account_reauthenticate", "en"))
    reauthenticate(client)
    page = client.get(activation_url("/admin/", "en"))
    assert page.status_code == 200
    assert "You need two-factor authentication to use the admin." in page.content.decode()


def test_after_setting_up_the_way_back_to_the_admin_is_offered(client, db):
    staff = StaffFactory()
    give_admin_access(staff)
    client.force_login(staff)
    client.get("/admin/pages/")
    reauthenticate(client)
    client.get(activation_url("/admin/pages/", "en"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(
        activation_url("/admin/pages/", "en"), {"code": totp_code(secret)}, follow=True
    )
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert response.redirect_chain[-1][0] == url("mfa_view_recovery_codes", "en")
    assert 'href="/admin/pages/"' in response.content.decode()
    assert client.get("/admin/").status_code == 200
    assert MFA_NEXT_SESSION_KEY not in client.session


def test_the_way_back_is_not_offered_before_mfa_is_on(client, staff_user):
    client.force_login(staff_user)
    client.get("/admin/pages/")
    page = client.get(url("mfa_index", "en")).content.decode()
    assert 'href="/admin/pages/"' not in page


# Where staff and editors land


@pytest.mark.parametrize("language", ["nb", "en"])
def test_an_editor_lands_on_the_admin_dashboard_after_the_code(client, db, language):
    editor = UserFactory(language=language)
    group = Group.objects.create(name="Line association editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    editor.groups.add(group)
    TOTP.activate(editor, TOTP_SECRET)
    assert log_in(client, editor.email, language=language).url == url("mfa_authenticate", language)
    response = client.post(url("mfa_authenticate", language), {"code": totp_code()})
    assert response.url == "/admin/"
    dashboard = client.get(response.url)
    assert dashboard.status_code == 200
    assert f'<html lang="{language}"' in dashboard.content.decode()


def test_a_next_wins_over_the_dashboard_after_the_code(client, admin_staff):
    log_in(client, admin_staff.email, next_url="/en/search/")
    response = client.post(url("mfa_authenticate", "en"), {"code": totp_code()})
    assert response.url == "/en/search/"


# The admin's language


def _admin_lang(client):
    response = client.get("/admin/")
    assert response.status_code == 200
    match = re.search(r'<html lang="(\w+)"', response.content.decode())
    return match.group(1)


@pytest.mark.parametrize(("saved", "chosen"), [("nb", "en"), ("en", "nb")])
def test_the_admin_follows_the_language_chosen_on_the_site(client, db, saved, chosen):
    staff = StaffFactory(language=saved)
    give_admin_access(staff)
    TOTP.activate(staff, TOTP_SECRET)
    # The person reads the site in the other language and logs in there.
    client.get(f"/{chosen}/")
    log_in(client, staff.email, language=chosen)
    response = client.post(url("mfa_authenticate", chosen), {"code": totp_code()})
    assert response.url == "/admin/"
    assert _admin_lang(client) == chosen


def test_the_admin_follows_the_language_saved_in_the_site_preferences(client, admin_staff):
    UserProfile.objects.update_or_create(user=admin_staff, defaults={"preferred_language": "nb"})
    client.force_login(admin_staff)
    assert _admin_lang(client) == "nb"
    client.post(
        url("account_preferences", "en"),
        {"language": "en", "first_name": "Ana", "last_name": "Lee"},
    )
    assert UserProfile.objects.get(user=admin_staff).preferred_language == "en"
    assert _admin_lang(client) == "en"
