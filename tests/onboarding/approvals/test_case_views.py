"""The case pages in both languages: building, submitting, deciding, answering; who may see them;
the query count of a case page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.models import CaseStatus, LineDecision, PreApprovalCase, StepKind
from onboarding.approvals.services.cases import (
    case_ask,
    case_create,
    case_submit,
    line_add,
    line_decide,
)
from onboarding.exchange.services import student_programme_set
from tests.onboarding.units.factories import mfa_enable

from .factories import case_make, foreign, home, precedent_make

pytestmark = pytest.mark.django_db
LANGUAGES = ["nb", "en"]


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"approvals:{name}", kwargs=kwargs or None)


@pytest.fixture
def student(tree):
    student_programme_set(user=tree["student"], programme=tree["cs_programme"])
    return tree["student"]


def _draft(tree, student, lines=1):
    case = case_create(student=student, agreement=tree["tum_agreement"], year=2027, season="autumn")
    for _index in range(lines):
        line_add(case=case, user=student, foreign=[foreign()], home=[home()])
    return case


def _open(tree, student, lines=1):
    return case_submit(case=_draft(tree, student, lines), user=student)


def _management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0"}


# --- The student's pages -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_my_cases_lists_the_students_own_cases(client, tree, student, language):
    mine = _draft(tree, student)
    student_programme_set(user=tree["other_student"], programme=tree["cs_programme"])
    theirs = _draft(tree, tree["other_student"])
    client.force_login(student)
    response = client.get(url("my_cases", language))
    assert response.status_code == 200
    body = response.content.decode()
    assert url("case_detail", language, case_id=mine.pk) in body
    assert url("case_detail", language, case_id=theirs.pk) not in body
    assert (
        "Mine forhåndsgodkjenningssaker" if language == "nb" else "My pre-approval cases"
    ) in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_case_needs_the_programme_and_points_to_the_finder(client, tree, language):
    client.force_login(tree["student"])
    response = client.get(url("case_new", language))
    assert response.status_code == 200
    with translation.override(language):
        finder = reverse("exchange:finder")
    assert f'href="{finder}"' in response.content.decode()
    assert "data-no-programme" in response.content.decode()


def test_a_new_case_offers_the_destinations_open_to_the_programme(client, tree, student):
    client.force_login(student)
    response = client.get(url("case_new"))
    body = response.content.decode()
    assert "Technische Universität München" in body and "University of Copenhagen" not in body
    response = client.post(
        url("case_new"),
        {"agreement": tree["ku_agreement"].pk, "year": "2027", "season": "autumn"},
    )
    assert response.status_code == 400
    assert not PreApprovalCase.objects.exists()
    response = client.post(
        url("case_new"),
        {"agreement": tree["tum_agreement"].pk, "year": "2027", "season": "autumn", "note": "Hi"},
    )
    case = PreApprovalCase.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "case_detail", case_id=case.pk
    )
    assert (case.student, case.agreement, case.student_note) == (
        student,
        tree["tum_agreement"],
        "Hi",
    )


def test_a_destination_page_s_link_chooses_its_agreement(client, tree, student):
    client.force_login(student)
    chosen = tree["kth_agreement"].pk
    response = client.get(url("case_new"), {"agreement": chosen})
    assert f'<option value="{chosen}" selected>' in response.content.decode()
    # Anything else in the address chooses nothing.
    response = client.get(url("case_new"), {"agreement": "x"})
    assert response.status_code == 200 and "selected>" not in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_builder_finds_earlier_decisions_and_uses_one(client, tree, student, language):
    precedent = precedent_make(
        institution=tree["tum"],
        unit=tree["cs"],
        foreign_rows=[foreign("IN2064", "Machine Learning")],
        home_rows=[home("DAT340", "Maskinlæring", "Machine learning")],
    )
    precedent_make(institution=tree["tum"], unit=tree["cs"], foreign_rows=[foreign("IN2064")])
    precedent_make(institution=tree["tum"], unit=tree["cs"], foreign_rows=[foreign("MA1001")])
    precedent_make(institution=tree["kth"], unit=tree["cs"], foreign_rows=[foreign("DD1337")])
    case = _draft(tree, student, lines=0)
    client.force_login(student)
    response = client.get(url("case_detail", language, case_id=case.pk), {"q": "machine"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "IN2064 Machine Learning" in body and "MA1001" not in body and "DD1337" not in body
    # How often that course was approved at the partner.
    assert ("godkjent 2 ganger" if language == "nb" else "approved 2 times") in body
    response = client.post(
        url("case_use_precedent", language, case_id=case.pk), {"precedent": precedent.pk}
    )
    assert response.status_code == 302
    line = case.lines.get()
    assert line.precedent == precedent
    assert line.foreign_courses.get().code == "IN2064"


def test_a_line_with_a_combination_is_added_from_the_form(client, tree, student):
    case = _draft(tree, student, lines=0)
    client.force_login(student)
    data = {
        **_management("foreign", 3),
        **_management("home", 2),
        "foreign-0-code": "IN1",
        "foreign-0-title": "Eins",
        "foreign-0-ects": "5",
        "foreign-0-level": "bachelor",
        "foreign-1-code": "IN2",
        "foreign-1-title": "Zwei",
        "foreign-1-ects": "2.5",
        "foreign-1-level": "bachelor",
        "foreign-2-level": "bachelor",
        "home-0-kind": "course",
        "home-0-code": "DAT100",
        "home-0-title": "Programming",
        "home-0-ects": "7.5",
        "home-1-kind": "course",
        "line-comment": "Both together",
    }
    response = client.post(url("case_line_add", case_id=case.pk), data)
    assert response.status_code == 302
    line = case.lines.get()
    assert [c.code for c in line.foreign_courses.all()] == ["IN1", "IN2"]
    home_course = line.home_courses.get()
    assert (home_course.title_en, home_course.title_nb) == ("Programming", "Programming")

    data["foreign-0-ects"] = "0"
    response = client.post(url("case_line_add", case_id=case.pk), data)
    assert response.status_code == 400
    assert case.lines.count() == 1


def test_the_student_submits_and_sees_the_clock(client, tree, student):
    case = _draft(tree, student)
    client.force_login(student)
    response = client.post(url("case_submit", case_id=case.pk), follow=True)
    assert "Your case is submitted to Department of Computer Science." in (
        response.content.decode()
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    body = client.get(url("case_detail", case_id=case.pk)).content.decode()
    assert "Waiting for" in body and "The adviser" in body
    assert "0.0 of 5 working days used." in body
    assert 'data-light="green"' in body and "On time" in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_adviser_decides_and_the_student_reads_the_decision(client, tree, student, language):
    case = _open(tree, student, lines=2)
    first, second = case.lines.all()
    client.force_login(tree["cs_adviser"])
    page = client.get(url("case_detail", language, case_id=case.pk)).content.decode()
    assert f'id="decide-{first.pk}"' in page
    for line, decision in ((first, "approved"), (second, "refused")):
        response = client.post(
            url("case_line_decide", language, case_id=case.pk, line_id=line.pk),
            {f"line-{line.pk}-decision": decision, f"line-{line.pk}-comment": "Overlap too small."},
        )
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    client.force_login(student)
    state = client.get(url("case_state", language, case_id=case.pk))
    assert state.status_code == 200 and state["Cache-Control"] == "no-store"
    body = state.content.decode()
    assert 'data-decision="approved"' in body and 'data-decision="refused"' in body
    assert ("Avgjort" if language == "nb" else "Decided") in body


def test_a_refusal_without_a_comment_is_shown_and_changes_nothing(client, tree, student):
    case = _open(tree, student)
    line = case.lines.get()
    client.force_login(tree["cs_adviser"])
    response = client.post(
        url("case_line_decide", case_id=case.pk, line_id=line.pk),
        {f"line-{line.pk}-decision": "refused"},
        follow=True,
    )
    assert "Say why, or what is needed, in a comment." in response.content.decode()
    line.refresh_from_db()
    assert line.decision == LineDecision.PENDING


def test_questions_and_answers_go_through_the_message_form(client, tree, student):
    case = _open(tree, student)
    client.force_login(tree["cs_adviser"])
    client.post(url("case_message", case_id=case.pk), {"action": "ask", "text": "Which lab?"})
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.STUDENT
    client.force_login(student)
    page = client.get(url("case_detail", case_id=case.pk)).content.decode()
    assert "Which lab?" in page and ">You<" in page.replace("\n", "")
    client.post(url("case_message", case_id=case.pk), {"action": "answer", "text": "Robotics."})
    case.refresh_from_db()
    assert case.waiting_for == WaitingFor.ADVISER
    # A student cannot ask themselves: the refusal is a message, nothing changes.
    steps = case.steps.count()
    client.post(url("case_message", case_id=case.pk), {"action": "ask", "text": "Hm?"})
    assert case.steps.count() == steps


def test_a_line_needing_information_is_changed_by_the_student(client, tree, student):
    case = _open(tree, student)
    line = case.lines.get()
    line_decide(line=line, user=tree["cs_adviser"], decision="needs_info", comment="Syllabus?")
    client.force_login(student)
    page = client.get(url("case_line_edit", case_id=case.pk, line_id=line.pk))
    assert page.status_code == 200 and "Syllabus?" in page.content.decode()
    data = {
        **_management("foreign", 1),
        **_management("home", 1),
        "foreign-0-code": "IN42",
        "foreign-0-title": "Robotik",
        "foreign-0-ects": "7.5",
        "foreign-0-level": "bachelor",
        "home-0-kind": "course",
        "home-0-code": "DAT100",
        "home-0-title": "Robotics",
        "home-0-ects": "7.5",
        "line-comment": "Here is the right course.",
    }
    response = client.post(url("case_line_edit", case_id=case.pk, line_id=line.pk), data)
    assert response.status_code == 302
    line.refresh_from_db()
    case.refresh_from_db()
    assert line.decision == LineDecision.PENDING and case.waiting_for == WaitingFor.ADVISER
    assert case.steps.latest("pk").kind == StepKind.ANSWER


def test_the_student_withdraws(client, tree, student):
    case = _open(tree, student)
    client.force_login(student)
    client.post(url("case_withdraw", case_id=case.pk))
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


# --- Who may see a case ------------------------------------------------------------------------


ROLE_OUTCOMES = {
    "student": 200,
    "other_student": 404,
    "cs_adviser": 200,
    "it_editor": 200,  # the faculty above the department
    "health_editor": 404,  # an adviser of another unit
    "staff": 200,
}


@pytest.mark.parametrize(("role", "status"), list(ROLE_OUTCOMES.items()))
@pytest.mark.parametrize("name", ["case_detail", "case_state"])
def test_a_case_page_is_for_its_student_and_its_advisers(client, tree, student, role, status, name):
    case = _open(tree, student)
    person = tree[role]
    if role != "student":
        mfa_enable(person)
    client.force_login(person)
    assert client.get(url(name, case_id=case.pk)).status_code == status


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("case_detail", {}),
        ("case_state", {}),
        ("case_line_add", {}),
        ("case_line_edit", {"line": True}),
        ("case_line_remove", {"line": True}),
        ("case_line_decide", {"line": True}),
        ("case_use_precedent", {}),
        ("case_submit", {}),
        ("case_withdraw", {}),
        ("case_message", {}),
    ],
)
def test_every_case_url_refuses_other_students_and_anonymous_people(
    client, tree, student, name, extra
):
    case = _draft(tree, student)
    kwargs = {"case_id": case.pk}
    if extra.get("line"):
        kwargs["line_id"] = case.lines.get().pk
    address = url(name, **kwargs)
    method = client.get if name in ("case_detail", "case_state") else client.post
    anonymous = method(address)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(tree["other_student"])
    assert method(address).status_code == 404
    assert PreApprovalCase.objects.get().status == CaseStatus.DRAFT
    assert case.lines.count() == 1


def test_a_line_of_another_case_is_not_found(client, tree, student):
    case = _draft(tree, student)
    other = _draft(tree, student)
    client.force_login(student)
    response = client.post(url("case_line_remove", case_id=case.pk, line_id=other.lines.get().pk))
    assert response.status_code == 404
    assert other.lines.count() == 1


# --- Queries -----------------------------------------------------------------------------------


def _page_queries(client, tree, lines):
    case = case_make(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        accountable_unit=tree["it"],
        programme=tree["cs_programme"],
        lines=lines,
        submitted_at=None,
    )
    case_make_steps = case.lines.all()
    case.status = CaseStatus.DRAFT
    case.save()
    PreApprovalCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.OPEN, submitted_at=case.created_at
    )
    for line in case_make_steps[: lines // 2]:
        line_decide(line=line, user=tree["cs_adviser"], decision="needs_info", comment="More?")
    case_ask(case=case, user=tree["cs_adviser"], text="And the lab?")
    client.force_login(tree["cs_adviser"])
    address = url("case_detail", case_id=case.pk)
    client.get(address)  # the session and the user's units are read once, then cached
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.stack
def test_a_case_page_reads_as_many_queries_for_20_lines_as_for_2(client, tree):
    assert _page_queries(client, tree, 2) == _page_queries(client, tree, 20)


# --- Valid HTML --------------------------------------------------------------------------------


def test_the_case_pages_are_valid_html(client, tree, student):
    from django.test import Client

    from tests.tools import nu_errors, nu_report, require_nu_checker

    require_nu_checker()
    precedent_make(institution=tree["tum"], unit=tree["cs"])
    draft = _draft(tree, student, lines=2)
    open_case = _open(tree, student, lines=2)
    line_decide(
        line=open_case.lines.first(), user=tree["cs_adviser"], decision="needs_info", comment="?"
    )
    adviser = Client()
    adviser.force_login(mfa_enable(tree["cs_adviser"]))
    client.force_login(student)
    documents = {}
    for language in LANGUAGES:
        for reader, address in (
            (client, url("my_cases", language)),
            (client, url("case_new", language)),
            (client, url("case_detail", language, case_id=draft.pk)),
            (client, url("case_detail", language, case_id=open_case.pk)),
            (
                client,
                url(
                    "case_line_edit",
                    language,
                    case_id=open_case.pk,
                    line_id=open_case.lines.first().pk,
                ),
            ),
            (adviser, url("case_detail", language, case_id=open_case.pk)),
        ):
            response = reader.get(address)
            assert response.status_code == 200, address
            documents[f"{address} ({id(reader)})"] = response.content.decode()
    errors = nu_errors(documents)
    assert errors == {}, nu_report(errors)
