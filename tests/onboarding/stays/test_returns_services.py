"""Requests to come home early: asking, the route, the promise, questions, the decision and
withdrawing, with every refusal."""

import datetime

import pytest
from django.utils import timezone, translation

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.models import UnitPromise
from onboarding.live.models import Notification
from onboarding.stays.models import (
    AgreementOutcome,
    EarlyReturnRequest,
    EarlyReturnStep,
    PlanBCourse,
    ReturnReason,
    ReturnStatus,
    ReturnStepKind,
)
from onboarding.stays.services.returns import (
    MAX_COURSES,
    ReturnError,
    request_answer,
    request_ask,
    request_comment,
    request_decide,
    request_withdraw,
)
from onboarding.units.models import UnitPage
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory
from tests.onboarding.stays.factories import stay_make
from tests.onboarding.stays.returns_builders import (
    ask,
    course,
    crisis_with_check,
    programme_course,
    today,
)


def refused(code, call, *args, **kwargs):
    """``call`` raises ReturnError ``code``; returns the error."""
    with pytest.raises(ReturnError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value


def counts():
    return (
        EarlyReturnRequest.objects.count(),
        EarlyReturnStep.objects.count(),
        PlanBCourse.objects.count(),
    )


# --- Asking ------------------------------------------------------------------------------------


def test_the_request_goes_to_the_faculty_above_the_programme_s_department(tree):
    stay = stay_make(tree["cs_student"])

    request = ask(tree["cs_student"], stay, courses=[course("INF2000"), course("INF2100")])

    assert request.unit == tree["it"]
    assert (request.status, request.waiting_for) == (ReturnStatus.SUBMITTED, WaitingFor.ADVISER)
    assert request.decision_days == 5
    (step,) = request.steps.all()
    assert (step.kind, step.actor, step.waiting_for) == (
        ReturnStepKind.SUBMITTED,
        tree["cs_student"],
        WaitingFor.ADVISER,
    )
    # The chosen courses are the request's own copies; the stay keeps none.
    copies = list(PlanBCourse.objects.filter(request=request))
    assert [(c.code, c.stay_id, c.sort_order) for c in copies] == [
        ("INF2000", None, 0),
        ("INF2100", None, 1),
    ]


def test_the_faculty_s_editors_are_told_in_their_language(tree):
    tree["it_editor"].language = "nb"
    tree["it_editor"].save(update_fields=["language"])
    stay = stay_make(tree["cs_student"])

    request = ask(tree["cs_student"], stay)

    (told,) = Notification.objects.filter(kind="stays_return_submitted")
    assert told.recipient == tree["it_editor"]
    assert told.language == "nb"
    assert told.url == f"/admin/come-home/{request.pk}/"
    assert tree["cs_student"].display_name in told.subject


def test_a_programme_owned_by_a_faculty_goes_to_that_faculty(tree):
    stay = stay_make(tree["nurse"], city="Copenhagen", country="DK")

    assert ask(tree["nurse"], stay).unit == tree["health"]


def test_a_student_without_a_programme_goes_to_the_international_section(tree):
    stay = stay_make(tree["student"])

    assert ask(tree["student"], stay).unit == tree["section"]


def test_without_a_faculty_or_a_section_the_student_is_told_and_nothing_is_written(tree):
    UnitPage.objects.filter(pk=tree["section"].pk).update(live=False)
    stay = stay_make(tree["student"])
    before = counts()

    error = refused("no_unit", ask, tree["student"], stay)

    assert "International Section" in str(error.message)
    assert counts() == before


def test_a_programme_whose_faculty_is_not_published_goes_to_the_section(tree):
    UnitPage.objects.filter(pk=tree["health"].pk).update(live=False)
    stay = stay_make(tree["nurse"])

    assert ask(tree["nurse"], stay).unit == tree["section"]


def test_the_promise_is_the_faculty_s_decision_days_fixed_at_submission(tree, settings):
    UnitPromise.objects.create(unit=tree["it"], first_response_days=2, decision_days=8)
    request = ask(tree["cs_student"], stay_make(tree["cs_student"]))
    UnitPromise.objects.filter(unit=tree["it"]).update(decision_days=3)

    assert EarlyReturnRequest.objects.get(pk=request.pk).decision_days == 8


def test_without_a_promise_the_setting_gives_the_decision_days(tree, settings):
    settings.STAY_RETURN_DECISION_DAYS = 7

    assert ask(tree["nurse"], stay_make(tree["nurse"])).decision_days == 7


def test_only_one_s_own_stay(tree):
    stay = stay_make(tree["cs_student"])
    before = counts()

    refused("not_your_stay", ask, tree["nurse"], stay)
    assert counts() == before


@pytest.mark.parametrize(
    ("starts", "ends", "code"),
    [
        (-120, -1, "stay_over"),
        (15, 120, "stay_not_started"),
    ],
)
def test_a_stay_that_is_over_or_far_ahead_is_refused(tree, starts, ends, code):
    stay = stay_make(
        tree["cs_student"],
        starts_on=today() + datetime.timedelta(days=starts),
        ends_on=today() + datetime.timedelta(days=ends),
    )

    refused(code, ask, tree["cs_student"], stay, return_on=stay.starts_on)


@pytest.mark.parametrize(("starts", "ends"), [(14, 120), (-60, 0), (0, 30)])
def test_a_stay_may_be_asked_from_until_its_last_day_and_two_weeks_before_it(tree, starts, ends):
    stay = stay_make(
        tree["cs_student"],
        starts_on=today() + datetime.timedelta(days=starts),
        ends_on=today() + datetime.timedelta(days=ends),
    )
    return_on = max(stay.starts_on, stay.ends_on - datetime.timedelta(days=1))

    assert ask(tree["cs_student"], stay, return_on=return_on).pk


@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_the_day_home_must_be_within_the_stay(tree, offset):
    stay = stay_make(tree["cs_student"])
    outside = {
        -1: stay.starts_on - datetime.timedelta(days=1),
        0: stay.ends_on,
        1: stay.ends_on + datetime.timedelta(days=5),
    }[offset]

    error = refused("return_date", ask, tree["cs_student"], stay, return_on=outside)

    assert error.field == "return_on"
    assert f"{stay.starts_on.year}" in str(error.message)


def test_the_first_and_last_possible_days_home(tree):
    stay = stay_make(tree["cs_student"])

    first = ask(tree["cs_student"], stay, return_on=stay.starts_on)
    request_withdraw(request=first, user=tree["cs_student"])
    last = ask(tree["cs_student"], stay, return_on=stay.ends_on - datetime.timedelta(days=1))

    assert last.return_on == stay.ends_on - datetime.timedelta(days=1)


def test_one_waiting_request_per_stay_a_new_one_after_withdrawing(tree):
    stay = stay_make(tree["cs_student"])
    first = ask(tree["cs_student"], stay)
    before = counts()

    error = refused("open_request", ask, tree["cs_student"], stay)

    assert error.extra["request"] == first
    assert counts() == before
    # Another stay may have its own request.
    assert ask(tree["cs_student"], stay_make(tree["cs_student"], city="Berlin")).pk
    request_withdraw(request=first, user=tree["cs_student"])
    assert ask(tree["cs_student"], stay).pk != first.pk


def test_a_reason_must_be_one_of_the_four(tree):
    refused("reason", ask, tree["cs_student"], stay_make(tree["cs_student"]), reason="bored")


def test_the_reason_other_needs_an_explanation(tree):
    stay = stay_make(tree["cs_student"])

    error = refused("text_required", ask, tree["cs_student"], stay, reason="other", explanation=" ")

    assert error.field == "explanation"
    assert ask(tree["cs_student"], stay, reason="health", explanation="").explanation == ""


def test_a_crisis_request_names_the_open_crisis_of_the_student_s_safety_checks(tree):
    stay = stay_make(tree["cs_student"])
    crisis = crisis_with_check(tree["cs_student"], stay, duty_officer=tree["staff"])
    closed = crisis_with_check(tree["cs_student"], stay, duty_officer=tree["staff"], closed=True)
    elsewhere = crisis_with_check(
        tree["nurse"], stay_make(tree["nurse"]), duty_officer=tree["staff"]
    )

    refused("crisis_required", ask, tree["cs_student"], stay, reason="crisis")
    refused("crisis", ask, tree["cs_student"], stay, reason="crisis", crisis=closed)
    refused("crisis", ask, tree["cs_student"], stay, reason="crisis", crisis=elsewhere)
    request = ask(tree["cs_student"], stay, reason="crisis", crisis=crisis)

    assert (request.reason, request.crisis) == (ReturnReason.CRISIS, crisis)


def test_a_crisis_request_without_an_open_crisis_names_none_and_other_reasons_never_do(tree):
    stay = stay_make(tree["cs_student"])
    crisis = crisis_with_check(tree["nurse"], stay_make(tree["nurse"]), duty_officer=tree["staff"])

    request = ask(tree["cs_student"], stay, reason="crisis")
    assert request.crisis is None
    request_withdraw(request=request, user=tree["cs_student"])
    mine = crisis_with_check(tree["cs_student"], stay, duty_officer=tree["staff"])
    assert ask(tree["cs_student"], stay, reason="family", crisis=mine).crisis is None
    assert crisis.pk != mine.pk


def test_plan_b_courses_from_the_programme_or_typed(tree):
    own = programme_course(tree["cs_programme"], "INF3000")
    other = programme_course(tree["health_programme"], "SYK1000")
    stay = stay_make(tree["cs_student"])

    refused(
        "course_not_in_programme",
        ask,
        tree["cs_student"],
        stay,
        courses=[course("SYK1000", course_id=other.pk)],
    )
    refused("course_twice", ask, tree["cs_student"], stay, courses=[course("IN 1"), course("in1")])
    refused("course_invalid", ask, tree["cs_student"], stay, courses=[course(ects="0.1")])
    refused("course_invalid", ask, tree["cs_student"], stay, courses=[course(title="")])
    refused(
        "too_many_courses",
        ask,
        tree["cs_student"],
        stay,
        courses=[course(f"C{n}") for n in range(MAX_COURSES + 1)],
    )
    request = ask(
        tree["cs_student"],
        stay,
        courses=[course("INF3000", title="", ects="7.5", course_id=own.pk), course("HANDS1")],
    )

    picked, typed = request.plan_b_courses.order_by("sort_order")
    assert (picked.course, picked.title) == (own, "Course INF3000")
    assert (typed.course, typed.code) == (None, "HANDS1")


def test_no_plan_b_courses_is_allowed(tree):
    request = ask(tree["cs_student"], stay_make(tree["cs_student"]), courses=[])

    assert not request.plan_b_courses.exists()


# --- Withdrawing -------------------------------------------------------------------------------


def test_the_student_withdraws_and_the_faculty_is_told(tree):
    request = ask(tree["cs_student"], stay_make(tree["cs_student"]))

    request_withdraw(request=request, user=tree["cs_student"])

    request.refresh_from_db()
    assert (request.status, request.waiting_for) == (ReturnStatus.WITHDRAWN, WaitingFor.NOBODY)
    assert request.steps.last().kind == ReturnStepKind.WITHDRAWN
    assert Notification.objects.filter(
        kind="stays_return_withdrawn", recipient=tree["it_editor"]
    ).exists()


def test_only_the_student_withdraws_and_only_while_undecided(tree):
    request = ask(tree["cs_student"], stay_make(tree["cs_student"]))

    refused("forbidden", request_withdraw, request=request, user=tree["it_editor"])
    request_decide(
        request=request, user=tree["it_editor"], decision="approved", outcome="unchanged"
    )
    refused("already_decided", request_withdraw, request=request, user=tree["cs_student"])


def test_withdrawing_twice_is_refused(tree):
    request = ask(tree["cs_student"], stay_make(tree["cs_student"]))
    request_withdraw(request=request, user=tree["cs_student"])

    refused("withdrawn", request_withdraw, request=request, user=tree["cs_student"])
    refused("withdrawn", request_ask, request=request, user=tree["it_editor"], text="Why?")
    refused("withdrawn", request_comment, request=request, user=tree["it_editor"], text="Noted.")


# --- Questions, answers and comments ------------------------------------------------------------


def test_a_question_waits_for_the_student_who_is_told_in_their_language(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))

    step = request_ask(request=request, user=tree["health_editor"], text="When is your flight?")

    request.refresh_from_db()
    assert request.waiting_for == WaitingFor.STUDENT
    assert (step.kind, step.text) == (ReturnStepKind.QUESTION, "When is your flight?")
    (told,) = Notification.objects.filter(kind="stays_return_question")
    assert (told.recipient, told.language) == (tree["nurse"], "nb")
    assert "When is your flight?" in told.body
    with translation.override("nb"):
        assert told.url.startswith("/nb/")


def test_the_answer_sends_it_back_to_whoever_asked(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))
    colleague = UserFactory()
    unit_editor_add(unit=tree["health"], user=colleague)
    request_ask(request=request, user=tree["health_editor"], text="When is your flight?")

    request_answer(request=request, user=tree["nurse"], text="On Friday.")

    request.refresh_from_db()
    assert request.waiting_for == WaitingFor.ADVISER
    told = Notification.objects.filter(kind="stays_return_answered")
    assert [n.recipient for n in told] == [tree["health_editor"]]


def test_an_answer_nobody_asked_for_and_an_empty_one_are_refused(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))

    refused("not_asked", request_answer, request=request, user=tree["nurse"], text="Hello")
    request_ask(request=request, user=tree["health_editor"], text="When?")
    refused("text_required", request_answer, request=request, user=tree["nurse"], text="\x00 ")
    refused("forbidden", request_answer, request=request, user=tree["cs_student"], text="Me")


def test_a_comment_changes_nothing_of_whom_it_waits_for(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))
    request_ask(request=request, user=tree["health_editor"], text="When?")

    request_comment(request=request, user=tree["staff"], text="Spoke to her on the phone.")

    request.refresh_from_db()
    assert request.waiting_for == WaitingFor.STUDENT
    refused("forbidden", request_comment, request=request, user=tree["nurse"], text="Me too")


def test_only_the_unit_s_editors_and_staff_handle_a_request(tree):
    request = ask(tree["cs_student"], stay_make(tree["cs_student"]))

    # The department's adviser edits the department, not the faculty the request went to.
    for outsider in (tree["health_editor"], tree["cs_adviser"], tree["nurse"]):
        refused("forbidden", request_ask, request=request, user=outsider, text="Why?")
    refused("forbidden", request_ask, request=request, user=tree["cs_student"], text="Why?")
    assert request_ask(request=request, user=tree["staff"], text="Why?").pk


# --- Deciding ----------------------------------------------------------------------------------


def test_an_approval_records_the_learning_agreement_and_tells_the_student(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))
    moment = timezone.now()

    decided = request_decide(
        request=request,
        user=tree["health_editor"],
        decision="approved",
        note="Welcome home.",
        outcome=AgreementOutcome.REPLACED,
        now=moment,
    )

    decided.refresh_from_db()
    assert (decided.status, decided.agreement_outcome, decided.decision_note) == (
        ReturnStatus.APPROVED,
        AgreementOutcome.REPLACED,
        "Welcome home.",
    )
    assert (decided.decided_by, decided.decided_at, decided.waiting_for) == (
        tree["health_editor"],
        moment,
        WaitingFor.NOBODY,
    )
    step = decided.steps.last()
    assert (step.kind, step.text) == (ReturnStepKind.DECIDED, "Welcome home.")
    (told,) = Notification.objects.filter(kind="stays_return_decided")
    assert (told.recipient, told.language) == (tree["nurse"], "nb")


def test_an_approval_needs_the_learning_agreement_s_outcome(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]), courses=[])

    error = refused(
        "outcome_required", request_decide, request=request, user=tree["staff"], decision="approved"
    )
    assert error.field == "outcome"
    refused(
        "no_plan_b",
        request_decide,
        request=request,
        user=tree["staff"],
        decision="approved",
        outcome=AgreementOutcome.REPLACED,
    )
    refused("decision", request_decide, request=request, user=tree["staff"], decision="maybe")
    assert EarlyReturnRequest.objects.get(pk=request.pk).status == ReturnStatus.SUBMITTED


def test_a_refusal_says_why_and_keeps_no_outcome(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))

    refused(
        "note_required", request_decide, request=request, user=tree["staff"], decision="refused"
    )
    decided = request_decide(
        request=request,
        user=tree["staff"],
        decision="refused",
        note="Your exams abroad are next week.",
        outcome=AgreementOutcome.ENDED,
    )

    assert (decided.status, decided.agreement_outcome) == (ReturnStatus.REFUSED, "")


def test_deciding_twice_is_refused(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))
    request_decide(request=request, user=tree["staff"], decision="approved", outcome="ended")

    refused(
        "already_decided",
        request_decide,
        request=request,
        user=tree["health_editor"],
        decision="refused",
        note="No.",
    )
    refused("already_decided", request_ask, request=request, user=tree["staff"], text="Why?")
    # A comment may still be added to the record.
    assert request_comment(request=request, user=tree["staff"], text="Flight booked.").pk


def test_a_student_who_is_also_staff_cannot_decide_their_own_request(tree):
    request = ask(tree["nurse"], stay_make(tree["nurse"]))
    unit_editor_add(unit=tree["health"], user=tree["nurse"])

    refused("forbidden", request_decide, request=request, user=tree["nurse"], decision="refused")
