"""Signing up shares a name with the organisers, not an email address: the attendee list and its
CSV give the email only of people who follow the organising unit and agreed that the units
they follow may contact them; everyone is reached through the organisers' message."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.accounts.models import StudentProfile
from onboarding.activities.selectors import contactable_people
from onboarding.activities.services import signup_create
from onboarding.privacy.models import ExportKind, PersonalDataExport
from onboarding.units.models import Follow
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create

pytestmark = pytest.mark.django_db


def url(name, event, language="en"):
    with translation.override(language):
        return reverse(f"activities:{name}", args=[event.pk])


@pytest.fixture
def event(unit):
    return event_create(unit, capacity=2)


@pytest.fixture
def people(event, unit, tree):
    """Four people signed up (the last one waitlisted): who agreed, who follows."""

    def person(name, *, consent, follows, unit_followed=unit):
        user = UserFactory(email=f"{name}@example.org", first_name=name.title())
        StudentProfile.objects.create(user=user, status="degree", contact_consent=consent)
        if follows:
            Follow.objects.create(user=user, unit=unit_followed)
        signup_create(event=event, user=user)
        return user

    return {
        "agreed": person("agreed", consent=True, follows=True),
        "silent": person("silent", consent=False, follows=True),
        "elsewhere": person("elsewhere", consent=True, follows=True, unit_followed=tree["choir"]),
        "waiting": person("waiting", consent=True, follows=True),
    }


def test_only_followers_who_agreed_are_contactable(event, people):
    assert contactable_people(event=event) == {people["agreed"].pk, people["waiting"].pk}


@pytest.mark.parametrize(("language", "not_shared"), [("nb", "Ikke delt"), ("en", "Not shared")])
def test_the_attendee_list_shows_only_the_emails_people_agreed_to_share(
    client, editor, event, people, language, not_shared
):
    client.force_login(editor)
    body = client.get(url("attendees", event, language)).content.decode()
    assert "agreed@example.org" in body and "waiting@example.org" in body
    assert "silent@example.org" not in body and "elsewhere@example.org" not in body
    assert body.count(not_shared) == 2
    assert url("message", event, language) in body


def test_the_csv_has_the_emails_people_agreed_to_share_and_every_name(
    client, editor, event, people
):
    client.force_login(editor)
    response = client.get(url("attendees_csv", event))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["First name"]: row["Email"] for row in rows} == {
        "Agreed": "agreed@example.org",
        "Silent": "",
        "Elsewhere": "",
        "Waiting": "waiting@example.org",
    }
    export = PersonalDataExport.objects.get()
    assert (export.exported_by, export.kind, export.subject, export.people) == (
        editor,
        ExportKind.EVENT_ATTENDEES,
        event.title,
        4,
    )
