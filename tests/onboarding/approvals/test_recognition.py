"""Recognition after return: a realistic transcript matched to the learning agreement, grades
converted by the institution's table, the country's or none, the transcript's services, the
decision and its notification, and who may open the pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.models import CaseStatus, RecognitionDecision, TranscriptLine
from onboarding.approvals.selectors.recognition import (
    MATCH_CODE,
    MATCH_TITLE,
    recognition_draft,
)
from onboarding.approvals.services.recognition import (
    recognition_decide,
    transcript_line_add,
    transcript_line_remove,
    transcript_line_update,
)
from onboarding.live.models import Notification
from onboarding.live.services import notification_render
from tests.onboarding.approvals.agreement_builders import (
    GERMAN_ROWS,
    change_make,
    decided_case,
    scale_make,
)
from tests.onboarding.approvals.test_agreements import (
    ALGORITHMS,
    DATABASES,
    MACHINE_LEARNING,
    PRACTICAL,
)
from tests.onboarding.exchange.factories import agreement_create, institution_create

LAST_YEAR = timezone.localdate().year - 1

# The transcript of records TUM sent after the autumn semester: IN2010 and IN2064 under their
# codes (one written with a space), the deep-learning course under the new code TUM moved it
# to (found by its title only), no result for Datenbanken, the practical passed, and a German
# course that was never in the agreement.
TRANSCRIPT = [
    ("IN2010", "Fundamentals of Algorithms and Data Structures", "1,7", "6"),
    ("IN 2064", "Machine Learning", "2,3", "8"),
    ("CIT4230003", "Introduction to Deep Learning", "1,3", "6"),
    ("IN2106", "Praktikum: Software Engineering", "bestanden", "10"),
    ("SZ0401", "Deutsch als Fremdsprache A2.1", "2,0", "3"),
]


def stay_make(tree, *, agreement=None, student=None, lines=None, year=LAST_YEAR):
    case, made = decided_case(
        student=student or tree["student"],
        agreement=agreement or tree["tum_agreement"],
        unit=tree["cs"],
        adviser=tree["cs_adviser"],
        programme=tree["cs_programme"],
        lines=lines or [ALGORITHMS, MACHINE_LEARNING, DATABASES, PRACTICAL],
        year=year,
    )
    return case, made


def transcript_enter(case, user, rows=TRANSCRIPT):
    for code, title, grade, ects in rows:
        transcript_line_add(case=case, user=user, code=code, title=title, grade=grade, ects=ects)


@pytest.fixture
def stay(tree):
    case, lines = stay_make(tree)
    return {**tree, "case": case, "lines": lines}


def by_line(draft):
    return {result.group.line.pk: result for result in draft.groups}


# --- Matching ------------------------------------------------------------------------------


def test_recognition_matching_on_a_realistic_transcript(stay):
    scale_make(institution=stay["tum"], rows=GERMAN_ROWS)
    transcript_enter(stay["case"], stay["student"])
    algorithms, ml, databases, practical = stay["lines"]
    draft = recognition_draft(case=stay["case"])
    groups = by_line(draft)

    # An exact code: recognised as DAT200 with 1,7 → B.
    result = groups[algorithms.pk]
    assert result.state == "recognised" and result.home_grade == "B"
    assert result.courses[0].match == MATCH_CODE
    assert result.courses[0].transcript.title == "Fundamentals of Algorithms and Data Structures"

    # The combination: IN 2064 by its code, the deep-learning course by its title only (weaker,
    # said so); both passed, with different grades, so the home grade is set by hand.
    result = groups[ml.pk]
    assert result.state == "recognised" and result.by_title
    assert [c.match for c in result.courses] == [MATCH_CODE, MATCH_TITLE]
    assert [c.conversion.home_grade for c in result.courses] == ["C", "A"]
    assert result.home_grade == ""

    # No transcript line for Datenbanken: missing.
    assert groups[databases.pk].state == "missing"
    assert groups[databases.pk].courses[0].transcript is None

    # The practical converts "bestanden" to passed and gives the elective.
    assert groups[practical.pk].state == "recognised"
    assert groups[practical.pk].home_grade == "passed"

    # The German course was never in the agreement: it needs a new decision.
    assert [extra.transcript.code for extra in draft.extra] == ["SZ0401"]
    assert draft.extra[0].conversion.home_grade == "B" and draft.extra[0].dropped_group is None

    assert draft.agreed_ects == Decimal("36")
    assert draft.transcript_ects == Decimal("33")
    assert draft.recognised_ects == Decimal("32.5")  # DAT200 7.5 + DAT305/306 15 + elective 10
    assert draft.missing_ects == Decimal("6")
    assert draft.new_decision_ects == Decimal("3")
    outcome = draft.as_outcome()
    assert outcome["counts"] == {"recognised": 3, "partly": 0, "missing": 1, "new_decision": 1}
    assert outcome["scale"]["source"] == "institution"


def test_a_failed_or_missing_course_of_a_combination_makes_it_partly_recognised(stay):
    scale_make(institution=stay["tum"], rows=GERMAN_ROWS)
    transcript_enter(
        stay["case"],
        stay["student"],
        [("IN2064", "Machine Learning", "5,0", "8"), ("IN2010", "Algorithms", "1,0", "6")],
    )
    _algorithms, ml, *_ = stay["lines"]
    result = by_line(recognition_draft(case=stay["case"]))[ml.pk]
    # One course failed (5,0 → F), the other not taken: nothing of it counts.
    assert [c.state for c in result.courses] == ["failed", "missing"]
    assert result.state == "missing"
    transcript_enter(stay["case"], stay["student"], [("IN2346", "Deep Learning", "2,0", "6")])
    result = by_line(recognition_draft(case=stay["case"]))[ml.pk]
    assert result.state == "partly" and result.home_grade == ""


def test_a_course_dropped_by_a_change_needs_a_new_decision_and_says_why(stay):
    _algorithms, _ml, databases, _practical = stay["lines"]
    change, _, _ = change_make(stay["case"], drops=[databases])
    transcript_enter(stay["case"], stay["student"], [("IN0008", "Datenbanken", "1,3", "6")])
    draft = recognition_draft(case=stay["case"])
    assert databases.pk not in by_line(draft)
    assert draft.extra[0].dropped_group.dropped_by == change
    assert draft.as_outcome()["new_decision"][0]["dropped_by"] == change.pk


# --- Grade conversion ----------------------------------------------------------------------


def test_grades_convert_by_the_country_table_when_the_institution_has_none(tree):
    lmu = institution_create(country="DE", name="Ludwig-Maximilians-Universität", schac="lmu.de")
    case, _ = stay_make(tree, agreement=agreement_create(institution=lmu, owner_unit=tree["cs"]))
    scale_make(country="DE", rows=GERMAN_ROWS)
    scale_make(institution=tree["tum"], rows=[("1,7", "A")])  # TUM's own: not LMU's
    transcript_enter(case, tree["student"], [("IN2010", "Algorithms", "1,7", "6")])
    draft = recognition_draft(case=case)
    assert draft.scale_source == "country"
    assert draft.groups[0].courses[0].conversion.home_grade == "B"


def test_the_institution_table_comes_before_the_country_table(stay):
    scale_make(country="DE", rows=[("1,7", "C")])
    scale_make(institution=stay["tum"], rows=[("1.7", "B")])  # a point where TUM writes a comma
    transcript_enter(stay["case"], stay["student"], [("IN2010", "Algorithms", "1,7", "6")])
    draft = recognition_draft(case=stay["case"])
    assert draft.scale_source == "institution"
    assert draft.groups[0].courses[0].conversion.home_grade == "B"


def test_without_a_table_the_draft_says_so_and_does_not_guess(client, tree):
    case, lines = stay_make(tree, agreement=tree["kth_agreement"], lines=[ALGORITHMS])
    transcript_enter(case, tree["student"], [("IN2010", "Algorithms", "B", "6")])
    draft = recognition_draft(case=case)
    course_result = draft.groups[0].courses[0]
    assert draft.scale is None and draft.scale_source == "no_table"
    assert course_result.conversion.home_grade == "" and course_result.state == "unconverted"
    # Matched and not known to be failed: it counts, but its grade is for the adviser to set.
    assert draft.groups[0].state == "recognised" and draft.groups[0].home_grade == ""
    client.force_login(tree["cs_adviser"])
    with translation.override("en"):
        page = client.get(reverse("approvals:recognition", kwargs={"case_id": case.pk}))
    html = page.content.decode()
    assert "No conversion table for KTH Royal Institute of Technology: convert by hand." in html


def test_a_grade_missing_from_the_table_is_left_to_be_converted_by_hand(stay):
    scale_make(institution=stay["tum"], rows=[("1,0", "A")])
    transcript_enter(stay["case"], stay["student"], [("IN2010", "Algorithms", "1,7", "6")])
    conversion = recognition_draft(case=stay["case"]).groups[0].courses[0].conversion
    assert (conversion.home_grade, conversion.source) == ("", "not_in_table")


@pytest.mark.stack
def test_the_draft_costs_the_same_queries_however_long_the_transcript(tree):
    def count(rows, lines):
        case, _ = stay_make(tree, lines=lines)
        transcript_enter(case, tree["cs_adviser"], rows)
        case.refresh_from_db()
        case = type(case).objects.select_related("agreement__institution").get(pk=case.pk)
        with CaptureQueriesContext(connection) as queries:
            recognition_draft(case=case).as_outcome()
        return len(queries)

    scale_make(institution=tree["tum"], rows=GERMAN_ROWS)
    assert count(TRANSCRIPT[:1], [ALGORITHMS]) == count(
        TRANSCRIPT, [ALGORITHMS, MACHINE_LEARNING, DATABASES, PRACTICAL]
    )


# --- The transcript's services -----------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (("", "T", "1,0", "6"), "invalid_code"),
        (("IN1", "T", "", "6"), "invalid_grade"),
        (("IN1", "T", "1,0", "0"), "invalid_ects"),
        (("IN1", "T", "1,0", "7.55"), "invalid_ects"),
        (("IN1", "T", "1,0", "NaN"), "invalid_ects"),
        (("IN1", "T", "1,0", "1e309"), "invalid_ects"),
        (("IN1", "T\x00", "1,0", "6"), "invalid_title"),
        (("x" * 41, "T", "1,0", "6"), "invalid_code"),
        (("in-2010", "T", "1,0", "6"), "duplicate_code"),
    ],
)
def test_bad_transcript_lines_are_refused_and_change_nothing(stay, values, code):
    transcript_enter(stay["case"], stay["student"], TRANSCRIPT[:1])
    with pytest.raises(ApprovalError) as refused:
        transcript_line_add(
            case=stay["case"],
            user=stay["student"],
            code=values[0],
            title=values[1],
            grade=values[2],
            ects=values[3],
        )
    assert refused.value.code == code
    assert TranscriptLine.objects.filter(case=stay["case"]).count() == 1


def test_the_student_enters_the_transcript_after_the_stay_an_adviser_at_any_time(tree):
    this_autumn, _ = stay_make(tree, year=timezone.localdate().year + 1)
    with pytest.raises(ApprovalError) as refused:
        transcript_line_add(
            case=this_autumn, user=tree["student"], code="IN1", title="", grade="A", ects="5"
        )
    assert refused.value.code == "too_early"
    line = transcript_line_add(
        case=this_autumn, user=tree["cs_adviser"], code="IN1", title="", grade="A", ects="5"
    )
    assert line.entered_by == tree["cs_adviser"]
    for who in ("other_student", "health_editor"):
        with pytest.raises(ApprovalError) as refused:
            transcript_line_add(
                case=this_autumn, user=tree[who], code="IN2", title="", grade="A", ects="5"
            )
        assert refused.value.code == "forbidden"


def test_a_line_is_corrected_and_removed_until_the_decision(stay):
    line = transcript_line_add(
        case=stay["case"], user=stay["student"], code="IN2010", title="", grade="2,0", ects="6"
    )
    transcript_line_update(
        line=line, user=stay["student"], code="IN2010", title="Algorithms", grade="1,7", ects="6"
    )
    line.refresh_from_db()
    assert (line.title, line.grade) == ("Algorithms", "1,7")
    other = transcript_line_add(
        case=stay["case"], user=stay["student"], code="IN0008", title="", grade="1,0", ects="6"
    )
    transcript_line_remove(line=other, user=stay["student"])
    assert not TranscriptLine.objects.filter(pk=other.pk).exists()
    recognition_decide(case=stay["case"], user=stay["cs_adviser"])
    with pytest.raises(ApprovalError) as refused:
        transcript_line_remove(line=line, user=stay["cs_adviser"])
    assert refused.value.code == "decided"


# --- The decision ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_decision_stores_the_draft_and_tells_the_student_once_in_their_language(
    stay, language, django_capture_on_commit_callbacks
):
    stay["student"].language = language
    stay["student"].save(update_fields=["language"])
    scale_make(institution=stay["tum"], rows=GERMAN_ROWS)
    transcript_enter(stay["case"], stay["student"])
    with django_capture_on_commit_callbacks(execute=True):
        decision = recognition_decide(
            case=stay["case"], user=stay["cs_adviser"], comment="Welcome back.\nWell done."
        )
    assert decision.decided_by == stay["cs_adviser"]
    assert decision.comment == "Welcome back.\nWell done."
    assert decision.outcome == recognition_draft(case=stay["case"]).as_outcome()
    notes = Notification.objects.filter(
        recipient=stay["student"], kind="approval_recognition_decided"
    )
    assert notes.count() == 1
    note = notes.get()
    if language == "nb":
        assert "Technische Universität München" in note.subject
        assert "godkjent" in note.subject
        assert "Høst" in note.body or "høst" in note.body
    else:
        assert (
            note.subject == "Your courses from Technische Universität München have been recognised"
        )
        assert "3 lines of your learning agreement are recognised, 32.5 ECTS credits" in note.body
        assert "Welcome back." in note.body
    assert f"/{language}/" in note.url
    # A second decision is refused and tells no one again.
    with pytest.raises(ApprovalError) as refused:
        recognition_decide(case=stay["case"], user=stay["cs_adviser"])
    assert refused.value.code == "decided"
    assert notes.count() == 1


def test_only_an_adviser_decides_and_only_with_a_transcript(stay):
    with pytest.raises(ApprovalError) as refused:
        recognition_decide(case=stay["case"], user=stay["cs_adviser"])
    assert refused.value.code == "no_transcript"
    transcript_enter(stay["case"], stay["student"], TRANSCRIPT[:1])
    for who in ("student", "health_editor"):
        with pytest.raises(ApprovalError) as refused:
            recognition_decide(case=stay["case"], user=stay[who])
        assert refused.value.code == "forbidden"
    assert not RecognitionDecision.objects.exists()
    assert not Notification.objects.filter(kind="approval_recognition_decided").exists()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_notification_renders_in_both_languages(language):
    context = {
        "case": {
            "id": 1,
            "institution": "KTH",
            "term": {"nb": "Høst 2025", "en": "Autumn 2025"},
            "recognised": 1,
            "partly": 2,
            "missing": 1,
            "new_decision": 1,
            "recognised_ects": "7.5",
            "comment": "",
        }
    }
    subject, body = notification_render(
        kind="approval_recognition_decided", context=context, language=language
    )
    assert "KTH" in subject and "7.5" in body
    expected = {"nb": "Høst 2025", "en": "Autumn 2025"}[language]
    assert expected in body
    if language == "en":
        assert "1 line of your learning agreement is recognised" in body
        assert "2 lines are recognised in part." in body


# --- Pages -------------------------------------------------------------------------------


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"approvals:{name}", kwargs=kwargs)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_student_enters_the_transcript_on_the_page_and_sees_the_draft(client, stay, language):
    client.force_login(stay["student"])
    address = url("recognition", language, case_id=stay["case"].pk)
    response = client.get(address)
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    response = client.post(
        address, {"code": "IN2010", "title": "Algorithms", "grade": "1,7", "ects": "6"}
    )
    assert response.status_code == 302
    response = client.post(address, {"code": "IN2010", "title": "", "grade": "1,7", "ects": "6"})
    assert response.status_code == 400
    html = client.get(address).content.decode()
    assert "IN2010" in html and 'data-state="recognised"' in html and 'data-state="missing"' in html
    assert 'action="' + url("recognition_decide", language, case_id=stay["case"].pk) not in html


def test_a_line_is_corrected_on_its_own_page(client, stay):
    line = transcript_line_add(
        case=stay["case"], user=stay["student"], code="IN2010", title="", grade="2,0", ects="6"
    )
    client.force_login(stay["student"])
    address = url("transcript_line_edit", case_id=stay["case"].pk, line_id=line.pk)
    assert client.get(address).status_code == 200
    assert (
        client.post(address, {"code": "IN2010", "grade": "1,3", "ects": "abc"}).status_code == 400
    )
    assert client.post(address, {"code": "IN2010", "grade": "1,3", "ects": "6"}).status_code == 302
    line.refresh_from_db()
    assert line.grade == "1,3"
    client.post(url("transcript_line_remove", case_id=stay["case"].pk, line_id=line.pk))
    assert not TranscriptLine.objects.filter(pk=line.pk).exists()


def test_the_adviser_confirms_the_decision_on_the_page(client, stay):
    transcript_enter(stay["case"], stay["student"], TRANSCRIPT[:2])
    client.force_login(stay["student"])
    decide = url("recognition_decide", case_id=stay["case"].pk)
    assert client.post(decide, {"comment": ""}).status_code == 403
    client.force_login(stay["cs_adviser"])
    page = client.get(url("recognition", case_id=stay["case"].pk)).content.decode()
    assert f'action="{decide}"' in page
    response = client.post(decide, {"comment": "Fine."})
    assert response.status_code == 302
    assert RecognitionDecision.objects.get(case=stay["case"]).comment == "Fine."
    page = client.get(url("recognition", case_id=stay["case"].pk)).content.decode()
    assert "Decided on" in page and f'action="{decide}"' not in page and 'name="code"' not in page


def test_others_cannot_see_the_recognition(client, stay):
    line = transcript_line_add(
        case=stay["case"], user=stay["student"], code="IN2010", title="", grade="2,0", ects="6"
    )
    pk = stay["case"].pk
    address = url("recognition", case_id=pk)
    response = client.get(address)
    assert response.status_code == 302 and "login" in response["Location"]
    for who in ("other_student", "health_editor"):
        client.force_login(stay[who])
        assert client.get(address).status_code == 404
        assert client.post(address, {"code": "X1", "grade": "A", "ects": "5"}).status_code == 404
        edit = url("transcript_line_edit", case_id=pk, line_id=line.pk)
        assert client.get(edit).status_code == 404
        assert client.post(url("recognition_decide", case_id=pk)).status_code == 404
    assert TranscriptLine.objects.filter(case=stay["case"]).count() == 1
    for who in ("cs_adviser", "staff"):
        client.force_login(stay[who])
        assert client.get(address).status_code == 200


def test_a_case_without_an_agreement_has_no_recognition_yet(client, tree):
    case, _ = decided_case(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        lines=[ALGORITHMS],
        status=CaseStatus.OPEN,
        year=LAST_YEAR,
    )
    client.force_login(tree["student"])
    html = client.get(url("recognition", case_id=case.pk)).content.decode()
    assert 'name="code"' not in html
    with pytest.raises(ApprovalError) as refused:
        transcript_line_add(
            case=case, user=tree["student"], code="A", title="", grade="A", ects="5"
        )
    assert refused.value.code == "no_agreement"
