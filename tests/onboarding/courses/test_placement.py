"""The placement self-assessment: answers map to a level, in both languages, stored on the profile."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.accounts.models import StudentProfile
from onboarding.courses import services
from onboarding.courses.errors import PlacementError
from onboarding.courses.models import PlacementResult
from onboarding.courses.placement import (
    PlacementAnswerError,
    placement_score,
    skill_level,
    suggested_level,
)
from tests.factories import UserFactory
from tests.onboarding.courses.factories import answers_up_to, course_create

SKILLS = ("listening", "reading", "speaking", "writing")
LANGUAGES = ["nb", "en"]


def answers(**ticked):
    return {skill: ticked.get(skill, []) for skill in SKILLS}


# --- Mapping ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ticked", "level"),
    [
        ([], "none"),
        (["A1"], "A1"),
        (["A1", "A2", "B1"], "B1"),
        (["A1", "A2", "B1", "B2", "C1"], "C1"),
        (["A1", "A2", "B2"], "A2"),
        (["A2", "B1"], "none"),
    ],
)
def test_a_skill_reaches_the_highest_level_ticked_without_a_gap(ticked, level):
    assert skill_level(ticked) == level


@pytest.mark.parametrize(
    ("levels", "suggested"),
    [
        (["B1", "B1", "B1", "B1"], "B1"),
        (["A2", "B1", "B1", "B1"], "B1"),
        (["A2", "A2", "B1", "C1"], "A2"),
        (["none", "A1", "A1", "A1"], "A1"),
        (["none", "none", "C1", "C1"], "none"),
    ],
)
def test_the_suggested_level_is_the_one_three_skills_reach(levels, suggested):
    assert suggested_level(levels) == suggested


@pytest.mark.parametrize(
    ("level", "expected"), [("A1", "A1"), ("A2", "A2"), ("B1", "B1"), ("B2", "B2"), ("C1", "C1")]
)
def test_ticking_every_statement_up_to_a_level_suggests_that_level(level, expected):
    assert placement_score(answers_up_to(level))[0] == expected


def test_one_strong_skill_does_not_lift_the_level():
    level, skills = placement_score(
        answers(listening=["A1", "A2", "B1", "B2"], reading=["A1"], speaking=["A1"], writing=["A1"])
    )

    assert (level, skills["listening"]) == ("A1", "B2")


@pytest.mark.parametrize("bad", [{"listening": ["X9"]}, {"cooking": ["A1"]}, {"reading": "A1"}])
def test_unknown_skills_or_levels_are_refused(bad):
    with pytest.raises(PlacementAnswerError):
        placement_score(bad)


# --- Recording ----------------------------------------------------------------------------


def test_recording_stores_the_result_and_puts_the_level_on_the_profile(student):
    result = services.placement_record(user=student, answers=answers_up_to("A2"))

    assert result.level == "A2"
    assert result.profile_updated is True
    assert StudentProfile.objects.get(user=student).norwegian_level == "A2"


def test_recording_without_a_profile_keeps_the_result(db):
    person = UserFactory()

    result = services.placement_record(user=person, answers=answers_up_to("B1"))

    assert result.profile_updated is False
    assert PlacementResult.objects.get(user=person).level == "B1"


def test_recording_bad_answers_is_refused_and_stores_nothing(student):
    with pytest.raises(PlacementError) as caught:
        services.placement_record(user=student, answers={"listening": ["Z"]})

    assert caught.value.code == "invalid_answers"
    assert not PlacementResult.objects.exists()


def test_an_anonymous_result_is_not_stored(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PlacementError) as caught:
        services.placement_record(user=AnonymousUser(), answers=answers_up_to("A1"))

    assert caught.value.code == "login_required"


# --- The pages, in both languages ---------------------------------------------------------


def _post_data(level):
    data = {}
    for skill, ticked in answers_up_to(level).items():
        data[skill] = ticked
    return data


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_placement_page_lists_every_statement_as_a_labelled_checkbox(client, db, language):
    with translation.override(language):
        url = reverse("courses:placement")
    response = client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('type="checkbox"') == 20
    assert f'lang="{language}"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_answers_give_the_same_level_in_both_languages(client, student, language):
    client.force_login(student)
    with translation.override(language):
        url = reverse("courses:placement")
        result_url = reverse("courses:placement_result")

    response = client.post(url, _post_data("B1"))

    assert response.status_code == 302
    assert response["Location"] == result_url
    assert PlacementResult.objects.get(user=student).level == "B1"


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_anonymous_person_sees_the_level_and_fitting_courses_at_once(client, centre, language):
    fitting = course_create(centre, level="A2", prerequisite_level="A1")
    with translation.override(language):
        url = reverse("courses:placement")

    response = client.post(url, _post_data("A1"))

    html = response.content.decode()
    assert response.status_code == 200
    assert getattr(fitting, f"title_{language}") in html
    assert not PlacementResult.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_result_page_shows_the_suggested_courses(client, centre, student, language):
    fitting = course_create(centre, level="B2", prerequisite_level="B1")
    too_easy = course_create(centre, level="A1")
    services.placement_record(user=student, answers=answers_up_to("B1"))
    client.force_login(student)
    with translation.override(language):
        url = reverse("courses:placement_result")

    html = client.get(url).content.decode()

    assert getattr(fitting, f"title_{language}") in html
    assert getattr(too_easy, f"title_{language}") not in html


def test_the_result_page_without_a_result_sends_to_the_test(client, student):
    client.force_login(student)

    response = client.get(reverse("courses:placement_result"))

    assert response["Location"] == reverse("courses:placement")


def test_an_unknown_statement_is_a_form_error(client, student):
    client.force_login(student)

    response = client.post(reverse("courses:placement"), {"listening": ["Q7"]})

    assert response.status_code == 400
    assert not PlacementResult.objects.exists()


@pytest.mark.parametrize(
    ("language", "saved"),
    [
        ("nb", "du er ny i norsk, så begynn på A1"),
        ("en", "you are new to Norwegian, so start at A1"),
    ],
)
def test_a_beginners_result_names_no_level_that_is_not_set(client, student, language, saved):
    client.force_login(student)
    with translation.override(language):
        url = reverse("courses:placement")

    html = client.post(url, _post_data("none"), follow=True).content.decode()
    again = client.get(url).content.decode()

    assert saved in html
    for page in (html, again):
        assert "None yet" not in page and "Ingen ennå" not in page


@pytest.mark.parametrize(
    ("language", "taken"),
    [("nb", "Tatt 2. desember 2026 13:48."), ("en", "Taken Dec. 2, 2026, 13:48.")],
)
def test_the_time_a_result_was_taken_ends_in_one_full_stop(client, student, language, taken):
    moment = timezone.make_aware(datetime.datetime(2026, 12, 2, 13, 48))
    services.placement_record(user=student, answers=answers_up_to("A1"), now=moment)
    client.force_login(student)
    with translation.override(language):
        url = reverse("courses:placement_result")

    html = client.get(url).content.decode()

    assert taken in html
    assert "m.." not in html
