"""The staff overview of students abroad now: who sees whom, the figures, tables and charts, the
filters, the CSV for crisis use (permission, reason, the export log), both languages; and the
programmes' courses in the admin."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onboarding.exchange.models import StudentProgramme
from onboarding.privacy.models import ExportKind, PersonalDataExport
from onboarding.stays.selectors.overview import abroad_figures, abroad_rows
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import mfa_enable

from .factories import stay_make
from .registry_builders import course_make

pytestmark = pytest.mark.django_db

INDEX = "stays_overview:index"
CSV_URL = "stays_overview:csv"
ADMIN_DENIED = "Sorry, you do not have permission to access this area."
TODAY = datetime.date.today()


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(mfa_enable(user))
    return client


def denied(response):
    return response.status_code == 403 or (
        response.status_code == 302
        and any(ADMIN_DENIED in str(m) for m in get_messages(response.wsgi_request))
    )


def listed(response):
    return {int(pk) for pk in re.findall(r'<tr data-stay="(\d+)"', response.content.decode())}


@pytest.fixture
def abroad(tree):
    """Stays overlapping today of a CS student (IT faculty), a nurse (Health) and a student
    without a programme; one that ended yesterday and one that starts tomorrow."""
    loner = UserFactory(email="loner@example.test")
    return {
        "cs": stay_make(
            tree["cs_student"], city="Valencia", country="ES", local_phone="+34 600 111 222"
        ),
        "nurse": stay_make(tree["nurse"], city="Lund", country="SE"),
        "loner": stay_make(loner, city="Madrid", country="ES"),
        "ended": stay_make(
            tree["student"],
            city="Paris",
            country="FR",
            starts_on=TODAY - datetime.timedelta(days=90),
            ends_on=TODAY - datetime.timedelta(days=1),
        ),
        "upcoming": stay_make(
            tree["other_student"],
            city="Rome",
            country="IT",
            starts_on=TODAY + datetime.timedelta(days=1),
            ends_on=TODAY + datetime.timedelta(days=90),
        ),
        "loner_user": loner,
    }


# --- Who sees whom -----------------------------------------------------------------------------


def test_staff_see_every_student_abroad_today(client, tree, abroad):
    response = login(client, tree["staff"]).get(reverse(INDEX))
    assert response.status_code == 200
    assert listed(response) == {abroad[k].pk for k in ("cs", "nurse", "loner")}


def test_a_faculty_sees_only_its_own_programmes_students(client, tree, abroad):
    assert listed(login(client, tree["it_editor"]).get(reverse(INDEX))) == {abroad["cs"].pk}
    assert listed(login(client, tree["health_editor"]).get(reverse(INDEX))) == {abroad["nurse"].pk}
    # The department's editor sees its own programme's students too.
    assert listed(login(client, tree["cs_adviser"]).get(reverse(INDEX))) == {abroad["cs"].pk}
    # Asking for another faculty shows nothing of it.
    response = client.get(reverse(INDEX), {"faculty": tree["health"].pk})
    assert listed(response) == {abroad["cs"].pk}


def test_people_without_a_faculty_are_kept_out(client, tree, abroad):
    section_editor = UserFactory()
    unit_editor_add(unit=tree["section"], user=section_editor)
    assert denied(login(client, section_editor).get(reverse(INDEX)))
    client.force_login(tree["cs_student"])
    response = client.get(reverse(INDEX))
    assert response.status_code == 302 and not response["Location"].startswith("/admin/")


def test_the_menu_shows_the_overview_to_those_who_may_see_it(client, tree):
    menu = login(client, tree["it_editor"]).get(reverse("wagtailadmin_home")).content.decode()
    assert "/admin/stays-abroad/overview/" in menu


# --- Figures, charts, filters ------------------------------------------------------------------


def test_the_figures_count_each_student_once_by_country_and_faculty(tree, abroad):
    stay_make(tree["cs_student"], city="Madrid", country="ES")  # a second stay now, in Spain
    figures = abroad_figures(abroad_rows(user=tree["staff"]), no_faculty_label="none")
    assert figures.total == 3
    assert [(g.key, g.students) for g in figures.by_country] == [("ES", 2), ("SE", 1)]
    faculties = {g.label: g.students for g in figures.by_faculty}
    assert faculties == {
        "Faculty of Information Technology": 1,
        "Faculty of Health Sciences": 1,
        "none": 1,
    }


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Students abroad now, by country", "3 students abroad on", "Spain"]),
        ("nb", ["Studenter i utlandet nå, etter land", "3 studenter i utlandet", "Spania"]),
    ],
)
def test_the_page_shows_tables_and_charts_with_text(client, tree, abroad, language, words):
    body = login(client, tree["staff"], language).get(reverse(INDEX)).content.decode()
    for word in words:
        assert word in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    assert '<desc id="chart-country-desc">' in body
    # The list holds no contacts; the download does.
    assert "+34 600 111 222" not in body


def test_filters_by_country_and_faculty(client, tree, abroad):
    login(client, tree["staff"])
    assert listed(client.get(reverse(INDEX), {"country": "ES"})) == {
        abroad["cs"].pk,
        abroad["loner"].pk,
    }
    assert listed(client.get(reverse(INDEX), {"faculty": tree["it"].pk})) == {abroad["cs"].pk}
    assert listed(client.get(reverse(INDEX), {"faculty": 0})) == {abroad["loner"].pk}
    # A value that is not a choice filters nothing.
    assert client.get(reverse(INDEX), {"country": "ZZ", "faculty": "x"}).status_code == 200


# --- The CSV for crisis use ----------------------------------------------------------------------


def test_the_csv_needs_a_reason_and_records_the_export(client, tree, abroad):
    login(client, tree["staff"])
    refused = client.post(reverse(CSV_URL), {"reason": "  "})
    assert refused.status_code == 400
    assert "crisis use only" in refused.content.decode()
    assert not PersonalDataExport.objects.exists()

    response = client.post(
        reverse(CSV_URL), {"reason": "Flooding in Valencia", "query": "country=ES"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Student" and "Emergency contact's phone" in rows[0]
    assert {row[5] for row in rows[1:]} == {"Valencia", "Madrid"}
    assert "+34 600 111 222" in response.content.decode()
    export = PersonalDataExport.objects.get()
    assert (export.kind, export.reason, export.people, export.exported_by) == (
        ExportKind.STAYS_ABROAD,
        "Flooding in Valencia",
        2,
        tree["staff"],
    )
    assert "Spain" in export.subject


def test_the_csv_needs_the_permission(client, tree, abroad):
    login(client, tree["it_editor"])
    page = client.get(reverse(INDEX)).content.decode()
    assert reverse(CSV_URL) not in page
    assert denied(client.post(reverse(CSV_URL), {"reason": "Flooding"}))
    assert not PersonalDataExport.objects.exists()
    # Given the permission, a faculty downloads its own students only.
    tree["it_editor"].user_permissions.add(Permission.objects.get(codename="export_stays"))
    client.force_login(tree["it_editor"])
    response = client.post(reverse(CSV_URL), {"reason": "Flooding"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == [tree["cs_student"].email]


def test_a_cell_starting_like_a_formula_is_quoted(client, tree):
    stay_make(tree["cs_student"], local_phone="", emergency_name="=HYPERLINK()")
    login(client, tree["staff"])
    response = client.post(reverse(CSV_URL), {"reason": "Drill"})
    assert "'=HYPERLINK()" in response.content.decode("utf-8-sig")


def test_the_csv_speaks_the_reader_s_language(client, tree, abroad):
    login(client, tree["staff"], "nb")
    response = client.post(reverse(CSV_URL), {"reason": "Flom"})
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Student,E-post")


# --- Programme courses in the admin ----------------------------------------------------------


def test_staff_and_the_programme_s_unit_keep_its_courses(client, tree):
    cs_course = course_make(tree["cs_programme"], code="DAT500")
    nursing = course_make(tree["health_programme"], code="SYK400")
    snippets = "wagtailsnippets_stays_programmecourse"
    login(client, tree["staff"])
    body = client.get(reverse(f"{snippets}:list")).content.decode()
    assert "DAT500" in body and "SYK400" in body
    login(client, tree["it_editor"])
    body = client.get(reverse(f"{snippets}:list")).content.decode()
    assert "DAT500" in body and "SYK400" not in body
    assert client.get(reverse(f"{snippets}:edit", args=[cs_course.pk])).status_code == 200
    assert denied(client.get(reverse(f"{snippets}:edit", args=[nursing.pk])))
    add = client.get(reverse(f"{snippets}:add")).content.decode()
    assert "Computer Science" in add and "Nursing" not in add
    section_editor = UserFactory()
    unit_editor_add(unit=tree["section"], user=section_editor)
    assert denied(login(client, section_editor).get(reverse(f"{snippets}:list")))


def test_a_student_s_programme_decides_their_faculty(tree, abroad):
    StudentProgramme.objects.filter(user=tree["cs_student"]).update(
        programme=tree["health_programme"]
    )
    (row,) = [r for r in abroad_rows(user=tree["staff"]) if r.stay == abroad["cs"]]
    assert row.faculty == tree["health"]
    assert timezone.localdate() == TODAY


def test_the_overview_costs_the_same_queries_for_few_stays_and_many(client, tree, abroad):
    login(client, tree["staff"])
    client.get(reverse(INDEX))  # the admin's own first-request reads
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(INDEX))
    for number in range(6):
        student = UserFactory()
        StudentProgramme.objects.create(
            user=student, programme=tree["health_programme"], semester=2
        )
        stay_make(student, city=f"City {number}", country="DK", agreement=tree["ku_agreement"])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(INDEX))
    assert len(many) == len(few)
