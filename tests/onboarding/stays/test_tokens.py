"""The answer links of safety checks: signed for one purpose, expiring, and what they refuse.

The tokens themselves, then the page a link opens: it records nothing until its form is
sent; a second answer changes the first; a link that is tampered with, expired, for a
closed crisis, or used while someone else is logged in is refused with a message, and
nothing changes.
"""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from onboarding.stays.errors import AnswerLinkError
from onboarding.stays.models import SafetyCheck
from onboarding.stays.services.crisis import crisis_close
from onboarding.stays.tokens import SALT, answer_token_make, answer_token_read

from .crisis_factories import declare
from .factories import stay_make

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def read_code(token):
    with pytest.raises(AnswerLinkError) as error:
        answer_token_read(token)
    return error.value.code


# --- The tokens --------------------------------------------------------------------------------


def test_a_token_says_which_check_student_and_answer():
    token = answer_token_make(check_id=7, student_id=42, answer="help")

    read = answer_token_read(token)

    assert (read.check_id, read.student_id, read.answer) == (7, 42, "help")
    assert "/" not in token and " " not in token


def test_a_token_expires_after_the_set_days(settings, monkeypatch):
    settings.SAFETY_CHECK_LINK_DAYS = 14
    token = answer_token_make(check_id=7, student_id=42, answer="safe")
    started = time.time()

    monkeypatch.setattr(signing.time, "time", lambda: started + 13 * DAY)
    assert answer_token_read(token).check_id == 7
    monkeypatch.setattr(signing.time, "time", lambda: started + 14 * DAY + 60)
    assert read_code(token) == "expired"


def test_a_tampered_token_is_refused():
    token = answer_token_make(check_id=7, student_id=42, answer="safe")
    payload, stamp, signature = token.split(":")
    other = answer_token_make(check_id=8, student_id=42, answer="help")

    assert read_code(f"{other.split(':')[0]}:{stamp}:{signature}") == "invalid"  # another payload
    changed = signature[:-1] + ("B" if signature.endswith("A") else "A")
    assert read_code(f"{payload}:{stamp}:{changed}") == "invalid"  # a changed signature
    assert read_code(token[:-3]) == "invalid"  # cut short
    assert read_code("") == "invalid"
    assert read_code("not-a-token") == "invalid"


def test_a_token_of_another_purpose_or_key_is_refused(settings):
    payload = [7, 42, "safe"]
    assert read_code(signing.dumps(payload)) == "invalid"  # Django's default salt
    assert read_code(signing.dumps(payload, salt="onboarding.other.purpose")) == "invalid"
    assert read_code(signing.dumps(payload, salt=SALT, key="another-secret-key")) == "invalid"
    # Our salt with a payload that is no answer.
    assert read_code(signing.dumps([7, 42, "pending"], salt=SALT)) == "invalid"
    assert read_code(signing.dumps({"check": 7}, salt=SALT)) == "invalid"
    assert read_code(signing.dumps(["7", 42, "safe"], salt=SALT)) == "invalid"


def test_no_link_is_made_for_no_answer():
    with pytest.raises(ValueError):
        answer_token_make(check_id=7, student_id=42, answer="pending")


# --- The page a link opens ---------------------------------------------------------------------


@pytest.fixture
def check(tree):
    stay_make(tree["student"], city="Valencia", country="ES")
    crisis = declare(tree["staff"]).crisis
    return SafetyCheck.objects.get(crisis=crisis)


def link(check, answer="safe", language="en"):
    token = answer_token_make(check_id=check.pk, student_id=check.student_id, answer=answer)
    with translation.override(language):
        return reverse("stays:answer_link", kwargs={"answer_token": token})


def state(check):
    check.refresh_from_db()
    return check.answer, check.answer_count, check.message


def test_opening_a_link_shows_the_answer_chosen_and_records_nothing(client, check):
    for language in ("en", "nb"):
        response = client.get(link(check, "help", language))
        assert response.status_code == 200
        html = response.content.decode()
        assert re.search(r'value="help"[^>]*checked', html)
        assert not re.search(r'value="safe"[^>]*checked', html)
    assert state(check) == ("pending", 0, "")
    assert "Flooding in Valencia" in client.get(link(check, language="en")).content.decode()
    assert "Flom i Valencia" in client.get(link(check, language="nb")).content.decode()


def test_sending_the_page_records_the_answer_without_logging_in(client, check):
    url = link(check, "help")

    response = client.post(url, {"answer": "help", "message": "Our street is flooded."})

    assert response.status_code == 302 and response["Location"] == url
    assert state(check) == ("help", 1, "Our street is flooded.")
    page = client.get(url).content.decode()
    assert "Your answer is recorded: you need help." in page


def test_a_reused_link_with_the_same_answer_makes_no_second_check(client, check):
    url = link(check, "safe")
    client.post(url, {"answer": "safe"})
    client.post(url, {"answer": "safe"})

    assert SafetyCheck.objects.filter(student=check.student).count() == 1
    assert state(check) == ("safe", 2, "")


def test_answering_twice_changes_the_answer(client, check):
    client.post(link(check, "help"), {"answer": "help", "message": "Help"})
    client.post(link(check, "safe"), {"answer": "safe"})

    assert state(check) == ("safe", 2, "")
    check.refresh_from_db()
    assert check.help_asked_at is None


def test_a_tampered_link_is_refused_and_changes_nothing(client, check):
    url = link(check, "safe")
    tampered = url.replace(url.rstrip("/").rsplit(":", 1)[1], "x" * 27)

    for response in (client.get(tampered), client.post(tampered, {"answer": "safe"})):
        assert response.status_code == 400
        assert "This link is not whole or not valid." in response.content.decode()
    assert state(check) == ("pending", 0, "")


def test_an_expired_link_is_refused_with_a_clear_message(client, check, monkeypatch):
    url = link(check, "safe")
    later = time.time() + 15 * DAY
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client.post(url, {"answer": "safe"})

    assert response.status_code == 400
    assert "This link has expired." in response.content.decode()
    assert state(check) == ("pending", 0, "")


def test_a_link_used_while_someone_else_is_logged_in_is_refused(client, tree, check):
    client.force_login(tree["other_student"])
    url = link(check, "safe")

    for response in (client.get(url), client.post(url, {"answer": "safe"})):
        assert response.status_code == 403
        assert "sent to someone else than the person logged in here" in response.content.decode()
    assert state(check) == ("pending", 0, "")

    client.force_login(tree["student"])  # the person it was sent to
    assert client.post(url, {"answer": "safe"}).status_code == 302
    assert state(check)[0] == "safe"


def test_a_token_for_one_student_with_another_students_check_is_refused(client, tree, check):
    token = answer_token_make(check_id=check.pk, student_id=tree["other_student"].pk, answer="safe")
    url = reverse("stays:answer_link", kwargs={"answer_token": token})

    response = client.post(url, {"answer": "safe"})

    assert response.status_code == 404
    assert state(check) == ("pending", 0, "")


def test_after_closing_a_link_is_refused_and_changes_nothing(client, tree, check):
    crisis_close(crisis=check.crisis, user=tree["staff"])
    url = link(check, "help")

    for response in (client.get(url), client.post(url, {"answer": "help"})):
        assert response.status_code == 409
        assert "This crisis has been closed" in response.content.decode()
    assert state(check) == ("pending", 0, "")


def test_the_answer_page_refuses_an_answer_that_is_no_answer(client, check):
    response = client.post(link(check), {"answer": "pending", "message": "x"})

    assert response.status_code == 400
    assert state(check) == ("pending", 0, "")
