"""The coordinators' dashboard: own units only, in the pages, the CSV and the charts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.checklists.services import progress_tick
from onboarding.privacy.models import ExportKind, PersonalDataExport
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import mfa_enable
from tests.shared import fresh, module_transaction

from .factories import checklist_create, item_spec, student_create

pytestmark = pytest.mark.django_db


def _checklists_and_people(tree):
    faculty_a = checklist_create(
        tree["faculty_a"],
        title=("Velkommen til NV", "Welcome to NV"),
        items=[item_spec("Meet your coordinator", 2), item_spec("Lab safety course", 40)],
    )
    faculty_b = checklist_create(
        tree["faculty_b"],
        title=("Velkommen til HF", "Welcome to HF"),
        items=[item_spec("Humanities welcome", 1)],
    )
    section = checklist_create(tree["section"], items=[item_spec("Student card", 1)])
    alice = student_create(
        faculty=tree["faculty_a"],
        department=tree["department_a"],
        arrival=datetime.date(2026, 1, 10),
    )
    alice.first_name, alice.last_name = "Alice", "Amundsen"
    alice.save()
    bob = student_create(faculty=tree["faculty_b"], arrival=datetime.date(2026, 1, 10))
    bob.first_name, bob.last_name = "Bob", "Berg"
    bob.save()
    progress_tick(student=alice, item=faculty_a.items.get(due_offset_days=2))
    coordinator_a = mfa_enable(UserFactory(first_name="Kari"))
    unit_editor_add(unit=tree["faculty_a"], user=coordinator_a)
    coordinator_b = mfa_enable(UserFactory(first_name="Per"))
    unit_editor_add(unit=tree["faculty_b"], user=coordinator_b)
    return {
        "faculty_a": faculty_a,
        "faculty_b": faculty_b,
        "section": section,
        "alice": alice,
        "bob": bob,
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
    }


@pytest.fixture(scope="module")
def _module_setup(_module_tree, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield _checklists_and_people(_module_tree)


@pytest.fixture
def setup(_module_setup, tree):
    """Three checklists, two students and two coordinators, built once for the module."""
    return fresh(_module_setup)


def refused(response):
    """The admin answers a refusal by sending back to its home page with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def index_url():
    return reverse("checklists_admin:index")


def checklist_url(checklist):
    return reverse("checklists_admin:checklist", args=[checklist.pk])


def csv_url(checklist):
    return reverse("checklists_admin:checklist_csv", args=[checklist.pk])


def csv_rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_coordinator_sees_their_facultys_checklist_on_the_dashboard(client, setup):
    client.force_login(setup["coordinator_a"])
    response = client.get(index_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Welcome to NV" in content
    assert "Welcome to HF" not in content


def test_coordinator_of_a_faculty_does_not_see_the_sections_checklist(client, setup):
    client.force_login(setup["coordinator_a"])
    assert setup["section"].title not in client.get(index_url()).content.decode()


def test_coordinator_sees_their_students_progress(client, setup):
    client.force_login(setup["coordinator_a"])
    response = client.get(checklist_url(setup["faculty_a"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert setup["alice"].email in content
    assert "1 / 2" in content


def test_coordinator_of_faculty_a_cannot_open_faculty_bs_checklist(client, setup):
    client.force_login(setup["coordinator_a"])
    assert refused(client.get(checklist_url(setup["faculty_b"])))


def test_coordinator_of_faculty_a_cannot_download_faculty_bs_csv(client, setup):
    client.force_login(setup["coordinator_a"])
    response = client.get(csv_url(setup["faculty_b"]))
    assert refused(response)
    assert setup["bob"].email not in response.content.decode()


def test_csv_lists_only_the_coordinators_students(client, setup):
    client.force_login(setup["coordinator_a"])
    response = client.get(csv_url(setup["faculty_a"]))
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[:2] == ["Name", "Email"]
    assert [row[1] for row in rows] == [setup["alice"].email]
    assert setup["bob"].email not in response.content.decode()
    export = PersonalDataExport.objects.get()
    assert (export.exported_by, export.kind, export.people) == (
        setup["coordinator_a"],
        ExportKind.CHECKLIST_PROGRESS,
        1,
    )


def test_csv_has_a_done_date_per_item(client, setup):
    client.force_login(setup["coordinator_a"])
    header, row = csv_rows(client.get(csv_url(setup["faculty_a"])))
    done = dict(zip(header, row, strict=True))
    assert done["Meet your coordinator"] == timezone.localdate().isoformat()
    assert done["Lab safety course"] == ""
    assert done["Items done"] == "1"


def test_csv_neutralises_formulas_in_names(client, setup):
    setup["alice"].first_name = "=HYPERLINK(1)"
    setup["alice"].save()
    client.force_login(setup["coordinator_a"])
    _header, row = csv_rows(client.get(csv_url(setup["faculty_a"])))
    assert row[0].startswith("'=")


def test_charts_count_only_the_coordinators_students(client, setup, tree):
    # A faculty B student ticked faculty B's item; faculty A's chart knows nothing of it.
    progress_tick(student=setup["bob"], item=setup["faculty_b"].items.get())
    client.force_login(setup["coordinator_a"])
    content = client.get(checklist_url(setup["faculty_a"])).content.decode()
    assert "<svg" in content
    assert 'role="img"' in content
    assert "For each item, the share of the 1 students who have ticked it off." in content
    assert setup["bob"].email not in content
    assert "Humanities welcome" not in content


def test_charts_have_a_text_alternative(client, setup):
    client.force_login(setup["coordinator_a"])
    content = client.get(checklist_url(setup["faculty_a"])).content.decode()
    start = content.index('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    chart = content[start : content.index("</svg>", start)]
    assert "<title" in chart and "<desc" in chart
    assert "Meet your coordinator: 100 % (1/1)" in chart


def test_section_editors_see_every_student_on_the_sections_checklist(client, setup, tree):
    staff = mfa_enable(UserFactory())
    unit_editor_add(unit=tree["section"], user=staff)
    client.force_login(staff)
    content = client.get(checklist_url(setup["section"])).content.decode()
    assert setup["alice"].email in content
    assert setup["bob"].email in content


def test_department_coordinator_sees_only_department_students(client, setup, tree):
    other = student_create(faculty=tree["faculty_a"], department=tree["department_a2"])
    checklist = checklist_create(tree["department_a"], items=[item_spec("Department item", 3)])
    coordinator = mfa_enable(UserFactory())
    unit_editor_add(unit=tree["department_a"], user=coordinator)
    client.force_login(coordinator)
    content = client.get(checklist_url(checklist)).content.decode()
    assert setup["alice"].email in content
    assert other.email not in content
    assert refused(client.get(checklist_url(setup["faculty_a"])))


def test_a_student_sees_no_dashboard(client, setup):
    client.force_login(setup["alice"])
    response = client.get(index_url())
    assert response.status_code == 302
    assert not response.url.startswith("/admin/")


def test_a_student_gets_no_csv(client, setup):
    client.force_login(setup["alice"])
    response = client.get(csv_url(setup["faculty_a"]))
    assert response.status_code == 302
    assert not response.url.startswith("/admin/")
    assert b"Alice" not in response.content
    assert not PersonalDataExport.objects.exists()


def test_an_editor_of_a_volunteer_group_gets_403(client, setup, tree):
    editor = mfa_enable(UserFactory())
    unit_editor_add(unit=tree["choir"], user=editor)
    client.force_login(editor)
    assert refused(client.get(index_url()))
    assert refused(client.get(checklist_url(setup["faculty_a"])))
    assert refused(client.get(csv_url(setup["faculty_a"])))


def test_anonymous_is_sent_to_log_in(client, setup):
    response = client.get(index_url())
    assert response.status_code == 302
    assert setup["alice"].email not in response.content.decode()


def test_the_menu_shows_the_dashboard_to_coordinators_only(client, setup, tree):
    client.force_login(setup["coordinator_a"])
    assert index_url() in client.get(reverse("wagtailadmin_home")).content.decode()
    editor = mfa_enable(UserFactory())
    unit_editor_add(unit=tree["choir"], user=editor)
    client.force_login(editor)
    assert index_url() not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_only_overdue_filter(client, setup):
    client.force_login(setup["coordinator_a"])
    content = client.get(checklist_url(setup["faculty_a"]) + "?overdue=1").content.decode()
    # Alice arrived in January: the lab course (day 40) is overdue.
    assert setup["alice"].email in content


def test_international_staff_see_every_checklist(client, setup):
    staff = mfa_enable(UserFactory())
    international_staff_add(user=staff)
    client.force_login(staff)
    content = client.get(index_url()).content.decode()
    assert "Welcome to NV" in content
    assert "Welcome to HF" in content
