"""Calling a Norwegian course off: every enrolment cancelled, each person told in their language,
no way back in, and the course no longer offered anywhere."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cms.middleware import page_cache_generation
from onboarding.bookings import holders
from onboarding.courses import selectors, services
from onboarding.courses.errors import CourseCancelError, EnrolmentError
from onboarding.courses.models import CourseCancellation, Enrolment
from onboarding.courses.plan import plan_course_suggestion
from onboarding.live import kinds
from onboarding.live.models import Notification
from onboarding.live.services import notification_render
from tests.onboarding.courses.factories import course_create, student_create

pytestmark = pytest.mark.django_db

LANGUAGES = ["nb", "en"]
CATALOGUE = {"nb": "/nb/norskkurs/", "en": "/en/norwegian-courses/"}


@pytest.fixture
def course(centre):
    """An A1 course with two places and a waitlist."""
    return course_create(
        centre, level="A1", capacity=2, title_nb="Norsk for nybegynnere", title_en="Norwegian 1"
    )


@pytest.fixture
def people(course):
    """Two with a place (a Norwegian and an English reader) and one on the waitlist."""
    nb = student_create(language="nb", first_name="Nora")
    en = student_create(language="en", first_name="Ellen")
    waiting = student_create(language="en", first_name="Wanda")
    for person in (nb, en, waiting):
        services.enrolment_create(course=course, user=person)
    return {"nb": nb, "en": en, "waiting": waiting}


def cancel(course, by, **kwargs):
    return services.course_cancel(course=course, by=by, **kwargs)


def url(name, course, language="en"):
    with translation.override(language):
        return reverse(f"courses:{name}", args=[course.pk])


def active(course):
    return Enrolment.objects.filter(course=course, status__in=["confirmed", "waitlisted"])


# --- The service --------------------------------------------------------------------------


def test_every_place_and_waitlist_place_is_cancelled(course, people, centre_editor):
    done = cancel(course, centre_editor, reason_en="The teacher is ill.")
    cancellation = done.cancellation

    assert done.told == 3
    assert set(Enrolment.objects.filter(course=course).values_list("status", flat=True)) == {
        "cancelled"
    }
    assert selectors.course_places(course=course).confirmed == 0
    assert cancellation.cancelled_by == centre_editor
    assert selectors.course_cancellation(course=course) == cancellation


def test_each_person_is_told_in_their_own_language_with_the_reason(course, people, centre_editor):
    cancel(course, centre_editor, reason_nb="Læreren er syk.", reason_en="The teacher is ill.")

    nb = Notification.objects.get(recipient=people["nb"], kind="course_cancelled")
    en = Notification.objects.get(recipient=people["en"], kind="course_cancelled")
    assert nb.language == "nb" and en.language == "en"
    assert "Norsk for nybegynnere" in nb.subject and "Læreren er syk." in nb.body
    assert "Norwegian 1" in en.subject and "The teacher is ill." in en.body
    assert "Læreren er syk." not in en.body


def test_the_waitlisted_are_told_too(course, people, centre_editor):
    cancel(course, centre_editor, reason_en="The teacher is ill.")

    waiting = Notification.objects.get(recipient=people["waiting"], kind="course_cancelled")
    assert "The teacher is ill." in waiting.body
    assert "waitlist" in waiting.body


def test_a_reason_in_one_language_reaches_everyone(course, people, centre_editor):
    cancel(course, centre_editor, reason_en="The teacher is ill.")

    nb = Notification.objects.get(recipient=people["nb"], kind="course_cancelled")
    assert "The teacher is ill." in nb.body


def test_nobody_can_enrol_once_it_is_cancelled(course, people, centre_editor, student):
    cancel(course, centre_editor)

    for person in (student, people["nb"]):
        with pytest.raises(EnrolmentError) as caught:
            services.enrolment_create(course=course, user=person)
        assert caught.value.code == "cancelled"
    assert not active(course).exists()


def test_the_new_places_are_published(course, people, centre_editor, monkeypatch):
    published = []
    monkeypatch.setattr(
        holders, "topic_publish", lambda *, topic, payload: published.append((topic, payload))
    )

    cancel(course, centre_editor)

    [(topic, payload)] = published
    assert topic == f"course:{course.pk}"
    assert payload["type"] == "course.places"
    assert payload["confirmed"] == 0 and payload["waitlisted"] == 0


def test_cancelling_clears_the_page_cache(
    course, people, centre_editor, django_capture_on_commit_callbacks
):
    before = page_cache_generation()
    with django_capture_on_commit_callbacks(execute=True):
        cancel(course, centre_editor)

    assert page_cache_generation() != before


def test_a_course_nobody_applied_for_can_be_cancelled(course, centre_editor):
    assert cancel(course, centre_editor).told == 0
    assert not Notification.objects.exists()


def test_a_second_cancellation_is_refused_and_tells_nobody_again(course, people, centre_editor):
    cancel(course, centre_editor)

    with pytest.raises(CourseCancelError) as caught:
        cancel(course, centre_editor)

    assert caught.value.code == "already_cancelled"
    assert Notification.objects.filter(kind="course_cancelled").count() == 3


def test_a_course_that_is_over_cannot_be_cancelled(centre, centre_editor):
    now = timezone.now()
    past = course_create(
        centre,
        starts_on=timezone.localdate(now) - datetime.timedelta(days=100),
        ends_on=timezone.localdate(now) - datetime.timedelta(days=1),
        application_opens_at=now - datetime.timedelta(days=130),
        application_closes_at=now - datetime.timedelta(days=110),
    )

    with pytest.raises(CourseCancelError) as caught:
        cancel(past, centre_editor)

    assert caught.value.code == "course_over"
    assert not CourseCancellation.objects.exists()


def test_on_its_last_day_a_course_can_still_be_cancelled(course, people, centre_editor):
    last_day = datetime.datetime.combine(course.ends_on, datetime.time(12))

    done = cancel(course, centre_editor, now=timezone.make_aware(last_day))

    assert done.told == 3


@pytest.mark.parametrize("who", ["student", "other_editor"])
def test_only_the_courses_editors_may_cancel(course, people, who, request):
    with pytest.raises(CourseCancelError) as caught:
        cancel(course, request.getfixturevalue(who))

    assert caught.value.code == "forbidden"
    assert active(course).count() == 3
    assert not CourseCancellation.objects.exists()


def test_a_reason_too_long_changes_nothing(course, people, centre_editor):
    with pytest.raises(CourseCancelError) as caught:
        cancel(course, centre_editor, reason_nb="x" * 2001)

    assert caught.value.code == "message_too_long"
    assert active(course).count() == 3
    assert not Notification.objects.filter(kind="course_cancelled").exists()


def test_international_section_staff_may_cancel(course, people, section_staff):
    assert cancel(course, section_staff).told == 3


def test_the_errors_are_translated(course, people, centre_editor):
    cancel(course, centre_editor)

    with translation.override("nb"), pytest.raises(CourseCancelError) as caught:
        cancel(course, centre_editor)

    assert caught.value.message == "Dette kurset er allerede avlyst."


# --- Where courses are offered ------------------------------------------------------------


def test_the_catalogue_leaves_the_cancelled_course_out(centre, course, centre_editor):
    other = course_create(centre, level="A1")
    cancel(course, centre_editor)

    assert list(selectors.course_list()) == [other]
    assert [c.pk for c in selectors.offer_courses()] == [other.pk]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_page_does_not_show_it(client, catalogue, course, centre_editor, language):
    cancel(course, centre_editor)

    html = client.get(CATALOGUE[language]).content.decode()

    assert getattr(course, f"title_{language}") not in html


@pytest.mark.parametrize(
    ("language", "notice", "reason"),
    [
        ("nb", "Dette kurset er avlyst.", "Læreren er syk."),
        ("en", "This course is cancelled.", "The teacher is ill."),
    ],
)
def test_the_course_page_says_it_is_cancelled_with_the_reason(
    client, course, people, centre_editor, student, language, notice, reason
):
    cancel(course, centre_editor, reason_nb="Læreren er syk.", reason_en="The teacher is ill.")
    client.force_login(student)
    with translation.override(language):
        page_url = course.get_url()

    response = client.get(page_url)

    body = response.content.decode()
    assert response.status_code == 200
    assert notice in body and reason in body
    assert url("enrol", course, language) not in body
    assert "data-course-places" not in body


def test_the_apply_post_on_a_cancelled_course_is_refused(client, course, centre_editor, student):
    cancel(course, centre_editor)
    client.force_login(student)

    response = client.post(url("enrol", course), follow=True)

    assert "This course is cancelled; you cannot apply for it." in response.content.decode()
    assert not Enrolment.objects.filter(course=course, person=student).exists()


def test_the_plan_suggests_another_course_instead(centre, course, student, centre_editor):
    other = course_create(centre, level="A1", title_en="Norwegian 1, evenings")
    cancel(course, centre_editor)

    with translation.override("en"):
        suggestion = plan_course_suggestion(profile=selectors.student_get(user=student).profile)

    assert suggestion.title == other.title_en


def test_the_plan_of_someone_who_had_a_place_no_longer_shows_it(course, people, centre_editor):
    cancel(course, centre_editor)

    with translation.override("en"):
        suggestion = plan_course_suggestion(
            profile=selectors.student_get(user=people["en"]).profile
        )

    assert suggestion.title != course.title_en
    assert "You have a place" not in suggestion.text


def test_the_placement_result_does_not_suggest_it(course, student, centre_editor):
    cancel(course, centre_editor)

    assert selectors.suggested_courses(student=selectors.student_get(user=student)) == []


def test_cancelled_enrolments_count_as_offered_nothing(course, people, centre_editor):
    before = selectors.coverage_report().total
    assert (before.enrolled, before.waitlisted) == (2, 1)

    cancel(course, centre_editor)

    after = selectors.coverage_report().total
    assert (after.enrolled, after.waitlisted, after.nothing) == (0, 0, 3)
    offered_nothing = selectors.offered_nothing_rows(selectors.offered_nothing())
    assert {row.profile.user_id for row in offered_nothing} == {p.pk for p in people.values()}
    assert all(row.suggestion is None for row in offered_nothing)


# --- The pages ----------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_log_in(client, course):
    response = client.get(url("cancel_course", course))

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("role", ["student", "other_editor"])
def test_students_and_other_units_editors_are_refused(client, request, course, people, role):
    client.force_login(request.getfixturevalue(role))

    get = client.get(url("cancel_course", course))
    post = client.post(url("cancel_course", course), {"confirm": "on"})

    assert get.status_code == 403 and post.status_code == 403
    assert not CourseCancellation.objects.exists()


@pytest.mark.parametrize("role", ["centre_editor", "section_staff"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_cancels_and_returns_to_the_participants(
    client, request, course, people, role, language
):
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        url("cancel_course", course, language),
        {"reason_nb": "Sykdom.", "reason_en": "Illness.", "confirm": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("participants", course, language)
    assert CourseCancellation.objects.get(course=course).reason_en == "Illness."
    assert not active(course).exists()


def test_the_nb_address_is_norwegian(course):
    assert url("cancel_course", course, "nb") == f"/nb/norskkurs/{course.pk}/avlys-kurs/"


def test_the_form_without_the_confirmation_changes_nothing(client, course, people, centre_editor):
    client.force_login(centre_editor)

    response = client.post(url("cancel_course", course), {"reason_en": "Illness."})

    assert response.status_code == 400
    assert "Tick the box to confirm that the course is cancelled." in response.content.decode()
    assert not CourseCancellation.objects.exists()
    assert active(course).count() == 3


def test_a_reason_too_long_is_shown_on_the_form(client, course, people, centre_editor):
    client.force_login(centre_editor)

    response = client.post(url("cancel_course", course), {"reason_en": "x" * 2001, "confirm": "on"})

    assert response.status_code == 400
    assert not CourseCancellation.objects.exists()


def test_after_cancelling_the_page_says_so(client, course, people, centre_editor):
    client.force_login(centre_editor)
    client.post(url("cancel_course", course), {"reason_en": "Illness.", "confirm": "on"})

    body = client.get(url("cancel_course", course)).content.decode()

    assert "This course was cancelled" in body and "Illness." in body
    assert 'name="confirm"' not in body


def test_the_participants_page_links_to_cancelling_and_then_says_it_is_cancelled(
    client, course, people, centre_editor
):
    client.force_login(centre_editor)
    cancel_url = url("cancel_course", course)

    before = client.get(url("participants", course)).content.decode()
    cancel(course, centre_editor, reason_en="Illness.")
    after = client.get(url("participants", course)).content.decode()

    assert cancel_url in before
    assert cancel_url not in after
    assert "This course was cancelled" in after and "Illness." in after


def test_the_course_page_offers_teachers_the_cancel_page(client, course, centre_editor):
    client.force_login(centre_editor)

    body = client.get(course.get_url()).content.decode()

    assert url("cancel_course", course) in body


# --- The notification ---------------------------------------------------------------------


CONTEXT = {
    "course_title": {"nb": "Norsk for nybegynnere", "en": "Norwegian for beginners"},
    "starts_on": "2026-08-24",
    "levels": "A1",
    "reason": {"nb": "Læreren er syk.", "en": "The teacher is ill."},
}
EXPECTED = {
    "nb": ("Norskkurset Norsk for nybegynnere er avlyst", "Begrunnelse: Læreren er syk."),
    "en": ("The Norwegian course Norwegian for beginners is cancelled", "The teacher is ill."),
}


def test_the_kind_must_reach_people():
    kind = kinds.get_kind("course_cancelled")

    assert kind.mandatory
    assert "off" not in [value for value, _label in kind.channels()]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_kind_renders_in_the_language_asked_for(language):
    subject, body = notification_render(kind="course_cancelled", context=CONTEXT, language=language)

    text = f"{subject}\n{body}"
    assert "\n" not in subject
    for expected in EXPECTED[language]:
        assert expected in text
    other = "en" if language == "nb" else "nb"
    assert EXPECTED[other][0] not in text
