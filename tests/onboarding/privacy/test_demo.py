"""The demo student's copy of their data, on the whole demo, follows the register."""

import pytest
from django.utils import translation

from onboarding.accounts.models import StudentProfile, User
from onboarding.activities.models import Signup
from onboarding.live.models import Notification
from onboarding.privacy.export import personal_data_copy
from onboarding.privacy.register import exported_entries
from onboarding.units.models import Follow

pytestmark = pytest.mark.django_db

DEMO_STUDENT = "student@velkommen.test"


@pytest.fixture
def copy(demo_site):
    student = User.objects.get(email=DEMO_STUDENT)
    with translation.override("en"):
        return student, personal_data_copy(user=student)


def test_every_row_shows_the_fields_the_register_names_and_nothing_else(copy):
    _student, data = copy
    assert data.sections
    for section in data.sections:
        for row in section.rows:
            assert [value.name for value in row.values] == list(section.entry.exported_fields)


def test_no_registered_model_that_holds_something_about_the_student_is_left_out(copy):
    student, data = copy
    shown = {section.key: len(section.rows) for section in data.sections}
    for entry in exported_entries():
        held = entry.rows_of(student).filter(**entry.shown).count()
        assert shown.get(entry.key, 0) == held, entry.key


def test_the_copy_agrees_with_the_tables_themselves(copy):
    student, data = copy
    sections = {section.key: section for section in data.sections}
    counts = {
        "activities.signup": Signup.objects.filter(person=student).count(),
        "live.notification": Notification.objects.filter(recipient=student).count(),
        "units.follow": Follow.objects.filter(user=student).count(),
        "accounts.studentprofile": StudentProfile.objects.filter(user=student).count(),
    }
    for key, count in counts.items():
        assert count > 0, f"the demo student has no {key}"
        assert len(sections[key].rows) == count, key
    (account,) = sections["accounts.user"].rows
    values = {value.name: value.data for value in account.values}
    assert values["email"] == student.email
    assert set(User.PERSONAL_FIELDS) <= set(values)
