"""An event people are signed up to is cancelled, which tells them, before it is hidden or deleted.

Unpublishing or deleting it in the admin, alone, with its unit or in a bulk action, is refused
with a message that says how many are signed up and offers the cancel page; once it is
cancelled, or when nobody is left to tell, the admin does as asked.
"""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from onboarding.activities import selectors
from onboarding.activities.models import EventPage, Signup
from onboarding.activities.services import event_cancel, signup_cancel, signup_create
from onboarding.units.models import UnitPage
from tests.factories import UserFactory
from tests.onboarding.activities.factories import editor_of, event_create
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(unit):
    return event_create(unit, capacity=1, title_nb="Quizkveld", title_en="Quiz night")


@pytest.fixture
def signed_up(event):
    first, second = UserFactory(), UserFactory()
    signup_create(event=event, user=first)
    signup_create(event=event, user=second)  # on the waitlist
    return [first, second]


@pytest.fixture
def editor_client(client, editor):
    client.force_login(mfa_enable(editor))
    return client


@pytest.fixture
def staff_client(client, section_staff):
    client.force_login(mfa_enable(section_staff))
    return client


def _messages(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def _live(event):
    return EventPage.objects.get(pk=event.pk).live


def unpublish(client, page, **data):
    return client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]), data)


def delete(client, page):
    return client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))


def test_the_selector_counts_places_and_waitlist_places(event, signed_up, unit):
    [found] = selectors.events_with_people(page=event)
    assert found.pk == event.pk and found.people == 2
    assert [e.pk for e in selectors.events_with_people(page=unit)] == [event.pk]
    assert selectors.events_with_people(page=unit, include_descendants=False) == []


def test_unpublishing_an_event_with_people_is_refused_with_their_number(
    client, unit, event, signed_up
):
    client.force_login(mfa_enable(editor_of(unit, language="en")))

    response = unpublish(client, event)

    assert response.status_code == 302
    assert _live(event)
    text = _messages(response)
    assert "“Quiz night” has 2 people with a place or on the waitlist" in text
    assert f'href="/en/events/{event.pk}/cancel-event/"' in text


def test_the_refusal_is_in_the_editors_language(editor_client, event, signed_up):
    response = unpublish(editor_client, event, next="/admin/")

    assert response["Location"] == "/admin/"
    assert _live(event)
    text = _messages(response)
    assert "«Quizkveld» har 2 personer med plass eller på venteliste" in text
    assert f'href="/nb/arrangementer/{event.pk}/avlys/"' in text


def test_a_cancelled_event_can_be_unpublished(editor_client, event, signed_up, editor):
    event_cancel(event=event, by=editor, reason_en="The room flooded.")

    unpublish(editor_client, event)

    assert not _live(event)


def test_an_event_everyone_left_can_be_unpublished(editor_client, event, signed_up):
    for person in reversed(signed_up):
        signup_cancel(signup=Signup.objects.get(event=event, person=person), user=person)

    unpublish(editor_client, event)

    assert not _live(event)


def test_an_event_that_is_over_can_be_unpublished(editor_client, event, signed_up):
    EventPage.objects.filter(pk=event.pk).update(
        start_at=timezone.now() - timedelta(days=2), end_at=timezone.now() - timedelta(days=1)
    )

    unpublish(editor_client, event)

    assert not _live(event)


def test_unpublishing_the_unit_with_its_events_is_refused(editor_client, unit, event, signed_up):
    response = unpublish(editor_client, unit, include_descendants="on")

    assert UnitPage.objects.get(pk=unit.pk).live and _live(event)
    text = _messages(response)
    assert "1 kommende arrangement under «Fadderordningen»" in text
    assert "«Quizkveld», " in text


def test_unpublishing_the_unit_alone_leaves_the_event_be(editor_client, unit, event, signed_up):
    unpublish(editor_client, unit)

    assert not UnitPage.objects.get(pk=unit.pk).live
    assert _live(event)


def test_deleting_an_event_with_people_is_refused_and_keeps_them(staff_client, event, signed_up):
    response = delete(staff_client, event)

    assert EventPage.objects.filter(pk=event.pk).exists()
    assert selectors.event_places(event=event).confirmed == 1
    assert "Cancel the event first" in _messages(response)


def test_the_delete_page_is_not_even_offered(staff_client, event, signed_up):
    response = staff_client.get(reverse("wagtailadmin_pages:delete", args=[event.pk]))

    assert response.status_code == 302


def test_deleting_the_unit_above_an_event_with_people_is_refused(staff_client, unit, signed_up):
    delete(staff_client, unit)

    assert UnitPage.objects.filter(pk=unit.pk).exists()


def test_a_cancelled_event_can_be_deleted(staff_client, event, signed_up, editor):
    event_cancel(event=event, by=editor)

    delete(staff_client, event)

    assert not EventPage.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("action", ["unpublish", "delete"])
def test_bulk_actions_are_refused_too(staff_client, event, signed_up, action):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    response = staff_client.post(f"{url}?id={event.pk}", {})

    assert response.status_code == 302
    assert EventPage.objects.filter(pk=event.pk, live=True).exists()
    assert "Cancel the event first" in _messages(response)


def test_the_explorer_offers_the_organiser_pages_to_the_units_editors(editor_client, unit, event):
    response = editor_client.get(reverse("wagtailadmin_explore", args=[unit.pk]))

    html = response.content.decode()
    for name in ("attendees", "checkin", "cancel_event"):
        assert reverse(f"activities:{name}", args=[event.pk]) in html


def test_other_pages_get_no_organiser_buttons(staff_client, tree, unit, event):
    response = staff_client.get(reverse("wagtailadmin_explore", args=[tree["volunteer_index"].pk]))

    assert response.status_code == 200
    assert reverse("activities:cancel_event", args=[unit.pk]) not in response.content.decode()


# --- Privacy and moving ------------------------------------------------------------------


def set_privacy(client, page, restriction_type="password", **data):
    data = {"restriction_type": restriction_type, "password": "hemmelig", **data}
    response = client.post(reverse("wagtailadmin_pages:set_privacy", args=[page.pk]), data)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("restriction", ["password", "login"])
def test_an_event_people_hold_places_at_is_not_made_private(
    staff_client, event, signed_up, restriction
):
    answer = set_privacy(staff_client, event, restriction)
    assert answer["step"] == "set_privacy"
    assert "2 people hold places at “Quiz night”" in answer["html"]
    assert not PageViewRestriction.objects.exists()


def test_a_unit_above_such_an_event_is_not_made_private(staff_client, unit, event, signed_up):
    answer = set_privacy(staff_client, unit, "login")
    assert answer["step"] == "set_privacy"
    assert "“Quiz night”" in answer["html"]
    assert not PageViewRestriction.objects.exists()


def test_once_cancelled_or_with_nobody_signed_up_a_page_may_be_made_private(
    staff_client, unit, event, signed_up, section_staff
):
    event_cancel(event=event, by=section_staff, reason_nb="Avlyst", reason_en="Called off")
    assert set_privacy(staff_client, event)["step"] == "set_privacy_done"
    other = event_create(unit, title_nb="Tur", title_en="Trip")
    assert set_privacy(staff_client, other, "login")["step"] == "set_privacy_done"
    assert PageViewRestriction.objects.count() == 2


def test_a_restriction_may_always_be_removed(staff_client, event, signed_up):
    PageViewRestriction.objects.create(page=event, restriction_type="login")
    assert set_privacy(staff_client, event, "none")["step"] == "set_privacy_done"
    assert not PageViewRestriction.objects.exists()


def _move(client, page, destination):
    return client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk]))


@pytest.fixture
def admin_client(client, admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(mfa_enable(admin_user))
    return client


def _hide(page, hidden_by):
    if hidden_by == "unpublished":
        page.unpublish()
    else:
        PageViewRestriction.objects.create(page=page, restriction_type="login")


@pytest.mark.parametrize("hidden_by", ["unpublished", "restricted"])
def test_an_event_people_hold_places_at_is_not_moved_out_of_sight(
    admin_client, tree, event, signed_up, hidden_by
):
    _hide(tree["choir"], hidden_by)
    response = _move(admin_client, event, tree["choir"])
    assert response.status_code == 302
    assert "2 people hold places at “Quiz night”" in _messages(response)
    assert EventPage.objects.get(pk=event.pk).get_parent().pk == event.get_parent().pk


def test_an_event_with_nobody_to_tell_moves_anywhere(admin_client, tree, event):
    _hide(tree["choir"], "restricted")
    assert _move(admin_client, event, tree["choir"]).status_code == 302
    assert EventPage.objects.get(pk=event.pk).get_parent().pk == tree["choir"].pk


def test_an_event_people_hold_places_at_moves_to_a_page_all_can_see(
    admin_client, tree, event, signed_up
):
    _move(admin_client, event, tree["choir"])
    assert EventPage.objects.get(pk=event.pk).get_parent().pk == tree["choir"].pk
