"""The buddy programme in a real browser: asking and volunteering, the organiser runs, adjusts
and publishes, both sides see their match; axe on every page in both languages at 1280 and 320 px."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.buddies.models import BuddyMatch, BuddyProfile
from onboarding.units.kinds import UnitKind
from onboarding.units.services import unit_editor_add
from tests.browser.helpers import assert_no_axe_violations, db_access, sign_in
from tests.factories import UserFactory
from tests.onboarding.buddies.factories import buddy_create, round_create, student_create
from tests.onboarding.units.factories import directory_create, unit_create, volunteer_index_create

pytestmark = pytest.mark.browser

TEXTS = {
    "nb": {
        "ask": "Be om fadder",
        "volunteer": "Meld deg",
        "run": "Kjør koblingen",
        "publish": "Publiser",
        "pin": "Lås",
        "save_rule": "Lagre regel",
        "your_buddy": "Fadderen din",
        "english": "Engelsk",
        "status": "Innvekslingsstudent",
    },
    "en": {
        "ask": "Ask for a buddy",
        "volunteer": "Volunteer",
        "run": "Run the matching",
        "publish": "Publish",
        "pin": "Pin",
        "save_rule": "Save rule",
        "your_buddy": "Your buddy",
        "english": "English",
        "status": "Incoming exchange student",
    },
}


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(f"buddies:{name}", kwargs=kwargs or None)


@pytest.fixture
def world(site_tree):
    directory = directory_create(site_tree["home"], publish=False)
    index = volunteer_index_create(directory, publish=False)
    unit = unit_create(
        index,
        kind=UnitKind.VOLUNTEER_GROUP,
        name_nb="Fadderordningen",
        name_en="Buddy Programme",
        publish=False,
    )
    faculty = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        name_nb="Fakultet for ingeniørvitenskap",
        name_en="Faculty of Engineering",
        publish=False,
    )
    round = round_create(unit, starts=datetime.date.today() + datetime.timedelta(days=30))
    organiser = UserFactory(first_name="Kari", last_name="Organiser")
    unit_editor_add(unit=unit, user=organiser)
    # Others already in the round: more students than places, one speaking only Japanese.
    for number in range(3):
        student_create(
            round,
            user=UserFactory(first_name=f"Early{number}", last_name="Student"),
            available_on=datetime.date.today() + datetime.timedelta(days=20 + number),
        )
    student_create(round, languages=("ja",), user=UserFactory(first_name="Yuki", last_name="Ito"))
    buddy_create(
        round,
        capacity=2,
        languages=("nb", "en"),
        user=UserFactory(first_name="Per", last_name="Hansen"),
    )
    return {"round": round, "organiser": organiser, "faculty": faculty}


def check(page, width_pages):
    assert_no_axe_violations(page)
    for narrow in width_pages:
        assert_no_axe_violations(narrow)
        assert narrow.evaluate("() => document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_round_from_asking_to_both_sides_seeing_their_match(
    asgi_server, page_factory, world, language
):
    texts = TEXTS[language]
    round = world["round"]
    student = UserFactory(first_name="Ana", last_name="Silva", language=language)
    buddy = UserFactory(first_name="Ola", last_name="Nordmann", language=language)
    arrival = (datetime.date.today() + datetime.timedelta(days=25)).isoformat()

    # The student asks for a buddy, with the form (checked at 320 px too).
    page = sign_in(page_factory(), asgi_server, student)
    ask = f"{asgi_server}{url_in(language, 'ask', round_id=round.pk)}"
    page.goto(ask)
    narrow = sign_in(page_factory(320), asgi_server, student)
    narrow.goto(ask)
    check(page, [narrow])
    page.get_by_label(texts["status"]).check()
    page.get_by_label(texts["english"], exact=True).check()
    page.locator("#id_available_on").fill(arrival)
    page.locator("#id_faculty").select_option(str(world["faculty"].pk))
    page.get_by_role("button", name=texts["ask"]).click()
    expect(page.locator(".message--success")).to_be_visible()

    # A local student volunteers for two.
    page = sign_in(page_factory(), asgi_server, buddy)
    page.goto(f"{asgi_server}{url_in(language, 'volunteer', round_id=round.pk)}")
    assert_no_axe_violations(page)
    page.get_by_label(texts["english"], exact=True).check()
    page.locator("#id_capacity").select_option("2")
    page.locator("#id_available_on").fill(datetime.date.today().isoformat())
    page.locator("#id_faculty").select_option(str(world["faculty"].pk))
    page.get_by_role("button", name=texts["volunteer"], exact=True).click()
    expect(page.locator(".message--success")).to_be_visible()
    with db_access():
        assert BuddyProfile.objects.filter(round=round).count() == 7
        ana = BuddyProfile.objects.get(user=student)
        ola = BuddyProfile.objects.get(user=buddy)

    # The organiser sees the shortfall, runs, pins Ana to Ola, runs again and publishes.
    organise = f"{asgi_server}{url_in(language, 'organise', round_id=round.pk)}"
    page = sign_in(page_factory(), asgi_server, world["organiser"])
    page.goto(organise)
    expect(page.locator("[data-missing]")).to_be_visible()
    expect(page.locator("[data-bound]")).to_have_attribute("data-bound", "4")
    page.get_by_role("button", name=texts["run"]).click()
    expect(page.locator("tr[data-state='proposed']")).to_have_count(4)
    expect(page.locator("tr[data-unmatched]")).to_have_count(1)
    page.locator("#id_student").select_option(str(ana.pk))
    page.locator("#id_buddy").select_option(str(ola.pk))
    page.locator("#id_kind_0").check()
    page.get_by_role("button", name=texts["save_rule"]).click()
    page.get_by_role("button", name=texts["run"]).click()
    expect(page.locator(f"tr[data-student='{ana.pk}'][data-buddy='{ola.pk}']")).to_be_visible()
    narrow = sign_in(page_factory(320), asgi_server, world["organiser"])
    narrow.goto(organise)
    check(page, [narrow])
    page.get_by_role("button", name=texts["publish"]).click()
    expect(page.locator("tr[data-state='published']")).to_have_count(4)
    with db_access():
        assert BuddyMatch.objects.get(student=ana).buddy == ola

    # The forecast, for the group.
    forecast = f"{asgi_server}{url_in(language, 'forecast', round_id=round.pk)}"
    page.goto(forecast)
    expect(page.locator("figure svg[role='img']")).to_be_visible()
    narrow.goto(forecast)
    check(page, [narrow])

    # Both sides see their match, and only theirs.
    mine = f"{asgi_server}{url_in(language, 'mine', round_id=round.pk)}"
    page = sign_in(page_factory(), asgi_server, student)
    page.goto(mine)
    expect(page.get_by_role("heading", level=1)).to_have_text(texts["your_buddy"])
    expect(page.locator(".contact-card")).to_contain_text(buddy.email)
    narrow = sign_in(page_factory(320), asgi_server, student)
    narrow.goto(mine)
    check(page, [narrow])
    page = sign_in(page_factory(), asgi_server, buddy)
    page.goto(mine)
    expect(page.locator(".contact-card").filter(has_text=student.email)).to_have_count(1)
    assert_no_axe_violations(page)
