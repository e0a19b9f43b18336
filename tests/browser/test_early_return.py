"""Coming home early in Chromium: the student asks from their stay with plan B pre-filled (in
Norwegian), the faculty's coordinator decides in the admin (in English), and the student sees
the decision in both languages. Axe on the request form at 1280 and 320 px; no console error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.stays.models import EarlyReturnRequest, ReturnStatus
from tests.onboarding.stays.conftest import stays_tree
from tests.onboarding.stays.factories import stay_make
from tests.onboarding.stays.returns_builders import stay_plan_b
from tests.onboarding.units.factories import mfa_enable

from .helpers import both_widths, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def abroad(site_tree, asgi_server):
    """The nurse (who reads Norwegian) on a stay in Copenhagen with two plan-B courses, and the
    Health faculty's editor as its coordinator."""
    tree = stays_tree(site_tree["home"])
    tree["stay"] = stay_make(tree["nurse"], city="Copenhagen", country="DK")
    stay_plan_b(tree["stay"], "SYK1001", "SYK1002")
    mfa_enable(tree["health_editor"])
    return tree


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"stays:{name}", kwargs=kwargs or None)


def test_the_student_asks_the_faculty_decides_and_the_student_sees_it(
    abroad, page_factory, asgi_server
):
    student = sign_in(page_factory(1280), asgi_server, abroad["nurse"])
    student_problems = collect_problems(student)
    home_on = timezone.localdate() + datetime.timedelta(days=10)

    # The form, in Norwegian, with the stay's plan B ticked to keep.
    student.goto(url("return_new", "nb", stay_id=abroad["stay"].pk))
    expect(student.locator("h1")).to_have_text("Søk om å reise hjem tidlig")
    expect(student.locator("#id_courses-0-code")).to_have_value("SYK1001")
    expect(student.locator("#id_courses-1-keep")).to_be_checked()
    both_widths(student)
    student.get_by_label("Helse").check()
    student.get_by_label("Forklaring").fill("Jeg trenger behandling hjemme.")
    student.get_by_label("Dagen du reiser hjem").fill(home_on.isoformat())
    student.locator("#id_courses-1-keep").uncheck()
    student.locator("#id_courses-2-code").fill("EXPH0100")
    student.locator("#id_courses-2-title").fill("Examen philosophicum")
    student.locator("#id_courses-2-ects").fill("10")
    student.locator("[data-return-submit]").click()
    expect(student.locator("h1")).to_contain_text("Søknad om hjemreise")
    expect(student.locator("[data-return-status]")).to_have_text("Venter på vedtak")
    expect(student.locator("[data-plan-b] tbody tr")).to_have_count(2)
    with db_access():
        request = EarlyReturnRequest.objects.get(student=abroad["nurse"])
        assert request.unit == abroad["health"]
        assert list(request.plan_b_courses.values_list("code", flat=True)) == [
            "SYK1001",
            "EXPH0100",
        ]

    # The coordinator of the Health faculty decides in the admin.
    coordinator = sign_in(page_factory(1280), asgi_server, abroad["health_editor"])
    coordinator_problems = collect_problems(coordinator)
    coordinator.goto(reverse("stays_returns:queue"))
    coordinator.locator(f'tr[data-request="{request.pk}"] a').click()
    expect(coordinator.locator("[data-plan-b]")).to_contain_text("EXPH0100")
    form = coordinator.locator("[data-decide-form]")
    form.get_by_label("Approve").check()
    form.get_by_label("The plan-B courses replace the courses not completed abroad").check()
    form.get_by_label("Note to the student (needed to refuse)").fill("Welcome home.")
    form.get_by_role("button", name="Record the decision").click()
    expect(coordinator.get_by_text("The request is approved; the student is told.")).to_be_visible()

    # The student sees the decision, in both languages.
    student.goto(url("return_detail", "nb", request_id=request.pk))
    expect(student.locator("[data-decision]")).to_contain_text("Søknaden din er innvilget.")
    expect(student.locator("[data-outcome]")).to_contain_text("Plan B-emnene erstatter")
    student.goto(url("return_detail", "en", request_id=request.pk))
    expect(student.locator("[data-decision]")).to_contain_text("Your request is approved.")
    expect(student.locator("[data-decision]")).to_contain_text("Welcome home.")

    assert student_problems == []
    assert coordinator_problems == []
    with db_access():
        request.refresh_from_db()
        assert (request.status, request.agreement_outcome) == (ReturnStatus.APPROVED, "replaced")
