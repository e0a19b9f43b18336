"""Editing a checklist in the Wagtail admin: item ids survive publishing, so do the ticks."""

from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from onboarding.checklists.models import ChecklistItem, ChecklistPage, ItemProgress
from onboarding.checklists.services import progress_tick
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import mfa_enable

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The values a browser would post from the page's edit form."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea, self._in_form = {}, None, None, False
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "page-edit-form":
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.data[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select, self._multiple = name, "multiple" in attrs
            if not self._multiple:
                self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            if self._multiple:
                self.data.setdefault(self._select, []).append(attrs.get("value", ""))
            else:
                self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def edit_form(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.data


@pytest.fixture
def setup(tree):
    checklist = checklist_create(
        tree["faculty_a"],
        items=[item_spec(("Møt koordinatoren", "Meet your coordinator"), 2), item_spec("Other", 5)],
    )
    student = student_create(faculty=tree["faculty_a"])
    item = checklist.items.get(due_offset_days=2)
    progress_tick(student=student, item=item)
    editor = mfa_enable(UserFactory(language="en"))
    unit_editor_add(unit=tree["faculty_a"], user=editor)
    return {"checklist": checklist, "item": item, "student": student, "editor": editor}


def test_publishing_a_reworded_item_through_the_admin_keeps_its_id_and_tick(client, setup):
    client.force_login(setup["editor"])
    data = edit_form(client, setup["checklist"])
    prefix = next(
        k[: -len("-id")]
        for k, v in data.items()
        if k.endswith("-id") and v == str(setup["item"].pk)
    )
    data[f"{prefix}-title_en"] = "Meet your international coordinator"
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[setup["checklist"].pk]), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    item = ChecklistItem.objects.get(pk=setup["item"].pk)
    assert item.title_en == "Meet your international coordinator"
    assert ItemProgress.objects.filter(item=item, student=setup["student"]).exists()


def test_deleting_an_item_through_the_admin_drops_its_ticks(client, setup):
    client.force_login(setup["editor"])
    data = edit_form(client, setup["checklist"])
    prefix = next(
        k[: -len("-id")]
        for k, v in data.items()
        if k.endswith("-id") and v == str(setup["item"].pk)
    )
    data[f"{prefix}-DELETE"] = "1"
    data["action-publish"] = "action-publish"
    client.post(reverse("wagtailadmin_pages:edit", args=[setup["checklist"].pk]), data)
    assert not ChecklistItem.objects.filter(pk=setup["item"].pk).exists()
    assert not ItemProgress.objects.exists()


def test_publishing_refuses_an_item_without_its_english_title(client, setup):
    client.force_login(setup["editor"])
    data = edit_form(client, setup["checklist"])
    prefix = next(
        k[: -len("-id")]
        for k, v in data.items()
        if k.endswith("-id") and v == str(setup["item"].pk)
    )
    data[f"{prefix}-title_en"] = ""
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[setup["checklist"].pk]), data)
    assert response.status_code == 200
    assert ChecklistItem.objects.get(pk=setup["item"].pk).title_en == "Meet your coordinator"


def test_an_editor_of_another_faculty_cannot_edit_the_checklist(client, setup, tree):
    other = mfa_enable(UserFactory())
    unit_editor_add(unit=tree["faculty_b"], user=other)
    client.force_login(other)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[setup["checklist"].pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert [str(m).strip() for m in get_messages(response.wsgi_request)] == [
        "Sorry, you do not have permission to access this area."
    ]
    assert "Meet your coordinator" not in response.content.decode()


def test_checklists_go_under_the_section_faculties_and_departments_only(tree):
    assert ChecklistPage.can_create_at(tree["faculty_a"])
    assert ChecklistPage.can_create_at(tree["department_a"])
    assert ChecklistPage.can_create_at(tree["section"])
    assert not ChecklistPage.can_create_at(tree["line_a"])
    assert not ChecklistPage.can_create_at(tree["choir"])


def test_a_coordinator_adds_a_fixed_date_targeted_item_with_an_upload(client, setup):
    client.force_login(setup["editor"])
    data = edit_form(client, setup["checklist"])
    total = int(data["items-TOTAL_FORMS"])
    new = f"items-{total}"
    data["items-TOTAL_FORMS"] = str(total + 1)
    data.update(
        {
            f"{new}-id": "",
            f"{new}-ORDER": str(total + 1),
            f"{new}-title_nb": "Last opp opptaksbrevet",
            f"{new}-title_en": "Upload your admission letter",
            f"{new}-description_nb": "",
            f"{new}-description_en": "",
            f"{new}-due_kind": "fixed",
            f"{new}-due_on": "2026-09-01",
            f"{new}-due_offset_days": "0",
            f"{new}-required": "on",
            f"{new}-asks_document": "on",
            f"{new}-needs_verification": "on",
            f"{new}-target_region": "outside",
            f"{new}-target_statuses": ["international_degree", "phd"],
            f"{new}-target_countries": [],
            f"{new}-target_programme": "",
            f"{new}-link_url": "",
            f"{new}-link_text_nb": "",
            f"{new}-link_text_en": "",
        }
    )
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[setup["checklist"].pk]), data)
    assert response.status_code == 302
    item = ChecklistItem.objects.get(title_en="Upload your admission letter")
    assert (item.due_kind, str(item.due_on)) == ("fixed", "2026-09-01")
    assert item.target_region == "outside"
    assert item.target_statuses == ["international_degree", "phd"]
    assert item.asks_document and item.needs_verification


def test_a_fixed_item_without_its_date_is_refused_in_the_admin(client, setup):
    client.force_login(setup["editor"])
    data = edit_form(client, setup["checklist"])
    prefix = next(
        k[: -len("-id")]
        for k, v in data.items()
        if k.endswith("-id") and v == str(setup["item"].pk)
    )
    data[f"{prefix}-due_kind"] = "fixed"
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[setup["checklist"].pk]), data)
    assert response.status_code == 200
    assert "Give the fixed date" in response.content.decode()
    assert ChecklistItem.objects.get(pk=setup["item"].pk).due_kind == "arrival"
