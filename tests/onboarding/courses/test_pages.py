"""Course pages: where they may sit, what makes one valid, and the admin form."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.courses.models import NorwegianCourseCatalogPage, NorwegianCoursePage
from tests.onboarding.courses.factories import course_create
from tests.onboarding.units.factories import mfa_enable


def test_a_course_may_be_created_under_the_language_centre(centre):
    assert NorwegianCoursePage.can_create_at(centre)


@pytest.mark.parametrize("where", ["section", "faculty_a", "directory"])
def test_a_course_may_not_be_created_anywhere_else(tree, where):
    assert not NorwegianCoursePage.can_create_at(tree[where])


def test_a_course_may_not_be_moved_away_from_the_language_centre(tree, course):
    assert not course.can_move_to(tree["faculty_a"])


def test_there_is_one_catalogue_under_the_home_page(tree, catalogue):
    assert not NorwegianCourseCatalogPage.can_create_at(tree["home"])


def _invalid(course, **fields):
    for name, value in fields.items():
        setattr(course, name, value)
    with pytest.raises(ValidationError) as caught:
        course.full_clean()
    return set(caught.value.message_dict)


def test_a_valid_course_passes_its_checks(course):
    course.full_clean()


def test_the_level_reached_cannot_be_below_the_start(course):
    assert "level_to" in _invalid(course, level_from="B1", level_to="A2")


def test_the_prerequisite_must_be_below_the_starting_level(course):
    assert "prerequisite_level" in _invalid(course, level_from="A2", prerequisite_level="A2")


def test_the_first_day_must_fall_in_the_semester(course):
    other_term = "spring" if course.term == "autumn" else "autumn"

    assert "starts_on" in _invalid(course, term=other_term)


def test_the_last_day_cannot_come_before_the_first(course):
    assert "ends_on" in _invalid(course, ends_on=course.starts_on - datetime.timedelta(days=1))


def test_lessons_must_end_after_they_start(course):
    assert "end_time" in _invalid(course, end_time=course.start_time)


def test_a_course_needs_a_place_or_online_teaching(course):
    assert "location" in _invalid(course, location="", online=False)


def test_a_course_needs_its_weekdays(course):
    assert "weekdays" in _invalid(course, weekdays=[])


def test_the_application_must_close_after_it_opens(course):
    assert "application_closes_at" in _invalid(
        course, application_closes_at=course.application_opens_at
    )


def test_the_application_must_close_by_the_last_day(course):
    late = timezone.make_aware(
        datetime.datetime.combine(course.ends_on + datetime.timedelta(days=1), datetime.time(9))
    )

    assert "application_closes_at" in _invalid(course, application_closes_at=late)


def test_the_longest_stay_cannot_be_shorter_than_the_shortest(course):
    assert "max_stay_months" in _invalid(course, min_stay_months=9, max_stay_months=6)


def test_statuses_must_come_from_the_list(course):
    assert "allowed_statuses" in _invalid(course, allowed_statuses=["tourist"])


def test_the_admin_form_for_a_new_course_opens_for_the_language_centres_editor(
    client, centre, centre_editor
):
    client.force_login(mfa_enable(centre_editor))

    response = client.get(
        reverse("wagtailadmin_pages:add", args=["courses", "norwegiancoursepage", centre.pk])
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="weekdays"' in html and 'name="allowed_statuses"' in html


def test_another_units_editor_cannot_add_a_course_to_the_language_centre(
    client, centre, other_editor
):
    client.force_login(mfa_enable(other_editor))

    response = client.get(
        reverse("wagtailadmin_pages:add", args=["courses", "norwegiancoursepage", centre.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert [str(m).strip() for m in get_messages(response.wsgi_request)] == [
        "Sorry, you do not have permission to access this area."
    ]


def test_a_course_page_has_a_translated_address_in_each_language(client, centre):
    course = course_create(centre)
    with translation.override("nb"):
        norwegian = course.get_url()
    with translation.override("en"):
        english = course.get_url()

    assert norwegian.startswith("/nb/") and norwegian.endswith(f"/{course.slug_nb}/")
    assert english.startswith("/en/") and english.endswith(f"/{course.slug_en}/")
    assert client.get(norwegian).status_code == client.get(english).status_code == 200
