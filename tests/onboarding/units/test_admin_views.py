"""Admin parts of units: the status panel, the one-click confirmation and the staff report."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from onboarding.units.models import UnitConfirmation, UnitPage
from onboarding.units.services import follow_create, international_staff_add, unit_editor_add
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def choir_editor(tree):
    editor = mfa_enable(StaffFactory())
    unit_editor_add(unit=tree["choir"], user=editor)
    return editor


@pytest.fixture
def staff(tree):
    person = mfa_enable(StaffFactory())
    international_staff_add(user=person)
    return person


def _permission_denied(response):
    if response.status_code == 403:
        return True
    return response.status_code == 302 and any(
        "do not have permission" in str(m) for m in get_messages(response.wsgi_request)
    )


def test_editor_sees_how_many_follow_their_unit(client, tree, choir_editor):
    for _ in range(2):
        follow_create(user=UserFactory(), unit=tree["choir"])
    client.force_login(choir_editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[tree["choir"].pk])).content.decode()
    assert "2 people follow this unit." in html


def test_follower_count_is_not_shown_to_the_public(client, tree):
    follow_create(user=UserFactory(), unit=tree["choir"])
    html = client.get(UnitPage.objects.get(pk=tree["choir"].pk).get_url()).content.decode()
    assert "follows this unit" not in html and "follow this unit." not in html


def test_editor_page_offers_the_one_click_confirmation(client, tree, choir_editor):
    client.force_login(choir_editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[tree["choir"].pk])).content.decode()
    assert f'formaction="{reverse("units_admin:confirm", args=[tree["choir"].pk])}"' in html


def test_editor_confirms_their_unit_in_one_click(client, tree, choir_editor):
    client.force_login(choir_editor)
    response = client.post(reverse("units_admin:confirm", args=[tree["choir"].pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[tree["choir"].pk])
    assert UnitPage.objects.get(pk=tree["choir"].pk).last_confirmed is not None
    assert UnitConfirmation.objects.filter(unit=tree["choir"], confirmed_by=choir_editor).exists()


def test_editor_cannot_confirm_another_unit(client, tree, choir_editor):
    client.force_login(choir_editor)
    response = client.post(reverse("units_admin:confirm", args=[tree["buddies"].pk]))
    assert _permission_denied(response)
    assert UnitPage.objects.get(pk=tree["buddies"].pk).last_confirmed is None


def test_confirmation_is_post_only(client, tree, choir_editor):
    client.force_login(choir_editor)
    response = client.get(reverse("units_admin:confirm", args=[tree["choir"].pk]))
    assert response.status_code == 405


def test_anonymous_person_cannot_confirm(client, tree):
    response = client.post(reverse("units_admin:confirm", args=[tree["choir"].pk]))
    assert response.status_code == 302
    assert UnitPage.objects.get(pk=tree["choir"].pk).last_confirmed is None


def test_staff_report_lists_units_not_confirmed_for_a_year(client, tree, staff):
    UnitPage.objects.filter(pk=tree["choir"].pk).update(
        last_confirmed=timezone.now() - datetime.timedelta(days=400)
    )
    client.force_login(staff)
    response = client.get(reverse("units_admin:stale_units"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[tree["choir"].pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[tree["buddies"].pk]) not in html


def test_staff_report_is_refused_to_unit_editors(client, tree, choir_editor):
    client.force_login(choir_editor)
    assert _permission_denied(client.get(reverse("units_admin:stale_units")))


def test_staff_report_is_refused_to_students(client, tree):
    client.force_login(UserFactory())
    response = client.get(reverse("units_admin:stale_units"))
    # Sent to the home page of the request's language: Norwegian, the default, as it asks for none.
    assert response.status_code == 302
    assert response["Location"] == "/nb/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Kontoen din gir ikke tilgang til administrasjonen."
    ]
    assert "Units to confirm" not in response.content.decode()
