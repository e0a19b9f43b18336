"""Deleting an account: places given back to the waitlist, personal data erased or emptied as the
register says, every session ended, a confirmation in the person's language, figures kept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts.models import StudentProfile, User
from onboarding.activities.models import EventPage, Signup
from onboarding.activities.services import signup_create
from onboarding.bookings.models import BookingStatus
from onboarding.checklists.documents import private_storage
from onboarding.checklists.models import ItemSubmission
from onboarding.checklists.services import document_upload
from onboarding.courses.models import Enrolment
from onboarding.courses.services import enrolment_create
from onboarding.live.models import Notification
from onboarding.privacy.errors import PrivacyError
from onboarding.privacy.models import AccountErasure
from onboarding.privacy.services import account_erase
from onboarding.units.models import Follow
from onboarding.units.services import follow_create, international_staff_add
from tests.factories import PASSWORD, UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create
from tests.onboarding.courses.factories import course_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def url(name, language):
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def world(tree):
    """A student holding the one place of an event and of a course, with someone waiting for
    each; a past event they went to; a follow, a notification and an uploaded document."""
    student = student_create(faculty=tree["faculty_a"], language="nb")
    User.objects.filter(pk=student.pk).update(first_name="Ana")
    student.refresh_from_db()
    waiting = student_create(faculty=tree["faculty_a"], language="en")
    event = event_create(tree["choir"], publish=False, capacity=1, waitlist_enabled=True)
    course = course_create(tree["language_centre"], capacity=1)
    past = event_create(tree["choir"], publish=False)
    for person in (student, waiting):
        signup_create(event=event, user=person)
        enrolment_create(course=course, user=person)
    signup_create(event=past, user=student)
    EventPage.objects.filter(pk=past.pk).update(
        start_at=timezone.now() - datetime.timedelta(days=3),
        end_at=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    follow_create(user=student, unit=tree["choir"])
    Notification.objects.create(
        recipient=student, kind="test", language="nb", subject="Hei", created_at=timezone.now()
    )
    checklist = checklist_create(
        tree["faculty_a"], items=[item_spec(("Last opp", "Upload"), -10, asks_document=True)]
    )
    submission = document_upload(
        student=student,
        item=checklist.items.get(),
        upload=SimpleUploadedFile("brev.pdf", PDF, content_type="application/pdf"),
    )
    return {
        "student": student,
        "waiting": waiting,
        "event": event,
        "course": course,
        "past": past,
        "file": submission.file_name,
    }


@pytest.mark.stack  # the booking engine's row locks and its order, on PostgreSQL too
def test_places_are_freed_and_the_waitlists_move_up_and_are_told(world):
    student, waiting = world["student"], world["waiting"]
    account_erase(user=student, by=student)
    assert (
        Signup.objects.get(event=world["event"], person=waiting).status == BookingStatus.CONFIRMED
    )
    assert Enrolment.objects.get(course=world["course"], person=waiting).status == (
        BookingStatus.CONFIRMED
    )
    assert Notification.objects.filter(recipient=waiting).count() >= 2
    assert not Signup.objects.filter(event=world["event"], person=student).exclude(
        status=BookingStatus.CANCELLED
    )


def test_personal_data_is_erased_and_the_account_emptied(world, django_capture_on_commit_callbacks):
    student = world["student"]
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=student, by=student)
    assert not StudentProfile.objects.filter(user=student).exists()
    assert not Follow.objects.filter(user=student).exists()
    assert not Notification.objects.filter(recipient=student).exists()
    assert not ItemSubmission.objects.filter(student=student).exists()
    assert not private_storage().exists(world["file"])
    account = User.objects.get(pk=student.pk)
    assert (account.first_name, account.last_name, account.is_active) == ("", "", False)
    assert account.email == f"deleted-{student.pk}@invalid"
    assert not account.has_usable_password()


def test_figures_survive(world):
    student = world["student"]
    account_erase(user=student, by=student)
    # The past event still counts the person who came; nothing in the row says who it was.
    (signup,) = Signup.objects.filter(event=world["past"])
    assert signup.status == BookingStatus.CONFIRMED
    assert signup.person.email == f"deleted-{student.pk}@invalid"
    erasure = AccountErasure.objects.get(account_id=student.pk)
    assert erasure.counts["activities.signup.released"] == 1
    assert erasure.counts["courses.enrolment.released"] == 1
    assert erasure.counts["live.notification.deleted"] >= 1
    assert erasure.by is None


def test_the_person_is_told_in_their_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    student = world["student"]
    address = student.email
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=student, by=student)
    (message,) = [m for m in mailoutbox if address in m.to]
    assert message.subject == "Kontoen din er slettet"
    assert "Ana" in message.body


def test_an_account_is_deleted_once(world):
    account_erase(user=world["student"], by=world["student"])
    with pytest.raises(PrivacyError) as refused:
        account_erase(user=world["student"], by=world["student"])
    assert refused.value.code == "already_erased"


def test_staff_need_the_permission(world):
    colleague = UserFactory()
    with pytest.raises(PrivacyError) as refused:
        account_erase(user=world["student"], by=colleague)
    assert refused.value.code == "forbidden"
    assert User.objects.get(pk=world["student"].pk).is_active


def test_section_staff_delete_on_request_and_it_is_recorded(world):
    staff = UserFactory(first_name="Ingrid", last_name="Staff")
    international_staff_add(user=staff)
    staff = User.objects.get(pk=staff.pk)
    erasure = account_erase(user=world["student"], by=staff, reason="Email of 2 December")
    assert (erasure.by, erasure.reason) == (staff, "Email of 2 December")
    assert erasure.by_name.startswith("Ingrid Staff")


def test_a_refusal_half_way_changes_nothing(world, monkeypatch):
    from onboarding.privacy import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_account_empty", broken)
    with pytest.raises(RuntimeError):
        account_erase(user=world["student"], by=world["student"])
    assert StudentProfile.objects.filter(user=world["student"]).exists()
    assert Signup.objects.get(event=world["event"], person=world["waiting"]).status == (
        BookingStatus.WAITLISTED
    )
    assert not AccountErasure.objects.exists()


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Delete account"), ("nb", "Slett kontoen")]
)
def test_the_page_in_both_languages(client, world, language, heading):
    client.force_login(world["student"])
    response = client.get(url("privacy:account_delete", language))
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "error"),
    [("en", "That is not your password."), ("nb", "Det er ikke passordet ditt.")],
)
def test_a_wrong_password_deletes_nothing(client, world, language, error):
    client.force_login(world["student"])
    response = client.post(
        url("privacy:account_delete", language), {"password": "wrong", "confirm": "on"}
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.get(pk=world["student"].pk).is_active


def test_deleting_logs_out_everywhere(client, world):
    elsewhere = Client()
    elsewhere.force_login(world["student"])
    client.force_login(world["student"])
    response = client.post(
        url("privacy:account_delete", "nb"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/nb/"
    assert not User.objects.get(pk=world["student"].pk).is_active
    again = elsewhere.get(url("privacy:my_data", "nb"))
    assert again.status_code == 302 and "logg-inn" in again["Location"]


# --- On request, in the admin -------------------------------------------------------------

ERASE = "/admin/privacy/accounts/delete/"


@pytest.fixture
def staff(world):
    from tests.onboarding.units.factories import mfa_enable

    person = mfa_enable(UserFactory(language="en", is_staff=True))
    international_staff_add(user=person)
    return person


def test_staff_delete_an_account_from_the_admin(client, world, staff):
    client.force_login(staff)
    assert client.get(ERASE).status_code == 200
    response = client.post(
        ERASE, {"email": world["student"].email.upper(), "reason": "Email", "confirm": "on"}
    )
    assert response.status_code == 302
    erasure = AccountErasure.objects.get(account_id=world["student"].pk)
    assert (erasure.by, erasure.reason) == (staff, "Email")
    listed = client.get(ERASE).content.decode()
    assert f"<td>{world['student'].pk}</td>" in listed
    assert "<td>Email</td>" in listed
    assert Signup.objects.get(event=world["event"], person=world["waiting"]).status == (
        BookingStatus.CONFIRMED
    )


def test_the_admin_form_names_an_unknown_address(client, world, staff):
    client.force_login(staff)
    response = client.post(ERASE, {"email": "nobody@example.org", "reason": "x", "confirm": "on"})
    assert response.status_code == 200
    assert "No account has this email address." in response.content.decode()
    assert not AccountErasure.objects.exists()


def test_a_failing_mail_server_does_not_undo_or_break_the_deletion(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core import mail

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(mail, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=world["student"], by=world["student"])
    assert AccountErasure.objects.filter(account_id=world["student"].pk).exists()


def test_places_are_given_back_even_after_the_cancellation_deadline(world):
    from onboarding.activities.errors import SignupError
    from onboarding.activities.services import signup_cancel

    EventPage.objects.filter(pk=world["event"].pk).update(
        cancellation_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    signup = Signup.objects.get(event=world["event"], person=world["student"])
    with pytest.raises(SignupError):
        signup_cancel(signup=signup, user=world["student"])
    account_erase(user=world["student"], by=world["student"])
    assert Signup.objects.get(event=world["event"], person=world["waiting"]).status == (
        BookingStatus.CONFIRMED
    )


def test_the_export_log_still_names_staff_whose_account_is_deleted(world):
    from onboarding.privacy.models import ExportKind, PersonalDataExport

    staff = UserFactory(first_name="Ingrid", last_name="Staff", email="ingrid@example.org")
    PersonalDataExport.objects.create(
        exported_by=staff,
        exported_by_name="Ingrid Staff <ingrid@example.org>",
        kind=ExportKind.EVENT_ATTENDEES,
        subject="Quiz",
        path="/",
        people=3,
    )
    account_erase(user=staff, by=staff)
    assert PersonalDataExport.objects.get().exported_by_name == "Ingrid Staff <ingrid@example.org>"


def test_the_notice_says_the_record_outlives_the_account():
    from onboarding.privacy.models import PersonalDataExport
    from onboarding.privacy.register import personal_data_register

    (entry,) = [e for e in personal_data_register() if e.model is PersonalDataExport]
    with translation.override("en"):
        assert entry.retention_text() == "1825 days after the date “exported”"


def _avatar(user):
    from django.core.files.base import ContentFile
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.avatar.save("face.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    return profile.avatar.storage, profile.avatar.name


def test_the_avatar_file_goes_with_the_account(world, django_capture_on_commit_callbacks):
    storage, name = _avatar(world["student"])
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=world["student"], by=world["student"])
    assert not storage.exists(name)


def test_a_deletion_that_fails_half_way_keeps_the_avatar_file(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from onboarding.privacy import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    storage, name = _avatar(world["student"])
    monkeypatch.setattr(services, "_account_empty", broken)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        account_erase(user=world["student"], by=world["student"])
    assert storage.exists(name)


@pytest.mark.stack
def test_the_freed_place_goes_to_whoever_waited_longest(world):
    second = student_create(faculty=world["waiting"].student_profile.faculty, language="en")
    signup_create(event=world["event"], user=second)
    account_erase(user=world["student"], by=world["student"])
    statuses = dict(Signup.objects.filter(event=world["event"]).values_list("person", "status"))
    assert statuses[world["waiting"].pk] == BookingStatus.CONFIRMED
    assert statuses[second.pk] == BookingStatus.WAITLISTED
