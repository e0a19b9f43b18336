"""Earlier course decisions in Chromium: a student searches them from a destination page and
opens one, in both languages, with axe at 1280 and 320 px; staff import a list and see its
progress while it runs, with no script error or CSP violation."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from onboarding.approvals.imports import COLUMNS
from onboarding.approvals.models import CourseApproval
from onboarding.units.kinds import UnitKind
from onboarding.units.services import international_staff_add
from tests.factories import StaffFactory
from tests.onboarding.approvals.factories import foreign, home, precedent_make
from tests.onboarding.exchange.factories import institution_create
from tests.onboarding.units.factories import directory_create, mfa_enable, unit_create

from .helpers import ConsoleErrors, assert_no_axe_violations, db_access, sign_in

pytestmark = pytest.mark.browser

DESTINATION = {"nb": "/nb/utveksling/reisemal/tum.de/", "en": "/en/exchange/destinations/tum.de/"}
EXPIRED = {"nb": "Utløpt", "en": "Expired"}
LINK = {
    "nb": "Tidligere vedtak om emner ved Technische Universität München",
    "en": "Earlier course decisions at Technische Universität München",
}


@pytest.fixture
def decisions(site_tree, asgi_server):
    directory = directory_create(site_tree["home"], publish=False)
    faculty = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for informasjonsteknologi",
        name_en="Faculty of Information Technology",
        publish=False,
    )
    department = unit_create(
        faculty,
        kind=UnitKind.DEPARTMENT,
        name_nb="Institutt for datateknologi",
        name_en="Department of Computer Science",
        publish=False,
    )
    tum = institution_create(
        country="DE", name="Technische Universität München", schac="tum.de", city="München"
    )
    today = timezone.localdate()
    combination = precedent_make(
        institution=tum,
        unit=department,
        decided_on=today - datetime.timedelta(days=100),
        foreign_rows=[
            foreign("IN2010", "Grundlagen der Algorithmen", ects="6"),
            foreign("IN2011", "Algorithmen Praktikum", ects="4"),
        ],
        home_rows=[home("DAT200", "Algoritmer", "Algorithms", ects="10")],
    )
    precedent_make(
        institution=tum,
        unit=department,
        decided_on=today - datetime.timedelta(days=8 * 365),
        foreign_rows=[foreign("IN2010", "Grundlagen der Algorithmen", ects="6")],
        home_rows=[home("DAT100", "Programmering", "Programming")],
    )
    return {"combination": combination, "department": department}


def _clean_at_both_widths(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 800})


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_student_finds_earlier_decisions_from_a_destination(
    decisions, page, asgi_server, language
):
    page.goto(f"{asgi_server}{DESTINATION[language]}")
    page.get_by_role("link", name=LINK[language]).click()
    items = page.locator("li[data-precedent]")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("IN2010 + IN2011")
    expect(items.last.locator(".badge")).to_contain_text([EXPIRED[language]])
    _clean_at_both_widths(page)

    page.locator("#id_q").fill("praktikum")
    page.locator("form.course-filters button[type=submit]").click()
    expect(items).to_have_count(1)
    items.first.locator("h3 a").click()
    expect(page.locator("h1")).to_contain_text("IN2010 + IN2011")
    expect(page.locator("[data-summary]")).to_contain_text("DAT200")
    _clean_at_both_widths(page)


def _list(decisions, count):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for number in range(count):
        writer.writerow(
            {
                **dict.fromkeys(COLUMNS, ""),
                "decision_id": f"L-{number}",
                "institution": "tum.de",
                "foreign_code": f"MA{number:04d}",
                "foreign_title": "Analysis",
                "foreign_ects": "7.5",
                "home_code": f"MAT{number % 50:03d}",
                "home_title_nb": "Analyse",
                "home_ects": "7.5",
                "deciding_unit": str(decisions["department"].pk),
                "decided_on": "2024-05-02",
            }
        )
    return out.getvalue().encode("utf-8")


def test_staff_import_a_list_and_watch_its_progress(decisions, page, asgi_server):
    staff = mfa_enable(StaffFactory(language="en"))
    international_staff_add(user=staff)
    sign_in(page, asgi_server, staff)
    problems = ConsoleErrors(page)
    seen = []

    def progress(route):
        answer = route.fetch()
        seen.append((answer.json()["phase"], answer.json()["done"]))
        route.fulfill(response=answer)

    page.route("**/import/progress/**", progress)
    page.goto(f"{asgi_server}/admin/earlier-decisions/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "list.csv", "mimeType": "text/csv", "buffer": _list(decisions, 400)}],
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("400 rows, 400 decisions: 400 new, 0 unchanged.")).to_be_visible(
        timeout=60_000
    )
    with db_access():
        assert CourseApproval.objects.filter(source="import").count() == 400
    # While the browser waited for the answer, the page asked how far the import had come.
    assert {phase for phase, _done in seen} & {"reading", "checking", "writing"}, seen
    problems.assert_none()
    # A list with a bad row: nothing imported (the page answers 400), the row named, and the
    # page passes axe.
    bad = _list(decisions, 3).replace(b"L-1,tum.de,MA0001,Analysis,7.5", b"L-1,tum.de,MA0001,,7.5")
    page.set_input_files(
        "#id_file", files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": bad}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator("tr[data-line='3']")).to_have_attribute("data-code", "foreign_incomplete")
    assert_no_axe_violations(page)
    assert [p for p in problems if "status of 400" not in p] == []
