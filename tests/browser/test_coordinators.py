"""A coordinator's path in Chromium, in both languages: a student sees a fixed-date item meant
for students from outside the EU/EEA and uploads the document it asks for; the coordinator
filters the progress to this semester, verifies the document and reminds the overdue. Axe on
each changed page at 1280 and 320 px."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.checklists.calendar import term_of
from onboarding.checklists.models import (
    AcademicSemester,
    DueKind,
    ItemSubmission,
    OverdueReminder,
    Region,
)
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.checklists.conftest import fast_unit_tree, home_create
from tests.onboarding.checklists.factories import checklist_create, item_spec, student_create
from tests.onboarding.units.factories import mfa_enable

from .helpers import assert_no_axe_violations, db_access, sign_in

pytestmark = pytest.mark.browser

LETTER = {"nb": "Last opp opptaksbrevet", "en": "Upload your admission letter"}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# The site's one-off message list fails axe's listitem rule on every page (see test_arrival).
OUTSIDE_MESSAGES = {"exclude": [[".messages"]]}


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px ({scroll} px)"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_upload_verify_and_remind(page_factory, asgi_server, tmp_path, language):
    tree = fast_unit_tree(home_create())
    today = timezone.localdate()
    year, term = term_of(today)
    AcademicSemester.objects.create(
        year=year, term=term, starts_on=today - datetime.timedelta(days=20)
    )
    checklist = checklist_create(
        tree["faculty_a"],
        title=("Velkommen til fakultetet", "Welcome to the faculty"),
        items=[
            item_spec(
                (LETTER["nb"], LETTER["en"]),
                due_kind=DueKind.FIXED,
                due_on=today + datetime.timedelta(days=5),
                target_region=Region.OUTSIDE,
                asks_document=True,
                needs_verification=True,
            ),
            item_spec(("Møt koordinatoren", "Meet your coordinator"), 2),
        ],
    )
    arrival = today - datetime.timedelta(days=10)
    student = student_create(
        faculty=tree["faculty_a"], arrival=arrival, language=language, home_country="BR"
    )
    student.first_name, student.last_name = "Ana", "Silva"
    student.save()
    european = student_create(
        faculty=tree["faculty_a"], arrival=arrival, language=language, home_country="DE"
    )
    coordinator = mfa_enable(UserFactory(language=language, first_name="Kari"))
    unit_editor_add(unit=tree["faculty_a"], user=coordinator)
    document = tmp_path / "brev.pdf"
    document.write_bytes(PDF)

    # The student: the fixed-date item for students from outside the EU/EEA, and the upload.
    page = sign_in(page_factory(1280), asgi_server, student)
    page.goto(url("arrival_plan", language))
    item = page.locator(".plan-item", has_text=LETTER[language])
    expect(item).to_be_visible()
    assert_no_axe_violations(page)
    item.locator("input[type='file']").set_input_files(str(document))
    item.locator("button[type='submit']").click()
    page.wait_for_load_state()
    with db_access():
        assert ItemSubmission.objects.filter(student=student).count() == 1
    page.reload()
    expect(page.locator(".plan-item", has_text=LETTER[language]).locator(".badge")).to_be_visible()
    assert_no_axe_violations(page, context=OUTSIDE_MESSAGES)
    narrow = sign_in(page_factory(320), asgi_server, european)
    narrow.goto(url("arrival_plan", language))
    assert LETTER[language] not in narrow.content()  # not meant for students from the EU/EEA
    assert_no_axe_violations(narrow)
    fits(narrow, 320)

    # The coordinator: this semester's students, the document, the reminder.
    admin = sign_in(page_factory(1280), asgi_server, coordinator)
    progress = reverse("checklists_admin:checklist", args=[checklist.pk])
    admin.goto(f"{progress}?semester={year}-{term}")
    assert student.email in admin.content() and european.email in admin.content()
    assert_no_axe_violations(admin)
    admin.goto(reverse("checklists_admin:checklist_documents", args=[checklist.pk]))
    assert_no_axe_violations(admin)
    admin.locator("button[name='decision'][value='verify']").click()
    admin.wait_for_load_state()
    with db_access():
        assert ItemSubmission.objects.get(student=student).state == "verified"
    admin.goto(f"{progress}?semester={year}-{term}&overdue=1")
    admin.locator("button[name='everyone']").click()
    admin.wait_for_load_state()
    assert_no_axe_violations(admin)  # the confirmation
    with db_access():
        assert not OverdueReminder.objects.exists()
    admin.locator("button[name='confirm']").click()
    admin.wait_for_load_state()
    with db_access():
        reminded = set(OverdueReminder.objects.values_list("student_id", flat=True))
    assert reminded == {student.pk, european.pk}
    small = sign_in(page_factory(320), asgi_server, coordinator)
    small.goto(f"{progress}?semester={year}-{term}")
    assert_no_axe_violations(small)
    small.goto(reverse("checklists_admin:checklist_documents", args=[checklist.pk]) + "?state=all")
    assert_no_axe_violations(small)
