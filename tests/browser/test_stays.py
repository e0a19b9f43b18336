"""The stay registry in Chromium: a student registers a stay abroad in Norwegian (an agreement, the
dates, their contacts, a plan-B course of their programme), updates their phone from a 320 px
screen, and changes the stay in English past a refusal. Axe on the registry form (empty and with
errors) and the quick change at 1280 and 320 px; no console errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.stays.models import StayAbroad
from tests.onboarding.stays.conftest import stays_tree
from tests.onboarding.stays.registry_builders import course_make

from .helpers import assert_no_axe_violations, both_widths, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser
TODAY = datetime.date.today()


@pytest.fixture
def stays(site_tree, asgi_server):
    tree = stays_tree(site_tree["home"])
    # The computer science student is in semester 5 now: a stay starting now is in semester 5.
    tree["course"] = course_make(
        tree["cs_programme"], semester=5, code="DAT500", title_nb="Maskinlæring", title_en="ML"
    )
    return tree


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"stays:{name}", kwargs=kwargs or None)


def test_a_student_registers_a_stay_and_updates_the_phone(stays, page_factory, asgi_server):
    page = sign_in(page_factory(1280), asgi_server, stays["cs_student"])
    problems = collect_problems(page)

    # Norwegian: from "My stays abroad" to the form.
    page.goto(url("my_stays", "nb"))
    expect(page.locator("h1")).to_have_text("Mine utenlandsopphold")
    page.locator("[data-stay-new]").click()
    expect(page.locator("h1")).to_have_text("Registrer et utenlandsopphold")
    both_widths(page)

    page.select_option("#id_agreement", str(stays["tum_agreement"].pk))
    page.fill("#id_starts_on", (TODAY - datetime.timedelta(days=5)).isoformat())
    page.fill("#id_ends_on", (TODAY + datetime.timedelta(days=120)).isoformat())
    page.fill("#id_local_phone", "+49 151 1234567")
    page.fill("#id_emergency_name", "Kari Nordmann")
    page.fill("#id_emergency_relation", "mor")
    page.fill("#id_emergency_phone", "+47 900 00 000")
    page.select_option("#id_planb-0-course", str(stays["course"].pk))
    page.check("#id_consent")
    page.locator("form.stay-form button[type=submit]").click()
    expect(page.locator(".message--success")).to_have_text("Utenlandsoppholdet ditt er lagret.")
    card = page.locator(".stay-card").first
    expect(card.locator("h2")).to_have_text("Technische Universität München")
    expect(card).to_contain_text("DAT500")
    expect(card.locator("[data-stay-phone]")).to_have_text("+49 151 1234567")
    with db_access():
        stay = StayAbroad.objects.get(student=stays["cs_student"])
        assert (stay.city, stay.country.code) == ("München", "DE")

    # On a phone: the quick change of phone and address.
    page.set_viewport_size({"width": 320, "height": 700})
    card.get_by_role("link", name="Oppdater telefon og adresse").click()
    expect(page.locator("h1")).to_have_text("Oppdater telefon og adresse")
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.querySelector('main').scrollWidth") <= 320
    page.fill("#id_local_phone", "+49 160 7654321")
    page.fill("#id_local_address", "Schellingstraße 3, 80799 München")
    page.locator(".stay-quick__save").click()
    expect(page.locator("[data-stay-phone]")).to_have_text("+49 160 7654321")
    assert_no_axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    # English: change the stay; a stay without an emergency contact's phone is refused.
    page.goto(url("stay_edit", "en", stay_id=stay.pk))
    expect(page.locator("h1")).to_have_text("Change your stay abroad")
    page.fill("#id_emergency_phone", "")
    page.check("#id_consent")
    page.locator("form.stay-form button[type=submit]").click()
    expect(page.locator("#id_emergency_phone_error")).to_contain_text(
        "Give the phone number of your emergency contact at home."
    )
    both_widths(page)
    page.fill("#id_emergency_phone", "+47 911 11 111")
    page.check("#id_consent")
    page.locator("form.stay-form button[type=submit]").click()
    expect(page.locator(".message--success")).to_have_text("Your stay abroad is changed.")
    expect(page.locator(".stay-card").first).to_contain_text("+47 911 11 111")

    # The refused form answers 400, which Chromium logs; nothing else may be logged.
    assert [p for p in problems if "status of 400" not in p] == []
    with db_access():
        stay.refresh_from_db()
        assert (stay.local_phone, stay.emergency_phone) == ("+49 160 7654321", "+47 911 11 111")
        assert stay.plan_b_courses.get().course == stays["course"]
