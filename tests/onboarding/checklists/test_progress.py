"""Ticking items off: only one's own plan, and progress that survives edits of the checklist."""

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.checklists.models import ChecklistItem, ChecklistPage, ItemProgress
from onboarding.checklists.selectors import plan_get
from onboarding.checklists.services import ChecklistError, progress_tick, progress_untick

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist(tree):
    return checklist_create(
        tree["faculty_a"],
        items=[item_spec("Meet your coordinator", 2), item_spec("Course registration", 5)],
    )


@pytest.fixture
def student(tree, checklist):
    return student_create(faculty=tree["faculty_a"])


def first_item(checklist):
    return checklist.items.order_by("sort_order").first()


def done_titles(user):
    return [entry.item.title_en for entry in plan_get(user=user).items if entry.done]


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


# --- Services ----------------------------------------------------------------------------


def test_tick_marks_the_item_done(student, checklist):
    progress_tick(student=student, item=first_item(checklist))
    assert done_titles(student) == ["Meet your coordinator"]


def test_untick_marks_it_not_done(student, checklist):
    item = first_item(checklist)
    progress_tick(student=student, item=item)
    assert progress_untick(student=student, item=item) is True
    assert done_titles(student) == []


def test_untick_of_an_item_not_done_changes_nothing(student, checklist):
    assert progress_untick(student=student, item=first_item(checklist)) is False


def test_ticking_twice_keeps_the_first_time(student, checklist):
    item = first_item(checklist)
    first = progress_tick(student=student, item=item)
    again = progress_tick(student=student, item=item)
    assert again.pk == first.pk
    assert ItemProgress.objects.filter(student=student).count() == 1


def test_an_item_of_another_faculty_cannot_be_ticked(tree, student):
    other = checklist_create(tree["faculty_b"], items=[item_spec("Humanities welcome", 1)])
    with pytest.raises(ChecklistError) as error:
        progress_tick(student=student, item=first_item(other))
    assert error.value.code == "not_in_plan"
    assert not ItemProgress.objects.exists()


def test_an_item_for_another_status_cannot_be_ticked(tree, student):
    phd = checklist_create(tree["faculty_a"], statuses=["phd"], items=[item_spec("Contract", 1)])
    with pytest.raises(ChecklistError) as error:
        progress_tick(student=student, item=first_item(phd))
    assert error.value.code == "not_in_plan"


def test_a_person_without_profile_cannot_tick(checklist, user):
    with pytest.raises(ChecklistError) as error:
        progress_tick(student=user, item=first_item(checklist))
    assert error.value.code == "not_in_plan"


def test_one_students_tick_is_not_anothers(tree, student, checklist):
    other = student_create(faculty=tree["faculty_a"])
    progress_tick(student=student, item=first_item(checklist))
    assert done_titles(other) == []


# --- Views ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_tick_view_redirects_to_the_item_on_the_plan(client, student, checklist, language):
    item = first_item(checklist)
    client.force_login(student)
    response = client.post(url("arrival_plan_tick", language, item_id=item.pk))
    assert response.status_code == 302
    assert response.url == url("arrival_plan", language) + f"#item-{item.pk}"
    assert done_titles(student) == ["Meet your coordinator"]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_untick_view_marks_it_not_done(client, student, checklist, language):
    item = first_item(checklist)
    progress_tick(student=student, item=item)
    client.force_login(student)
    client.post(url("arrival_plan_untick", language, item_id=item.pk))
    assert done_titles(student) == []


def test_tick_view_answers_json_to_scripts(client, student, checklist):
    item = first_item(checklist)
    client.force_login(student)
    response = client.post(
        url("arrival_plan_tick", "en", item_id=item.pk), HTTP_ACCEPT="application/json"
    )
    data = response.json()
    assert data["done"] is True
    assert data["item"] == item.pk
    assert f'id="item-{item.pk}"' in data["item_html"]
    assert "1 of 2 items done" in data["progress_html"]


def test_tick_view_refuses_json_for_an_item_outside_the_plan(client, tree, student):
    other = checklist_create(tree["faculty_b"], items=[item_spec("Humanities welcome", 1)])
    client.force_login(student)
    response = client.post(
        url("arrival_plan_tick", "en", item_id=first_item(other).pk),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"] == "not_in_plan"


def test_a_student_cannot_tick_another_facultys_item_through_the_view(client, tree, student):
    other = checklist_create(tree["faculty_b"], items=[item_spec("Humanities welcome", 1)])
    client.force_login(student)
    response = client.post(url("arrival_plan_tick", "en", item_id=first_item(other).pk))
    assert response.status_code == 302
    assert not ItemProgress.objects.exists()


def test_ticking_acts_only_on_the_logged_in_students_progress(client, tree, student, checklist):
    other = student_create(faculty=tree["faculty_a"])
    item = first_item(checklist)
    progress_tick(student=other, item=item)
    client.force_login(student)
    client.post(url("arrival_plan_untick", "en", item_id=item.pk))
    assert done_titles(other) == ["Meet your coordinator"]


def test_anonymous_tick_is_sent_to_log_in(client, checklist):
    response = client.post(url("arrival_plan_tick", "en", item_id=first_item(checklist).pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")
    assert not ItemProgress.objects.exists()


def test_tick_needs_post(client, student, checklist):
    client.force_login(student)
    response = client.get(url("arrival_plan_tick", "en", item_id=first_item(checklist).pk))
    assert response.status_code == 405


def test_tick_of_an_unknown_item_is_404(client, student):
    client.force_login(student)
    assert client.post(url("arrival_plan_tick", "en", item_id=999999)).status_code == 404


# --- Edits of the checklist -----------------------------------------------------------------


def republish(checklist, change):
    """Change the items as an editor would (``change`` gets and returns the list) and publish."""
    page = ChecklistPage.objects.get(pk=checklist.pk).get_latest_revision_as_object()
    items = list(page.items.order_by("sort_order"))
    page.items = change(items)
    page.save_revision().publish()


def test_rewording_an_item_keeps_it_ticked(student, checklist):
    item = first_item(checklist)
    progress_tick(student=student, item=item)

    def reword(items):
        items[0].title_en, items[0].title_nb = "Meet your international coordinator", "Møt dem"
        return items

    republish(checklist, reword)
    assert ChecklistItem.objects.get(pk=item.pk).title_en == "Meet your international coordinator"
    assert done_titles(student) == ["Meet your international coordinator"]


def test_moving_an_item_keeps_it_ticked(student, checklist):
    item = first_item(checklist)
    progress_tick(student=student, item=item)

    def reorder(items):
        items[0].sort_order, items[1].sort_order = 1, 0
        items[0].due_offset_days = 9
        return items

    republish(checklist, reorder)
    assert ChecklistItem.objects.get(pk=item.pk).due_offset_days == 9
    assert done_titles(student) == ["Meet your coordinator"]


def test_removing_an_item_drops_it_and_its_progress(student, checklist):
    item = first_item(checklist)
    progress_tick(student=student, item=item)
    republish(checklist, lambda items: [i for i in items if i.pk != item.pk])
    assert [e.item.title_en for e in plan_get(user=student).items] == ["Course registration"]
    assert not ItemProgress.objects.filter(item_id=item.pk).exists()


def test_adding_an_item_keeps_the_others_ticked(student, checklist):
    item = first_item(checklist)
    progress_tick(student=student, item=item)
    new = ChecklistItem(title_nb="Ny", title_en="New", due_offset_days=1, sort_order=2)
    republish(checklist, lambda items: [*items, new])
    assert [e.item.title_en for e in plan_get(user=student).items] == [
        "New",
        "Meet your coordinator",
        "Course registration",
    ]
    assert done_titles(student) == ["Meet your coordinator"]


def test_a_draft_rewording_changes_nothing_until_published(student, checklist):
    item = first_item(checklist)
    page = ChecklistPage.objects.get(pk=checklist.pk)
    items = list(page.items.order_by("sort_order"))
    items[0].title_en = "Draft wording"
    page.items = items
    page.save_revision()
    assert ChecklistItem.objects.get(pk=item.pk).title_en == "Meet your coordinator"


def test_unpublishing_the_checklist_drops_its_items_from_the_plan(student, checklist):
    progress_tick(student=student, item=first_item(checklist))
    ChecklistPage.objects.get(pk=checklist.pk).unpublish()
    assert plan_get(user=student).items == []
