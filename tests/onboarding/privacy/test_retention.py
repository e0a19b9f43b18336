"""Retention: what the register says has expired is erased, once, and nothing else."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from onboarding.checklists.documents import private_storage
from onboarding.checklists.models import ItemSubmission
from onboarding.checklists.services import document_upload
from onboarding.live.models import DigestRun, Notification
from onboarding.privacy.services import retention_apply
from tests.factories import UserFactory
from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def run():
    out = io.StringIO()
    call_command("privacy_retention", stdout=out)
    return out.getvalue()


@pytest.fixture
def old_and_new(tree):
    person = UserFactory()
    now = timezone.now()
    for days in (800, 10):
        Notification.objects.create(
            recipient=person,
            kind="test",
            language="en",
            subject=f"{days} days old",
            created_at=now - datetime.timedelta(days=days),
        )
    DigestRun.objects.create(
        user=person, date=datetime.date(2024, 1, 1), sent_at=now - datetime.timedelta(days=400)
    )
    student = student_create(faculty=tree["faculty_a"])
    checklist = checklist_create(
        tree["faculty_a"], items=[item_spec(("Last opp", "Upload"), -10, asks_document=True)]
    )
    submission = document_upload(
        student=student,
        item=checklist.items.get(),
        upload=SimpleUploadedFile("brev.pdf", PDF, content_type="application/pdf"),
        now=now - datetime.timedelta(days=400),
    )
    return {"person": person, "file": submission.file_name}


def test_it_erases_what_has_expired_and_runs_clean_twice(
    old_and_new, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = run()
    assert "live.notification: 1 erased" in first
    assert "live.digestrun: 1 erased" in first
    assert "checklists.itemsubmission: 1 erased" in first
    assert list(Notification.objects.values_list("subject", flat=True)) == ["10 days old"]
    assert not DigestRun.objects.exists()
    assert not ItemSubmission.objects.exists()
    assert not private_storage().exists(old_and_new["file"])
    assert run() == "Nothing has expired.\n"


def test_the_counts_are_logged_without_people(old_and_new, caplog):
    caplog.set_level("INFO", logger="onboarding.privacy.services")
    counts = retention_apply()
    assert counts["live.notification"] == 1
    (record,) = [r for r in caplog.records if r.getMessage().startswith("Retention:")]
    assert old_and_new["person"].email not in record.getMessage()


def test_it_is_a_task_too(old_and_new):
    out = io.StringIO()
    call_command("privacy_retention", "--enqueue", stdout=out)
    assert "privacy_retention_task" in out.getvalue()
    assert Notification.objects.count() == 1


def test_the_export_log_is_kept_five_years(db):
    from onboarding.privacy.models import ExportKind, PersonalDataExport

    staff = UserFactory()
    for days in (6 * 365, 4 * 365):
        PersonalDataExport.objects.create(
            exported_by=staff,
            exported_by_name="Ingrid <i@example.org>",
            kind=ExportKind.EVENT_ATTENDEES,
            subject="Quiz",
            path="/",
            people=3,
            exported_at=timezone.now() - datetime.timedelta(days=days),
        )
    assert retention_apply()["privacy.personaldataexport"] == 1
    assert PersonalDataExport.objects.count() == 1


def test_the_profiles_of_students_who_left_go_a_year_after_their_departure(db, settings):
    from onboarding.accounts.models import StudentProfile, StudentStatus

    today = timezone.localdate()
    people = {}
    for name, departure in (
        ("left long ago", today - datetime.timedelta(days=400)),
        ("left lately", today - datetime.timedelta(days=100)),
        ("still here", today + datetime.timedelta(days=100)),
        ("no date", None),
    ):
        person = UserFactory(first_name=name)
        StudentProfile.objects.create(
            user=person, status=StudentStatus.INCOMING_EXCHANGE, departure_date=departure
        )
        people[name] = person
    assert retention_apply()["accounts.studentprofile"] == 1
    kept = set(StudentProfile.objects.values_list("user__first_name", flat=True))
    assert kept == {"left lately", "still here", "no date"}
    # The account stays: only what the arrival plan needed goes.
    assert people["left long ago"].__class__.objects.filter(pk=people["left long ago"].pk).exists()
    settings.PRIVACY_PROFILE_RETENTION_DAYS = 90
    assert retention_apply()["accounts.studentprofile"] == 1
    assert retention_apply() == {}
