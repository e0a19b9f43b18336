"""A crisis in Chromium: staff declare it in the admin; a student's open page shows the safety
check live; the student asks for help on the check page (Bokmål) and another answers through the
email's link without logging in (English); the board follows live and the duty officer
acknowledges. Axe on the check page, the answer link's page and the board at 1280 and 320 px, and
no console error or CSP report on any page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from cms.models import HomePage
from onboarding.live.models import Notification
from onboarding.stays.models import Crisis, SafetyCheck
from tests.onboarding.stays.conftest import stays_tree
from tests.onboarding.stays.factories import stay_make
from tests.onboarding.units.factories import mfa_enable

from .helpers import axe_report, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser

# Playwright's init scripts run before the page's own and are not subject to its CSP. site.js
# dispatches every server message as "live:message"; the consumer acknowledges a subscription
# once the socket is in the topic's group.
TRACK_SUBSCRIPTIONS = """
document.addEventListener("live:message", function (event) {
  var message = event.detail || {};
  if (message.type === "subscribed") {
    window.liveSubscribed = (window.liveSubscribed || []).concat([message.topic]);
  }
});
"""


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def people(site_tree, asgi_server):
    """The section's staff (English, two-factor) and two students in Valencia: the nurse
    (Bokmål) and the student (English)."""
    tree = stays_tree(HomePage.objects.get())
    mfa_enable(tree["staff"])
    stay_make(tree["nurse"], city="Valencia", country="ES", local_phone="+34 611 222 333")
    stay_make(tree["student"], city="València", country="ES")
    return tree


def axe_at_both_widths(page, reports, *, context=None):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        reports.append(axe_report(page, context=context))
    page.set_viewport_size({"width": 1280, "height": 800})


def subscribed(page, topic):
    page.wait_for_function(f"() => (window.liveSubscribed || []).includes({topic!r})")


def test_a_crisis_from_declaring_to_answers_on_the_live_board(people, page_factory, asgi_server):
    reports = []

    # The nurse has her safety checks open, in Norwegian, before anything happens.
    nurse = sign_in(page_factory(1280), asgi_server, people["nurse"])
    nurse.add_init_script(TRACK_SUBSCRIPTIONS)
    nurse_problems = collect_problems(nurse)
    nurse.goto(url("stays:check_list", "nb"))
    expect(nurse.locator("h1")).to_have_text("Trygghetssjekker")
    expect(nurse.locator(".safety-banner")).to_have_count(0)
    subscribed(nurse, "safety:checks")

    # Staff declare the crisis in the admin.
    staff = sign_in(page_factory(1280), asgi_server, people["staff"])
    staff.add_init_script(TRACK_SUBSCRIPTIONS)
    staff_problems = collect_problems(staff)
    staff.goto("/admin/crises/declare/")
    staff.fill("#id_title_nb", "Flom i Valencia")
    staff.fill("#id_title_en", "Flooding in Valencia")
    staff.fill("#id_message_nb", "Hold deg innendørs og følg rådene fra myndighetene.")
    staff.fill("#id_message_en", "Stay indoors and follow the advice of the authorities.")
    staff.select_option("#id_severity", "serious")
    staff.select_option("#id_areas-0-country", "ES")
    staff.fill("#id_areas-0-city", "valencia")
    staff.select_option("#id_duty_officer", str(people["staff"].pk))
    staff.fill("#id_acknowledge_minutes", "30")
    with staff.expect_navigation():
        staff.locator("[data-declare]").click()
    expect(staff.locator("h1")).to_contain_text("Flooding in Valencia")
    expect(staff.locator('[data-count="checks"] strong')).to_have_text("2")
    with db_access():
        crisis = Crisis.objects.get()
    subscribed(staff, f"crisis:{crisis.pk}")

    # The nurse's open page shows the check without a reload, and she asks for help.
    banner = nurse.locator(".safety-banner")
    expect(banner).to_contain_text("Flom i Valencia")
    expect(nurse.locator("[data-safety-checks-announce]")).to_have_text(
        "En trygghetssjekk har kommet. Svar på den."
    )
    banner.get_by_role("link", name=re.compile("Svar nå")).click()
    expect(nurse.locator("h1")).to_have_text("Flom i Valencia")
    axe_at_both_widths(nurse, reports)
    nurse.get_by_label("Jeg trenger hjelp").check()
    nurse.fill("#id_message", "Vannet står i første etasje.")
    nurse.locator("[data-send-answer]").click()
    expect(nurse.locator(".message--success")).to_contain_text("du trenger hjelp")
    expect(nurse.locator("[data-check-state]")).to_contain_text("Ditt svar: Jeg trenger hjelp")

    # The board shows the call for help live, with its clock and the phone abroad.
    expect(staff.locator('[data-count="help"] strong')).to_have_text("1")
    row = staff.locator('tr[data-answer="help"]')
    expect(row).to_contain_text("Vannet står i første etasje.")
    expect(row).to_contain_text("+34 611 222 333")
    expect(row.locator("[data-help-clock]")).to_have_attribute("data-light", "green")
    axe_at_both_widths(staff, reports)

    # The English student answers through the email's link, without logging in.
    with db_access():
        body = Notification.objects.get(recipient=people["student"], kind="safety_check").body
    link = re.search(r"I am safe: http://[^/\s]+(/\S+)", body).group(1)
    anonymous = page_factory(1280)
    anonymous_problems = collect_problems(anonymous)
    anonymous.goto(link)
    expect(anonymous.locator("h1")).to_have_text("Flooding in Valencia")
    expect(anonymous.get_by_label("I am safe")).to_be_checked()
    axe_at_both_widths(anonymous, reports)
    anonymous.locator("[data-send-answer]").click()
    expect(anonymous.locator(".message--success")).to_contain_text("you are safe")

    # The board counts it live; the duty officer acknowledges the call for help.
    expect(staff.locator('[data-count="safe"] strong')).to_have_text("1")
    expect(staff.locator('[data-count="pending"] strong')).to_have_text("0")
    with staff.expect_navigation():
        row.locator("[data-acknowledge]").click()
    expect(staff.locator('tr[data-answer="help"]')).to_contain_text("Acknowledged by")
    with db_access():
        check = SafetyCheck.objects.get(student=people["nurse"])
        assert check.acknowledged_by == people["staff"]

    # The nurse sees the acknowledgement on her check, in English too.
    nurse.goto(url("stays:check_detail", "en", check_id=check.pk))
    expect(nurse.locator("[data-check-state]")).to_contain_text("The duty officer saw your call")
    axe_at_both_widths(nurse, reports, context="main")

    failures = [report for report in reports if report]
    assert not failures, "\n\n".join(failures)
    assert nurse_problems == []
    assert staff_problems == []
    assert anonymous_problems == []
