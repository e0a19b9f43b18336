"""What follows publishing a course, as it follows publishing an event: a new time or place is
announced to everyone with a place or on the waitlist, in their language."""

import datetime

import pytest
from django.utils import translation

from onboarding.courses import services
from onboarding.live.models import Notification
from tests.onboarding.courses.factories import course_create

pytestmark = pytest.mark.stack


def _enrolled(course, people):
    return [services.enrolment_create(course=course, user=person) for person in people]


def test_a_new_time_tells_everyone_with_a_place_or_on_the_waitlist(centre, students):
    course = course_create(centre, capacity=1, publish=True)
    people = students[:2]
    _enrolled(course, people)

    course.start_time = datetime.time(14, 15)
    course.end_time = datetime.time(16, 0)
    course.save_revision().publish()

    told = Notification.objects.filter(kind="course_changed")
    assert sorted(n.recipient_id for n in told) == sorted(p.pk for p in people)
    assert all(n.context["changed"] == ["time"] for n in told)


def test_a_new_place_is_announced_with_the_place(centre, students):
    course = course_create(centre, publish=True)
    (person,) = _enrolled(course, students[:1])
    person = person.person

    course.location = "Realfagbygget, rom 3"
    course.save_revision().publish()

    told = Notification.objects.get(kind="course_changed", recipient=person)
    assert told.context["changed"] == ["place"]
    assert "Realfagbygget, rom 3" in told.body
    with translation.override(told.language):
        assert told.url == course.get_url()


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("nb", "Norskkurset Norsk A1 er endret"),
        ("en", "The Norwegian course Norwegian A1 has changed"),
    ],
)
def test_the_announcement_is_in_the_persons_language(centre, students, language, subject):
    course = course_create(centre, publish=True, title_nb="Norsk A1", title_en="Norwegian A1")
    person = students[0]
    person.language = language
    person.save(update_fields=["language"])
    _enrolled(course, [person])

    course.starts_on += datetime.timedelta(days=1)
    course.save_revision().publish()

    told = Notification.objects.get(kind="course_changed", recipient=person)
    assert told.subject == subject


def test_more_places_alone_are_not_announced(centre, students):
    course = course_create(centre, capacity=1, publish=True)
    _enrolled(course, students[:2])

    course.capacity = 2
    course.save_revision().publish()

    assert not Notification.objects.filter(kind="course_changed").exists()
    assert Notification.objects.filter(kind="course_place_given", recipient=students[1]).exists()


def test_republishing_unchanged_tells_nobody(centre, students):
    course = course_create(centre, publish=True)
    _enrolled(course, students[:2])

    course.save_revision().publish()

    assert not Notification.objects.filter(kind="course_changed").exists()
