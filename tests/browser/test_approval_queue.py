"""The advisers' queue of pre-approval cases in the admin and a unit's public response times, in
Chromium and both languages: axe at 1280 and 320 px, no console error, no sideways scroll on the
public page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.models import StepKind
from tests.onboarding.approvals.conftest import approvals_tree
from tests.onboarding.approvals.factories import case_make
from tests.onboarding.units.factories import mfa_enable

from .helpers import axe_report, collect_problems, sign_in

pytestmark = pytest.mark.browser

TITLE = {"nb": "Saker om forhåndsgodkjenning", "en": "Pre-approval cases"}
HEADING = {
    "nb": "Svartider: Institutt for datateknologi",
    "en": "Response times: Department of Computer Science",
}


def ago(**kw):
    return timezone.now() - datetime.timedelta(**kw)


@pytest.fixture
def cases(site_tree, asgi_server):
    """The department's adviser, a late case, one waiting for the student, two decided ones."""
    tree = approvals_tree(site_tree["home"])
    common = {"student": tree["student"], "agreement": tree["tum_agreement"], "unit": tree["cs"]}
    case_make(**common, submitted_at=ago(days=30))
    asked = ago(days=3)
    case_make(
        **common,
        submitted_at=asked,
        steps=[(asked + datetime.timedelta(hours=2), StepKind.QUESTION, WaitingFor.STUDENT)],
        adviser=tree["cs_adviser"],
    )
    for days in (15, 50):
        start = ago(days=days)
        case_make(
            **common,
            submitted_at=start,
            steps=[
                (start + datetime.timedelta(days=1), StepKind.COMMENT, WaitingFor.ADVISER),
                (start + datetime.timedelta(days=7), StepKind.DECIDED, WaitingFor.NOBODY),
            ],
        )
    return tree


def _axe_at_both_widths(page, reports):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        reports.append(axe_report(page))


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_queue_and_the_public_response_times(cases, page_factory, asgi_server, language):
    adviser = mfa_enable(cases["cs_adviser"])
    adviser.language = language
    adviser.save(update_fields=["language"])
    reports = []

    admin = sign_in(page_factory(1280), asgi_server, adviser)
    problems = collect_problems(admin)
    admin.goto(reverse("approval_cases:queue"))
    expect(admin.locator("h1")).to_contain_text(TITLE[language])
    expect(admin.locator("tr[data-case]")).to_have_count(2)
    expect(admin.locator("tr[data-case]").first).to_have_attribute("data-light", "red")
    _axe_at_both_widths(admin, reports)

    public = page_factory(1280)
    public_problems = collect_problems(public)
    with translation.override(language):
        public.goto(reverse("approvals:response_times", args=[cases["cs"].pk]))
    expect(public.locator("h1")).to_have_text(HEADING[language])
    expect(public.locator("figure.response-chart svg[role=img]")).to_be_visible()
    _axe_at_both_widths(public, reports)
    assert public.evaluate("() => document.documentElement.scrollWidth") <= 320

    failures = [report for report in reports if report]
    assert not failures, "\n\n".join(failures)
    problems.assert_none()
    public_problems.assert_none()
