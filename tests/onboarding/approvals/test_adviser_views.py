"""The advisers' tools in the admin (queue, filters, CSV, giving cases, promises) and the public
response-time pages, in both languages."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.approvals.clock import WaitingFor
from onboarding.approvals.models import CaseStep, PreApprovalCase, StepKind, UnitPromise
from onboarding.live.models import Notification
from onboarding.privacy.models import ExportKind, PersonalDataExport
from tests.onboarding.approvals.factories import case_make
from tests.onboarding.units.factories import mfa_enable

QUEUE = "approval_cases:queue"
CSV_URL = "approval_cases:queue_csv"
ADMIN_DENIED = "Sorry, you do not have permission to access this area."


def ago(**kw):
    return timezone.now() - datetime.timedelta(**kw)


def cs_case(tree, **kw):
    values = {
        "student": tree["student"],
        "agreement": tree["tum_agreement"],
        "unit": tree["cs"],
        "accountable_unit": tree["it"],
        "submitted_at": ago(days=2),
    }
    return case_make(**{**values, **kw})


def health_case(tree, **kw):
    values = {
        "student": tree["other_student"],
        "agreement": tree["ku_agreement"],
        "unit": tree["health"],
        "accountable_unit": tree["health"],
        "submitted_at": ago(days=2),
    }
    return case_make(**{**values, **kw})


@pytest.fixture
def queue(tree):
    """Cases of both units: late, fresh, waiting for the student, decided."""
    late_start = ago(days=30)
    asked = ago(days=20)
    return {
        "late": cs_case(tree, submitted_at=late_start),
        "fresh": cs_case(tree, submitted_at=ago(minutes=5), adviser=tree["cs_adviser"]),
        "asked": cs_case(
            tree,
            submitted_at=asked,
            steps=[(asked + datetime.timedelta(minutes=30), StepKind.QUESTION, WaitingFor.STUDENT)],
            adviser=tree["it_editor"],
        ),
        "decided": cs_case(
            tree,
            submitted_at=ago(days=40),
            steps=[(ago(days=35), StepKind.DECIDED, WaitingFor.NOBODY)],
        ),
        "health": health_case(tree, adviser=tree["health_editor"]),
    }


def login(client, user, language="en"):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(mfa_enable(user))
    return client


def shown(response):
    """The case ids in the queue, in their order."""
    return [int(pk) for pk in re.findall(r'data-case="(\d+)"', response.content.decode())]


def denied(response):
    return response.status_code == 403 or (
        response.status_code == 302
        and any(ADMIN_DENIED in str(m) for m in get_messages(response.wsgi_request))
    )


# --- Who sees which queue ------------------------------------------------------------------------


def test_staff_see_every_unit_s_cases_being_handled(client, tree, queue):
    response = login(client, tree["staff"]).get(reverse(QUEUE))

    assert response.status_code == 200
    assert set(shown(response)) == {queue[name].pk for name in ("late", "fresh", "asked", "health")}


def test_the_department_s_adviser_sees_only_the_department_s_cases(client, tree, queue):
    response = login(client, tree["cs_adviser"]).get(reverse(QUEUE))

    assert set(shown(response)) == {queue[name].pk for name in ("late", "fresh", "asked")}
    assert "University of Copenhagen" not in response.content.decode()


def test_the_health_faculty_s_editor_sees_none_of_computer_science_s_cases(client, tree, queue):
    client = login(client, tree["health_editor"])

    assert shown(client.get(reverse(QUEUE))) == [queue["health"].pk]
    assert shown(client.get(reverse(QUEUE), {"unit": tree["cs"].pk})) == [queue["health"].pk]
    rows = list(csv.reader(io.StringIO(client.get(reverse(CSV_URL)).content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [str(queue["health"].pk)]


@pytest.mark.parametrize("name", [QUEUE, CSV_URL])
def test_a_student_is_kept_out(client, tree, queue, name):
    client.force_login(tree["student"])

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert not response["Location"].startswith("/admin/")
    assert not PersonalDataExport.objects.exists()


def test_the_queue_speaks_the_adviser_s_language(client, tree, queue):
    response = login(client, tree["cs_adviser"], "nb").get(reverse(QUEUE))

    text = response.content.decode()
    assert "Saker om forhåndsgodkjenning" in text
    assert "forsinket" in text  # the late case's light, in words
    assert "Pre-approval cases" not in text


# --- Filters and order ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "decided"}, ["decided"]),
        ({"status": "all", "unit": "cs"}, ["late", "fresh", "asked", "decided"]),
        ({"waiting_for": "student"}, ["asked"]),
        ({"light": "red"}, ["late"]),
        ({"adviser": "none"}, ["late"]),
        ({"adviser": "it_editor"}, ["asked"]),
        ({"mine": "1"}, ["health"]),
        ({"unit": "health"}, ["health"]),
    ],
)
def test_the_filters(client, tree, queue, query, expected):
    data = {
        key: (str(tree[value].pk) if value in ("cs", "health", "it_editor") else value)
        for key, value in query.items()
    }
    client = login(client, tree["staff"])
    PreApprovalCase.objects.filter(pk=queue["health"].pk).update(adviser=tree["staff"])

    response = client.get(reverse(QUEUE), data)

    assert sorted(shown(response)) == sorted(queue[name].pk for name in expected)


def test_an_unknown_filter_value_is_shown_as_an_error_and_ignored(client, tree, queue):
    response = login(client, tree["cs_adviser"]).get(
        reverse(QUEUE), {"light": "purple", "unit": "abc", "sort": "x"}
    )

    assert response.status_code == 200
    assert len(shown(response)) == 3
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_queue_puts_the_late_first_and_the_least_time_left_next(client, tree, queue):
    client = login(client, tree["cs_adviser"])

    order = shown(client.get(reverse(QUEUE)))
    # Late on its first response; then the fresh case (5 days for a first response); then the
    # one already answered, whose decision clock (15 days) is paused.
    assert order == [queue["late"].pk, queue["fresh"].pk, queue["asked"].pk]

    reverse_order = shown(client.get(reverse(QUEUE), {"sort": "-time_left"}))
    assert reverse_order == list(reversed(order))
    oldest = shown(client.get(reverse(QUEUE), {"sort": "submitted"}))
    assert oldest == [queue["late"].pk, queue["asked"].pk, queue["fresh"].pk]


def test_each_case_shows_its_clock(client, tree, queue):
    text = login(client, tree["cs_adviser"]).get(reverse(QUEUE)).content.decode()

    late_row = text.split(f'data-case="{queue["late"].pk}"')[1].split("</tr>")[0]
    assert 'data-light="red"' in text.split(f'data-case="{queue["late"].pk}"')[1][:40]
    assert "late" in late_row and "of 5 working days used" in late_row
    asked_row = text.split(f'data-case="{queue["asked"].pk}"')[1].split("</tr>")[0]
    assert "Paused while the case waits for someone else." in asked_row


def test_the_queue_and_its_csv_cost_the_same_queries_for_5_and_50_cases(client, tree):
    client = login(client, tree["staff"])
    client.get(reverse(QUEUE))  # the admin's first-request work out of the way
    counts = {}
    for count in (5, 50):
        while PreApprovalCase.objects.count() < count:
            number = PreApprovalCase.objects.count()
            cs_case(tree, submitted_at=ago(days=number % 9 + 1), adviser=tree["cs_adviser"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(QUEUE))
        with CaptureQueriesContext(connection) as csv_queries:
            client.get(reverse(CSV_URL))
        assert len(shown(response)) == count
        counts[count] = (len(queries), len(csv_queries))

    assert counts[5] == counts[50]


# --- CSV ---------------------------------------------------------------------------------------


def test_the_csv_of_the_filtered_queue_in_the_reader_s_language(client, tree, queue):
    client = login(client, tree["cs_adviser"], "nb")

    response = client.get(reverse(CSV_URL), {"status": "all"})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][:4] == ["Sak", "Type", "Student", "E-post"]
    assert "Første svar: virkedager brukt" in rows[0]
    by_case = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_case) == {str(queue[name].pk) for name in ("late", "fresh", "asked", "decided")}
    late = by_case[str(queue["late"].pk)]
    assert late["Reisemål"] == "Technische Universität München"
    assert late["Land"] == "Tyskland"
    assert late["Semester"] == "Høst 2027"
    assert late["Venter på"] == "veilederen"
    assert late["Klokke"] == "forsinket"
    assert late["Første svar: virkedager lovet"] == "5"
    assert "," in late["Første svar: virkedager brukt"]  # a decimal comma in Norwegian
    assert late["Virkedager igjen"].startswith("-")
    decided = by_case[str(queue["decided"].pk)]
    assert decided["Status"] == "avgjort" and decided["Avgjort"]
    export = PersonalDataExport.objects.get()
    assert (export.kind, export.people, export.exported_by) == (
        ExportKind.APPROVAL_CASES,
        1,
        tree["cs_adviser"],
    )


def test_the_csv_in_english_and_safe_from_formulas(client, tree, queue):
    student = tree["student"]
    student.first_name, student.last_name, student.preferred_name = "=HYPERLINK(1)", "X", ""
    student.save()
    client = login(client, tree["staff"])

    response = client.get(reverse(CSV_URL), {"unit": tree["cs"].pk})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Case" and "Working days left" in rows[0]
    assert {row[2] for row in rows[1:]} == {"'=HYPERLINK(1) X"}
    assert PersonalDataExport.objects.get().subject == tree["cs"].title


# --- Giving cases to an adviser ----------------------------------------------------------------


def test_bulk_reassign_gives_the_chosen_cases(client, tree, queue):
    client = login(client, tree["cs_adviser"])
    chosen = [queue["late"].pk, queue["fresh"].pk]

    response = client.post(
        reverse(QUEUE),
        {"cases": chosen, "adviser": tree["it_editor"].pk, "query": "status=open&mine=1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE) + "?status=open&mine=1"
    assert set(
        PreApprovalCase.objects.filter(pk__in=chosen).values_list("adviser_id", flat=True)
    ) == {tree["it_editor"].pk}
    assert CaseStep.objects.filter(kind=StepKind.ASSIGNED, actor=tree["cs_adviser"]).count() == 2
    assert Notification.objects.filter(recipient=tree["it_editor"]).count() == 1
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Gave 2 cases to" in m for m in message)


def _unchanged(queue):
    return list(PreApprovalCase.objects.order_by("pk").values_list("pk", "adviser_id"))


def test_bulk_reassign_refuses_a_case_outside_the_queue_and_changes_nothing(client, tree, queue):
    client = login(client, tree["cs_adviser"])
    before = _unchanged(queue)

    response = client.post(
        reverse(QUEUE),
        {"cases": [queue["late"].pk, queue["health"].pk], "adviser": tree["it_editor"].pk},
    )

    assert response.status_code == 400
    assert "One of the chosen cases is not in your queue." in response.content.decode()
    assert _unchanged(queue) == before
    assert not CaseStep.objects.filter(kind=StepKind.ASSIGNED).exists()


def test_bulk_reassign_refuses_an_adviser_from_outside_the_list(client, tree, queue):
    client = login(client, tree["cs_adviser"])
    before = _unchanged(queue)

    response = client.post(
        reverse(QUEUE), {"cases": [queue["late"].pk], "adviser": tree["health_editor"].pk}
    )

    assert response.status_code == 400
    assert "Choose an adviser from the list." in response.content.decode()
    assert _unchanged(queue) == before


def test_bulk_reassign_of_a_decided_case_is_refused_whole(client, tree, queue):
    client = login(client, tree["staff"], "nb")
    before = _unchanged(queue)

    response = client.post(
        reverse(QUEUE),
        {
            "cases": [queue["late"].pk, queue["decided"].pk],
            "adviser": tree["cs_adviser"].pk,
            "query": f"status=all&unit={tree['cs'].pk}",
        },
    )

    assert response.status_code == 400
    assert "bare saker under behandling" in response.content.decode()
    assert _unchanged(queue) == before


def test_the_reassign_list_names_the_unit_s_advisers(client, tree, queue):
    text = login(client, tree["cs_adviser"]).get(reverse(QUEUE)).content.decode()
    select = text.split('name="adviser"', 2)[2].split("</select>")[0]

    assert tree["it_editor"].email in select and tree["staff"].email in select
    assert tree["health_editor"].email not in select


# --- A unit's promise and figures -------------------------------------------------------------


def test_the_unit_page_shows_the_figures_and_the_promise_form(client, tree, queue):
    case_make(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        submitted_at=ago(days=10),
        steps=[(ago(days=9), StepKind.DECIDED, WaitingFor.NOBODY)],
    )
    response = login(client, tree["cs_adviser"], "nb").get(
        reverse("approval_cases:unit", args=[tree["cs"].pk])
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Lagre de lovede svartidene" in text
    assert "<svg" in text and "Median virkedager per måned" in text
    assert 'name="first_response_days"' in text and 'value="5"' in text


def test_the_promise_form_saves_the_promise(client, tree):
    client = login(client, tree["cs_adviser"])
    url = reverse("approval_cases:unit", args=[tree["cs"].pk])

    response = client.post(url, {"first_response_days": "3", "decision_days": "12"})

    assert response.status_code == 302 and response["Location"] == url
    promise = UnitPromise.objects.get(unit=tree["cs"])
    assert (promise.first_response_days, promise.decision_days) == (3, 12)
    assert 'value="12"' in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"first_response_days": "10", "decision_days": "5"}, "cannot be promised sooner"),
        ({"first_response_days": "0", "decision_days": "5"}, "greater than or equal to 1"),
        ({"first_response_days": "3", "decision_days": "251"}, "less than or equal to 250"),
        ({"first_response_days": "x", "decision_days": ""}, "Enter a whole number."),
    ],
)
def test_the_promise_form_refuses_bad_times(client, tree, data, error):
    response = login(client, tree["cs_adviser"]).post(
        reverse("approval_cases:unit", args=[tree["cs"].pk]), data
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not UnitPromise.objects.exists()


def test_another_unit_s_editor_may_not_see_or_set_its_promise(client, tree):
    client = login(client, tree["health_editor"])
    url = reverse("approval_cases:unit", args=[tree["cs"].pk])

    assert denied(client.get(url))
    assert denied(client.post(url, {"first_response_days": "3", "decision_days": "12"}))
    assert not UnitPromise.objects.exists()


# --- The public pages ----------------------------------------------------------------------------


def public_url(name, language, *args):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def answered(tree):
    """Two decided Computer Science cases and the department's own promise."""
    UnitPromise.objects.create(unit=tree["cs"], first_response_days=3, decision_days=10)
    for days in (20, 40):
        start = ago(days=days)
        case_make(
            student=tree["student"],
            agreement=tree["tum_agreement"],
            unit=tree["cs"],
            submitted_at=start,
            steps=[
                (start + datetime.timedelta(days=1), StepKind.COMMENT, WaitingFor.ADVISER),
                (start + datetime.timedelta(days=8), StepKind.DECIDED, WaitingFor.NOBODY),
            ],
        )


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "nb",
            [
                "Svartider: Institutt for datateknologi",
                "Første svar innen 3 virkedager.",
                "90-persentil",
            ],
        ),
        (
            "en",
            [
                "Response times: Department of Computer Science",
                "A first response within 3 working days.",
                "90th percentile",
            ],
        ),
    ],
)
def test_the_public_unit_page_in_both_languages(client, tree, answered, language, texts):
    response = client.get(public_url("approvals:response_times", language, tree["cs"].pk))

    assert response.status_code == 200
    text = response.content.decode()
    for expected in texts:
        assert expected in text
    assert f'<html lang="{language}">' in text
    assert "<svg" in text and 'role="img"' in text and "<table" in text
    assert 'data-measure="decision"' in text


def test_the_public_index_lists_the_units_in_both_languages(client, tree, answered):
    health_case(tree)
    for language, name in (
        ("nb", "Institutt for datateknologi"),
        ("en", "Department of Computer Science"),
    ):
        response = client.get(public_url("approvals:response_times_index", language))
        assert response.status_code == 200
        text = response.content.decode()
        assert name in text
        assert f'data-unit="{tree["health"].pk}"' in text


def test_the_public_page_of_a_unit_without_cases_says_so(client, tree):
    response = client.get(public_url("approvals:response_times", "en", tree["health"].pk))

    assert response.status_code == 200
    assert "No case to this unit has been answered or decided" in response.content.decode()


def test_no_public_page_for_what_is_not_an_advising_unit(client, tree):
    assert (
        client.get(public_url("approvals:response_times", "en", tree["directory"].pk)).status_code
        == 404
    )
    assert client.get(public_url("approvals:response_times", "en", 987654321)).status_code == 404


def test_the_public_index_costs_the_same_queries_for_many_cases(client, tree, answered):
    url = public_url("approvals:response_times_index", "en")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(20):
        health_case(tree, steps=[(ago(days=1), StepKind.DECIDED, WaitingFor.NOBODY)])
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
