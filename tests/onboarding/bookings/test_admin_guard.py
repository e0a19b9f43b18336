"""The admin guard and the organiser buttons read every kind of holder from Wagtail hooks
(``bookings_people_guard``, ``bookings_organiser_buttons``), and register the admin's own hooks
once, however many kinds there are."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from wagtail import hooks

from cms.models import HomePage
from onboarding.activities.models import EventPage, EventSeriesPage
from onboarding.bookings import admin_guard
from onboarding.bookings.admin_guard import (
    ORGANISER_BUTTONS_HOOK,
    PEOPLE_GUARD_HOOK,
    PeopleGuard,
    guard_refusal,
    people_guards,
)
from onboarding.bookings.selectors import HolderPeople
from onboarding.courses.models import NorwegianCoursePage


def test_events_and_courses_register_a_guard_each():
    labels = sorted(str(guard.cancel_label) for guard in people_guards())

    assert labels == ["Cancel course", "Cancel event"]


def test_events_series_and_courses_register_their_organiser_buttons():
    page_classes = {make().page_class for make in hooks.get_hooks(ORGANISER_BUTTONS_HOOK)}

    assert page_classes == {EventPage, EventSeriesPage, NorwegianCoursePage}


@pytest.mark.parametrize(
    ("hook", "function"),
    [
        ("before_unpublish_page", admin_guard.before_unpublish),
        ("before_delete_page", admin_guard.before_delete),
        ("before_bulk_action", admin_guard.before_bulk_action),
    ],
)
def test_the_admins_hooks_are_registered_once(hook, function):
    assert hooks.get_hooks(hook).count(function) == 1


def _request(rf):
    request = rf.post("/admin/pages/1/unpublish/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _guard(found):
    return PeopleGuard(
        with_people=lambda **options: found,
        when=lambda holder: "today",
        cancel_url=lambda holder: "/cancel/",
        cancel_label="Cancel it",
        alone=lambda title, count: f"{title} has {count} people.",
        under=lambda count, title, listing: f"{count} under {title}: {listing}",
    )


def test_a_guard_registered_through_the_hook_refuses(site_tree, rf):
    home = HomePage.objects.get()
    request = _request(rf)

    with hooks.register_temporarily(
        PEOPLE_GUARD_HOOK, lambda: _guard([HolderPeople(holder=home, people=3)])
    ):
        response = guard_refusal(request, home, include_descendants=False, live_only=True)

    assert response.status_code == 302
    [message] = list(request._messages)
    assert f"{home.title} has 3 people." in str(message)


def test_no_guard_objecting_lets_the_admin_go_on(site_tree, rf):
    home = HomePage.objects.get()

    with hooks.register_temporarily(PEOPLE_GUARD_HOOK, lambda: _guard([])):
        response = guard_refusal(_request(rf), home, include_descendants=True, live_only=False)

    assert response is None
