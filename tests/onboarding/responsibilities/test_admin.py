"""The matrix in the admin: the International Section edits it, the rules refuse bad saves."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from onboarding.responsibilities.levels import Level, Role
from onboarding.responsibilities.models import Assignment, ResponsibilityArea
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db

NAMESPACE = "wagtailsnippets_responsibilities_responsibilityarea"


@pytest.fixture
def staff_client(client, tree):
    staff = mfa_enable(StaffFactory(language="en"))
    international_staff_add(user=staff)
    client.force_login(staff)
    return client


def _form(rows, *, name_en="Norwegian language", initial=0):
    data = {
        "name_nb": "Norsk språk",
        "name_en": name_en,
        "description_nb": "",
        "description_en": "",
        "sort_order": "50",
        "assignments-TOTAL_FORMS": str(len(rows)),
        "assignments-INITIAL_FORMS": str(initial),
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"assignments-{index}-{key}"] = value
    return data


def _row(level, role, *, unit="", kind="", pk="", delete=False):
    row = {"level": level, "role": role, "unit": unit, "unit_kind": kind, "id": pk}
    row.update({"note_nb": "", "note_en": ""})
    if delete:
        row["DELETE"] = "1"
    return row


def _denied(response):
    return response.status_code == 403 or (
        response.status_code == 302
        and any("do not have permission" in str(m) for m in get_messages(response.wsgi_request))
    )


def test_staff_add_an_area_with_its_assignments(staff_client, tree):
    response = staff_client.post(
        reverse(f"{NAMESPACE}:add"),
        _form(
            [
                _row(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"].pk),
                _row(Level.UNIVERSITY, Role.RESPONSIBLE, unit=tree["language_centre"].pk),
                _row(Level.UNIVERSITY, Role.INFORMED, kind="faculty"),
            ]
        ),
    )
    assert response.status_code == 302
    area = ResponsibilityArea.objects.get(name_en="Norwegian language")
    assert Assignment.objects.filter(area=area).count() == 3


def test_a_save_with_two_accountable_is_refused_naming_area_and_level(staff_client, tree):
    response = staff_client.post(
        reverse(f"{NAMESPACE}:add"),
        _form(
            [
                _row(Level.FACULTY, Role.ACCOUNTABLE, kind="faculty"),
                _row(Level.FACULTY, Role.ACCOUNTABLE, unit=tree["faculty_a"].pk),
                _row(Level.FACULTY, Role.RESPONSIBLE, kind="department"),
            ]
        ),
    )
    assert response.status_code == 200
    assert (
        "2 Accountable for &quot;Norwegian language&quot; at faculty level: give exactly one."
        in response.content.decode()
    )
    assert not ResponsibilityArea.objects.filter(name_en="Norwegian language").exists()


def test_removing_the_accountable_in_the_editor_is_refused(staff_client, area, tree):
    rows = [
        _row(
            a.level,
            a.role,
            unit=a.unit_id or "",
            kind=a.unit_kind,
            pk=a.pk,
            delete=(a.level == Level.FACULTY and a.role == Role.ACCOUNTABLE),
        )
        for a in Assignment.objects.filter(area=area).order_by("pk")
    ]
    data = _form(rows, name_en="Arrival and housing", initial=len(rows))
    data["name_nb"] = "Ankomst og bolig"
    response = staff_client.post(reverse(f"{NAMESPACE}:edit", args=[area.pk]), data)
    assert response.status_code == 200
    assert (
        "No Accountable for &quot;Arrival and housing&quot; at faculty level"
        in response.content.decode()
    )
    assert Assignment.objects.filter(area=area).count() == 6


def test_an_assignment_needs_a_unit_or_a_kind(staff_client, tree):
    response = staff_client.post(
        reverse(f"{NAMESPACE}:add"),
        _form(
            [
                _row(Level.UNIVERSITY, Role.ACCOUNTABLE, unit=tree["section"].pk),
                _row(Level.UNIVERSITY, Role.RESPONSIBLE),
            ]
        ),
    )
    assert response.status_code == 200
    assert "Choose a unit or a kind of unit." in response.content.decode()
    assert not ResponsibilityArea.objects.exists()


def test_unit_editors_cannot_edit_the_matrix(client, area, tree):
    editor = mfa_enable(StaffFactory())
    unit_editor_add(unit=tree["buddies"], user=editor)
    client.force_login(editor)
    assert _denied(client.get(reverse(f"{NAMESPACE}:list")))
    assert _denied(client.get(reverse(f"{NAMESPACE}:edit", args=[area.pk])))
    response = client.post(reverse(f"{NAMESPACE}:delete", args=[area.pk]))
    assert _denied(response)
    assert ResponsibilityArea.objects.filter(pk=area.pk).exists()


def test_students_cannot_reach_the_matrix_admin(client, area):
    client.force_login(UserFactory())
    response = client.get(reverse(f"{NAMESPACE}:list"))
    # Sent to the home page of the request's language: Norwegian, the default, as it asks for none.
    assert response.status_code == 302
    assert response["Location"] == "/nb/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Kontoen din gir ikke tilgang til administrasjonen."
    ]
    assert "Arrival and housing" not in response.content.decode()


def test_staff_see_the_gap_report(staff_client, area):
    from onboarding.responsibilities.services import area_create

    area_create(name_nb="Norsk språk", name_en="Norwegian language")
    response = staff_client.get(reverse("responsibilities_gap_report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "&quot;Norwegian language&quot; has no Accountable unit at any level." in html


def test_unit_editors_cannot_see_the_gap_report(client, tree):
    editor = mfa_enable(StaffFactory())
    unit_editor_add(unit=tree["buddies"], user=editor)
    client.force_login(editor)
    assert _denied(client.get(reverse("responsibilities_gap_report")))


def test_anonymous_people_cannot_see_the_gap_report(client, area):
    response = client.get(reverse("responsibilities_gap_report"))
    assert response.status_code == 302
    assert "/admin/" not in response["Location"].split("?")[0]
