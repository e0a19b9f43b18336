"""Board hand-over: invitations, the organiser role, removing and leaving, and the log."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from onboarding.activities.selectors import event_may_check_in, event_may_organise
from onboarding.activities.services import checkin_perform, signup_create
from onboarding.units.errors import UnitError
from onboarding.units.models import (
    RightsAction,
    UnitInvitation,
    UnitOrganiser,
    UnitRightsChange,
    UnitRole,
)
from onboarding.units.selectors import (
    invitation_hash,
    unit_is_editor,
    unit_is_organiser,
    unit_may_manage_people,
)
from onboarding.units.services import (
    international_staff_add,
    unit_editor_add,
    unit_editor_remove,
    unit_invitation_accept,
    unit_invitation_create,
    unit_invitation_revoke,
    unit_leave,
    unit_organiser_add,
    unit_person_remove,
)
from tests.factories import UserFactory
from tests.onboarding.activities.factories import editor_of, event_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def choir(tree):
    return tree["choir"]


@pytest.fixture
def editor(choir):
    return editor_of(choir)


def _invite(unit, by, *, role=UnitRole.ORGANISER, email="next@example.org", **kwargs):
    return unit_invitation_create(unit=unit, email=email, role=role, by=by, **kwargs)


def _actions(unit):
    return list(
        UnitRightsChange.objects.filter(unit=unit)
        .order_by("at", "pk")
        .values_list("action", "role", "person_id", "email", "by_id")
    )


# --- Inviting ----------------------------------------------------------------------------------


def test_an_invitation_stores_only_a_hash_of_its_secret(
    choir, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = _invite(choir, editor)
    assert token not in invitation.token_hash
    assert invitation.token_hash == invitation_hash(token)
    assert not UnitInvitation.objects.filter(token_hash=token).exists()
    (sent,) = mail.outbox
    assert sent.to == ["next@example.org"]
    assert token in sent.body


def test_an_invitation_expires_after_14_days_unless_told_otherwise(choir, editor):
    now = timezone.now()
    invitation, _token = _invite(choir, editor, now=now)
    assert invitation.expires_at == now + datetime.timedelta(days=14)
    longer, _token = _invite(choir, editor, email="other@example.org", days=30, now=now)
    assert longer.expires_at == now + datetime.timedelta(days=30)


@pytest.mark.parametrize("days", [0, -1, 31, 365])
def test_an_invitation_lasts_at_most_30_days(choir, editor, days):
    with pytest.raises(UnitError) as error:
        _invite(choir, editor, days=days)
    assert error.value.code == "days"
    assert not UnitInvitation.objects.exists()


@pytest.mark.parametrize("email", ["", "not an address", "a@", "x" * 300 + "@example.org"])
def test_an_invitation_needs_an_address(choir, editor, email):
    with pytest.raises(UnitError) as error:
        _invite(choir, editor, email=email)
    assert error.value.code == "email"


def test_an_unknown_role_is_refused(choir, editor):
    with pytest.raises(UnitError) as error:
        _invite(choir, editor, role="owner")
    assert error.value.code == "role"


def test_a_second_pending_invitation_to_the_same_address_is_refused(choir, editor):
    _invite(choir, editor)
    with pytest.raises(UnitError) as error:
        _invite(choir, editor, email="NEXT@example.org")
    assert error.value.code == "already_invited"
    assert UnitInvitation.objects.count() == 1


def test_an_organiser_cannot_invite_anyone(choir):
    organiser = unit_organiser_add(unit=choir, user=UserFactory()).user
    for role in UnitRole.values:
        with pytest.raises(UnitError) as error:
            _invite(choir, organiser, role=role)
        assert error.value.code == "forbidden"
    assert not UnitInvitation.objects.exists()


def test_editors_of_another_unit_or_of_a_unit_above_cannot_invite(tree, choir):
    other = editor_of(tree["buddies"])
    faculty_editor = editor_of(tree["faculty_a"])
    with pytest.raises(UnitError):
        _invite(choir, other, role=UnitRole.EDITOR)
    with pytest.raises(UnitError):
        _invite(tree["line_a"], faculty_editor)
    assert not UnitInvitation.objects.exists()


def test_students_cannot_invite(choir):
    with pytest.raises(UnitError) as error:
        _invite(choir, UserFactory())
    assert error.value.code == "forbidden"


def test_section_staff_and_the_units_editors_may_invite_editors(choir, editor):
    staff = UserFactory()
    international_staff_add(user=staff)
    _invite(choir, editor, role=UnitRole.EDITOR)
    _invite(choir, staff, role=UnitRole.EDITOR, email="staff-invited@example.org")
    assert UnitInvitation.objects.filter(role=UnitRole.EDITOR).count() == 2


def test_the_email_is_in_the_invitees_language_when_they_have_an_account(
    choir, editor, django_capture_on_commit_callbacks
):
    UserFactory(email="nora@example.org", language="nb")
    with django_capture_on_commit_callbacks(execute=True):
        _invite(choir, editor, email="nora@example.org")
    (sent,) = mail.outbox
    assert "Du er invitert til Studentkoret som arrangør" in sent.subject
    assert "/nb/enhetsinvitasjon/" in sent.body and "/en/" not in sent.body


def test_the_email_to_someone_without_an_account_is_in_both_languages_inviters_first(
    choir, editor, django_capture_on_commit_callbacks, settings
):
    from django.utils import translation

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        _invite(choir, editor, email="new@example.org")
    (sent,) = mail.outbox
    english = sent.body.index("/en/unit-invitation/")
    norwegian = sent.body.index("/nb/enhetsinvitasjon/")
    assert english < norwegian
    assert "As an organiser" in sent.body and "Som arrangør" in sent.body
    assert sent.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    assert "invited" in sent.subject


# --- Accepting ---------------------------------------------------------------------------------


def test_accepting_an_organiser_invitation_makes_an_organiser_not_an_editor(choir, editor):
    invitation, token = _invite(choir, editor)
    person = UserFactory()
    accepted = unit_invitation_accept(token=token, user=person)
    assert accepted.accepted_by == person and accepted.accepted_at is not None
    assert unit_is_organiser(unit=choir, user=person)
    assert not unit_is_editor(unit=choir, user=person)
    assert not person.has_perm("wagtailadmin.access_admin")


def test_accepting_an_editor_invitation_makes_an_editor(choir, editor):
    _invitation, token = _invite(choir, editor, role=UnitRole.EDITOR)
    person = UserFactory()
    unit_invitation_accept(token=token, user=person)
    assert unit_is_editor(unit=choir, user=person)
    assert choir.permissions_for_user(person).can_edit()


def test_the_accepting_account_need_not_have_the_invited_address(choir, editor):
    """Boards forward invitation links: whoever has the link and an account may accept."""
    _invitation, token = _invite(choir, editor, email="chair@example.org")
    forwarded_to = UserFactory(email="deputy@example.org")
    unit_invitation_accept(token=token, user=forwarded_to)
    assert unit_is_organiser(unit=choir, user=forwarded_to)


def test_an_invitation_cannot_be_used_twice(choir, editor):
    _invitation, token = _invite(choir, editor)
    first, second = UserFactory(), UserFactory()
    unit_invitation_accept(token=token, user=first)
    with pytest.raises(UnitError) as error:
        unit_invitation_accept(token=token, user=second)
    assert error.value.code == "used"
    assert not unit_is_organiser(unit=choir, user=second)


def test_an_expired_invitation_is_refused(choir, editor):
    invitation, token = _invite(choir, editor, days=7)
    person = UserFactory()
    with pytest.raises(UnitError) as error:
        unit_invitation_accept(
            token=token, user=person, now=invitation.expires_at + datetime.timedelta(seconds=1)
        )
    assert error.value.code == "expired"
    assert not unit_is_organiser(unit=choir, user=person)
    # Just before it expires it still works.
    unit_invitation_accept(
        token=token, user=person, now=invitation.expires_at - datetime.timedelta(seconds=1)
    )
    assert unit_is_organiser(unit=choir, user=person)


def test_a_revoked_invitation_is_refused(choir, editor):
    invitation, token = _invite(choir, editor, role=UnitRole.EDITOR)
    unit_invitation_revoke(invitation=invitation, by=editor)
    person = UserFactory()
    with pytest.raises(UnitError) as error:
        unit_invitation_accept(token=token, user=person)
    assert error.value.code == "revoked"
    assert not unit_is_editor(unit=choir, user=person)


def test_an_unknown_secret_is_refused(choir, editor):
    _invitation, token = _invite(choir, editor)
    with pytest.raises(UnitError) as error:
        unit_invitation_accept(
            token=token[:-1] + ("A" if token[-1] != "A" else "B"), user=UserFactory()
        )
    assert error.value.code == "not_found"


def test_accepting_needs_an_active_account(choir, editor):
    from django.contrib.auth.models import AnonymousUser

    _invitation, token = _invite(choir, editor)
    with pytest.raises(UnitError) as error:
        unit_invitation_accept(token=token, user=AnonymousUser())
    assert error.value.code == "login_required"
    with pytest.raises(UnitError):
        unit_invitation_accept(token=token, user=UserFactory(is_active=False))
    assert UnitInvitation.objects.get().accepted_at is None


def test_only_the_units_editors_and_staff_revoke(tree, choir, editor):
    invitation, _token = _invite(choir, editor)
    for outsider in (editor_of(tree["buddies"]), UserFactory()):
        with pytest.raises(UnitError) as error:
            unit_invitation_revoke(invitation=invitation, by=outsider)
        assert error.value.code == "forbidden"
    unit_invitation_revoke(invitation=invitation, by=editor)
    with pytest.raises(UnitError) as error:
        unit_invitation_revoke(invitation=invitation, by=editor)
    assert error.value.code == "not_pending"


# --- Organisers check people in --------------------------------------------------------------


def test_an_organiser_checks_people_in_at_their_units_events_only(tree, choir):
    organiser = unit_organiser_add(unit=choir, user=UserFactory()).user
    own = event_create(choir, capacity=10)
    other = event_create(tree["buddies"], capacity=10)
    assert event_may_check_in(event=own, user=organiser)
    assert not event_may_organise(event=own, user=organiser)
    assert not event_may_check_in(event=other, user=organiser)
    signup = signup_create(event=own, user=UserFactory())
    checkin = checkin_perform(event=own, by=organiser, code=signup.ticket_code)
    assert checkin.signup == signup
    other_signup = signup_create(event=other, user=UserFactory())
    with pytest.raises(Exception) as error:
        checkin_perform(event=other, by=organiser, code=other_signup.ticket_code)
    assert error.value.code == "forbidden"


def test_an_organiser_of_a_unit_above_does_not_organise_a_sub_units_events(tree):
    organiser = unit_organiser_add(unit=tree["faculty_a"], user=UserFactory()).user
    event = event_create(tree["line_a"], capacity=10)
    assert not event_may_check_in(event=event, user=organiser)


def test_an_organiser_cannot_edit_the_units_pages(choir):
    organiser = unit_organiser_add(unit=choir, user=UserFactory()).user
    event = event_create(choir, capacity=10)
    assert not choir.permissions_for_user(organiser).can_edit()
    assert not event.permissions_for_user(organiser).can_edit()
    assert not organiser.has_perm("wagtailadmin.access_admin")
    assert not unit_may_manage_people(unit=choir, user=organiser)


# --- Removing and leaving ----------------------------------------------------------------------


def test_an_editor_removes_an_organiser_and_another_editor(choir, editor):
    organiser = unit_organiser_add(unit=choir, user=UserFactory()).user
    colleague = editor_of(choir)
    unit_person_remove(unit=choir, user=organiser, role=UnitRole.ORGANISER, by=editor)
    unit_person_remove(unit=choir, user=colleague, role=UnitRole.EDITOR, by=editor)
    assert not unit_is_organiser(unit=choir, user=organiser)
    assert not unit_is_editor(unit=choir, user=colleague)


def test_removing_is_refused_to_outsiders_and_for_a_role_not_held(tree, choir, editor):
    colleague = editor_of(choir)
    with pytest.raises(UnitError) as error:
        unit_person_remove(
            unit=choir, user=colleague, role=UnitRole.EDITOR, by=editor_of(tree["buddies"])
        )
    assert error.value.code == "forbidden"
    with pytest.raises(UnitError) as error:
        unit_person_remove(unit=choir, user=colleague, role=UnitRole.ORGANISER, by=editor)
    assert error.value.code == "not_member"
    with pytest.raises(UnitError) as error:
        unit_person_remove(unit=choir, user=editor, role=UnitRole.EDITOR, by=editor)
    assert error.value.code == "self"
    assert unit_is_editor(unit=choir, user=colleague) and unit_is_editor(unit=choir, user=editor)


def test_hand_over_and_leave(choir, editor):
    _invitation, token = _invite(choir, editor, role=UnitRole.EDITOR)
    successor = UserFactory()
    unit_invitation_accept(token=token, user=successor)
    assert unit_leave(unit=choir, user=editor) is False
    assert not unit_is_editor(unit=choir, user=editor)
    assert unit_is_editor(unit=choir, user=successor)


def test_the_last_editor_cannot_leave_without_a_pending_editor_invitation(choir, editor):
    _invite(choir, editor, role=UnitRole.ORGANISER)
    with pytest.raises(UnitError) as error:
        unit_leave(unit=choir, user=editor)
    assert error.value.code == "last_editor"
    assert unit_is_editor(unit=choir, user=editor)


def test_the_last_editor_may_leave_while_an_editor_invitation_is_pending(choir, editor):
    _invite(choir, editor, role=UnitRole.EDITOR)
    assert unit_leave(unit=choir, user=editor) is True
    assert not unit_is_editor(unit=choir, user=editor)


def test_leaving_takes_the_organiser_role_too_and_needs_a_role(choir, editor):
    person = UserFactory()
    unit_organiser_add(unit=choir, user=person)
    assert unit_leave(unit=choir, user=person) is False
    assert not UnitOrganiser.objects.filter(user=person).exists()
    with pytest.raises(UnitError) as error:
        unit_leave(unit=choir, user=person)
    assert error.value.code == "not_member"


# --- The log -----------------------------------------------------------------------------------


def test_the_log_records_every_change(choir):
    staff = UserFactory()
    international_staff_add(user=staff)
    editor = UserFactory()
    unit_editor_add(unit=choir, user=editor, by=staff)
    organiser_invitation, organiser_token = _invite(choir, editor, email="o@example.org")
    editor_invitation, editor_token = _invite(
        choir, editor, role=UnitRole.EDITOR, email="e@example.org"
    )
    revoked, _token = _invite(choir, editor, email="r@example.org")
    unit_invitation_revoke(invitation=revoked, by=editor)
    organiser, successor = UserFactory(), UserFactory()
    unit_invitation_accept(token=organiser_token, user=organiser)
    unit_invitation_accept(token=editor_token, user=successor)
    unit_person_remove(unit=choir, user=organiser, role=UnitRole.ORGANISER, by=successor)
    unit_leave(unit=choir, user=editor)
    unit_editor_remove(unit=choir, user=successor, by=staff)

    editor_role, organiser_role = UnitRole.EDITOR, UnitRole.ORGANISER
    assert _actions(choir) == [
        (RightsAction.ADDED, editor_role, editor.pk, editor.email, staff.pk),
        (RightsAction.INVITED, organiser_role, None, "o@example.org", editor.pk),
        (RightsAction.INVITED, editor_role, None, "e@example.org", editor.pk),
        (RightsAction.INVITED, organiser_role, None, "r@example.org", editor.pk),
        (RightsAction.REVOKED, organiser_role, None, "r@example.org", editor.pk),
        (RightsAction.ACCEPTED, organiser_role, organiser.pk, organiser.email, organiser.pk),
        (RightsAction.ACCEPTED, editor_role, successor.pk, successor.email, successor.pk),
        (RightsAction.REMOVED, organiser_role, organiser.pk, organiser.email, successor.pk),
        (RightsAction.LEFT, editor_role, editor.pk, editor.email, editor.pk),
        (RightsAction.REMOVED, editor_role, successor.pk, successor.email, staff.pk),
    ]


def test_adding_or_removing_without_a_change_records_nothing(choir, editor):
    before = UnitRightsChange.objects.count()
    unit_editor_add(unit=choir, user=editor)
    assert unit_editor_remove(unit=choir, user=UserFactory()) is False
    assert UnitRightsChange.objects.count() == before
