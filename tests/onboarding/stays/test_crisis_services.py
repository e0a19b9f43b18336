"""Crises and safety checks: who is reached, declaring, answering, acknowledging, closing."""

import datetime
import re
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from onboarding.live.models import Notification
from onboarding.stays.errors import CrisisError
from onboarding.stays.models import CheckAnswer, Crisis, SafetyCheck
from onboarding.stays.selectors.crisis import place_key
from onboarding.stays.services.crisis import (
    CHECK_KIND,
    HELP_KIND,
    check_acknowledge,
    check_answer,
    crisis_close,
    stays_reached,
)
from onboarding.stays.tokens import answer_token_read
from onboarding.units.services import international_staff_add
from tests.factories import UserFactory

from .crisis_factories import AUTUMN, at, declare
from .factories import stay_make

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def checked(crisis):
    """{student: stay} of a crisis's checks."""
    return {check.student: check.stay for check in SafetyCheck.objects.filter(crisis=crisis)}


def codes(error):
    return error.value.code


# --- Who is reached ----------------------------------------------------------------------------


def test_a_stay_overlapping_today_is_reached_at_both_ends_and_not_a_day_beyond(tree):
    day = today()
    people = {name: UserFactory() for name in ("ends", "starts", "ended", "later")}
    ends = stay_make(
        people["ends"], city="Valencia", country="ES", starts_on=day - 30 * DAY, ends_on=day
    )
    starts = stay_make(
        people["starts"], city="Valencia", country="ES", starts_on=day, ends_on=day + 9 * DAY
    )
    stay_make(
        people["ended"], city="Valencia", country="ES", starts_on=day - 9 * DAY, ends_on=day - DAY
    )
    stay_make(
        people["later"], city="Valencia", country="ES", starts_on=day + DAY, ends_on=day + 9 * DAY
    )

    crisis = declare(tree["staff"]).crisis

    assert checked(crisis) == {people["ends"]: ends, people["starts"]: starts}


def test_today_is_the_date_in_oslo(tree):
    # 22:30 in UTC on 30 June is 00:30 on 1 July in Oslo: a stay starting 1 July is reached.
    person = UserFactory()
    stay = stay_make(
        person,
        city="Kyoto",
        country="JP",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 20),
    )
    moment = datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC)

    crisis = declare(tree["staff"], areas=[("JP", "")], now=moment).crisis

    assert checked(crisis) == {person: stay}


def test_a_city_reaches_only_that_city_and_a_country_the_whole_country(tree):
    people = {name: UserFactory() for name in ("valencia", "madrid", "venezuela", "lisbon")}
    valencia = stay_make(people["valencia"], city="Valencia", country="ES")
    madrid = stay_make(people["madrid"], city="Madrid", country="ES")
    stay_make(people["venezuela"], city="Valencia", country="VE")
    lisbon = stay_make(people["lisbon"], city="Lisboa", country="PT")

    by_city = declare(tree["staff"], areas=[("ES", "Valencia")]).crisis
    by_country = declare(tree["staff"], areas=[("ES", ""), ("PT", "")]).crisis

    assert checked(by_city) == {people["valencia"]: valencia}
    assert checked(by_country) == {
        people["valencia"]: valencia,
        people["madrid"]: madrid,
        people["lisbon"]: lisbon,
    }


def test_cities_match_without_accents_case_or_extra_spaces(tree):
    people = [UserFactory() for _ in range(4)]
    spellings = ["VALENCIA", "  valencia ", "València", "Valencia"]
    for person, city in zip(people, spellings, strict=True):
        stay_make(person, city=city, country="ES")
    stay_make(UserFactory(), city="Valence", country="ES")

    crisis = declare(tree["staff"], areas=[("es", "valéncia")]).crisis

    assert set(checked(crisis)) == set(people)
    assert place_key(" Zürich ") == place_key("zurich") == "zurich"
    assert place_key("Málaga  de  Sur") == "malaga de sur"


def test_a_student_with_two_stays_there_gets_one_check_for_the_first(tree):
    person = tree["student"]
    day = today()
    first = stay_make(
        person, city="Valencia", country="ES", starts_on=day - 60 * DAY, ends_on=day + 5 * DAY
    )
    stay_make(
        person, city="Valencia", country="ES", starts_on=day - 10 * DAY, ends_on=day + 90 * DAY
    )

    crisis = declare(tree["staff"]).crisis

    assert checked(crisis) == {person: first}
    assert Notification.objects.filter(recipient=person, kind=CHECK_KIND).count() == 1


def test_a_stay_elsewhere_does_not_count_for_the_first_stay_there(tree):
    person = tree["student"]
    day = today()
    stay_make(person, city="Madrid", country="ES", starts_on=day - 60 * DAY, ends_on=day + 5 * DAY)
    there = stay_make(person, city="Valencia", country="ES", starts_on=day - 10 * DAY)

    assert stays_reached(areas=[("ES", "Valencia")], today=day) == {person.pk: there.pk}


def test_deactivated_accounts_are_not_reached(tree):
    gone = UserFactory(is_active=False)
    stay_make(gone, city="Valencia", country="ES")

    assert declare(tree["staff"]).reached == 0


# --- Declaring ---------------------------------------------------------------------------------


def test_only_staff_declare(tree):
    for role in ("student", "it_editor", "cs_adviser"):
        with pytest.raises(CrisisError) as error:
            declare(tree[role], duty_officer=tree["staff"])
        assert codes(error) == "forbidden"
    assert not Crisis.objects.exists()


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"title_en": " "}, "required", "title_en"),
        ({"message_nb": ""}, "required", "message_nb"),
        ({"title_nb": "x" * 201}, "too_long", "title_nb"),
        ({"severity": "apocalyptic"}, "severity", "severity"),
        ({"areas": []}, "no_area", "areas"),
        ({"areas": [("XX", "")]}, "unknown_country", "areas"),
        ({"reminder_hours": 0}, "out_of_range", "reminder_hours"),
        ({"acknowledge_minutes": 24 * 60 + 1}, "out_of_range", "acknowledge_minutes"),
    ],
)
def test_declaring_refuses_what_is_missing_or_wrong_and_changes_nothing(tree, changes, code, field):
    stay_make(tree["student"], city="Valencia", country="ES")
    with pytest.raises(CrisisError) as error:
        declare(tree["staff"], **changes)
    assert (error.value.code, error.value.field) == (code, field)
    assert not Crisis.objects.exists() and not SafetyCheck.objects.exists()


def test_the_duty_officer_is_one_of_the_staff(tree):
    with pytest.raises(CrisisError) as error:
        declare(tree["staff"], duty_officer=tree["it_editor"])
    assert (error.value.code, error.value.field) == ("duty_officer", "duty_officer")


def test_a_country_named_whole_covers_its_cities_and_areas_are_kept_once(tree):
    crisis = declare(
        tree["staff"], areas=[("ES", "Valencia"), ("ES", ""), ("PT", "Porto"), ("PT", "porto")]
    ).crisis

    assert sorted((str(a.country.code), a.city) for a in crisis.areas.all()) == [
        ("ES", ""),
        ("PT", "Porto"),
    ]


def test_each_student_is_told_in_their_language_with_their_own_answer_links(
    tree, django_capture_on_commit_callbacks
):
    nurse, student = tree["nurse"], tree["student"]  # Bokmål and English
    for person in (nurse, student):
        stay_make(person, city="Valencia", country="ES")

    with django_capture_on_commit_callbacks(execute=True):
        crisis = declare(tree["staff"]).crisis

    checks = {check.student_id: check for check in SafetyCheck.objects.filter(crisis=crisis)}
    for person, words, path in (
        (nurse, "Er du trygg? Flom i Valencia", "/nb/utveksling/utlandet/"),
        (student, "Are you safe? Flooding in Valencia", "/en/exchange/abroad/"),
    ):
        notification = Notification.objects.get(recipient=person, kind=CHECK_KIND)
        check = checks[person.pk]
        assert notification.subject == words
        assert notification.url.startswith(path) and notification.url.endswith(f"/{check.pk}/")
        tokens = re.findall(rf"{re.escape(path)}[^/\s]+/[^/\s]+/([^/\s]+)/", notification.body)
        answers = [answer_token_read(token) for token in tokens]
        assert [(a.check_id, a.student_id, a.answer) for a in answers] == [
            (check.pk, person.pk, CheckAnswer.SAFE),
            (check.pk, person.pk, CheckAnswer.HELP),
        ]
        (email,) = [m for m in mail.outbox if m.to == [person.email]]
        assert tokens[0] in email.body and tokens[1] in email.body
        assert "http://" in email.body  # the links are whole addresses
    norwegian = Notification.objects.get(recipient=nurse, kind=CHECK_KIND).body
    assert "Jeg er trygg: http://" in norwegian and "Jeg trenger hjelp: http://" in norwegian


def test_declaring_hints_the_board_and_the_students_pages_after_commit(
    tree, django_capture_on_commit_callbacks
):
    stay_make(tree["student"], city="Valencia", country="ES")
    with (
        mock.patch("onboarding.live.services._group_send_many") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        crisis = declare(tree["staff"]).crisis

    groups = [group for (messages,), _ in send.call_args_list for group, _message in messages]
    assert f"topic.crisis.{crisis.pk}" in groups
    assert "topic.safety.checks" in groups


@pytest.mark.stack
def test_declaring_costs_the_same_queries_for_10_and_50_students(
    tree, django_capture_on_commit_callbacks
):
    def students(count, city):
        for index in range(count):
            stay_make(UserFactory(language=("nb", "en")[index % 2]), city=city, country="ES")

    students(10, "Sevilla")
    students(50, "Bilbao")

    def cost(city):
        staff = type(tree["staff"]).objects.get(pk=tree["staff"].pk)  # no cached permissions
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            declared = declare(staff, areas=[("ES", city)])
        return declared.reached, len(queries)

    small, large = cost("Sevilla"), cost("Bilbao")
    assert (small[0], large[0]) == (10, 50)
    assert small[1] == large[1]


# --- Answering ---------------------------------------------------------------------------------


@pytest.fixture
def valencia(tree):
    """A crisis in Valencia with the student's check; the student in English."""
    stay_make(
        tree["student"], city="Valencia", country="ES", local_phone="+34 600 000 000", **AUTUMN
    )
    crisis = declare(tree["staff"], now=at(2026, 10, 1, 9)).crisis
    return crisis, SafetyCheck.objects.get(crisis=crisis)


def test_answering_safe_then_help_changes_the_one_answer(tree, valencia):
    crisis, check = valencia
    check_answer(check=check, student=tree["student"], answer="safe", now=at(2026, 10, 1, 10))
    check_answer(
        check=check,
        student=tree["student"],
        answer="help",
        message="The water is rising.",
        now=at(2026, 10, 1, 11),
    )

    (check,) = SafetyCheck.objects.filter(crisis=crisis)
    assert (check.answer, check.answer_count, check.message) == ("help", 2, "The water is rising.")
    assert check.answered_at == check.help_asked_at == at(2026, 10, 1, 11)


def test_the_same_answer_again_counts_once_more_and_is_still_one_row(tree, valencia):
    _crisis, check = valencia
    for _ in range(2):
        check_answer(check=check, student=tree["student"], answer="safe")

    assert SafetyCheck.objects.filter(student=tree["student"]).count() == 1
    check.refresh_from_db()
    assert (check.answer, check.answer_count) == ("safe", 2)


def test_a_call_for_help_tells_the_duty_officer_and_a_later_safe_clears_it(tree, valencia):
    _crisis, check = valencia
    check_answer(
        check=check,
        student=tree["student"],
        answer="help",
        message="Trapped",
        now=at(2026, 10, 1, 10),
    )
    check_answer(
        check=check,
        student=tree["student"],
        answer="help",
        message="Still",
        now=at(2026, 10, 1, 10, 20),
    )
    check.refresh_from_db()
    # A call that is still waiting keeps the time it started; its clock runs on.
    assert check.help_asked_at == at(2026, 10, 1, 10)
    calls = Notification.objects.filter(recipient=tree["staff"], kind=HELP_KIND)
    assert calls.count() == 2
    body = calls.first().body
    assert "Trapped" in body or "Still" in body
    assert "+34 600 000 000" in body and "Valencia" in body
    assert calls.first().url.startswith(f"/admin/crises/{check.crisis_id}/#check-{check.pk}")

    check_answer(check=check, student=tree["student"], answer="safe", now=at(2026, 10, 1, 11))
    check.refresh_from_db()
    assert (check.answer, check.help_asked_at, check.acknowledged_at) == ("safe", None, None)


def test_a_call_for_help_goes_to_the_staff_when_the_duty_officer_has_left(tree, valencia):
    crisis, check = valencia
    officer = UserFactory(email="officer@example.test")
    international_staff_add(user=officer)
    Crisis.objects.filter(pk=crisis.pk).update(duty_officer=officer)
    type(officer).objects.filter(pk=officer.pk).update(is_active=False)

    check_answer(check=check, student=tree["student"], answer="help")

    told = set(Notification.objects.filter(kind=HELP_KIND).values_list("recipient", flat=True))
    assert tree["staff"].pk in told and officer.pk not in told


def test_only_the_student_answers_their_check(tree, valencia):
    _crisis, check = valencia
    for other in (tree["other_student"], tree["staff"]):
        with pytest.raises(CrisisError) as error:
            check_answer(check=check, student=other, answer="safe")
        assert codes(error) == "not_yours"
    check.refresh_from_db()
    assert (check.answer, check.answer_count) == ("pending", 0)


def test_an_answer_must_be_safe_or_help_and_its_message_short(tree, valencia):
    _crisis, check = valencia
    with pytest.raises(CrisisError) as error:
        check_answer(check=check, student=tree["student"], answer="pending")
    assert codes(error) == "invalid_answer"
    with pytest.raises(CrisisError) as error:
        check_answer(check=check, student=tree["student"], answer="safe", message="x" * 2001)
    assert codes(error) == "too_long"


def test_after_closing_an_answer_is_refused_and_nothing_changes(tree, valencia):
    crisis, check = valencia
    crisis_close(crisis=crisis, user=tree["staff"])
    with pytest.raises(CrisisError) as error:
        check_answer(check=check, student=tree["student"], answer="help")
    assert codes(error) == "closed"
    assert "closed" in str(error.value.message)
    check.refresh_from_db()
    assert (check.answer, check.answer_count) == ("pending", 0)


# --- Acknowledging -----------------------------------------------------------------------------


def test_the_duty_officer_or_staff_acknowledge_a_call_once(tree, valencia):
    crisis, check = valencia
    check_answer(check=check, student=tree["student"], answer="help", now=at(2026, 10, 1, 10))
    for role in ("it_editor", "student"):
        with pytest.raises(CrisisError) as error:
            check_acknowledge(check=check, user=tree[role])
        assert codes(error) == "forbidden"

    done = check_acknowledge(check=check, user=tree["staff"], now=at(2026, 10, 1, 10, 12))

    assert (done.acknowledged_by, done.acknowledged_at) == (tree["staff"], at(2026, 10, 1, 10, 12))
    with pytest.raises(CrisisError) as error:
        check_acknowledge(check=check, user=tree["staff"])
    assert codes(error) == "already_acknowledged"


def test_there_is_nothing_to_acknowledge_without_a_call_for_help(tree, valencia):
    _crisis, check = valencia
    check_answer(check=check, student=tree["student"], answer="safe")
    with pytest.raises(CrisisError) as error:
        check_acknowledge(check=check, user=tree["staff"])
    assert codes(error) == "no_call"


def test_a_new_call_after_an_acknowledged_one_starts_a_new_clock(tree, valencia):
    _crisis, check = valencia
    check_answer(check=check, student=tree["student"], answer="help", now=at(2026, 10, 1, 10))
    check_acknowledge(check=check, user=tree["staff"], now=at(2026, 10, 1, 10, 5))
    check_answer(check=check, student=tree["student"], answer="help", now=at(2026, 10, 1, 12))

    check.refresh_from_db()
    assert (check.help_asked_at, check.acknowledged_at) == (at(2026, 10, 1, 12), None)


# --- Closing -----------------------------------------------------------------------------------


def test_closing_keeps_the_counts_and_is_for_staff_once(tree, valencia):
    crisis, check = valencia
    stay_make(tree["nurse"], city="Valencia", country="ES", **AUTUMN)
    # Another crisis: its checks do not count here.
    other = declare(tree["staff"], now=at(2026, 10, 1, 9)).crisis
    check_answer(check=check, student=tree["student"], answer="help")
    with pytest.raises(CrisisError) as error:
        crisis_close(crisis=crisis, user=tree["it_editor"])
    assert codes(error) == "forbidden"

    closed = crisis_close(crisis=crisis, user=tree["staff"], now=at(2026, 10, 5, 16))

    assert (closed.closed_at, closed.closed_by) == (at(2026, 10, 5, 16), tree["staff"])
    assert {key: closed.summary[key] for key in ("checks", "safe", "help", "pending")} == {
        "checks": 1,
        "safe": 0,
        "help": 1,
        "pending": 0,
    }
    assert other.closed_at is None
    with pytest.raises(CrisisError) as error:
        crisis_close(crisis=crisis, user=tree["staff"])
    assert codes(error) == "already_closed"


# --- The notifications -------------------------------------------------------------------------

CRISIS_CONTEXT = {
    "number": 1,
    "title": {"nb": "Flom i Valencia", "en": "Flooding in Valencia"},
    "message": {"nb": "Hold deg inne.", "en": "Stay indoors."},
    "severity": "serious",
}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nb",
            {
                "safety_check": ("Er du trygg? Flom i Valencia", "Hold deg inne."),
                "safety_check_reminder": ("Påminnelse: er du trygg?", "Vi har ikke hørt fra deg"),
                "crisis_help_asked": ("Ana Silva trenger hjelp", "Hvor: Valencia, Spania"),
            },
        ),
        (
            "en",
            {
                "safety_check": ("Are you safe? Flooding in Valencia", "Stay indoors."),
                "safety_check_reminder": ("Reminder: are you safe?", "We have not heard from you"),
                "crisis_help_asked": ("Ana Silva needs help", "Where: Valencia, Spain"),
            },
        ),
    ],
)
def test_each_kind_renders_in_the_readers_language(language, expected):
    from onboarding.live.services import notification_render

    context = {
        "crisis": CRISIS_CONTEXT,
        "student": "Ana Silva",
        "email": "ana@example.test",
        "phone": "+34 600 000 000",
        "city": "Valencia",
        "country": "ES",
        "message": "Help",
        "asked_at": "2026-10-01T10:00:00+02:00",
        "minutes": 30,
    }
    for kind, (subject_words, body_words) in expected.items():
        subject, body = notification_render(kind=kind, context=context, language=language)
        assert subject_words in subject, kind
        assert body_words in body, kind
