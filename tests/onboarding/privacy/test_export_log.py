"""The International Section's log of personal-data exports: who downloaded whose data, when,
and how many people; only section staff see it."""

import datetime
import re

import pytest
from django.test import RequestFactory
from django.utils import timezone

from onboarding.privacy.models import ExportKind, PersonalDataExport
from onboarding.privacy.selectors import exports_list
from onboarding.privacy.services import export_record
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.units.factories import directory_create, mfa_enable, unit_create

pytestmark = pytest.mark.django_db

LOG = "/admin/privacy/exports/"


def record(user, kind=ExportKind.EVENT_ATTENDEES, subject="Quiz", people=3, when=None):
    request = RequestFactory().get("/en/events/1/attendees.csv?x=1")
    request.user = user
    export = export_record(request=request, kind=kind, subject=subject, people=people)
    if when is not None:
        PersonalDataExport.objects.filter(pk=export.pk).update(exported_at=when)
    return export


@pytest.fixture
def staff(site_tree):
    person = mfa_enable(StaffFactory(language="en"))
    international_staff_add(user=person)
    return person


def test_a_record_says_who_what_of_what_and_how_many():
    organiser = UserFactory(first_name="Ola", last_name="Nordmann", email="ola@example.org")
    export = record(organiser)
    assert export.exported_by_name == "Ola Nordmann <ola@example.org>"
    assert (export.kind, export.subject, export.people) == (ExportKind.EVENT_ATTENDEES, "Quiz", 3)
    assert export.path == "/en/events/1/attendees.csv?x=1"


def test_the_record_keeps_the_name_when_the_account_is_gone():
    organiser = UserFactory(first_name="Ola", last_name="", email="ola@example.org")
    export = record(organiser)
    organiser.delete()
    export.refresh_from_db()
    assert (export.exported_by, export.exported_by_name) == (None, "Ola <ola@example.org>")


def test_the_log_filters_by_kind_and_dates():
    user = UserFactory()
    now = timezone.now()
    old = record(user, when=now - datetime.timedelta(days=40))
    new = record(user, kind=ExportKind.CHECKLIST_PROGRESS, when=now)
    assert list(exports_list()) == [new, old]
    assert list(exports_list(kind=ExportKind.EVENT_ATTENDEES)) == [old]
    assert list(exports_list(since=timezone.localdate() - datetime.timedelta(days=7))) == [new]
    until = timezone.localdate() - datetime.timedelta(days=30)
    assert list(exports_list(until=until)) == [old]


@pytest.mark.parametrize(
    ("language", "heading", "kind"),
    [
        ("nb", "Eksport av personopplysninger", "Deltakere på arrangement"),
        ("en", "Exports of personal data", "Event attendees"),
    ],
)
def test_section_staff_read_the_log_in_their_language(client, staff, language, heading, kind):
    staff.language = language
    staff.save(update_fields=["language"])
    record(UserFactory(first_name="Ola", last_name="Nordmann"), subject="Quizkveld", people=12)
    client.force_login(staff)
    response = client.get(LOG)
    assert response.status_code == 200
    body = response.content.decode()
    assert heading in body and kind in body
    assert "Ola Nordmann" in body and "Quizkveld" in body
    assert re.search(r">\s*12\s*<", body)


@pytest.fixture
def editor(site_tree):
    """An editor of a unit: the admin lets them in, the log does not."""
    directory = directory_create(site_tree["home"])
    faculty = unit_create(directory, kind=UnitKind.FACULTY, name_nb="Fakultet", name_en="Faculty")
    person = mfa_enable(UserFactory(language="en"))
    unit_editor_add(unit=faculty, user=person)
    return person


def test_the_reports_menu_offers_the_log_to_section_staff_only(client, staff, editor):
    client.force_login(staff)
    assert LOG in client.get("/admin/").content.decode()
    client.force_login(editor)
    assert LOG not in client.get("/admin/").content.decode()


def test_an_editor_does_not_read_the_log(client, editor):
    record(editor, subject="Quizkveld")
    client.force_login(editor)
    response = client.get(LOG)
    assert (response.status_code, response.url) == (302, "/admin/")
    assert "Quizkveld" not in client.get(response.url).content.decode()
