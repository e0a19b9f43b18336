"""Documents on items: what is accepted, who may open them, verification, erasure."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onboarding.checklists.documents import MAX_DOCUMENT_BYTES, private_storage
from onboarding.checklists.errors import ChecklistError
from onboarding.checklists.models import ItemProgress, ItemSubmission, SubmissionState
from onboarding.checklists.selectors import plan_get
from onboarding.checklists.services import (
    document_review,
    document_upload,
    documents_purge,
    progress_tick,
)
from onboarding.live.models import Notification
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import mfa_enable

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def setup(tree):
    checklist = checklist_create(
        tree["faculty_a"],
        items=[
            item_spec(
                ("Last opp opptaksbrevet", "Upload your admission letter"),
                -10,
                asks_document=True,
                needs_verification=True,
            ),
            item_spec(("Forsikring", "Proof of insurance"), -5, asks_document=True),
            item_spec(("Møt koordinatoren", "Meet your coordinator"), 2),
        ],
    )
    items = {item.title_en: item for item in checklist.items.all()}
    student = student_create(faculty=tree["faculty_a"], language="nb")
    other_student = student_create(faculty=tree["faculty_a"])
    coordinator = mfa_enable(UserFactory(language="en"))
    unit_editor_add(unit=tree["faculty_a"], user=coordinator)
    outsider = mfa_enable(UserFactory(language="en"))
    unit_editor_add(unit=tree["faculty_b"], user=outsider)
    return {
        "checklist": checklist,
        "letter": items["Upload your admission letter"],
        "insurance": items["Proof of insurance"],
        "plain": items["Meet your coordinator"],
        "student": student,
        "other_student": other_student,
        "coordinator": coordinator,
        "outsider": outsider,
    }


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("letter.docx", b"PK\x03\x04" + b"\x00" * 20, "wrong_type"),  # wrong type
        ("letter.pdf.exe", PDF, "wrong_type"),  # a double extension
        ("letter.exe.pdf", b"MZ\x90\x00" + b"\x00" * 20, "wrong_type"),  # a program as PDF
        ("letter.pdf", b"#!/bin/sh\nrm -rf /\n", "wrong_type"),  # a script disguised as a PDF
        ("letter.pdf", b"<html><script>alert(1)</script>", "wrong_type"),
        ("photo.png", PDF, "wrong_type"),  # a PDF named as PNG
        ("letter.pdf", b"", "empty"),
    ],
)
def test_refused_files_store_nothing(setup, name, content, code):
    with pytest.raises(ChecklistError) as caught:
        document_upload(
            student=setup["student"], item=setup["letter"], upload=upload(name, content)
        )
    assert caught.value.code == code
    assert not ItemSubmission.objects.exists()


def test_an_oversize_file_is_refused(setup):
    big = upload("letter.pdf", PDF + b"0" * (MAX_DOCUMENT_BYTES - len(PDF) + 1))
    with pytest.raises(ChecklistError) as caught:
        document_upload(student=setup["student"], item=setup["letter"], upload=big)
    assert caught.value.code == "too_large"


def test_an_item_without_a_document_or_outside_the_plan_is_refused(setup, tree):
    with pytest.raises(ChecklistError) as caught:
        document_upload(student=setup["student"], item=setup["plain"], upload=upload("a.pdf", PDF))
    assert caught.value.code == "no_document"
    stranger = student_create(faculty=tree["faculty_b"])
    with pytest.raises(ChecklistError) as caught:
        document_upload(student=stranger, item=setup["letter"], upload=upload("a.pdf", PDF))
    assert caught.value.code == "not_in_plan"


def test_an_upload_is_stored_privately_under_a_random_name(setup, settings):
    submission = document_upload(
        student=setup["student"], item=setup["letter"], upload=upload("Mitt brev.pdf", PDF)
    )
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.content_type == "application/pdf"
    assert "Mitt brev" not in submission.file_name and submission.file_name.endswith(".pdf")
    path = private_storage().path(submission.file_name)
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with open(path, "rb") as stored:
        assert stored.read() == PDF
    # A verified item is not done by uploading or ticking.
    assert not ItemProgress.objects.filter(item=setup["letter"]).exists()
    with pytest.raises(ChecklistError):
        progress_tick(student=setup["student"], item=setup["letter"])


def test_an_item_without_verification_is_done_by_the_upload(setup):
    document_upload(student=setup["student"], item=setup["insurance"], upload=upload("i.png", PNG))
    assert ItemProgress.objects.filter(item=setup["insurance"], student=setup["student"]).exists()


def test_verifying_marks_done_and_tells_the_student_in_their_language(setup):
    submission = document_upload(
        student=setup["student"], item=setup["letter"], upload=upload("a.pdf", PDF)
    )
    document_review(coordinator=setup["coordinator"], submission=submission, verified=True)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.VERIFIED
    assert submission.reviewed_by == setup["coordinator"]
    entry = next(e for e in plan_get(user=setup["student"]).items if e.pk == setup["letter"].pk)
    assert entry.done and entry.submission.state == "verified"
    note = Notification.objects.get(recipient=setup["student"], kind="checklist_document_reviewed")
    assert "opptaksbrevet" in note.subject and "verifisert" in note.subject
    with pytest.raises(ChecklistError) as caught:
        document_upload(student=setup["student"], item=setup["letter"], upload=upload("b.pdf", PDF))
    assert caught.value.code == "already_verified"


def test_returning_needs_a_comment_and_a_new_upload_replaces_the_file(setup):
    submission = document_upload(
        student=setup["student"], item=setup["letter"], upload=upload("a.pdf", PDF)
    )
    with pytest.raises(ChecklistError) as caught:
        document_review(coordinator=setup["coordinator"], submission=submission, verified=False)
    assert caught.value.code == "comment_required"
    document_review(
        coordinator=setup["coordinator"],
        submission=submission,
        verified=False,
        comment="The letter is not signed.",
    )
    old_name = ItemSubmission.objects.get().file_name
    with django_capture_on_commit(True):
        again = document_upload(
            student=setup["student"], item=setup["letter"], upload=upload("b.pdf", PDF)
        )
    assert again.pk == submission.pk and again.state == SubmissionState.SUBMITTED
    assert again.comment == ""
    assert not private_storage().exists(old_name)


def django_capture_on_commit(execute):
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=execute)


def test_the_student_and_their_coordinator_may_open_it_nobody_else(client, setup):
    submission = document_upload(
        student=setup["student"], item=setup["letter"], upload=upload("a.pdf", PDF)
    )
    url = reverse("checklist_document", args=[submission.pk])
    client.force_login(setup["student"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    client.force_login(setup["other_student"])
    assert client.get(url).status_code == 404  # another student's file URL
    client.force_login(setup["outsider"])
    assert client.get(url).status_code == 404  # the coordinator of another faculty
    client.force_login(setup["coordinator"])
    assert client.get(url).status_code == 200


def test_the_coordinator_of_another_faculty_cannot_review(setup):
    submission = document_upload(
        student=setup["student"], item=setup["letter"], upload=upload("a.pdf", PDF)
    )
    with pytest.raises(ChecklistError) as caught:
        document_review(coordinator=setup["outsider"], submission=submission, verified=True)
    assert caught.value.code == "forbidden"


def test_the_admin_page_verifies(client, setup):
    submission = document_upload(
        student=setup["student"], item=setup["letter"], upload=upload("a.pdf", PDF)
    )
    url = reverse("checklists_admin:checklist_documents", args=[setup["checklist"].pk])
    client.force_login(setup["outsider"])
    assert client.get(url).status_code in (302, 403)
    client.force_login(setup["coordinator"])
    assert "a.pdf" in client.get(url).content.decode()
    assert client.post(url, {"submission": submission.pk, "decision": "verify"}).status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.VERIFIED


def test_erased_with_the_account_and_after_the_retention_period(setup, settings):
    first = document_upload(
        student=setup["student"], item=setup["letter"], upload=upload("a.pdf", PDF)
    )
    second = document_upload(
        student=setup["other_student"],
        item=setup["letter"],
        upload=upload("b.pdf", PDF),
        now=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    with django_capture_on_commit(True):
        setup["student"].delete()
    assert not private_storage().exists(first.file_name)
    settings.CHECKLIST_DOCUMENT_RETENTION_DAYS = 365
    with django_capture_on_commit(True):
        assert documents_purge() == 1
    assert not private_storage().exists(second.file_name)
    assert not ItemSubmission.objects.exists()
