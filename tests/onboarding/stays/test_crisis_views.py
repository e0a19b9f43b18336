"""The crisis pages in both languages: a student's checks, the admin's list, declaring, the board
(each faculty its own students), acknowledging and closing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.live.models import Notification
from onboarding.stays.models import CheckAnswer, Crisis, SafetyCheck
from onboarding.stays.services.crisis import CHECK_KIND, check_answer
from tests.onboarding.units.factories import mfa_enable

from .crisis_factories import declare
from .factories import stay_make

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def crisis(tree):
    """Flooding in Valencia, reaching the student (English), the nurse (Bokmål, Health) and the
    Computer Science student (IT faculty)."""
    for person in ("student", "nurse", "cs_student"):
        stay_make(tree[person], city="Valencia", country="ES")
    return declare(tree["staff"]).crisis


def check_of(crisis, person):
    return SafetyCheck.objects.get(crisis=crisis, student=person)


def login(client, person, *, admin=False):
    client.force_login(mfa_enable(person) if admin else person)
    return client


# --- The student's pages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("Safety checks", "Are you safe?", "Flooding in Valencia", "Answer now")),
        ("nb", ("Trygghetssjekker", "Er du trygg?", "Flom i Valencia", "Svar nå")),
    ],
)
def test_the_student_sees_their_open_check_in_their_language(client, tree, crisis, language, words):
    login(client, tree["nurse"])

    response = client.get(url("stays:check_list", language))
    fragment = client.get(url("stays:open_checks", language))

    html = response.content.decode()
    assert response.status_code == 200
    for word in words:
        assert word in html
    assert 'data-live-topic="safety:checks"' in html
    assert "Flom i Valencia" in fragment.content.decode() or "Flooding" in fragment.content.decode()
    assert "no-store" in fragment["Cache-Control"]


def test_the_banner_goes_once_the_student_is_safe_and_stays_while_they_need_help(
    client, tree, crisis
):
    login(client, tree["student"])
    check = check_of(crisis, tree["student"])

    check_answer(check=check, student=tree["student"], answer="help")
    assert "You asked for help." in client.get(url("stays:open_checks")).content.decode()
    check_answer(check=check, student=tree["student"], answer="safe")
    assert "Are you safe?" not in client.get(url("stays:open_checks")).content.decode()


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_student_answers_on_their_check_page(client, tree, crisis, language):
    login(client, tree["nurse"])
    check = check_of(crisis, tree["nurse"])
    address = url("stays:check_detail", language, check_id=check.pk)

    page = client.get(address)
    response = client.post(address, {"answer": "safe", "message": "Alt vel."})

    assert page.status_code == 200
    assert response.status_code == 302 and response["Location"] == address
    check.refresh_from_db()
    assert (check.answer, check.message, check.answer_count) == ("safe", "Alt vel.", 1)
    shown = client.get(address).content.decode()
    expected = {"en": "Your answer: I am safe", "nb": "Ditt svar: Jeg er trygg"}[language]
    assert expected in shown


def test_a_check_page_refuses_an_empty_answer(client, tree, crisis):
    login(client, tree["student"])
    check = check_of(crisis, tree["student"])

    for data in ({}, {"message": "?"}):
        response = client.post(url("stays:check_detail", check_id=check.pk), data)
        assert response.status_code == 400
        assert "This field is required." in response.content.decode()

    check.refresh_from_db()
    assert check.answer == CheckAnswer.PENDING


def test_a_check_is_its_students_alone(client, tree, crisis):
    check = check_of(crisis, tree["student"])
    address = url("stays:check_detail", check_id=check.pk)

    assert client.get(address).status_code == 302  # to the login page
    for other in ("other_student", "nurse", "staff"):
        login(client, tree[other])
        assert client.get(address).status_code == 404
        assert client.post(address, {"answer": "help"}).status_code == 404
    check.refresh_from_db()
    assert check.answer == CheckAnswer.PENDING


def test_a_closed_crisis_shows_the_check_without_the_form(client, tree, crisis):
    from onboarding.stays.services.crisis import crisis_close

    crisis_close(crisis=crisis, user=tree["staff"])
    login(client, tree["student"])
    check = check_of(crisis, tree["student"])

    html = client.get(url("stays:check_detail", check_id=check.pk)).content.decode()
    response = client.post(url("stays:check_detail", check_id=check.pk), {"answer": "safe"})

    assert "This crisis was closed" in html and "data-send-answer" not in html
    assert response.status_code == 400
    assert "answers are no longer recorded" in response.content.decode()


# --- The admin ---------------------------------------------------------------------------------


def test_staff_declare_a_crisis_in_the_admin(client, tree):
    stay_make(tree["student"], city="València", country="ES")
    login(client, tree["staff"], admin=True)
    form = client.get(url("crises_admin:declare"))
    assert form.status_code == 200

    response = client.post(
        url("crises_admin:declare"),
        {
            "title_nb": "Jordskjelv i Valencia",
            "title_en": "Earthquake in Valencia",
            "message_nb": "Hold deg trygg.",
            "message_en": "Keep safe.",
            "severity": "critical",
            "duty_officer": str(tree["staff"].pk),
            "reminder_hours": "4",
            "acknowledge_minutes": "30",
            "areas-TOTAL_FORMS": "5",
            "areas-INITIAL_FORMS": "0",
            "areas-0-country": "ES",
            "areas-0-city": "valencia",
            "areas-1-country": "",
            "areas-1-city": "",
        },
    )

    crisis = Crisis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("crises_admin:board", crisis_id=crisis.pk)
    assert (crisis.title_nb, crisis.title_en, crisis.reminder_hours) == (
        "Jordskjelv i Valencia",
        "Earthquake in Valencia",
        4,
    )
    assert SafetyCheck.objects.get(crisis=crisis).student == tree["student"]
    assert Notification.objects.filter(kind=CHECK_KIND, recipient=tree["student"]).exists()


def test_declaring_without_an_area_or_english_text_shows_the_errors(client, tree):
    login(client, tree["staff"], admin=True)

    response = client.post(
        url("crises_admin:declare"),
        {
            "title_nb": "Flom",
            "title_en": "",
            "message_nb": "Hold deg inne.",
            "message_en": "Stay in.",
            "severity": "serious",
            "duty_officer": str(tree["staff"].pk),
            "reminder_hours": "6",
            "acknowledge_minutes": "60",
            "areas-TOTAL_FORMS": "5",
            "areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert not Crisis.objects.exists()

    response = client.post(
        url("crises_admin:declare"),
        {
            "title_nb": "Flom",
            "title_en": "Floods",
            "message_nb": "Hold deg inne.",
            "message_en": "Stay in.",
            "severity": "serious",
            "duty_officer": str(tree["staff"].pk),
            "reminder_hours": "6",
            "acknowledge_minutes": "60",
            "areas-TOTAL_FORMS": "5",
            "areas-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "Name at least one affected country" in response.content.decode()
    assert not Crisis.objects.exists()


def test_faculty_editors_may_not_declare(client, tree):
    login(client, tree["it_editor"], admin=True)

    response = client.get(url("crises_admin:declare"))

    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def board_people(client, crisis, **query):
    response = client.get(url("crises_admin:board", crisis_id=crisis.pk), query)
    assert response.status_code == 200
    return response, set(
        SafetyCheck.objects.filter(
            pk__in=[row.check.pk for row in response.context["board"].rows]
        ).values_list("student__email", flat=True)
    )


def test_staff_see_every_student_and_each_faculty_its_own(client, tree, crisis):
    expectations = {
        "staff": {"student@example.test", "nurse@example.test", "cs-student@example.test"},
        "it_editor": {"cs-student@example.test"},
        "cs_adviser": {"cs-student@example.test"},
        "health_editor": {"nurse@example.test"},
    }
    for role, people in expectations.items():
        login(client, tree[role], admin=True)
        response, shown = board_people(client, crisis)
        assert shown == people, role
        assert response.context["board"].counts.checks == len(people)
        state = client.get(url("crises_admin:board_state", crisis_id=crisis.pk))
        assert state.status_code == 200 and "no-store" in state["Cache-Control"]
        listed = client.get(url("crises_admin:list")).context["rows"]
        assert listed[0][1].checks == len(people)


@pytest.mark.parametrize("language", ["en", "nb"])
def test_the_board_lists_calls_for_help_first_with_their_clock(client, tree, crisis, language):
    tree["staff"].language = language
    tree["staff"].save(update_fields=["language"])
    now = timezone.now()
    check_answer(check=check_of(crisis, tree["nurse"]), student=tree["nurse"], answer="safe")
    check_answer(
        check=check_of(crisis, tree["student"]),
        student=tree["student"],
        answer="help",
        message="Water in the house",
        now=now - datetime.timedelta(minutes=50),
    )
    login(client, tree["staff"], admin=True)

    response, _shown = board_people(client, crisis)

    board = response.context["board"]
    first = board.rows[0]
    assert first.check.student == tree["student"]
    assert (first.clock.minutes, first.clock.light) == (50, "amber")
    assert (board.counts.safe, board.counts.help, board.counts.pending) == (1, 1, 1)
    html = response.content.decode()
    assert "Water in the house" in html
    assert {"en": "Acknowledge", "nb": "Bekreft"}[language] in html
    _response, helpers = board_people(client, crisis, answer="help")
    assert helpers == {"student@example.test"}


def test_the_duty_officer_acknowledges_from_the_board(client, tree, crisis):
    check = check_of(crisis, tree["student"])
    check_answer(check=check, student=tree["student"], answer="help")
    address = url("crises_admin:acknowledge", crisis_id=crisis.pk, check_id=check.pk)

    login(client, tree["it_editor"], admin=True)
    assert client.post(address).status_code == 302
    check.refresh_from_db()
    assert check.acknowledged_at is None  # refused: not the duty officer nor staff

    login(client, tree["staff"], admin=True)
    response = client.post(address, {"next": url("crises_admin:board", crisis_id=crisis.pk)})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#check-{check.pk}")
    check.refresh_from_db()
    assert check.acknowledged_by == tree["staff"]


def test_staff_close_a_crisis_after_confirming(client, tree, crisis):
    login(client, tree["staff"], admin=True)
    address = url("crises_admin:close", crisis_id=crisis.pk)

    assert client.get(address).status_code == 200
    response = client.post(address)

    crisis.refresh_from_db()
    assert response.status_code == 302
    assert crisis.closed_at is not None and crisis.summary["checks"] == 3
    board = client.get(url("crises_admin:board", crisis_id=crisis.pk)).content.decode()
    assert "At closing: 3 students reached" in board
    listed = client.get(url("crises_admin:list")).content.decode()
    assert "Flooding in Valencia" in listed and "Closed" in listed
