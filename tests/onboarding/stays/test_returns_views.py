"""The pages of requests to come home early: the student's in both languages, the faculty's in
the admin, who may open which, and the queue's order and query count."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.approvals.clock import WaitingFor
from onboarding.live.models import Notification
from onboarding.stays.models import (
    AgreementOutcome,
    EarlyReturnRequest,
    PlanBCourse,
    ReturnStatus,
    ReturnStepKind,
)
from onboarding.stays.selectors.returns import request_clocks, stay_season
from onboarding.stays.services.returns import request_ask, request_decide
from tests.onboarding.approvals.agreement_builders import course as abroad
from tests.onboarding.approvals.agreement_builders import decided_case, ours, spec
from tests.onboarding.stays.factories import stay_make
from tests.onboarding.stays.returns_builders import (
    ago,
    ask,
    crisis_with_check,
    programme_course,
    request_make,
    stay_plan_b,
    today,
)
from tests.onboarding.units.factories import mfa_enable

LANGUAGES = ("nb", "en")
ADMIN_DENIED = "Sorry, you do not have permission to access this area."


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"stays:{name}", kwargs=kwargs or None)


def admin(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(mfa_enable(user))
    return client


def form_data(stay, **extra):
    """A valid request form: health, home in ten days, no plan-B rows."""
    return {
        "reason": "health",
        "explanation": "I need treatment at home.",
        "return_on": (today() + datetime.timedelta(days=10)).isoformat(),
        "courses-TOTAL_FORMS": "0",
        "courses-INITIAL_FORMS": "0",
        "courses-MIN_NUM_FORMS": "0",
        "courses-MAX_NUM_FORMS": "20",
        **extra,
    }


# --- The student's pages -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_offers_the_student_s_current_stays(client, tree, language):
    student = tree["cs_student"]
    current = stay_make(student, city="Munich")
    stay_make(
        student,
        city="Paris",
        starts_on=today() + datetime.timedelta(days=60),
        ends_on=today() + datetime.timedelta(days=120),
    )
    client.force_login(student)

    response = client.get(url("return_list", language))

    body = response.content.decode()
    assert response.status_code == 200
    assert ("Reise hjem tidlig" if language == "nb" else "Coming home early") in body
    assert url("return_new", language, stay_id=current.pk) in body
    assert "Paris" not in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_is_pre_filled_with_the_stay_s_plan_b_and_the_programme_s_courses(
    client, tree, language
):
    student = tree["cs_student"]
    stay = stay_make(student)
    stay_plan_b(stay, "INF1000", "INF1010")
    season = "autumn" if min(max(today(), stay.starts_on), stay.ends_on).month >= 7 else "spring"
    same = programme_course(
        tree["cs_programme"], "INF2000", semester=5 if season == "autumn" else 4
    )
    programme_course(tree["cs_programme"], "INF9000", semester=3, autumn=False, spring=False)
    programme_course(tree["health_programme"], "SYK1000")
    client.force_login(student)

    response = client.get(url("return_new", language, stay_id=stay.pk))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="INF1000"' in body and 'value="INF1010"' in body
    assert f'value="{same.pk}"' in body
    assert "INF2500" not in body and "INF9000" not in body and "SYK1000" not in body
    assert ("Hvorfor vil du reise hjem tidlig?" if language == "nb" else "Why do you want") in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_sending_the_form_keeps_removes_adds_and_types_courses(client, tree, language):
    student = tree["cs_student"]
    stay = stay_make(student)
    kept, dropped = stay_plan_b(stay, "INF1000", "INF1010")
    autumn = stay_season(stay, today=today()) == "autumn"
    picked = programme_course(tree["cs_programme"], "INF2000", semester=5 if autumn else 4)
    client.force_login(student)
    rows = {
        "courses-TOTAL_FORMS": "3",
        "courses-INITIAL_FORMS": "2",
        "courses-0-keep": "on",
        "courses-0-code": kept.code,
        "courses-0-title": kept.title,
        "courses-0-ects": "7.5",
        "courses-1-code": dropped.code,
        "courses-1-title": dropped.title,
        "courses-1-ects": "7.5",
        "courses-2-code": "EXPH0100",
        "courses-2-title": "Examen philosophicum",
        "courses-2-ects": "10",
        # Ticking a course already on the list adds it once.
        "catalogue": [str(picked.pk)],
    }

    response = client.post(url("return_new", language, stay_id=stay.pk), form_data(stay, **rows))

    request = EarlyReturnRequest.objects.get(stay=stay)
    assert response.status_code == 302
    assert response["Location"] == url("return_detail", language, request_id=request.pk)
    copies = list(request.plan_b_courses.order_by("sort_order"))
    assert [(c.code, c.course_id) for c in copies] == [
        ("INF1000", None),
        ("EXPH0100", None),
        ("INF2000", picked.pk),
    ]
    # The stay's own plan B is untouched.
    assert PlanBCourse.objects.filter(stay=stay).count() == 2


def test_a_refusal_shows_on_the_form(client, tree):
    student = tree["cs_student"]
    stay = stay_make(student)
    client.force_login(student)

    response = client.post(
        url("return_new", stay_id=stay.pk),
        form_data(stay, return_on=(stay.ends_on + datetime.timedelta(days=3)).isoformat()),
    )

    assert response.status_code == 400
    assert "must be within your stay" in response.content.decode()
    assert not EarlyReturnRequest.objects.exists()


def test_a_second_request_goes_to_the_one_waiting(client, tree):
    student = tree["cs_student"]
    stay = stay_make(student)
    first = ask(student, stay)
    client.force_login(student)

    response = client.post(url("return_new", stay_id=stay.pk), form_data(stay))

    assert response.status_code == 302
    assert response["Location"] == url("return_detail", request_id=first.pk)
    assert EarlyReturnRequest.objects.count() == 1


def test_the_form_asks_for_the_open_crisis(client, tree):
    student = tree["cs_student"]
    stay = stay_make(student)
    crisis = crisis_with_check(student, stay, duty_officer=tree["staff"])
    client.force_login(student)

    page = client.get(url("return_new", stay_id=stay.pk)).content.decode()
    assert f'<option value="{crisis.pk}" selected>Flood</option>' in page

    client.post(
        url("return_new", stay_id=stay.pk),
        form_data(stay, reason="crisis", crisis=str(crisis.pk)),
    )
    assert EarlyReturnRequest.objects.get().crisis == crisis


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_request_page_shows_status_clock_courses_and_steps(client, tree, language):
    student = tree["nurse"]
    request = ask(student, stay_make(student))
    request_ask(request=request, user=tree["health_editor"], text="When is your flight?")
    client.force_login(student)

    response = client.get(url("return_detail", language, request_id=request.pk))

    body = response.content.decode()
    assert response.status_code == 200
    assert "When is your flight?" in body and "INF1000" in body
    assert 'data-light="green"' in body
    assert ("Svar fakultetet" if language == "nb" else "Answer the faculty") in body
    assert ("Står stille" if language == "nb" else "Paused") in body


def test_the_student_answers_and_withdraws(client, tree):
    student = tree["nurse"]
    request = ask(student, stay_make(student))
    request_ask(request=request, user=tree["health_editor"], text="When?")
    client.force_login(student)

    response = client.post(url("return_answer", request_id=request.pk), {"text": "Friday."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.waiting_for == WaitingFor.ADVISER
    response = client.post(url("return_answer", request_id=request.pk), {"text": "Again."})
    assert response.status_code == 302
    assert request.steps.filter(kind=ReturnStepKind.ANSWER).count() == 1

    client.post(url("return_withdraw", request_id=request.pk))
    request.refresh_from_db()
    assert request.status == ReturnStatus.WITHDRAWN
    page = client.get(url("return_detail", request_id=request.pk)).content.decode()
    assert "data-return-withdraw" not in page


def test_the_student_sees_the_decision(client, tree):
    student = tree["nurse"]
    request = ask(student, stay_make(student))
    request_decide(
        request=request,
        user=tree["health_editor"],
        decision="approved",
        note="Welcome home.",
        outcome=AgreementOutcome.ENDED,
    )
    client.force_login(student)

    body = client.get(url("return_detail", "nb", request_id=request.pk)).content.decode()

    assert "Søknaden din er innvilget." in body
    assert 'data-outcome="ended"' in body and "Welcome home." in body
    assert 'data-return-status="approved"' in body


# --- Who may open what -------------------------------------------------------------------------


def student_urls(request, stay):
    return [
        ("get", url("return_new", stay_id=stay.pk)),
        ("get", url("return_detail", request_id=request.pk)),
        ("post", url("return_answer", request_id=request.pk)),
        ("post", url("return_withdraw", request_id=request.pk)),
        ("post", url("return_new", stay_id=stay.pk)),
    ]


def test_anonymous_people_go_to_the_login_page(client, tree):
    stay = stay_make(tree["cs_student"])
    request = ask(tree["cs_student"], stay)

    for method, address in [("get", url("return_list")), *student_urls(request, stay)]:
        response = getattr(client, method)(address)
        assert response.status_code == 302 and "/login/" in response["Location"], address


@pytest.mark.parametrize("role", ["nurse", "it_editor", "staff"])
def test_a_request_and_a_stay_are_their_student_s_alone(client, tree, role):
    stay = stay_make(tree["cs_student"])
    request = ask(tree["cs_student"], stay)
    client.force_login(tree[role])

    for method, address in student_urls(request, stay):
        assert getattr(client, method)(address).status_code == 404, address
    assert EarlyReturnRequest.objects.get().status == ReturnStatus.SUBMITTED


def test_the_faculty_s_editors_open_only_their_unit_s_requests(client, tree):
    mine = ask(tree["cs_student"], stay_make(tree["cs_student"]))
    theirs = ask(tree["nurse"], stay_make(tree["nurse"]))
    admin(client, tree["it_editor"])

    queue = client.get(reverse("stays_returns:queue")).content.decode()
    assert f'data-request="{mine.pk}"' in queue and f'data-request="{theirs.pk}"' not in queue
    assert client.get(reverse("stays_returns:request", args=[mine.pk])).status_code == 200
    for name in ("request", "message", "decide"):
        method = client.get if name == "request" else client.post
        response = method(reverse(f"stays_returns:{name}", args=[theirs.pk]), follow=True)
        assert ADMIN_DENIED in response.content.decode(), name
    assert EarlyReturnRequest.objects.get(pk=theirs.pk).steps.count() == 1


def test_the_section_s_staff_see_every_request(client, tree):
    mine = ask(tree["cs_student"], stay_make(tree["cs_student"]))
    theirs = ask(tree["nurse"], stay_make(tree["nurse"]))
    admin(client, tree["staff"])

    queue = client.get(reverse("stays_returns:queue")).content.decode()

    assert f'data-request="{mine.pk}"' in queue and f'data-request="{theirs.pk}"' in queue


def test_a_department_s_editor_and_a_student_have_no_queue(client, tree):
    admin(client, tree["cs_adviser"])
    response = client.get(reverse("stays_returns:queue"))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")

    client.force_login(tree["cs_student"])
    response = client.get(reverse("stays_returns:queue"))
    assert response.status_code == 302 and "/admin/" not in response["Location"]


# --- The faculty's pages -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_request_page_shows_the_learning_agreement(client, tree, language):
    student = tree["cs_student"]
    case, _lines = decided_case(
        student=student,
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        lines=[
            spec(
                [abroad("IN2064", "Machine Learning", "8")],
                [ours("INF300", "Maskinlæring", "Machine learning", "7.5")],
            )
        ],
    )
    stay = stay_make(student, case=case)
    request = ask(student, stay)
    admin(client, tree["it_editor"], language)

    response = client.get(reverse("stays_returns:request", args=[request.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "IN2064" in body and "INF300" in body
    assert ("Tabell A" if language == "nb" else "Table A") in body
    assert ("Søknad om hjemreise" if language == "nb" else "Request to come home") in body


def test_the_faculty_asks_then_decides_and_the_student_is_told(client, tree):
    student = tree["nurse"]
    request = ask(student, stay_make(student))
    admin(client, tree["health_editor"])
    message = reverse("stays_returns:message", args=[request.pk])
    decide = reverse("stays_returns:decide", args=[request.pk])

    client.post(message, {"action": "ask", "text": "When is your flight?"})
    request.refresh_from_db()
    assert request.waiting_for == WaitingFor.STUDENT
    assert client.post(message, {"action": "shout", "text": "Hi"}).status_code == 400

    response = client.post(decide, {"decision": "approved", "note": "Fine."})
    assert response.status_code == 400
    assert "Say what happens to the learning agreement." in response.content.decode()
    response = client.post(decide, {"decision": "approved", "outcome": "replaced"})
    assert response.status_code == 302

    request.refresh_from_db()
    assert (request.status, request.agreement_outcome) == (ReturnStatus.APPROVED, "replaced")
    (told,) = Notification.objects.filter(kind="stays_return_decided")
    assert told.recipient == student and told.language == "nb"
    page = client.get(reverse("stays_returns:request", args=[request.pk])).content.decode()
    assert "data-decide-form" not in page
    response = client.post(decide, {"decision": "refused", "note": "No."})
    assert response.status_code == 302
    assert EarlyReturnRequest.objects.get().status == ReturnStatus.APPROVED


def shown(response):
    return [int(pk) for pk in re.findall(r'data-request="(\d+)"', response.content.decode())]


def test_the_queue_puts_late_requests_first_then_the_least_time_left(client, tree):
    stay = stay_make(tree["cs_student"])
    unit = tree["it"]
    fresh = request_make(stay=stay, unit=unit, submitted_at=ago(minutes=5))
    late = request_make(stay=stay, unit=unit, submitted_at=ago(days=30))
    older = request_make(stay=stay, unit=unit, submitted_at=ago(days=3))
    paused = request_make(
        stay=stay,
        unit=unit,
        submitted_at=ago(days=40),
        steps=[(ago(days=40) + datetime.timedelta(minutes=1), "question", WaitingFor.STUDENT)],
    )
    decided = request_make(
        stay=stay,
        unit=unit,
        submitted_at=ago(days=20),
        steps=[(ago(days=19), "decided", WaitingFor.NOBODY)],
    )
    admin(client, tree["it_editor"])

    response = client.get(reverse("stays_returns:queue"))

    order = shown(response)
    assert order[0] == late.pk and set(order) == {late.pk, older.pk, paused.pk, fresh.pk}
    clocks = request_clocks(EarlyReturnRequest.objects.filter(pk__in=order[1:]))
    left = [clocks[pk].remaining for pk in order[1:]]
    assert left == sorted(left)
    assert 'data-light="red"' in response.content.decode()
    every = client.get(reverse("stays_returns:queue"), {"status": "all"})
    assert shown(every)[-1] == decided.pk


def test_the_queue_costs_the_same_queries_for_5_and_25_requests(client, tree):
    stay = stay_make(tree["cs_student"])
    admin(client, tree["it_editor"])
    counts = {}
    for count in (5, 25):
        while EarlyReturnRequest.objects.count() < count:
            number = EarlyReturnRequest.objects.count()
            request_make(
                stay=stay,
                unit=tree["it"],
                submitted_at=ago(days=number % 9 + 1),
                steps=[(ago(hours=number % 5 + 1), "comment", WaitingFor.ADVISER)],
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("stays_returns:queue"))
        assert len(shown(response)) == count
        counts[count] = len(queries)

    assert counts[5] == counts[25]


def test_the_menu_item_shows_for_faculty_editors_only(client, tree):
    admin(client, tree["it_editor"])
    assert (
        reverse("stays_returns:queue") in client.get(reverse("wagtailadmin_home")).content.decode()
    )
    admin(client, tree["cs_adviser"])
    assert (
        reverse("stays_returns:queue")
        not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_the_student_s_list_shows_a_late_request(client, tree):
    stay = stay_make(tree["cs_student"])
    request_make(
        stay=stay, unit=tree["it"], submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    client.force_login(tree["cs_student"])

    body = client.get(url("return_list")).content.decode()

    assert "badge--overdue" in body
