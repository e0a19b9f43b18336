"""The pages: access on every URL (anonymous, outsiders, other groups' editors), both languages,
forms that work without JavaScript, and each person seeing only their own match."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.buddies import services
from onboarding.buddies.models import BuddyMatch, BuddyProfile, PairRule, Role
from tests.factories import UserFactory
from tests.onboarding.buddies.factories import buddy_create, round_create, student_create

ORGANISER_GET = ["organise"]
ORGANISER_POST = ["run", "publish", "rule_add"]


def url(name, round, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"buddies:{name}", kwargs={"round_id": round.pk, **kwargs})


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_addresses_are_translated(round, language):
    address = url("volunteer", round, language)
    assert address.startswith(f"/{language}/")
    assert ("faddere" in address) == (language == "nb")


@pytest.mark.parametrize(
    "name",
    ["volunteer", "ask", "mine", "organise", "forecast", "run", "publish", "rule_add", "withdraw"],
)
def test_anonymous_people_are_sent_to_log_in(client, round, name):
    posted = name in ORGANISER_POST or name == "withdraw"
    response = client.post(url(name, round)) if posted else client.get(url(name, round))
    assert response.status_code == 302 and "login" in response["Location"]


def test_anonymous_people_cannot_remove_a_rule(client, round):
    rule = PairRule.objects.create(
        round=round, student=student_create(round), buddy=buddy_create(round), kind="pin"
    )
    response = client.post(url("rule_clear", round, rule_id=rule.pk))
    assert response.status_code == 302 and PairRule.objects.filter(pk=rule.pk).exists()


def test_leaving_removes_only_ones_own_profile(client, round):
    mine, other = student_create(round), student_create(round)
    client.force_login(mine.user)
    client.post(url("withdraw", round))
    assert not BuddyProfile.objects.filter(pk=mine.pk).exists()
    assert BuddyProfile.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("name", ORGANISER_GET + ORGANISER_POST)
@pytest.mark.parametrize("who", ["student", "buddy", "other_editor", "faculty_editor"])
def test_only_the_groups_editors_reach_the_organisers_pages(client, request, round, name, who):
    student, buddy = student_create(round), buddy_create(round)
    person = {"student": student.user, "buddy": buddy.user}.get(who) or request.getfixturevalue(who)
    client.force_login(person)
    data = {"student": student.pk, "buddy": buddy.pk, "kind": "pin"}
    response = (
        client.post(url(name, round), data)
        if name in ORGANISER_POST
        else client.get(url(name, round))
    )
    assert response.status_code == 403
    assert not BuddyMatch.objects.exists() and not PairRule.objects.exists()


def test_a_rule_of_another_round_cannot_be_removed_through_this_one(client, round, organiser, tree):
    other = round_create(tree["choir"])
    rule = PairRule.objects.create(
        round=other, student=student_create(other), buddy=buddy_create(other), kind="pin"
    )
    client.force_login(organiser)
    client.post(url("rule_clear", round, rule_id=rule.pk))
    assert PairRule.objects.filter(pk=rule.pk).exists()


def test_the_forecast_is_for_volunteer_groups_faculties_and_staff(
    client, round, other_editor, faculty_editor
):
    for person, status in (
        (UserFactory(), 403),
        (other_editor, 200),
        (faculty_editor, 200),
    ):
        client.force_login(person)
        assert client.get(url("forecast", round)).status_code == status


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_student_asks_for_a_buddy_without_javascript(client, round, tree, language):
    user = UserFactory(language=language)
    client.force_login(user)
    page = client.get(url("ask", round, language))
    assert page.status_code == 200
    assert f'<html lang="{language}">' in page.content.decode()
    response = client.post(
        url("ask", round, language),
        {
            "student_status": "incoming_exchange",
            "faculty": tree["faculty_a"].pk,
            "available_on": "2026-08-12",
            "languages": ["en", "es"],
            "interests": ["music"],
            "wants_language": "es",
            "phone": "",
            "about": "",
        },
    )
    assert response.status_code == 302
    profile = BuddyProfile.objects.get(user=user)
    assert profile.role == Role.STUDENT and profile.wants_language == "es"


def test_a_form_with_errors_says_so_and_keeps_the_answers(client, round):
    client.force_login(UserFactory())
    response = client.post(url("volunteer", round), {"capacity": "3", "available_on": "tomorrow"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and "Choose at least one language you speak." in page
    assert not BuddyProfile.objects.exists()


def test_a_buddy_edits_their_answers_until_sign_up_closes(client, tree):
    closed = round_create(tree["buddies"], closes_on=datetime.date(2020, 1, 1))
    buddy = buddy_create(closed, capacity=2)
    client.force_login(buddy.user)
    page = client.get(url("volunteer", closed)).content.decode()
    assert "Sign-up closed" in page and '<form method="post" novalidate' not in page
    client.post(
        url("volunteer", closed),
        {"capacity": "5", "languages": ["en"], "available_on": "2026-08-01"},
    )
    buddy.refresh_from_db()
    assert buddy.capacity == 2


def test_each_side_sees_only_their_own_match(client, round, organiser):
    ana = student_create(round)
    ben = student_create(round)
    ola = buddy_create(round, capacity=1)
    kari = buddy_create(round, capacity=1)
    services.matching_run(round=round, by=organiser)
    services.matching_publish(round=round, by=organiser)
    ana_buddy = BuddyMatch.objects.get(student=ana).buddy
    other_buddy = kari if ana_buddy == ola else ola
    client.force_login(ana.user)
    page = client.get(url("mine", round)).content.decode()
    assert ana_buddy.user.email in page
    assert other_buddy.user.email not in page and ben.user.email not in page
    client.force_login(ana_buddy.user)
    page = client.get(url("mine", round)).content.decode()
    assert ana.user.email in page and ben.user.email not in page


def test_the_organiser_runs_and_publishes_from_the_page(client, round, organiser):
    student_create(round)
    buddy_create(round)
    client.force_login(organiser)
    page = client.get(url("organise", round, "nb"))
    assert page.status_code == 200
    client.post(url("run", round, "nb"))
    assert BuddyMatch.objects.filter(state="proposed").count() == 1
    page = client.get(url("organise", round, "nb")).content.decode()
    assert 'data-state="proposed"' in page
    client.post(url("publish", round, "nb"))
    assert BuddyMatch.objects.filter(state="published").count() == 1


def test_people_without_a_profile_have_no_match_page(client, round):
    client.force_login(UserFactory())
    assert client.get(url("mine", round)).status_code == 404


def test_a_round_is_opened_by_a_volunteer_groups_editor(client, organiser, tree):
    client.force_login(organiser)
    with translation.override("en"):
        address = reverse("buddies:round_new")
    response = client.post(
        address,
        {
            "unit": tree["buddies"].pk,
            "name_nb": "Fadderordningen våren 2027",
            "name_en": "Buddy programme spring 2027",
            "semester_starts_on": "2027-01-11",
            "closes_on": "2027-01-04",
        },
    )
    assert response.status_code == 302


def test_people_who_edit_no_volunteer_group_cannot_open_a_round(client, faculty_editor):
    client.force_login(faculty_editor)
    with translation.override("en"):
        assert client.get(reverse("buddies:round_new")).status_code == 403
