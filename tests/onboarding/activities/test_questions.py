"""Signup questions: answers checked before anything is written, changed until the start, shown
to organisers, erased when personal, exported and deleted with the account."""

import csv
import dataclasses
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from onboarding.activities.errors import SignupError
from onboarding.activities.models import EventPage, EventQuestion, Signup, SignupAnswer
from onboarding.activities.services import (
    occurrences_create,
    recurrence_create,
    signup_answers_update,
    signup_cancel,
    signup_create,
)
from onboarding.privacy.export import personal_data_copy
from onboarding.privacy.register import RegisterError, Retention, _check, personal_data_register
from onboarding.privacy.services import account_erase, retention_apply
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create, series_create
from tests.onboarding.activities.test_recurring import MARCH, occurrences, weekly
from tests.onboarding.checklists.test_admin_form import edit_form
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db
LANGUAGES = ["nb", "en"]


def question_add(event, *, label=("Spørsmål", "Question"), **fields):
    question = EventQuestion(event=event, sort_order=event.questions.count(), **fields)
    question.label_nb, question.label_en = label
    question.save()
    return question


def diet(event, **fields):
    return question_add(
        event,
        label=("Kosthold", "Diet"),
        kind="choice",
        choices_nb="Alt\nVegetar\nVegan",
        choices_en="Everything\nVegetarian\nVegan",
        required=True,
        **fields,
    )


def contact(event, **fields):
    return question_add(
        event,
        label=("Kontaktperson", "Emergency contact"),
        kind="text",
        required=True,
        personal=True,
        **fields,
    )


def sleeping_bag(event):
    return question_add(event, label=("Sovepose?", "Sleeping bag?"), kind="yes_no")


@pytest.fixture
def trip(unit):
    event = event_create(unit, capacity=10, title_nb="Hyttetur", title_en="Cabin trip")
    return {
        "event": event,
        "diet": diet(event),
        "contact": contact(event),
        "bag": sleeping_bag(event),
    }


def answers_for(trip, *, diet="2", contact="Maria, 900 00 000", bag=""):
    return {trip["diet"].pk: diet, trip["contact"].pk: contact, trip["bag"].pk: bag}


def url(name, language="en", *args):
    with translation.override(language):
        return reverse(f"activities:{name}", args=args)


def field(question):
    return f"answers-q{question.pk}"


# --- The service ------------------------------------------------------------------------------


def test_a_signup_stores_its_answers_in_words_and_by_number(trip, student):
    signup = signup_create(event=trip["event"], user=student, answers=answers_for(trip, bag="1"))

    answers = {a.question_id: a for a in signup.answers.all()}
    assert (answers[trip["diet"].pk].value, answers[trip["diet"].pk].choice) == ("Vegetarian", 2)
    assert answers[trip["contact"].pk].value == "Maria, 900 00 000"
    assert answers[trip["bag"].pk].choice == 1
    with translation.override("nb"):
        assert answers[trip["diet"].pk].text == "Vegetar"
        assert answers[trip["bag"].pk].text == "Ja"


def test_missing_required_answers_refuse_the_signup_and_write_nothing(trip, student):
    with pytest.raises(SignupError) as caught:
        signup_create(event=trip["event"], user=student, answers={trip["bag"].pk: "1"})

    assert caught.value.code == "answers_invalid"
    assert set(caught.value.errors) == {trip["diet"].pk, trip["contact"].pk}
    assert not Signup.objects.filter(person=student).exists()
    assert not SignupAnswer.objects.exists()


@pytest.mark.parametrize("given", ["4", "0", "Vegan", "-1"])
def test_a_choice_not_among_the_choices_is_refused(trip, student, given):
    with pytest.raises(SignupError) as caught:
        signup_create(event=trip["event"], user=student, answers=answers_for(trip, diet=given))

    assert caught.value.errors == {trip["diet"].pk: "Choose one of the answers given."}
    assert not Signup.objects.exists()


def test_yes_or_no_takes_only_yes_or_no(trip, student):
    with pytest.raises(SignupError) as caught:
        signup_create(event=trip["event"], user=student, answers=answers_for(trip, bag="3"))
    assert trip["bag"].pk in caught.value.errors

    signup = signup_create(event=trip["event"], user=student, answers=answers_for(trip, bag="2"))
    assert signup.answers.get(question=trip["bag"]).value == "No"


def test_an_optional_question_may_be_left_unanswered(trip, student):
    signup = signup_create(event=trip["event"], user=student, answers=answers_for(trip))

    assert not signup.answers.filter(question=trip["bag"]).exists()


def test_changing_answers_replaces_them_until_the_event_starts(trip, student):
    signup = signup_create(event=trip["event"], user=student, answers=answers_for(trip, bag="1"))

    signup_answers_update(
        signup=signup, user=student, answers=answers_for(trip, diet="3", contact="Jon, 911")
    )

    assert {a.question_id: a.value for a in signup.answers.all()} == {
        trip["diet"].pk: "Vegan",
        trip["contact"].pk: "Jon, 911",
    }
    later = trip["event"].start_at
    with pytest.raises(SignupError) as caught:
        signup_answers_update(signup=signup, user=student, answers=answers_for(trip), now=later)
    assert caught.value.code == "answers_closed"


def test_only_the_person_changes_their_answers(trip, student):
    signup = signup_create(event=trip["event"], user=student, answers=answers_for(trip))

    with pytest.raises(SignupError) as caught:
        signup_answers_update(signup=signup, user=UserFactory(), answers=answers_for(trip))
    assert caught.value.code == "forbidden"


def test_cancelling_drops_the_answers_and_a_new_signup_answers_again(trip, student):
    signup = signup_create(event=trip["event"], user=student, answers=answers_for(trip, bag="1"))
    signup_cancel(signup=signup, user=student)
    assert not SignupAnswer.objects.exists()

    again = signup_create(event=trip["event"], user=student, answers=answers_for(trip))
    assert again.pk == signup.pk
    assert again.answers.count() == 2


def test_deleting_a_question_deletes_its_answers(trip, student):
    signup_create(event=trip["event"], user=student, answers=answers_for(trip))

    trip["contact"].delete()

    assert list(SignupAnswer.objects.values_list("question_id", flat=True)) == [trip["diet"].pk]


# --- The page's rules -------------------------------------------------------------------------


def test_a_choice_question_needs_two_choices_in_both_languages(unit):
    event = event_create(unit)
    question = EventQuestion(event=event, kind="choice", choices_nb="Ja", choices_en="Yes\nNo")
    question.label_nb = question.label_en = "?"

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        question.clean()

    assert caught.value.message_dict == {"choices_nb": ["Give at least two choices, one a line."]}


def test_a_choice_question_needs_as_many_choices_in_each_language(unit):
    event = event_create(unit)
    question = EventQuestion(event=event, kind="choice", choices_nb="A\nB\nC", choices_en="A\nB")

    with translation.override("nb"), pytest.raises(ValidationError) as caught:
        question.clean()

    assert caught.value.message_dict["choices_en"] == [
        "Gi de samme valgene på begge språk: 3 på norsk og 2 på engelsk."
    ]


def test_a_question_is_asked_in_both_languages_unless_the_page_is_in_one(unit):
    event = event_create(unit)
    question = EventQuestion(event=event, kind="text", label_nb="Kosthold", label_en="")

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        question.clean()
    assert caught.value.message_dict == {"label_en": ["Give the question in both languages."]}

    event.single_language = "nb"
    question.clean()


def test_the_page_refuses_to_publish_a_bad_choice_question(unit):
    event = event_create(unit)
    question = EventQuestion(kind="choice", choices_nb="A\nB", choices_en="A")
    question.label_nb, question.label_en = "Mat", "Food"
    event.questions = [question]

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        event.full_clean()

    assert "Check the signup questions: Food: Give at least two choices" in str(caught.value)


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, editor):
    client.force_login(mfa_enable(editor))
    return client


def _with_question(data, **question):
    data.update(
        {
            # The reserved places' StreamField, which the admin's script writes: none.
            "pools-count": "0",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
            "questions-0-id": "",
            "questions-0-ORDER": "1",
            "questions-0-DELETE": "",
            "questions-0-label_nb": "Kosthold",
            "questions-0-label_en": "Diet",
            "questions-0-help_text_nb": "",
            "questions-0-help_text_en": "",
            "questions-0-kind": "choice",
            "questions-0-choices_nb": "Alt\nVegetar",
            "questions-0-choices_en": "Everything\nVegetarian",
            "questions-0-required": "on",
            **question,
        }
    )
    data["action-publish"] = "action-publish"
    return data


def test_an_editor_adds_a_question_in_the_admin(editor_client, unit):
    event = event_create(unit)
    data = _with_question(edit_form(editor_client, event))

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data)

    assert response.status_code == 302, response.content.decode()[-3000:]
    (question,) = EventPage.objects.get(pk=event.pk).questions.all()
    assert (question.label_nb, question.label_en, question.kind) == ("Kosthold", "Diet", "choice")
    assert question.required and not question.personal
    assert question.choice_list("en") == ["Everything", "Vegetarian"]


def test_the_admin_refuses_a_choice_question_with_uneven_choices(editor_client, unit):
    event = event_create(unit)
    data = _with_question(
        edit_form(editor_client, event), **{"questions-0-choices_en": "Everything"}
    )

    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data)

    assert response.status_code == 200
    assert "Gi minst to valg, ett på hver linje." in response.content.decode()
    assert not EventQuestion.objects.filter(event=event).exists()


# --- Signing up on the page -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_event_page_shows_the_questions_in_the_readers_language(
    client, trip, student, language
):
    client.force_login(student)
    with translation.override(language):
        page = client.get(trip["event"].get_url()).content.decode()

    assert f'name="{field(trip["diet"])}"' in page
    words = {"nb": ("Kosthold (må besvares)", "Vegetar"), "en": ("Diet (required)", "Vegetarian")}
    for word in words[language]:
        assert word in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_signup_without_required_answers_shows_the_errors_and_writes_nothing(
    client, trip, student, language
):
    client.force_login(student)

    response = client.post(url("signup", language, trip["event"].pk), {field(trip["bag"]): "1"})

    assert response.status_code == 400
    page = response.content.decode()
    assert {"nb": "Svar på dette spørsmålet.", "en": "Answer this question."}[language] in page
    assert 'aria-invalid="true"' in page
    assert not Signup.objects.exists() and not SignupAnswer.objects.exists()


def test_a_signup_with_answers_stores_them_and_returns_to_the_event(client, trip, student):
    client.force_login(student)

    response = client.post(
        url("signup", "en", trip["event"].pk),
        {field(trip["diet"]): "3", field(trip["contact"]): "Maria", field(trip["bag"]): "2"},
    )

    assert response.status_code == 302
    signup = Signup.objects.get(person=student)
    assert sorted(signup.answers.values_list("value", flat=True)) == ["Maria", "No", "Vegan"]


def test_the_json_signup_answers_the_errors_by_field(client, trip, student):
    client.force_login(student)

    response = client.post(
        url("signup", "en", trip["event"].pk),
        {field(trip["diet"]): "9", field(trip["contact"]): "Maria"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200  # the form again, with its errors
    data = response.json()
    assert data["ok"] is False and data["code"] == "answers_invalid"
    assert list(data["errors"]) == [field(trip["diet"])]
    assert 'aria-invalid="true"' in data["panel_html"]
    assert not Signup.objects.exists()


def test_a_person_signed_up_sees_and_changes_their_answers(client, trip, student):
    signup_create(event=trip["event"], user=student, answers=answers_for(trip))
    client.force_login(student)
    page = client.get(trip["event"].get_url()).content.decode()
    assert "Your answers to the organisers" in page and "Vegetarian" in page

    response = client.post(
        url("answers", "en", trip["event"].pk),
        {field(trip["diet"]): "1", field(trip["contact"]): "Jon", field(trip["bag"]): "1"},
    )

    assert response.status_code == 302
    values = sorted(SignupAnswer.objects.values_list("value", flat=True))
    assert values == ["Everything", "Jon", "Yes"]


def test_changed_answers_are_checked_too(client, trip, student):
    signup_create(event=trip["event"], user=student, answers=answers_for(trip))
    client.force_login(student)

    response = client.post(url("answers", "en", trip["event"].pk), {field(trip["diet"]): "1"})

    assert response.status_code == 400
    assert SignupAnswer.objects.get(question=trip["contact"]).value == "Maria, 900 00 000"


def test_answers_of_someone_not_signed_up_are_refused(client, trip, student):
    client.force_login(student)

    response = client.post(url("answers", "en", trip["event"].pk), answers_for(trip))

    assert response.status_code == 302
    assert not SignupAnswer.objects.exists()


# --- Organisers -------------------------------------------------------------------------------


@pytest.fixture
def answered(trip):
    ana = UserFactory(first_name="Ana", last_name="Silva")
    kari = UserFactory(first_name="Kari", last_name="Nordmann")
    signup_create(event=trip["event"], user=ana, answers=answers_for(trip, bag="1"))
    signup_create(
        event=trip["event"], user=kari, answers=answers_for(trip, diet="1", contact="Ola")
    )
    return {"ana": ana, "kari": kari}


def test_the_attendee_list_shows_the_answers(client, trip, answered, editor):
    client.force_login(editor)

    page = client.get(url("attendees", "nb", trip["event"].pk)).content.decode()

    assert '<th scope="col">Kosthold</th>' in page
    assert "<td>Vegetar</td>" in page and "<td>Alt</td>" in page
    assert "<td>Ola</td>" in page and "<td>Ja</td>" in page


@pytest.mark.parametrize(
    ("language", "header", "diet"),
    [("en", ["Diet", "Emergency contact", "Sleeping bag?"], "Vegetarian"), ("nb", None, "Vegetar")],
)
def test_the_csv_has_a_column_per_question_in_the_readers_language(
    client, trip, answered, editor, language, header, diet
):
    client.force_login(editor)

    response = client.get(url("attendees_csv", language, trip["event"].pk))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][-3:] == (header or ["Kosthold", "Kontaktperson", "Sovepose?"])
    ana = next(row for row in rows if row[0] == "Ana")
    assert ana[-3:] == [diet, "Maria, 900 00 000", {"en": "Yes", "nb": "Ja"}[language]]


# --- Privacy ----------------------------------------------------------------------------------


def _answers_of(person):
    return set(
        SignupAnswer.objects.filter(signup__person=person).values_list("question_id", flat=True)
    )


def test_personal_answers_are_erased_the_set_days_after_the_event_ends(
    trip, answered, settings, caplog
):
    settings.EVENT_PERSONAL_ANSWERS_RETENTION_DAYS = 10
    caplog.set_level("INFO", logger="onboarding.privacy.services")
    end = trip["event"].end_at
    everything = {trip["diet"].pk, trip["contact"].pk}

    assert retention_apply(now=end + timedelta(days=10)) == {}
    assert _answers_of(answered["kari"]) == everything

    counts = retention_apply(now=end + timedelta(days=10, seconds=1))

    assert counts["activities.signupanswer"] == 2
    assert _answers_of(answered["kari"]) == {trip["diet"].pk}
    assert _answers_of(answered["ana"]) == {trip["diet"].pk, trip["bag"].pk}
    assert "activities.signupanswer': 2" in caplog.text
    assert retention_apply(now=end + timedelta(days=11)).get("activities.signupanswer") is None


def test_the_privacy_notice_says_which_answers_go_when(settings):
    settings.EVENT_PERSONAL_ANSWERS_RETENTION_DAYS = 30
    (entry,) = [e for e in personal_data_register() if e.key == "activities.signupanswer"]

    with translation.override("en"):
        text = entry.retention_text()

    assert text.startswith("Answers to questions marked as personal data: 30 days after the date")
    assert text.endswith("the others until you delete your account")


def test_a_retention_must_count_from_a_date(unit):
    (entry,) = [e for e in personal_data_register() if e.key == "activities.signupanswer"]
    for bad in (
        Retention(days=1, after="signup__event", only={"question__personal": True}, only_label="x"),
        Retention(days=1, after="signup__event__nowhere"),
        Retention(days=1, after="signup__event__end_at", only={"question__personal": True}),
    ):
        with pytest.raises(RegisterError):
            _check(dataclasses.replace(entry, retention=bad))


def test_the_persons_download_includes_their_answers(trip, answered):
    with translation.override("en"):
        copy = personal_data_copy(user=answered["ana"])

    (section,) = [s for s in copy.sections if s.key == "activities.signupanswer"]
    rows = [{value.name: value.text for value in row.values} for row in section.rows]
    assert {(row["question"], row["value"]) for row in rows} == {
        ("Diet", "Vegetarian"),
        ("Emergency contact", "Maria, 900 00 000"),
        ("Sleeping bag?", "Yes"),
    }


def test_deleting_the_account_deletes_the_answers(trip, answered):
    person = answered["ana"]

    account_erase(user=person, by=person)

    assert _answers_of(person) == set()
    assert _answers_of(answered["kari"]) == {trip["diet"].pk, trip["contact"].pk}


# --- Repeating events -------------------------------------------------------------------------


def test_new_occurrences_carry_the_questions_of_the_latest_one(unit, editor):
    series = series_create(unit, title_nb="Turer", title_en="Trips")
    recurrence_create(series=series, by=editor, given=weekly(), now=MARCH)
    latest = occurrences(series)[-1]
    diet(latest, personal=True)

    made = occurrences_create(now=MARCH + timedelta(weeks=1))

    assert [event.occurrence_date for event in made] == [date(2027, 5, 4)]
    (copy,) = EventPage.objects.get(pk=made[0].pk).questions.all()
    assert (copy.label_nb, copy.label_en, copy.kind) == ("Kosthold", "Diet", "choice")
    assert copy.choice_list("en") == ["Everything", "Vegetarian", "Vegan"]
    assert copy.required and copy.personal
    assert EventQuestion.objects.filter(event=latest).count() == 1  # the original stays
