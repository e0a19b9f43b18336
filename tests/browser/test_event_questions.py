"""Signup questions in a real browser: refused without the required answers, then signed up."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from onboarding.activities.models import EventQuestion, Signup, SignupAnswer
from tests.browser.helpers import assert_no_axe_violations, collect_problems, db_access, sign_in
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.units.factories import buddy_programme_create

pytestmark = pytest.mark.browser

ANSWER_THIS = {"nb": "Svar på dette spørsmålet.", "en": "Answer this question."}
CHECK_ANSWERS = {
    "nb": "Sjekk svarene dine på spørsmålene.",
    "en": "Check your answers to the questions.",
}
HAS_A_PLACE = {"nb": "Du har plass.", "en": "You have a place."}
VEGETARIAN = {"nb": "Vegetar", "en": "Vegetarian"}
CONTACT = {"nb": "Kontaktperson (må besvares)", "en": "Emergency contact (required)"}


@pytest.fixture
def trip(site_tree):
    unit = buddy_programme_create(site_tree["home"])
    event = event_create(
        unit, capacity=10, title_nb="Hyttetur", title_en="Cabin trip", publish=True
    )
    for number, (labels, kind, choices, personal) in enumerate(
        [
            (("Kosthold", "Diet"), "choice", ("Alt\nVegetar", "Everything\nVegetarian"), False),
            (("Kontaktperson", "Emergency contact"), "text", ("", ""), True),
        ]
    ):
        question = EventQuestion(
            event=event, sort_order=number, kind=kind, required=True, personal=personal
        )
        question.label_nb, question.label_en = labels
        question.choices_nb, question.choices_en = choices
        question.save()
    return event


def path_of(page_object, language):
    with translation.override(language):
        return page_object.get_url()


def _answer_and_sign_up(page, language):
    page.get_by_label(VEGETARIAN[language], exact=True).check()
    page.get_by_label(CONTACT[language]).fill("Maria Silva, +47 900 00 000")
    page.locator("[data-signup-form] button[type='submit']").click()


def _stored(student):
    with db_access():
        signup = Signup.objects.filter(person=student).first()
        values = sorted(SignupAnswer.objects.values_list("value", flat=True))
    return signup, values


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_student_must_answer_the_required_questions_to_sign_up(
    asgi_server, trip, page_factory, language
):
    student = UserFactory(language=language)
    path = path_of(trip, language)
    page = page_factory()
    problems = collect_problems(page)
    sign_in(page, asgi_server, student)
    page.goto(path)
    assert_no_axe_violations(page)

    page.locator("[data-signup-form] button[type='submit']").click()

    panel = page.locator("[data-signup-panel]")
    expect(panel.locator(".message--error")).to_have_text(CHECK_ANSWERS[language])
    expect(panel.get_by_text(ANSWER_THIS[language])).to_have_count(2)
    # The first answer to put right: the first choice of the first question.
    first = {"nb": "Alt", "en": "Everything"}[language]
    expect(page.get_by_label(first, exact=True)).to_be_focused()
    assert_no_axe_violations(page)
    assert _stored(student) == (None, [])

    _answer_and_sign_up(page, language)

    expect(panel.locator(".signup-panel__status")).to_have_text(HAS_A_PLACE[language])
    signup, values = _stored(student)
    assert signup is not None and values == ["Maria Silva, +47 900 00 000", VEGETARIAN[language]]
    page.set_viewport_size({"width": 320, "height": 800})
    panel.locator("summary").click()
    expect(panel.get_by_label(CONTACT[language])).to_have_value("Maria Silva, +47 900 00 000")
    assert_no_axe_violations(page)
    assert page.evaluate("() => document.querySelector('main').scrollWidth") <= 320
    problems.assert_none()


def test_the_questions_work_without_javascript(asgi_server, trip, page_factory):
    student = UserFactory(language="en")
    path = path_of(trip, "en")
    page = page_factory(java_script_enabled=False)
    sign_in(page, asgi_server, student)
    page.goto(path)

    page.locator("[data-signup-form] button[type='submit']").click()

    expect(page.locator(".messages")).to_contain_text(CHECK_ANSWERS["en"])
    expect(page.get_by_text(ANSWER_THIS["en"])).to_have_count(2)
    assert _stored(student) == (None, [])

    _answer_and_sign_up(page, "en")

    expect(page.locator(".signup-panel__status")).to_have_text(HAS_A_PLACE["en"])
    assert _stored(student)[1] == ["Maria Silva, +47 900 00 000", "Vegetarian"]
