"""An application round in Chromium, in both languages: a student ranks two parallel courses,
the language centre previews and allocates, the student sees the place; axe on the ranking and
the round's page at 1280 and 320 px."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from onboarding.courses.models import Enrolment, RoundApplication
from onboarding.units.kinds import UnitKind
from onboarding.units.services import unit_editor_add
from tests.browser.helpers import assert_no_axe_violations, db_access, sign_in
from tests.factories import UserFactory
from tests.onboarding.courses.factories import course_create, student_create
from tests.onboarding.units.factories import directory_create, unit_create

pytestmark = pytest.mark.browser

OUTSIDE_MESSAGES = {"exclude": [[".messages"]]}


def url_in(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways at {width} px ({scroll} px)"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_round_from_ranking_to_a_place(asgi_server, page_factory, site_tree, language):
    directory = directory_create(site_tree["home"], publish=False)
    section = unit_create(
        directory,
        kind=UnitKind.INTERNATIONAL_SECTION,
        name_nb="Internasjonal seksjon",
        name_en="International Section",
        publish=False,
    )
    centre = unit_create(
        section,
        kind=UnitKind.LANGUAGE_CENTRE,
        name_nb="Språksenteret",
        name_en="Language Centre",
        publish=False,
    )
    campus = course_create(
        centre, level="A1", capacity=1, allocated_in_round=True, title_en="On campus"
    )
    online = course_create(
        centre, level="A1", capacity=1, allocated_in_round=True, title_en="Online"
    )
    student = student_create(first_name="Ana", last_name="Silva", language=language)
    rival = student_create(first_name="Bo", last_name="Berg", language=language)
    teacher = UserFactory(first_name="Mei", language=language)
    unit_editor_add(unit=centre, user=teacher)

    # The student ranks the online course first.
    page = sign_in(page_factory(1280), asgi_server, student)
    page.goto(url_in(language, "courses:round_apply", course_id=campus.pk))
    assert_no_axe_violations(page)
    page.locator(f"select[name='rank-{online.pk}']").select_option("1")
    page.locator(f"select[name='rank-{campus.pk}']").select_option("2")
    page.locator("main form button[type='submit']").first.click()
    page.wait_for_load_state()
    assert_no_axe_violations(page, context=OUTSIDE_MESSAGES)
    narrow = sign_in(page_factory(320), asgi_server, rival)
    narrow.goto(url_in(language, "courses:round_apply", course_id=campus.pk))
    narrow.locator(f"select[name='rank-{online.pk}']").select_option("1")
    narrow.locator("main form button[type='submit']").first.click()
    narrow.wait_for_load_state()
    assert_no_axe_violations(narrow, context=OUTSIDE_MESSAGES)
    fits(narrow, 320)
    with db_access():
        assert RoundApplication.objects.count() == 2
        closed = timezone.now() - datetime.timedelta(minutes=5)
        for course in (campus, online):
            course.application_closes_at = closed
            course.save(update_fields=["application_closes_at"])

    # The language centre previews, then allocates what it saw.
    admin = sign_in(page_factory(1280), asgi_server, teacher)
    admin.goto(url_in(language, "courses:round_allocate", course_id=campus.pk))
    expect(admin.locator("table")).to_be_visible()
    assert_no_axe_violations(admin)
    small = sign_in(page_factory(320), asgi_server, teacher)
    small.goto(url_in(language, "courses:round_allocate", course_id=campus.pk))
    assert_no_axe_violations(small)
    admin.locator("button[name='allocate']").click()
    admin.wait_for_load_state()
    with db_access():
        places = dict(
            Enrolment.objects.filter(status="confirmed").values_list("person_id", "course_id")
        )
    assert len(places) == 2 and places[student.pk] in (campus.pk, online.pk)
    assert len(set(places.values())) == 2  # one place each, capacities kept
    assert_no_axe_violations(admin, context=OUTSIDE_MESSAGES)
