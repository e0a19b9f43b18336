"""The life of a case: opening, lines, submitting, deciding, questions, the clock, escalation."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from onboarding.approvals.clock import TIME_ZONE, Light, WaitingFor
from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.models import (
    CaseKind,
    CaseLine,
    CaseStatus,
    CaseStep,
    CourseApproval,
    LearningAgreement,
    LineAction,
    LineDecision,
    PreApprovalCase,
    PrecedentSource,
    StepKind,
)
from onboarding.approvals.permissions import may_handle_case
from onboarding.approvals.selectors.clocks import case_clock
from onboarding.approvals.services.cases import (
    case_answer,
    case_ask,
    case_comment,
    case_create,
    case_submit,
    case_withdraw,
    cases_escalate,
    host_answered,
    host_wait,
    line_add,
    line_decide,
    line_from_precedent,
    line_remove,
    line_update,
)
from onboarding.exchange.services import student_programme_set
from onboarding.live.models import Notification
from onboarding.units.services import unit_editor_add
from tests.factories import UserFactory

from .factories import case_make, foreign, home, precedent_make

pytestmark = pytest.mark.django_db


def at(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


@pytest.fixture
def student(tree):
    student_programme_set(user=tree["student"], programme=tree["cs_programme"])
    return tree["student"]


def _draft(tree, student, *, lines=1, now=None, **kw):
    case = case_create(
        student=student, agreement=tree["tum_agreement"], year=2027, season="autumn", now=now, **kw
    )
    for _index in range(lines):
        line_add(case=case, user=student, foreign=[foreign()], home=[home()])
    return case


def _open(tree, student, *, lines=1, now=None):
    case = _draft(tree, student, lines=lines, now=now)
    return case_submit(case=case, user=student, now=now)


def _codes(error):
    return error.value.code


# --- Opening a case ----------------------------------------------------------------------------


def test_a_case_needs_the_students_programme(tree):
    with pytest.raises(ApprovalError) as error:
        case_create(
            student=tree["student"], agreement=tree["tum_agreement"], year=2027, season="autumn"
        )
    assert _codes(error) == "no_programme"
    assert error.value.extra["url"].endswith("/destinations/")
    assert "destination finder" in str(error.value)
    assert not PreApprovalCase.objects.exists()


def test_opening_a_case_records_the_programme_and_a_first_step(tree, student):
    case = case_create(
        student=student, agreement=tree["tum_agreement"], year=2027, season="autumn", note=" Hi "
    )
    assert case.status == CaseStatus.DRAFT and case.waiting_for == WaitingFor.NOBODY
    assert case.programme == tree["cs_programme"] and case.student_note == "Hi"
    step = case.steps.get()
    assert (step.kind, step.actor, step.waiting_for) == (
        StepKind.CREATED,
        student,
        WaitingFor.NOBODY,
    )


@pytest.mark.parametrize(
    ("agreement", "year", "season", "change", "code"),
    [
        ("ku_agreement", 2027, "autumn", {}, "destination_closed"),  # nursing, not computing
        ("tum_agreement", 2027, "autumn", {"autumn": False}, "season_closed"),
        ("tum_agreement", 2025, "autumn", {}, "semester_past"),
        ("tum_agreement", 2027, "winter", {}, "season"),
        ("tum_agreement", 2027, "autumn", {"level_bachelor": False}, "destination_closed"),
    ],
)
def test_the_destination_must_be_open_to_the_student(
    tree, student, agreement, year, season, change, code
):
    chosen = tree[agreement]
    for name, value in change.items():
        setattr(chosen, name, value)
    chosen.save()
    with pytest.raises(ApprovalError) as error:
        case_create(student=student, agreement=chosen, year=year, season=season)
    assert _codes(error) == code
    assert not PreApprovalCase.objects.exists()


def test_the_agreement_must_be_in_force_in_the_semester(tree, student):
    agreement = tree["tum_agreement"]
    agreement.valid_to = datetime.date(2027, 6, 30)
    agreement.save()
    with pytest.raises(ApprovalError) as error:
        case_create(student=student, agreement=agreement, year=2027, season="autumn")
    assert _codes(error) == "agreement_not_valid"


# --- Lines -------------------------------------------------------------------------------------


def test_a_line_may_join_several_courses_on_each_side(tree, student):
    case = _draft(tree, student, lines=0)
    line = line_add(
        case=case,
        user=student,
        foreign=[foreign("IN2010", ects="5"), foreign("IN2020", ects="5")],
        home=[home("DAT100"), home("DAT200")],
        comment="Together they cover the course.",
    )
    assert [c.code for c in line.foreign_courses.all()] == ["IN2010", "IN2020"]
    assert [c.code for c in line.home_courses.all()] == ["DAT100", "DAT200"]
    assert line.student_comment == "Together they cover the course."


def test_an_elective_needs_its_level_and_field(tree, student):
    from onboarding.exchange.models import IscedField

    case = _draft(tree, student, lines=0)
    elective = {"kind": "elective", "elective_level": "bachelor", "ects": "7.5"}
    with pytest.raises(ApprovalError) as error:
        line_add(case=case, user=student, foreign=[foreign()], home=[elective])
    assert _codes(error) == "elective_incomplete"
    field = IscedField.objects.get(code="0613")
    line = line_add(
        case=case, user=student, foreign=[foreign()], home=[{**elective, "elective_field": field}]
    )
    assert line.home_courses.get().elective_field == field


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ({"foreign": []}, "no_foreign_course"),
        ({"home": []}, "no_home_course"),
        ({"foreign": [{"code": "X", "title": "Y", "ects": "0"}]}, "invalid_ects"),
        ({"foreign": [{"code": "", "title": "Y", "ects": "5"}]}, "foreign_incomplete"),
        ({"foreign": [foreign() for _n in range(11)]}, "too_many_courses"),
    ],
)
def test_bad_lines_are_refused_and_change_nothing(tree, student, rows, code):
    case = _draft(tree, student, lines=0)
    values = {"foreign": [foreign()], "home": [home()], **rows}
    with pytest.raises(ApprovalError) as error:
        line_add(case=case, user=student, **values)
    assert _codes(error) == code
    assert not case.lines.exists()


def test_only_the_student_adds_lines_to_their_draft(tree, student):
    case = _draft(tree, student, lines=0)
    for other in (tree["other_student"], tree["cs_adviser"]):
        with pytest.raises(ApprovalError) as error:
            line_add(case=case, user=other, foreign=[foreign()], home=[home()])
        assert _codes(error) == "forbidden"
    submitted = _open(tree, student)
    with pytest.raises(ApprovalError) as error:
        line_add(case=submitted, user=student, foreign=[foreign()], home=[home()])
    assert _codes(error) == "case_open"


def test_a_line_from_an_earlier_decision_copies_its_courses(tree, student):
    precedent = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        foreign_rows=[foreign("IN0001", "Grundlagen"), foreign("IN0002", "Praktikum", ects="2.5")],
        home_rows=[home("DAT110", "Programmering", "Programming", ects="10")],
    )
    case = _draft(tree, student, lines=0)
    line = line_from_precedent(case=case, user=student, precedent=precedent)
    assert line.precedent == precedent
    assert [(c.code, c.title, c.ects) for c in line.foreign_courses.all()] == [
        ("IN0001", "Grundlagen", Decimal("7.5")),
        ("IN0002", "Praktikum", Decimal("2.5")),
    ]
    course = line.home_courses.get()
    assert (course.code, course.title_nb, course.title_en) == (
        "DAT110",
        "Programmering",
        "Programming",
    )

    elsewhere = precedent_make(institution=tree["kth"], unit=tree["cs"])
    with pytest.raises(ApprovalError) as error:
        line_from_precedent(case=case, user=student, precedent=elsewhere)
    assert _codes(error) == "precedent_elsewhere"


def test_draft_lines_change_and_go_but_pending_lines_of_a_submitted_case_do_not(tree, student):
    case = _draft(tree, student, lines=2)
    first, second = case.lines.all()
    line_update(line=first, user=student, foreign=[foreign("NEW1")], home=[home()])
    assert first.foreign_courses.get().code == "NEW1"
    line_remove(line=second, user=student)
    assert list(case.lines.all()) == [first]
    case_submit(case=case, user=student)
    with pytest.raises(ApprovalError) as error:
        line_update(line=first, user=student, foreign=[foreign()], home=[home()])
    assert _codes(error) == "line_locked"
    with pytest.raises(ApprovalError):
        line_remove(line=first, user=student)


# --- Submitting --------------------------------------------------------------------------------


def test_an_empty_case_cannot_be_submitted(tree, student):
    case = _draft(tree, student, lines=0)
    with pytest.raises(ApprovalError) as error:
        case_submit(case=case, user=student)
    assert _codes(error) == "no_lines"
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.steps.count() == 1


def test_a_case_without_a_unit_is_not_submitted(tree, student):
    from onboarding.responsibilities.services import area_assignments_replace

    area_assignments_replace(area=tree["area"], assignments=[])
    case = _draft(tree, student)
    with pytest.raises(ApprovalError) as error:
        case_submit(case=case, user=student)
    assert _codes(error) == "no_unit"
    case.refresh_from_db()
    assert (case.status, case.unit, case.submitted_at) == (CaseStatus.DRAFT, None, None)


def test_submitting_sends_the_case_to_the_units_advisers_in_their_language(tree, student):
    tree["cs_adviser"].language = "nb"
    tree["cs_adviser"].save()
    english = UserFactory(email="cs-english@example.test", language="en")
    unit_editor_add(unit=tree["cs"], user=english)
    case = _draft(tree, student, lines=2)
    moment = timezone.now()
    case_submit(case=case, user=student, now=moment)
    case.refresh_from_db()
    assert (case.status, case.waiting_for, case.submitted_at) == (
        CaseStatus.OPEN,
        WaitingFor.ADVISER,
        moment,
    )
    step = case.steps.latest("pk")
    assert (step.kind, step.actor, step.waiting_for) == (
        StepKind.SUBMITTED,
        student,
        WaitingFor.ADVISER,
    )
    sent = {n.recipient: n for n in Notification.objects.filter(kind="approval_case_submitted")}
    assert set(sent) == {tree["cs_adviser"], english}
    assert sent[tree["cs_adviser"]].language == "nb"
    assert sent[tree["cs_adviser"]].subject.startswith(f"Ny forhåndsgodkjenningssak {case.pk}")
    assert (
        sent[english].subject == f"New pre-approval case {case.pk}: Technische Universität München"
    )
    assert "2 lines" in sent[english].body
    assert sent[english].url.endswith(f"/{case.pk}/")


def test_a_case_is_submitted_once(tree, student):
    case = _open(tree, student)
    with pytest.raises(ApprovalError) as error:
        case_submit(case=case, user=student)
    assert _codes(error) == "case_open"


# --- Deciding ----------------------------------------------------------------------------------


def test_only_its_advisers_decide_a_line(tree, student):
    case = _open(tree, student)
    line = case.lines.get()
    for person in (student, tree["other_student"], tree["health_editor"]):
        with pytest.raises(ApprovalError) as error:
            line_decide(line=line, user=person, decision="approved")
        assert _codes(error) == "forbidden"
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING
    # The faculty above the department and the section's staff may.
    assert may_handle_case(user=tree["it_editor"], case=case)
    line_decide(line=line, user=tree["staff"], decision="approved")


@pytest.mark.parametrize("decision", ["conditions", "refused", "needs_info"])
def test_anything_but_an_approval_needs_a_comment(tree, student, decision):
    case = _open(tree, student)
    line = case.lines.get()
    with pytest.raises(ApprovalError) as error:
        line_decide(line=line, user=tree["cs_adviser"], decision=decision, comment="  ")
    assert _codes(error) == "comment_required"
    assert case.steps.count() == 2


def test_an_unknown_decision_is_refused(tree, student):
    case = _open(tree, student)
    with pytest.raises(ApprovalError) as error:
        line_decide(line=case.lines.get(), user=tree["cs_adviser"], decision="pending")
    assert _codes(error) == "decision"


def test_a_line_needing_information_waits_for_the_student_who_changes_it(tree, student):
    student.language = "nb"
    student.save()
    case = _open(tree, student, lines=2)
    first, second = case.lines.all()
    line_decide(
        line=first, user=tree["cs_adviser"], decision="needs_info", comment="Send the syllabus."
    )
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.STUDENT and case.first_response_at is not None
    question = Notification.objects.get(recipient=student, kind="approval_case_question")
    assert question.language == "nb" and "Send the syllabus." in question.body

    # Deciding another line leaves the case with the student.
    line_decide(line=second, user=tree["cs_adviser"], decision="approved")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.STUDENT and case.status == CaseStatus.OPEN

    line_update(line=first, user=student, foreign=[foreign("IN9999")], home=[home()])
    first.refresh_from_db()
    case.refresh_from_db()
    assert first.decision == LineDecision.PENDING
    assert case.waiting_for == WaitingFor.ADVISER
    answer = case.steps.latest("pk")
    assert (answer.kind, answer.line, answer.actor) == (StepKind.ANSWER, first, student)
    assert Notification.objects.filter(
        recipient=tree["cs_adviser"], kind="approval_case_answered"
    ).exists()


def test_the_first_response_is_the_first_step_of_the_advisers_side(tree, student):
    case = _open(tree, student, lines=2, now=at(2026, 12, 1, 9))
    line_decide(
        line=case.lines.first(),
        user=tree["cs_adviser"],
        decision="approved",
        now=at(2026, 12, 2, 9),
    )
    line_decide(
        line=case.lines.last(),
        user=tree["cs_adviser"],
        decision="needs_info",
        comment="Which semester?",
        now=at(2026, 12, 3, 9),
    )
    case.refresh_from_db()
    assert case.first_response_at == at(2026, 12, 2, 9)


def test_when_every_line_is_decided_the_case_is_and_approved_lines_become_precedents(tree, student):
    student.language = "en"
    student.save()
    case = _open(tree, student, lines=3)
    approved, conditioned, refused = case.lines.all()
    adviser = tree["cs_adviser"]
    line_decide(line=approved, user=adviser, decision="approved")
    line_decide(line=conditioned, user=adviser, decision="conditions", comment="Pass the lab.")
    assert not Notification.objects.filter(kind="approval_case_decided").exists()
    line_decide(line=refused, user=adviser, decision="refused", comment="Too little overlap.")
    case.refresh_from_db()
    assert (case.status, case.waiting_for) == (CaseStatus.DECIDED, WaitingFor.NOBODY)
    assert case.decided_at is not None
    assert case.steps.latest("pk").kind == StepKind.DECIDED

    approved.refresh_from_db()
    conditioned.refresh_from_db()
    refused.refresh_from_db()
    assert refused.recorded_as is None
    for line in (approved, conditioned):
        precedent = line.recorded_as
        assert precedent.source == PrecedentSource.CASE
        assert precedent.deciding_unit == tree["cs"]
        assert precedent.institution == tree["tum"]
        assert [c.code for c in precedent.foreign_courses.all()] == [
            c.code for c in line.foreign_courses.all()
        ]
    assert conditioned.recorded_as.note == "Pass the lab."
    assert LearningAgreement.objects.filter(case=case).exists()
    decided = Notification.objects.get(recipient=student, kind="approval_case_decided")
    assert "Approved: 1. Approved with conditions: 1. Refused: 1." in decided.body

    with pytest.raises(ApprovalError) as error:
        line_decide(line=approved, user=adviser, decision="refused", comment="No")
    assert _codes(error) == "case_decided"


def test_a_case_refused_whole_has_no_learning_agreement(tree, student):
    case = _open(tree, student)
    line_decide(line=case.lines.get(), user=tree["cs_adviser"], decision="refused", comment="No.")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert not LearningAgreement.objects.filter(case=case).exists()
    assert not CourseApproval.objects.exists()


# --- Questions, answers, the host institution, comments, withdrawing ---------------------------


def test_a_question_waits_for_the_student_and_the_answer_for_the_adviser(tree, student):
    case = _open(tree, student)
    with pytest.raises(ApprovalError) as error:
        case_ask(case=case, user=tree["cs_adviser"], text="")
    assert _codes(error) == "text_required"
    case_ask(case=case, user=tree["cs_adviser"], text="Which campus?")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.STUDENT
    with pytest.raises(ApprovalError) as error:
        case_answer(case=case, user=tree["other_student"], text="Garching")
    assert _codes(error) == "forbidden"
    case_answer(case=case, user=student, text="Garching")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.ADVISER
    assert [s.kind for s in case.steps.all()][-2:] == [StepKind.QUESTION, StepKind.ANSWER]
    # No adviser assigned: the unit's advisers hear of the answer.
    assert Notification.objects.filter(
        recipient=tree["cs_adviser"], kind="approval_case_answered"
    ).exists()


def test_an_answer_goes_to_the_assigned_adviser_only(tree, student):
    other = UserFactory(email="cs-second@example.test")
    unit_editor_add(unit=tree["cs"], user=other)
    case = _open(tree, student)
    PreApprovalCase.objects.filter(pk=case.pk).update(adviser=other)
    case_answer(case=case, user=student, text="More about the course.")
    answered = Notification.objects.filter(kind="approval_case_answered")
    assert [n.recipient for n in answered] == [other]


def test_the_host_institution_pauses_the_case_and_its_answer_resumes_it(tree, student):
    case = _open(tree, student)
    with pytest.raises(ApprovalError) as error:
        host_answered(case=case, user=tree["cs_adviser"], text="They said yes.")
    assert _codes(error) == "host_not_waiting"
    host_wait(case=case, user=tree["cs_adviser"], text="Asked TUM about the lab.")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.HOST and case.first_response_at is not None
    with pytest.raises(ApprovalError) as error:
        host_wait(case=case, user=tree["cs_adviser"], text="Again")
    assert _codes(error) == "host_waiting"
    # A student's message does not end the wait for the host.
    case_answer(case=case, user=student, text="I can send the syllabus too.")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.HOST
    host_answered(case=case, user=tree["cs_adviser"], text="The lab is included.")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.ADVISER


def test_comments_leave_whom_the_case_waits_for(tree, student):
    case = _open(tree, student)
    case_comment(case=case, user=student, text="I go in August.")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.ADVISER and case.first_response_at is None
    case_comment(case=case, user=tree["cs_adviser"], text="Noted.")
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.ADVISER and case.first_response_at is not None
    with pytest.raises(ApprovalError) as error:
        case_comment(case=case, user=tree["health_editor"], text="Hi")
    assert _codes(error) == "forbidden"


def test_withdrawing_stops_the_case_and_is_final(tree, student):
    case = _open(tree, student)
    with pytest.raises(ApprovalError):
        case_withdraw(case=case, user=tree["cs_adviser"])
    case_withdraw(case=case, user=student)
    case.refresh_from_db()
    assert (case.status, case.waiting_for) == (CaseStatus.WITHDRAWN, WaitingFor.NOBODY)
    assert case_clock(case).decision.stopped
    for action in (
        lambda: case_withdraw(case=case, user=student),
        lambda: case_answer(case=case, user=student, text="Hi"),
        lambda: line_decide(line=case.lines.get(), user=tree["cs_adviser"], decision="approved"),
    ):
        with pytest.raises(ApprovalError) as error:
            action()
        assert _codes(error) == "case_withdrawn"


# --- Changes to a learning agreement -----------------------------------------------------------


def test_a_change_is_submitted_asked_and_decided_like_a_case_and_drops_lines(tree, student):
    original = _open(tree, student, lines=2)
    for line in original.lines.all():
        line_decide(line=line, user=tree["cs_adviser"], decision="approved")
    original.refresh_from_db()
    kept, dropped = original.lines.all()
    precedents = CourseApproval.objects.count()
    change = PreApprovalCase.objects.create(
        kind=CaseKind.CHANGE,
        amends=original,
        student=student,
        agreement=original.agreement,
        programme=original.programme,
        year=original.year,
        season=original.season,
    )
    drop = CaseLine.objects.create(case=change, action=LineAction.DROP, drops=dropped)
    line_add(case=change, user=student, foreign=[foreign("IN7777")], home=[home()])
    case_submit(case=change, user=student)
    change.refresh_from_db()
    assert (change.unit, change.status) == (tree["cs"], CaseStatus.OPEN)
    case_ask(case=change, user=tree["cs_adviser"], text="Why drop it?")
    case_answer(case=change, user=student, text="It clashes.")
    for line in change.lines.all():
        line_decide(line=line, user=tree["cs_adviser"], decision="approved")
    change.refresh_from_db()
    drop.refresh_from_db()
    assert change.status == CaseStatus.DECIDED
    # The added line is a new precedent; the drop line is not.
    assert CourseApproval.objects.count() == precedents + 1
    assert drop.recorded_as is None and drop.approved
    assert not LearningAgreement.objects.filter(case=change).exists()
    assert kept.recorded_as is not None


# --- The clock on real steps -------------------------------------------------------------------


def _clocked(tree, student, submitted):
    return _open(tree, student, now=submitted)


def test_the_clock_skips_the_weekend(tree, student):
    case = _clocked(tree, student, at(2026, 11, 27))  # a Friday, noon
    clocks = case_clock(case, now=at(2026, 11, 30))  # Monday, noon
    assert clocks.first_response.used == 1
    assert clocks.first_response.waiting_for == WaitingFor.ADVISER


def test_the_clock_skips_easter(tree, student):
    # Wednesday noon before Easter 2026 to Tuesday noon after it: one working day.
    case = _open(tree, student, now=at(2026, 4, 1))
    assert case_clock(case, now=at(2026, 4, 7)).first_response.used == 1
    # Four working days left: Wednesday to Friday, then Monday 13 April at noon.
    assert case_clock(case, now=at(2026, 4, 7)).first_response.due == at(2026, 4, 13)


def test_the_clock_counts_a_day_across_the_change_to_summer_time(tree, student):
    # Clocks go forward on Sunday 29 March 2026: Friday noon to Monday noon is one working day.
    case = _open(tree, student, now=at(2026, 3, 27))
    assert case_clock(case, now=at(2026, 3, 30)).decision.used == 1


def test_the_clock_pauses_while_the_case_waits_for_the_student(tree, student):
    case = _open(tree, student, now=at(2026, 11, 30, 9))  # Monday 09:00
    case_ask(case=case, user=tree["cs_adviser"], text="Which lab?", now=at(2026, 12, 1, 9))
    case.refresh_from_db()
    paused = case_clock(case, now=at(2026, 12, 3, 9))
    assert paused.decision.used == 1 and paused.decision.paused
    assert paused.decision.waiting_for == WaitingFor.STUDENT
    # The question was the first response: that clock stopped at one day.
    assert paused.first_response.stopped and paused.first_response.used == 1
    case_answer(case=case, user=student, text="The robotics lab.", now=at(2026, 12, 3, 9))
    case.refresh_from_db()
    running = case_clock(case, now=at(2026, 12, 4, 9))
    assert running.decision.used == 2 and not running.decision.paused
    assert running.decision.light == Light.GREEN


def test_the_light_turns_amber_then_red(tree, student):
    case = _open(tree, student, now=at(2026, 11, 2, 9))  # Monday; five days promised
    assert case_clock(case, now=at(2026, 11, 6, 9)).first_response.light == Light.AMBER
    assert case_clock(case, now=at(2026, 11, 9, 12)).first_response.light == Light.RED


# --- Escalation --------------------------------------------------------------------------------


def test_a_late_case_escalates_once_to_the_accountable_unit(tree, student):
    tree["it_editor"].language = "nb"
    tree["it_editor"].save()
    late = _open(tree, student, now=at(2026, 11, 2, 9))
    on_time = _open(tree, student, now=at(2026, 11, 30, 9))
    assert not may_handle_case(user=tree["health_editor"], case=late)

    assert cases_escalate(now=at(2026, 12, 2, 9)) == 1
    assert cases_escalate(now=at(2026, 12, 3, 9)) == 0
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.escalated_at == at(2026, 12, 2, 9) and on_time.escalated_at is None
    steps = late.steps.filter(kind=StepKind.ESCALATED)
    assert steps.count() == 1 and steps.get().actor is None
    assert steps.get().waiting_for == WaitingFor.ADVISER
    told = Notification.objects.filter(kind="approval_case_escalated")
    assert [n.recipient for n in told] == [tree["it_editor"]]
    assert told.get().language == "nb"


def test_a_case_waiting_for_the_student_does_not_escalate(tree, student):
    case = _open(tree, student, now=at(2026, 11, 2, 9))
    case_ask(case=case, user=tree["cs_adviser"], text="Syllabus?", now=at(2026, 11, 2, 10))
    assert cases_escalate(now=at(2026, 12, 2, 9)) == 0


def test_the_accountable_units_editors_may_handle_an_escalated_case(tree, student):
    from onboarding.responsibilities.services import AssignmentSpec, area_assignments_replace
    from onboarding.units.kinds import UnitKind

    # The section is Accountable at department level: late cases go past the faculty to it.
    area_assignments_replace(
        area=tree["area"],
        assignments=[
            AssignmentSpec("university", "A", unit=tree["section"]),
            AssignmentSpec("university", "R", unit=tree["section"]),
            AssignmentSpec("faculty", "A", unit_kind=UnitKind.FACULTY),
            AssignmentSpec("faculty", "R", unit_kind=UnitKind.FACULTY),
            AssignmentSpec("department", "A", unit=tree["section"]),
            AssignmentSpec("department", "R", unit_kind=UnitKind.DEPARTMENT),
        ],
    )
    section_editor = UserFactory(email="section-editor@example.test")
    unit_editor_add(unit=tree["section"], user=section_editor)
    case = _open(tree, student, now=at(2026, 11, 2, 9))
    assert case.accountable_unit == tree["section"]
    assert not may_handle_case(user=section_editor, case=case)
    cases_escalate(now=at(2026, 12, 2, 9))
    case.refresh_from_db()
    assert may_handle_case(user=section_editor, case=case)
    line_decide(line=case.lines.get(), user=section_editor, decision="approved")


def test_the_command_escalates_and_says_how_many(tree, student):
    _open(tree, student, now=at(2026, 11, 2, 9))
    out = io.StringIO()
    call_command("approvals_escalate", stdout=out)
    assert "Escalated 1 late pre-approval case(s)." in out.getvalue()
    out = io.StringIO()
    call_command("approvals_escalate", stdout=out)
    assert "Escalated 0" in out.getvalue()
    assert CaseStep.objects.filter(kind=StepKind.ESCALATED).count() == 1


def test_a_case_made_late_by_the_builder_escalates_too(tree):
    case = case_make(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        accountable_unit=tree["it"],
        submitted_at=timezone.now() - datetime.timedelta(days=30),
    )
    assert cases_escalate() == 1
    case.refresh_from_db()
    assert case.escalated_at is not None


# --- The live topic ----------------------------------------------------------------------------


def test_the_case_topic_is_for_those_who_see_the_case(tree, student):
    from django.contrib.auth.models import AnonymousUser

    from onboarding.live.topics import topic_authorise

    case = _open(tree, student)
    topic = f"approval_case:{case.pk}"
    allowed = {
        "student": True,
        "other_student": False,
        "cs_adviser": True,
        "health_editor": False,
        "staff": True,
    }
    for role, expected in allowed.items():
        assert topic_authorise(tree[role], topic) is expected, role
    assert topic_authorise(AnonymousUser(), topic) is False
    assert topic_authorise(student, "approval_case:999999") is False
    assert topic_authorise(student, "approval_case:abc") is False


def test_each_step_hints_the_case_topic_after_commit(
    tree, student, django_capture_on_commit_callbacks
):
    from unittest import mock

    case = _draft(tree, student)
    with (
        mock.patch("onboarding.live.services._group_send_many") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        case_submit(case=case, user=student)
    [(messages,), _kwargs] = send.call_args
    group, message = messages[0]
    assert group == f"topic.approval_case.{case.pk}"
    assert message["data"]["step"] == StepKind.SUBMITTED
    assert message["data"]["waiting_for"] == WaitingFor.ADVISER
