"""Board hand-over in the admin and on the site: the people page, its actions, accepting."""

from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import translation

from onboarding.units.models import UnitInvitation, UnitPage, UnitRole
from onboarding.units.selectors import unit_is_editor, unit_is_organiser
from onboarding.units.services import (
    international_staff_add,
    unit_invitation_accept,
    unit_invitation_create,
    unit_organiser_add,
)
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.activities.factories import editor_of
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def choir(tree):
    return tree["choir"]


@pytest.fixture
def editor(choir):
    return mfa_enable(editor_of(choir))


def _people(unit):
    return reverse("units_admin:people", args=[unit.pk])


def _admin_urls(unit):
    return [
        ("get", _people(unit)),
        ("post", _people(unit)),
        ("post", reverse("units_admin:invitation_revoke", args=[unit.pk])),
        ("post", reverse("units_admin:person_remove", args=[unit.pk])),
        ("post", reverse("units_admin:leave", args=[unit.pk])),
    ]


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _invite(unit, by, *, role=UnitRole.ORGANISER, email="next@example.org"):
    return unit_invitation_create(unit=unit, email=email, role=role, by=by)


def _accept_url(token, language="en"):
    with translation.override(language):
        return reverse("unit_invitation", args=[token])


# --- Who may open the people page --------------------------------------------------------------


def test_the_units_editor_sees_editors_organisers_invitations_and_the_log(client, choir, editor):
    organiser = unit_organiser_add(unit=choir, user=UserFactory(first_name="Olga", last_name="Ek"))
    _invite(choir, editor, email="pending@example.org")
    client.force_login(editor)
    html = client.get(_people(choir)).content.decode()
    assert editor.email in html
    assert organiser.user.email in html
    assert "pending@example.org" in html
    assert "Revoke the invitation to pending@example.org" in html
    assert "Hand over and leave" in html
    assert "Changes of rights" in html and "invited" in html


def test_section_staff_see_the_people_page_without_a_leave_button(client, choir, editor):
    staff = mfa_enable(StaffFactory())
    international_staff_add(user=staff)
    client.force_login(staff)
    response = client.get(_people(choir))
    assert response.status_code == 200
    assert editor.email in response.content.decode()
    assert (
        'action="' + reverse("units_admin:leave", args=[choir.pk]) not in response.content.decode()
    )


def test_the_unit_page_in_the_admin_links_to_its_people(client, choir, editor):
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[choir.pk])).content.decode()
    assert _people(choir) in html


def test_every_people_url_refuses_other_units_editors(client, tree, choir, editor):
    invitation, _token = _invite(choir, editor)
    colleague = editor_of(choir)
    outsider = mfa_enable(editor_of(tree["buddies"]))
    faculty_editor = mfa_enable(editor_of(tree["faculty_a"]))
    data = {
        "email": "x@example.org",
        "role": "editor",
        "days": "14",
        "invitation": invitation.pk,
        "user": colleague.pk,
    }
    for person in (outsider, faculty_editor):
        client.force_login(person)
        for method, url in _admin_urls(choir):
            response = getattr(client, method)(url, data)
            refused = response.status_code == 403 or (
                response.status_code == 302
                and any("do not have permission" in m for m in _messages(response))
            )
            assert refused, f"{method} {url} as {person.email}: {response.status_code}"
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert UnitInvitation.objects.count() == 1
    assert unit_is_editor(unit=choir, user=colleague)


def test_every_people_url_refuses_students_organisers_and_anonymous_people(client, choir):
    organiser = unit_organiser_add(unit=choir, user=UserFactory()).user
    for method, url in _admin_urls(choir):
        client.logout()
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path in ("/nb/konto/logg-inn/", "/en/accounts/login/")
        for person in (UserFactory(), organiser):
            client.force_login(person)
            response = getattr(client, method)(url)
            assert response.status_code == 302
            assert urlsplit(response["Location"]).path in ("/nb/", "/en/")
    assert unit_is_organiser(unit=choir, user=organiser)


# --- Inviting, revoking, removing, leaving -----------------------------------------------------


def test_an_editor_invites_by_email(client, choir, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _people(choir), {"email": "next@example.org", "role": "organiser", "days": "7"}
        )
    assert response.status_code == 302 and response["Location"] == _people(choir)
    invitation = UnitInvitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "next@example.org",
        UnitRole.ORGANISER,
        editor,
    )
    assert (invitation.expires_at - invitation.created_at).days == 7
    (sent,) = mail.outbox
    assert sent.to == ["next@example.org"]


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not an address", "role": "organiser", "days": "14"},
        {"email": "next@example.org", "role": "owner", "days": "14"},
        {"email": "next@example.org", "role": "editor", "days": "365"},
        {"email": "next@example.org", "role": "editor"},
    ],
)
def test_a_bad_invitation_shows_an_error_and_sends_nothing(client, choir, editor, data):
    client.force_login(editor)
    response = client.post(_people(choir), data)
    assert response.status_code == 200
    assert 'class="error-message"' in response.content.decode()
    assert not UnitInvitation.objects.exists()
    assert mail.outbox == []


def test_a_second_invitation_to_a_pending_address_is_a_form_error(client, choir, editor):
    _invite(choir, editor)
    client.force_login(editor)
    response = client.post(
        _people(choir), {"email": "next@example.org", "role": "organiser", "days": "14"}
    )
    assert "already has a pending invitation" in response.content.decode()
    assert UnitInvitation.objects.count() == 1


def test_an_editor_revokes_an_invitation(client, choir, editor):
    invitation, _token = _invite(choir, editor)
    client.force_login(editor)
    response = client.post(
        reverse("units_admin:invitation_revoke", args=[choir.pk]), {"invitation": invitation.pk}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_invitation_of_another_unit_cannot_be_revoked_through_this_one(
    client, tree, choir, editor
):
    other_editor = editor_of(tree["buddies"])
    invitation, _token = _invite(tree["buddies"], other_editor)
    client.force_login(editor)
    response = client.post(
        reverse("units_admin:invitation_revoke", args=[choir.pk]), {"invitation": invitation.pk}
    )
    assert any("Choose one of the unit" in m for m in _messages(response))
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_editor_removes_an_organiser(client, choir, editor):
    organiser = unit_organiser_add(unit=choir, user=UserFactory()).user
    client.force_login(editor)
    client.post(
        reverse("units_admin:person_remove", args=[choir.pk]),
        {"user": organiser.pk, "role": "organiser"},
    )
    assert not unit_is_organiser(unit=choir, user=organiser)


def test_the_last_editor_is_told_to_invite_a_successor_before_leaving(client, choir, editor):
    client.force_login(editor)
    response = client.post(reverse("units_admin:leave", args=[choir.pk]))
    assert response["Location"] == _people(choir)
    assert any("last editor" in m for m in _messages(response))
    assert unit_is_editor(unit=choir, user=editor)


def test_handing_over_and_leaving_warns_while_the_unit_waits_for_its_new_editor(
    client, choir, editor
):
    _invite(choir, editor, role=UnitRole.EDITOR)
    client.force_login(editor)
    response = client.post(reverse("units_admin:leave", args=[choir.pk]))
    assert response["Location"] == reverse("wagtailadmin_home")
    assert any("no editors until" in m for m in _messages(response))
    assert not unit_is_editor(unit=choir, user=editor)


# --- Accepting on the site ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_accepting_asks_anonymous_people_to_log_in_and_come_back(client, choir, editor, language):
    _invitation, token = _invite(choir, editor)
    url = _accept_url(token, language)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?next={url}")


@pytest.mark.parametrize(
    ("language", "text"),
    [("nb", "Godta invitasjonen"), ("en", "Accept the invitation")],
)
def test_the_invitation_page_in_both_languages(client, choir, editor, language, text):
    _invitation, token = _invite(choir, editor)
    client.force_login(UserFactory(language=language))
    response = client.get(_accept_url(token, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert text in html
    with translation.override(language):
        assert UnitPage.objects.get(pk=choir.pk).title in html


def test_an_unknown_invitation_is_not_found(client, choir, editor):
    client.force_login(UserFactory())
    assert client.get(_accept_url("no-such-invitation")).status_code == 404
    assert client.post(_accept_url("no-such-invitation")).status_code == 404


def test_a_new_organiser_lands_on_the_units_page(client, choir, editor):
    _invitation, token = _invite(choir, editor)
    person = UserFactory()
    client.force_login(person)
    response = client.post(_accept_url(token))
    assert response.status_code == 302
    with translation.override("en"):
        assert response["Location"] == UnitPage.objects.get(pk=choir.pk).get_url()
    assert unit_is_organiser(unit=choir, user=person)


def test_a_new_editor_without_two_factor_is_sent_to_set_it_up(client, choir, editor):
    _invitation, token = _invite(choir, editor, role=UnitRole.EDITOR)
    person = UserFactory()
    client.force_login(person)
    response = client.post(_accept_url(token))
    admin_url = reverse("wagtailadmin_pages:edit", args=[choir.pk])
    assert urlsplit(response["Location"]).path == reverse("mfa_activate_totp")
    assert any("two-factor" in m for m in _messages(response))
    assert unit_is_editor(unit=choir, user=person)
    # The admin itself keeps asking until it is set up.
    response = client.get(admin_url)
    assert urlsplit(response["Location"]).path == reverse("mfa_activate_totp")


def test_a_new_editor_with_two_factor_goes_to_the_unit_in_the_admin(client, choir, editor):
    _invitation, token = _invite(choir, editor, role=UnitRole.EDITOR)
    person = mfa_enable(UserFactory())
    client.force_login(person)
    response = client.post(_accept_url(token))
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[choir.pk])


def test_a_used_invitation_says_so_and_changes_nothing(client, choir, editor):
    _invitation, token = _invite(choir, editor)
    unit_invitation_accept(token=token, user=UserFactory())
    latecomer = UserFactory()
    client.force_login(latecomer)
    assert "already been accepted" in client.get(_accept_url(token)).content.decode()
    response = client.post(_accept_url(token))
    assert any("already been accepted" in m for m in _messages(response))
    assert not unit_is_organiser(unit=choir, user=latecomer)
