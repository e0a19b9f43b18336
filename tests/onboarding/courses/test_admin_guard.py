"""A course people have places on is cancelled, which tells them, before it is hidden or deleted.

Unpublishing or deleting it in the admin, alone, with the language centre or in a bulk action,
is refused with a message that says how many have a place or wait, and offers the cancel page;
once it is cancelled, over, or nobody is left to tell, the admin does as asked.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from onboarding.courses import selectors, services
from onboarding.courses.models import Enrolment, NorwegianCoursePage
from onboarding.units.models import UnitPage
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.courses.factories import course_create, student_create
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(centre):
    return course_create(
        centre, capacity=1, title_nb="Norsk for nybegynnere", title_en="Norwegian for beginners"
    )


@pytest.fixture
def enrolled(course):
    first, second = student_create(), student_create()
    services.enrolment_create(course=course, user=first)
    services.enrolment_create(course=course, user=second)  # on the waitlist
    return [first, second]


@pytest.fixture
def editor_client(client, centre_editor):
    client.force_login(mfa_enable(centre_editor))
    return client


@pytest.fixture
def nb_editor_client(client, centre):
    editor = UserFactory(language="nb")
    unit_editor_add(unit=centre, user=editor)
    client.force_login(mfa_enable(editor))
    return client


@pytest.fixture
def staff_client(client, section_staff):
    client.force_login(section_staff)
    return client


def _messages(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def _live(course):
    return NorwegianCoursePage.objects.get(pk=course.pk).live


def unpublish(client, page, **data):
    return client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]), data)


def delete(client, page):
    return client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))


def test_the_selector_counts_places_and_waitlist_places(course, enrolled, centre):
    [found] = selectors.courses_with_people(page=course)
    assert found.pk == course.pk and found.people == 2
    assert [c.pk for c in selectors.courses_with_people(page=centre)] == [course.pk]
    assert selectors.courses_with_people(page=centre, include_descendants=False) == []


def test_unpublishing_a_course_with_people_is_refused_with_their_number(
    editor_client, course, enrolled
):
    response = unpublish(editor_client, course)

    assert response.status_code == 302
    assert _live(course)
    text = _messages(response)
    assert "“Norwegian for beginners” has 2 people with a place or on the waitlist" in text
    assert "Cancel the course first" in text
    assert f'href="/en/norwegian-courses/{course.pk}/cancel-course/"' in text


def test_the_refusal_is_in_the_editors_language(nb_editor_client, course, enrolled):
    response = unpublish(nb_editor_client, course, next="/admin/")

    assert response["Location"] == "/admin/"
    assert _live(course)
    text = _messages(response)
    assert "«Norsk for nybegynnere» har 2 personer med plass eller på venteliste" in text
    assert f'href="/nb/norskkurs/{course.pk}/avlys-kurs/"' in text


def test_a_cancelled_course_can_be_unpublished(editor_client, course, enrolled, centre_editor):
    services.course_cancel(course=course, by=centre_editor, reason_en="The teacher is ill.")

    unpublish(editor_client, course)

    assert not _live(course)


def test_a_course_everyone_left_can_be_unpublished(editor_client, course, enrolled):
    for person in reversed(enrolled):
        enrolment = Enrolment.objects.get(course=course, person=person)
        services.enrolment_cancel(enrolment=enrolment, user=person)

    unpublish(editor_client, course)

    assert not _live(course)


def test_a_course_that_is_over_can_be_unpublished(editor_client, course, enrolled):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    NorwegianCoursePage.objects.filter(pk=course.pk).update(
        starts_on=yesterday - datetime.timedelta(days=90), ends_on=yesterday
    )

    unpublish(editor_client, course)

    assert not _live(course)


def test_unpublishing_the_language_centre_with_its_courses_is_refused(
    staff_client, centre, course, enrolled
):
    response = unpublish(staff_client, centre, include_descendants="on")

    assert UnitPage.objects.get(pk=centre.pk).live and _live(course)
    text = _messages(response)
    assert "1 Norwegian course under “Language Centre” that has not ended" in text
    assert "“Norwegian for beginners”, " in text


def test_unpublishing_the_centre_alone_leaves_the_course_be(staff_client, centre, course, enrolled):
    unpublish(staff_client, centre)

    assert not UnitPage.objects.get(pk=centre.pk).live
    assert _live(course)


def test_deleting_a_course_with_people_is_refused_and_keeps_them(staff_client, course, enrolled):
    response = delete(staff_client, course)

    assert NorwegianCoursePage.objects.filter(pk=course.pk).exists()
    assert selectors.course_places(course=course).confirmed == 1
    assert "Cancel the course first" in _messages(response)


def test_the_delete_page_is_not_even_offered(staff_client, course, enrolled):
    response = staff_client.get(reverse("wagtailadmin_pages:delete", args=[course.pk]))

    assert response.status_code == 302


def test_deleting_the_centre_above_a_course_with_people_is_refused(staff_client, centre, enrolled):
    delete(staff_client, centre)

    assert UnitPage.objects.filter(pk=centre.pk).exists()


def test_a_cancelled_course_can_be_deleted(staff_client, course, enrolled, centre_editor):
    services.course_cancel(course=course, by=centre_editor)

    delete(staff_client, course)

    assert not NorwegianCoursePage.objects.filter(pk=course.pk).exists()


@pytest.mark.parametrize("action", ["unpublish", "delete"])
def test_bulk_actions_are_refused_too(staff_client, course, enrolled, action):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    response = staff_client.post(f"{url}?id={course.pk}", {})

    assert response.status_code == 302
    assert NorwegianCoursePage.objects.filter(pk=course.pk, live=True).exists()
    assert "Cancel the course first" in _messages(response)


def test_the_admin_offers_a_cancel_course_button(editor_client, centre, course):
    response = editor_client.get(reverse("wagtailadmin_explore", args=[centre.pk]))

    assert response.status_code == 200
    assert reverse("courses:cancel_course", args=[course.pk]) in response.content.decode()
