"""Public pages of units: the directory, a unit's page, follows and "My connections"."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.hooks import UPCOMING_EVENTS
from onboarding.units.models import Follow, UnitPage
from onboarding.units.selectors import UpcomingEventsProvider
from onboarding.units.services import follow_create
from tests.factories import UserFactory
from tests.hooks import hooks_only

pytestmark = pytest.mark.django_db


def _url(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


def _page_url(page, language):
    with translation.override(language):
        return UnitPage.objects.get(pk=page.pk).get_url()


def _link(page, language="en"):
    return f'href="{_page_url(page, language)}"'


def _make_stale(unit):
    UnitPage.objects.filter(pk=unit.pk).update(
        last_confirmed=timezone.now() - datetime.timedelta(days=400)
    )


# --- Directory ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang", "title", "heading", "unit"),
    [
        ("/nb/enheter/", "nb", "Enheter", "Faculties", "Institutt for fysikk"),
        ("/en/units/", "en", "Units", "Faculties", "Department of Physics"),
    ],
)
def test_directory_renders_in_each_language(client, tree, path, lang, title, heading, unit):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    assert unit in html


def test_directory_groups_units_by_kind(client, tree):
    html = client.get("/en/units/").content.decode()
    faculties = html.index('id="kind-faculty"')
    departments = html.index('id="kind-department"')
    volunteers = html.index('id="kind-volunteer_group"')
    assert faculties < html.index(_link(tree["faculty_b"])) < departments
    assert departments < html.index(_link(tree["department_a"])) < volunteers
    assert html.index(_link(tree["buddies"])) > volunteers


def test_directory_filters_by_kind(client, tree):
    html = client.get("/en/units/", {"kind": "faculty"}).content.decode()
    assert _link(tree["faculty_a"]) in html and _link(tree["faculty_b"]) in html
    assert _link(tree["department_a"]) not in html
    assert _link(tree["buddies"]) not in html


def test_directory_filters_by_faculty(client, tree):
    html = client.get("/en/units/", {"faculty": tree["faculty_a"].pk}).content.decode()
    for inside in ("faculty_a", "department_a", "council_a", "line_a"):
        assert _link(tree[inside]) in html, inside
    for outside in ("faculty_b", "department_b", "buddies", "section"):
        assert _link(tree[outside]) not in html, outside


@pytest.mark.stack
@pytest.mark.parametrize(("path", "query"), [("/en/units/", "fysikk"), ("/nb/enheter/", "Physics")])
def test_directory_search_finds_a_name_in_either_language(client, tree, path, query):
    html = client.get(path, {"q": query}).content.decode()
    assert _link(tree["department_a"], path[1:3]) in html
    assert _link(tree["faculty_b"], path[1:3]) not in html


@pytest.mark.stack
def test_directory_search_finds_a_short_name(client, tree):
    html = client.get("/en/units/", {"q": "HF"}).content.decode()
    assert _link(tree["faculty_b"]) in html
    assert _link(tree["faculty_a"]) not in html


def test_directory_says_when_nothing_matches(client, tree):
    html = client.get("/en/units/", {"q": "no such unit"}).content.decode()
    assert "No unit matches" in html


def test_directory_refuses_an_unknown_kind_with_a_message(client, tree):
    response = client.get("/en/units/", {"kind": "castle"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_directory_marks_a_group_that_has_not_confirmed_for_a_year(client, tree):
    _make_stale(tree["choir"])
    html = client.get("/en/units/", {"kind": "volunteer_group"}).content.decode()
    card = html[html.index("Student Choir") - 400 : html.index("Student Choir") + 600]
    assert "Possibly inactive" in card
    assert (
        "Possibly inactive"
        not in html[html.index("Buddy Programme") - 400 : html.index("Buddy Programme")]
    )


def test_directory_lists_a_possibly_inactive_group_after_the_active_ones(client, tree):
    _make_stale(tree["buddies"])
    html = client.get("/en/units/", {"kind": "volunteer_group"}).content.decode()
    assert html.index("Student Choir") < html.index("Buddy Programme")


def test_directory_leaves_out_unpublished_units(client, tree):
    UnitPage.objects.get(pk=tree["choir"].pk).unpublish()
    html = client.get("/en/units/").content.decode()
    assert "Student Choir" not in html


# --- Unit page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "intro", "child"),
    [
        (
            "nb",
            "Fakultet for naturvitenskap",
            "Om Fakultet for naturvitenskap.",
            "Institutt for fysikk",
        ),
        (
            "en",
            "Faculty of Natural Sciences",
            "About Faculty of Natural Sciences.",
            "Department of Physics",
        ),
    ],
)
def test_unit_page_renders_in_each_language_with_its_child_units(
    client, tree, lang, title, intro, child
):
    response = client.get(_page_url(tree["faculty_a"], lang))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert title in html and intro in html
    assert child in html
    assert _page_url(tree["council_a"], lang) in html


def test_unit_page_shows_the_section_for_international_students(client, tree):
    html = client.get(_page_url(tree["buddies"], "en")).content.decode()
    assert "For international students" in html
    assert "Norwegian and English" in html
    assert "Come to a meeting." in html


def test_unit_page_names_its_faculty(client, tree):
    html = client.get(_page_url(tree["line_a"], "en")).content.decode()
    assert f'href="{_page_url(tree["faculty_a"], "en")}"' in html


def test_unit_page_shows_a_notice_when_not_confirmed_for_a_year(client, tree):
    _make_stale(tree["choir"])
    html = client.get(_page_url(tree["choir"], "en")).content.decode()
    assert "This unit may no longer be active." in html


def test_unit_page_confirmed_recently_has_no_notice(client, tree):
    html = client.get(_page_url(tree["choir"], "en")).content.decode()
    assert "may no longer be active" not in html


def test_unit_page_shows_no_events_section_without_events(client, tree):
    html = client.get(_page_url(tree["choir"], "en")).content.decode()
    assert "Upcoming events" not in html


def test_unit_page_lists_events_from_the_registered_provider(client, tree, monkeypatch):
    home = tree["home"]

    def provider():
        return UpcomingEventsProvider(
            fetch=lambda *, unit, limit: [home] if unit.pk == tree["choir"].pk else []
        )

    hooks_only(monkeypatch, UPCOMING_EVENTS, provider)
    html = client.get(_page_url(tree["choir"], "en")).content.decode()
    assert "Upcoming events" in html
    other = client.get(_page_url(tree["buddies"], "en")).content.decode()
    assert "Upcoming events" not in other


def _starting(page, days):
    page = UnitPage.objects.get(pk=page.pk)
    page.start_at = timezone.now() + datetime.timedelta(days=days)
    return page


def test_the_events_of_two_providers_are_merged_soonest_first(client, tree, monkeypatch):
    first = [_starting(tree["faculty_a"], 1), _starting(tree["faculty_b"], 5)]
    second = [_starting(tree["buddies"], 3)]

    def fetching(events):
        return lambda *, unit, limit: events if unit.pk == tree["choir"].pk else []

    def provider_a():
        return UpcomingEventsProvider(
            fetch=fetching(first), template_name="units/includes/upcoming_events.html"
        )

    def provider_b():
        return UpcomingEventsProvider(
            fetch=fetching(second), template_name="activities/includes/unit_upcoming_events.html"
        )

    hooks_only(monkeypatch, UPCOMING_EVENTS, provider_a, provider_b)
    html = client.get(_page_url(tree["choir"], "en")).content.decode()
    section = html[html.index("Upcoming events") :]
    links = [_link(page) for page in (first[0], second[0], first[1])]
    assert all(link in section for link in links)
    assert [section.index(link) for link in links] == sorted(section.index(link) for link in links)


def test_unit_page_asks_an_anonymous_reader_to_log_in_to_follow(client, tree):
    html = client.get(_page_url(tree["choir"], "en")).content.decode()
    assert "Log in to follow this unit" in html
    assert 'name="csrfmiddlewaretoken"' not in html


def test_unit_page_offers_a_student_to_follow_and_unfollow(client, tree):
    student = UserFactory()
    client.force_login(student)
    url = _page_url(tree["choir"], "en")
    assert (
        f'action="{_url("unit_follow", "en", tree["choir"].pk)}"'
        in client.get(url).content.decode()
    )
    follow_create(user=student, unit=tree["choir"])
    assert (
        f'action="{_url("unit_unfollow", "en", tree["choir"].pk)}"'
        in client.get(url).content.decode()
    )


# --- Follows -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_student_follows_a_unit(client, tree, lang):
    student = UserFactory()
    client.force_login(student)
    unit_url = _page_url(tree["choir"], lang)
    response = client.post(_url("unit_follow", lang, tree["choir"].pk), {"next": unit_url})
    assert response.status_code == 302
    assert response["Location"] == unit_url
    assert Follow.objects.filter(user=student, unit=tree["choir"]).exists()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_student_unfollows_a_unit(client, tree, lang):
    student = UserFactory()
    follow_create(user=student, unit=tree["choir"])
    client.force_login(student)
    response = client.post(_url("unit_unfollow", lang, tree["choir"].pk))
    assert response.status_code == 302
    assert not Follow.objects.filter(user=student).exists()


def test_follow_requires_a_csrf_token(tree):
    student = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(_url("unit_follow", "en", tree["choir"].pk))
    assert response.status_code == 403
    assert not Follow.objects.filter(user=student).exists()


def test_unfollow_requires_a_csrf_token(tree):
    student = UserFactory()
    follow_create(user=student, unit=tree["choir"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    response = client.post(_url("unit_unfollow", "en", tree["choir"].pk))
    assert response.status_code == 403
    assert Follow.objects.filter(user=student).exists()


def test_follow_is_post_only(client, tree):
    client.force_login(UserFactory())
    assert client.get(_url("unit_follow", "en", tree["choir"].pk)).status_code == 405


def test_anonymous_follow_is_sent_to_log_in(client, tree):
    response = client.post(_url("unit_follow", "en", tree["choir"].pk))
    assert response.status_code == 302
    assert _url("account_login", "en") in response["Location"]
    assert Follow.objects.count() == 0


def test_following_an_unpublished_unit_is_not_found(client, tree):
    UnitPage.objects.get(pk=tree["choir"].pk).unpublish()
    client.force_login(UserFactory())
    assert client.post(_url("unit_follow", "en", tree["choir"].pk)).status_code == 404
    assert Follow.objects.count() == 0


def test_follow_does_not_redirect_to_another_site(client, tree):
    client.force_login(UserFactory())
    response = client.post(
        _url("unit_follow", "en", tree["choir"].pk), {"next": "https://evil.example/"}
    )
    assert response["Location"] == _page_url(tree["choir"], "en")


# --- My connections ----------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "heading"), [("nb", "My connections"), ("en", "My connections")])
def test_connections_list_what_the_student_follows(client, tree, lang, heading):
    student = UserFactory()
    follow_create(user=student, unit=tree["choir"])
    follow_create(user=student, unit=tree["line_a"])
    client.force_login(student)
    response = client.get(_url("unit_connections", lang))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert _page_url(tree["choir"], lang) in html
    assert _page_url(tree["line_a"], lang) in html
    assert _page_url(tree["buddies"], lang) not in html
    assert f'action="{_url("unit_unfollow", lang, tree["choir"].pk)}"' in html


def test_connections_show_only_the_students_own_follows(client, tree):
    follow_create(user=UserFactory(), unit=tree["buddies"])
    client.force_login(UserFactory())
    html = client.get(_url("unit_connections", "en")).content.decode()
    assert _page_url(tree["buddies"], "en") not in html
    assert "You do not follow any unit yet." in html


def test_connections_need_a_login(client, tree):
    response = client.get(_url("unit_connections", "en"))
    assert response.status_code == 302
    assert _url("account_login", "en") in response["Location"]
