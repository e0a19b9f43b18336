"""A pre-approval case in Chromium: the student builds it from an earlier decision and submits;
the adviser decides; the student's open page shows the decision live. Axe on the builder, the
adviser's page and the decided case at 1280 and 320 px, the case in both languages."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.approvals.models import CaseStatus, PreApprovalCase
from onboarding.exchange.services import student_programme_set
from tests.onboarding.approvals.conftest import approvals_tree
from tests.onboarding.approvals.factories import foreign, home, precedent_make
from tests.onboarding.units.factories import mfa_enable

from .helpers import both_widths, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser

# Playwright's init scripts run before the page's own and are not subject to its CSP.
TRACK_SOCKET = """
document.addEventListener("live:open", function () {
  window.liveOpens = (window.liveOpens || 0) + 1;
});
"""


@pytest.fixture
def approvals(site_tree, asgi_server):
    tree = approvals_tree(site_tree["home"])
    student_programme_set(user=tree["student"], programme=tree["cs_programme"])
    mfa_enable(tree["cs_adviser"])
    precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        foreign_rows=[foreign("IN2064", "Machine Learning")],
        home_rows=[home("DAT340", "Maskinlæring", "Machine learning")],
    )
    return tree


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"approvals:{name}", kwargs=kwargs or None)


def test_a_case_from_an_earlier_decision_is_decided_and_the_student_sees_it_live(
    approvals, page_factory, asgi_server
):
    student = sign_in(page_factory(1280), asgi_server, approvals["student"])
    student.add_init_script(TRACK_SOCKET)
    student_problems = collect_problems(student)

    # Norwegian first: open a case for TUM in the autumn.
    student.goto(url("case_new", "nb"))
    student.select_option("#id_agreement", str(approvals["tum_agreement"].pk))
    student.select_option("#id_year", "2027")
    student.select_option("#id_season", "autumn")
    student.locator("form.form-card button[type=submit]").click()
    expect(student.locator("h1")).to_contain_text("Forhåndsgodkjenningssak")

    # The builder: search the partner's earlier decisions and use one.
    student.fill("#precedent-q", "machine")
    student.locator(".case-search form[role=search] button").click()
    match = student.locator(".case-match", has_text="IN2064 Machine Learning")
    expect(match).to_contain_text("godkjent én gang")
    both_widths(student)
    match.get_by_role("button").click()
    expect(student.locator("[data-case-state] .case-courses").first).to_contain_text("IN2064")
    student.locator("[data-case-submit]").click()
    expect(student.locator("[data-case-waiting]")).to_have_text("Veilederen")
    expect(student.locator('[data-clock="first_response"] [data-light="green"]')).to_have_text(
        "I rute"
    )
    student.wait_for_function("() => window.liveOpens >= 1")
    with db_access():
        case = PreApprovalCase.objects.get(student=approvals["student"])
        line = case.lines.get()
        assert (case.status, case.unit) == (CaseStatus.OPEN, approvals["cs"])

    # The adviser of the department decides the line.
    adviser = sign_in(page_factory(1280), asgi_server, approvals["cs_adviser"])
    adviser_problems = collect_problems(adviser)
    adviser.goto(url("case_detail", "en", case_id=case.pk))
    form = adviser.locator(f"#decide-{line.pk}")
    expect(form).to_be_visible()
    both_widths(adviser)
    form.locator("input[value=approved]").check()
    form.locator("textarea").fill("A good match for DAT340.")
    form.locator("button[type=submit]").click()
    expect(adviser.locator(".message--success")).to_be_visible()

    # The student's page, open all along, shows the decision without a reload.
    expect(student.locator(f'[data-line="{line.pk}"] [data-decision]')).to_have_text("Godkjent")
    expect(student.locator("[data-case-status]")).to_have_text("Avgjort")
    expect(student.locator("[data-case-changed]")).to_be_visible()
    expect(student.locator(".case-line__comment")).to_contain_text("A good match for DAT340.")
    both_widths(student, context="main")
    student.goto(url("case_detail", "en", case_id=case.pk))
    expect(student.locator("[data-case-status]")).to_have_text("Decided")
    both_widths(student)

    assert student_problems == []
    assert adviser_problems == []
    with db_access():
        line.refresh_from_db()
        assert line.recorded_as is not None
