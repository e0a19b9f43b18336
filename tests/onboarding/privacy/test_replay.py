"""The erasure journal, and replaying it onto a database restored from an older backup, so that
a restore never brings a deleted person back."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from onboarding.accounts.models import StudentProfile, User
from onboarding.privacy.models import AccountErasure
from onboarding.privacy.services import account_erase, journal_append
from tests.factories import UserFactory
from tests.onboarding.checklists.factories import student_create

pytestmark = pytest.mark.django_db

BACKUP_TAKEN = "2026-11-30T02:00:00+01:00"


@pytest.fixture
def journal(settings, tmp_path):
    settings.PRIVACY_ERASURE_JOURNAL = str(tmp_path / "erasures.jsonl")
    return tmp_path / "erasures.jsonl"


def replay(since=BACKUP_TAKEN):
    out = io.StringIO()
    call_command("privacy_replay_erasures", "--since", since, stdout=out)
    return out.getvalue()


def journalled(user, *, days_after_backup=1):
    erased_at = datetime.datetime.fromisoformat(BACKUP_TAKEN) + datetime.timedelta(
        days=days_after_backup
    )
    journal_append(account_id=user.pk, erased_at=erased_at, joined=user.date_joined)


def test_deleting_an_account_journals_its_id_and_nothing_else(
    journal, tree, django_capture_on_commit_callbacks
):
    student = student_create(faculty=tree["faculty_a"])
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=student, by=student)
    (line,) = [json.loads(text) for text in journal.read_text().splitlines()]
    assert set(line) == {"account_id", "erased_at", "joined"}
    assert line["account_id"] == student.pk


def test_a_restored_account_deleted_after_the_backup_is_deleted_again(journal, tree):
    # The restored database still has the student the journal says was deleted since.
    student = student_create(faculty=tree["faculty_a"])
    journalled(student)
    assert replay() == "Deleted 1 account(s) again; 0 already deleted, 0 not in this database.\n"
    account = User.objects.get(pk=student.pk)
    assert not account.is_active and account.email == f"deleted-{student.pk}@invalid"
    assert not StudentProfile.objects.filter(user=student).exists()
    assert AccountErasure.objects.get(account_id=student.pk).reason == "replayed after a restore"
    # Twice is harmless.
    assert replay() == "Deleted 0 account(s) again; 1 already deleted, 0 not in this database.\n"


def test_deletions_before_the_backup_and_other_accounts_are_left_alone(journal, tree):
    before = UserFactory()
    journalled(before, days_after_backup=-1)  # in the backup already
    gone = UserFactory()
    journalled(gone)
    User.objects.filter(pk=gone.pk).delete()  # made after the backup: not in it
    reused = UserFactory()
    journal_append(
        account_id=reused.pk,
        erased_at=timezone.now(),
        joined=reused.date_joined - datetime.timedelta(days=30),  # someone else with this id
    )
    assert replay() == "Deleted 0 account(s) again; 0 already deleted, 2 not in this database.\n"
    assert User.objects.get(pk=before.pk).is_active
    assert User.objects.get(pk=reused.pk).is_active


def test_the_backup_time_must_be_a_time(journal):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        replay(since="yesterday")
