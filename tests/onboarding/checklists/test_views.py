"""The plan page, "Your people", the checklist page, the gap check and the plan's query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from onboarding.checklists.gaps import checklist_items_without_role
from onboarding.checklists.people import CourseSuggestion, plan_people
from onboarding.hooks import ARRIVAL_PLAN_COURSES
from onboarding.responsibilities.models import Assignment, ResponsibilityArea
from onboarding.responsibilities.selectors import responsibility_gaps
from onboarding.units.services import follow_create
from tests.hooks import hooks_only

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def student(tree):
    checklist_create(
        tree["section"],
        items=[
            item_spec(("Hent studentkortet", "Collect your student card"), 1),
            item_spec(("Registrer deg hos politiet", "Register with the police"), -100),
        ],
    )
    return student_create(
        faculty=tree["faculty_a"],
        department=tree["department_a"],
        arrival=datetime.date.today(),
        interests=["music", "outdoors"],
        norwegian_level="A2",
        programme="Physics",
    )


@pytest.fixture
def default_course(monkeypatch):
    """The built-in course suggestion, whatever provider another app registered."""
    hooks_only(monkeypatch, ARRIVAL_PLAN_COURSES)


# --- The plan page ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_plan_page_in_both_languages(client, student, language):
    client.force_login(student)
    response = client.get(url("arrival_plan", language))
    assert response.status_code == 200
    content = response.content.decode()
    expected = "Hent studentkortet" if language == "nb" else "Collect your student card"
    assert expected in content
    assert f'lang="{language}"' in content


def test_plan_page_marks_overdue_items_in_words(client, student):
    client.force_login(student)
    content = client.get(url("arrival_plan", "en")).content.decode()
    item = content[content.index("Register with the police") - 600 :]
    assert "plan-item--overdue" in item[:700]
    assert "1 item is overdue." in content


def test_plan_page_shows_who_helps(client, student, tree):
    client.force_login(student)
    content = client.get(url("arrival_plan", "en")).content.decode()
    assert "Who helps" in content
    assert tree["section"].title_en in content


def test_plan_page_without_profile_asks_for_it(client, user, tree):
    client.force_login(user)
    response = client.get(url("arrival_plan", "en"))
    assert response.status_code == 302
    assert response.url.startswith(url("profile_edit", "en"))


def test_plan_page_needs_login(client, tree):
    response = client.get(url("arrival_plan", "en"))
    assert response.status_code == 302
    assert "next=" in response.url


def test_plan_page_shows_only_the_logged_in_students_plan(client, student, tree):
    other = student_create(faculty=tree["faculty_b"], programme="Secret programme")
    client.force_login(other)
    content = client.get(url("arrival_plan", "en")).content.decode()
    assert tree["faculty_b"].title_en in content
    assert tree["department_a"].title_en not in content


@pytest.mark.parametrize("language", ["nb", "en"])
def test_checklist_page_lists_its_items(client, tree, language):
    checklist = checklist_create(
        tree["faculty_a"], items=[item_spec(("Møt koordinatoren", "Meet your coordinator"), -3)]
    )
    with translation.override(language):
        path = checklist.get_url()
    response = client.get(path)
    assert response.status_code == 200
    expected = "Møt koordinatoren" if language == "nb" else "Meet your coordinator"
    assert expected in response.content.decode()


# --- Your people --------------------------------------------------------------------------------


def test_people_are_the_faculty_department_council_and_line_association(student, tree):
    people = plan_people(profile=student.student_profile, user=student)
    assert [p.unit for p in people.faculty] == [tree["faculty_a"]]
    assert [p.unit for p in people.department] == [tree["department_a"]]
    assert [p.unit for p in people.student_council] == [tree["council_a"]]
    assert [p.unit for p in people.line_associations] == [tree["line_a"]]


def test_volunteer_groups_follow_the_interests(student, tree):
    people = plan_people(profile=student.student_profile, user=student)
    assert {p.unit for p in people.volunteer_groups} == {tree["choir"], tree["hikers"]}


def test_no_interests_no_volunteer_groups(tree):
    student = student_create(faculty=tree["faculty_a"])
    people = plan_people(profile=student.student_profile, user=student)
    assert people.volunteer_groups == []
    assert people.has_interests is False


def test_people_know_what_the_student_follows(student, tree):
    follow_create(user=student, unit=tree["line_a"])
    people = plan_people(profile=student.student_profile, user=student)
    assert people.line_associations[0].followed is True
    assert people.faculty[0].followed is False


def test_default_course_is_the_next_level_at_the_language_centre(student, tree, default_course):
    (course,) = plan_people(profile=student.student_profile, user=student).courses
    assert course.unit == tree["language_centre"]
    assert "(B1)" in str(course.title)


def test_default_course_for_a_beginner_is_a1(tree, default_course):
    student = student_create(faculty=tree["faculty_a"])
    (course,) = plan_people(profile=student.student_profile, user=student).courses
    assert "(A1)" in str(course.title)


def test_a_registered_course_provider_is_asked_first(student, monkeypatch):
    def provider(*, profile, request):
        return CourseSuggestion(title="Norsk B1, høst", text=f"Level {profile.norwegian_level}")

    hooks_only(monkeypatch, ARRIVAL_PLAN_COURSES, provider)
    (course,) = plan_people(profile=student.student_profile, user=student).courses
    assert (course.title, course.text) == ("Norsk B1, høst", "Level A2")


def test_every_course_provider_contributes_to_the_plan(client, student, tree, monkeypatch):
    def autumn(*, profile, request):
        return CourseSuggestion(title="Norsk B1, høst", text="Autumn", unit=tree["language_centre"])

    def nothing(*, profile, request):
        return None

    def summer(*, profile, request):
        return CourseSuggestion(title="Summer school Norwegian", text="Summer")

    hooks_only(monkeypatch, ARRIVAL_PLAN_COURSES, autumn, nothing, summer)
    courses = plan_people(profile=student.student_profile, user=student).courses
    assert [course.title for course in courses] == ["Norsk B1, høst", "Summer school Norwegian"]

    client.force_login(student)
    for language, heading in (("nb", "Norskkursene dine"), ("en", "Your Norwegian courses")):
        content = client.get(url("arrival_plan", language)).content.decode()
        assert heading in content
        assert "Norsk B1, høst" in content and "Summer school Norwegian" in content


def test_one_course_has_a_singular_heading(client, student, monkeypatch):
    def autumn(*, profile, request):
        return CourseSuggestion(title="Norsk B1, høst", text="Autumn")

    hooks_only(monkeypatch, ARRIVAL_PLAN_COURSES, autumn)
    client.force_login(student)
    for language, heading in (("nb", "Norskkurset ditt"), ("en", "Your Norwegian course<")):
        assert heading in client.get(url("arrival_plan", language)).content.decode()


def test_following_from_the_plan_comes_back_to_the_plan(client, student, tree):
    client.force_login(student)
    plan_url = url("arrival_plan", "en")
    response = client.post(
        reverse("unit_follow", kwargs={"unit_id": tree["line_a"].pk}), {"next": plan_url}
    )
    assert response.url == plan_url
    people = plan_people(profile=student.student_profile, user=student)
    assert people.line_associations[0].followed


# --- The gap report --------------------------------------------------------------------------


@pytest.fixture
def area(db):
    area = ResponsibilityArea(name_nb="Ankomst", name_en="Arrival")
    area.save()
    return area


def test_gap_when_the_responsible_unit_has_no_r_or_a(tree, area):
    checklist_create(tree["faculty_a"], items=[item_spec("Meet", 1, area=area)])
    (gap,) = list(checklist_items_without_role())
    assert gap.code == "checklist_item_without_role"
    assert gap.level == "faculty"
    assert gap in responsibility_gaps()


def test_no_gap_when_the_unit_is_responsible(tree, area):
    Assignment.objects.create(area=area, level="faculty", role="R", unit_kind="faculty")
    checklist_create(tree["faculty_a"], items=[item_spec("Meet", 1, area=area)])
    assert list(checklist_items_without_role()) == []


def test_a_role_at_another_level_does_not_count(tree, area):
    Assignment.objects.create(area=area, level="university", role="A", unit=tree["language_centre"])
    checklist_create(
        tree["department_a"],
        items=[item_spec("Course", 1, area=area, responsible_unit=tree["language_centre"])],
    )
    assert list(checklist_items_without_role()) == []
    Assignment.objects.all().delete()
    Assignment.objects.create(area=area, level="faculty", role="A", unit=tree["language_centre"])
    assert len(list(checklist_items_without_role())) == 1


def test_items_without_an_area_are_not_gaps(tree):
    checklist_create(tree["faculty_a"], items=[item_spec("Meet", 1)])
    assert list(checklist_items_without_role()) == []


# --- Queries ------------------------------------------------------------------------------------


def _plan_queries(client, tree, count):
    checklist_create(
        tree["section"],
        items=[
            item_spec(f"Item {n}", n - 10, responsible_unit=tree["language_centre"])
            for n in range(count)
        ],
    )
    student = student_create(faculty=tree["faculty_a"], department=tree["department_a"])
    client.force_login(student)
    path = url("arrival_plan", "en")
    client.get(path)  # warm caches (site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.stack
def test_plan_page_queries_do_not_grow_with_items(client, tree, django_db_blocker):
    few = _plan_queries(client, tree, 5)
    from onboarding.checklists.models import ChecklistPage

    ChecklistPage.objects.all().delete()
    many = _plan_queries(client, tree, 50)
    assert many == few
