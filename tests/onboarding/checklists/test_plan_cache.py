"""The arrival plan's checklist structure is cached: edits show at once, ticks stay personal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from onboarding.checklists.models import AcademicSemester, ChecklistItem
from onboarding.checklists.services import progress_tick
from tests.caches import shared_cache_fixture  # noqa: F401 (the shared_cache fixture)

from .factories import checklist_create, item_spec, student_create

pytestmark = [pytest.mark.stack, pytest.mark.django_db, pytest.mark.usefixtures("shared_cache")]


def plan_url(language):
    with translation.override(language):
        return reverse("arrival_plan")


def _read(client, language):
    response = client.get(plan_url(language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def checklist(tree):
    return checklist_create(
        tree["section"],
        items=[
            item_spec(("Hent studentkortet", "Collect your student card"), 1),
            item_spec(("Registrer deg hos politiet", "Register with the police"), 5),
        ],
    )


def _student(tree):
    return student_create(faculty=tree["faculty_a"], department=tree["department_a"])


def test_an_edited_item_shows_at_once_in_both_languages(client, tree, checklist):
    client.force_login(_student(tree))
    assert "Collect your student card" in _read(client, "en")
    assert "Hent studentkortet" in _read(client, "nb")
    item = ChecklistItem.objects.get(title_en="Collect your student card")
    item.title_nb, item.title_en = "Hent adgangskortet", "Collect your access card"
    item.save()
    english, norwegian = _read(client, "en"), _read(client, "nb")
    assert "Collect your access card" in english and "student card" not in english
    assert "Hent adgangskortet" in norwegian and "studentkortet" not in norwegian


def test_a_published_checklist_shows_at_once(client, tree, checklist):
    client.force_login(_student(tree))
    _read(client, "en"), _read(client, "nb")
    page = checklist.get_latest_revision_as_object()
    page.items.add(ChecklistItem(title_nb="Åpne en bankkonto", title_en="Open a bank account"))
    page.save_revision().publish()
    assert "Open a bank account" in _read(client, "en")
    assert "Åpne en bankkonto" in _read(client, "nb")


def test_an_unpublished_checklist_leaves_the_plan(client, tree, checklist):
    client.force_login(_student(tree))
    assert "Register with the police" in _read(client, "en")
    checklist.unpublish()
    assert "Register with the police" not in _read(client, "en")
    assert "Registrer deg hos politiet" not in _read(client, "nb")


def test_a_deleted_item_leaves_the_plan(client, tree, checklist):
    client.force_login(_student(tree))
    assert "Register with the police" in _read(client, "en")
    ChecklistItem.objects.get(title_en="Register with the police").delete()
    assert "Register with the police" not in _read(client, "en")
    assert "Registrer deg hos politiet" not in _read(client, "nb")


def test_deleted_semesters_are_not_read_from_the_cache(client, tree, checklist):
    client.force_login(_student(tree))
    _read(client, "en")
    AcademicSemester.objects.all().delete()
    # Nothing cached of the old semesters is left to read.
    from onboarding.checklists.selectors import semesters_all

    assert semesters_all() == []


def test_each_student_sees_only_their_own_ticks(client, tree, checklist):
    ana, ola = _student(tree), _student(tree)
    item = ChecklistItem.objects.get(title_en="Collect your student card")
    progress_tick(student=ana, item=item)
    client.force_login(ola)
    assert "0 of 2 items done" in _read(client, "en")  # Ola fills the cache
    client.force_login(ana)
    assert "1 of 2 items done" in _read(client, "en")
    client.force_login(ola)
    assert "0 of 2 items done" in _read(client, "en")


def test_plan_queries_after_a_first_reader(client, tree):
    checklist_create(
        tree["section"],
        items=[item_spec(f"Item {n}", n - 10) for n in range(40)],
    )
    client.force_login(_student(tree))
    client.get(plan_url("en"))  # the first reader fills the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(plan_url("en"))
    assert response.status_code == 200
    assert len(response.context["plan"].items) == 40
    # 20 before the private sections were remembered (cms.routing): each of the plan's five
    # public() lists read every view restriction.
    assert len(queries) == 15
