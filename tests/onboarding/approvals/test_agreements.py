"""The learning agreement: tables A and B with combinations and changes, what a change breaks,
the changes' services, the EWP JSON, and who may open the pages (in both languages)."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from onboarding.approvals.errors import ApprovalError
from onboarding.approvals.exports import learning_agreement_ewp
from onboarding.approvals.models import (
    CaseKind,
    CaseLine,
    CaseStatus,
    CaseStep,
    LearningAgreement,
    LineAction,
    LineDecision,
    PreApprovalCase,
    StepKind,
)
from onboarding.approvals.selectors.agreements import (
    agreement_tables,
    combination_breaks,
    normalise_code,
)
from onboarding.approvals.services.agreements import (
    agreement_update,
    change_create,
    change_drop,
    change_drop_remove,
    change_swap,
    learning_agreement_create,
)
from tests.onboarding.approvals.agreement_builders import (
    change_make,
    course,
    decided_case,
    elective,
    ours,
    spec,
)
from tests.onboarding.units.factories import mfa_enable

ALGORITHMS = spec(
    [course("IN2010", "Grundlagen: Algorithmen und Datenstrukturen", "6")],
    [ours("DAT200", "Algoritmer og datastrukturer", "Algorithms and data structures", "7.5")],
)
MACHINE_LEARNING = spec(
    [
        course("IN2064", "Machine Learning", "8"),
        course("IN2346", "Introduction to Deep Learning", "6"),
    ],
    [
        ours("DAT305", "Maskinlæring", "Machine learning", "7.5"),
        ours("DAT306", "Dyp læring", "Deep learning", "7.5"),
    ],
    decision=LineDecision.CONDITIONS,
    comment="Both courses must be passed.",
)
DATABASES = spec(
    [course("IN0008", "Grundlagen: Datenbanken", "6")],
    [ours("DAT210", "Databaser", "Databases", "7.5")],
)
PRACTICAL = spec(
    [course("IN2106", "Praktikum: Software Engineering", "10")],
    [elective("bachelor", "0613", "10")],
)
ANALYSIS = spec(
    [course("MA0902", "Analysis für Informatik", "8")],
    [ours("MAT101", "Matematikk 1", "Mathematics 1", "7.5")],
    decision=LineDecision.REFUSED,
)
CRYPTOGRAPHY = spec(
    [course("IN2241", "Einführung in die Kryptographie", "6")],
    [ours("DAT250", "Kryptografi", "Cryptography", "7.5")],
)


@pytest.fixture
def stay(tree):
    """A student's decided semester at TUM: four approved lines (one a combination, one an
    elective) and one refused line."""
    case, lines = decided_case(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        adviser=tree["cs_adviser"],
        programme=tree["cs_programme"],
        lines=[ALGORITHMS, MACHINE_LEARNING, DATABASES, PRACTICAL, ANALYSIS],
    )
    algorithms, machine_learning, databases, practical, analysis = lines
    return {
        **tree,
        "case": case,
        "algorithms": algorithms,
        "ml": machine_learning,
        "databases": databases,
        "practical": practical,
        "analysis": analysis,
    }


def codes(components):
    return [component.course.code for component in components]


# --- The tables ----------------------------------------------------------------------------


def test_the_first_version_holds_the_approved_lines_with_combinations_as_one_group(stay):
    tables = agreement_tables(case=stay["case"])
    assert tables.exists
    assert codes(tables.table_a) == ["IN2010", "IN2064", "IN2346", "IN0008", "IN2106"]
    assert [c.course.code for c in tables.table_b] == ["DAT200", "DAT305", "DAT306", "DAT210", ""]
    ml = tables.group_of(stay["ml"].pk)
    assert ml.is_combination and ml.conditions == "Both courses must be passed."
    # Both courses abroad of the combination know their line; the refused line is nowhere.
    assert {c.group.line.pk for c in tables.table_a if c.course.code in ("IN2064", "IN2346")} == {
        stay["ml"].pk
    }
    assert tables.group_of(stay["analysis"].pk) is None
    assert tables.foreign_ects == Decimal("36") and tables.home_ects == Decimal("40")
    assert all(group.added_by is None for group in tables.groups)


def test_a_decided_change_adds_and_drops_and_an_open_one_is_only_pending(stay):
    case = stay["case"]
    decided, added, _ = change_make(case, adds=[CRYPTOGRAPHY], drops=[stay["databases"]])
    pending, _, _ = change_make(
        case,
        status=CaseStatus.OPEN,
        reason="IN2010 is taught in German only.",
        drops=[stay["algorithms"]],
    )
    tables = agreement_tables(case=case)
    assert codes(tables.table_a) == ["IN2010", "IN2064", "IN2346", "IN2106", "IN2241"]
    assert tables.group_of(added[0].pk).added_by == decided
    databases = tables.group_of(stay["databases"].pk)
    assert databases.dropped_by == decided and databases in tables.dropped_groups
    # The open change drops nothing yet; its drop is marked on the line.
    algorithms = tables.group_of(stay["algorithms"].pk)
    assert algorithms.current and algorithms.pending_drops == [pending]
    assert [view.case for view in tables.changes] == [decided]
    assert [view.case for view in tables.pending] == [pending]
    assert tables.pending[0].clock is not None and not tables.pending[0].clock.stopped
    assert tables.foreign_ects == Decimal("36")


def test_a_refused_drop_in_a_decided_change_keeps_the_line(stay):
    change_make(stay["case"], drops=[stay["databases"]], drop_decision=LineDecision.REFUSED)
    tables = agreement_tables(case=stay["case"])
    assert tables.group_of(stay["databases"].pk).current


def test_an_undecided_case_has_no_agreement_yet(tree):
    case, _ = decided_case(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        lines=[ALGORITHMS],
        status=CaseStatus.OPEN,
    )
    tables = agreement_tables(case=case)
    assert not tables.exists and tables.table_a == []


@pytest.mark.stack
def test_the_tables_cost_the_same_queries_however_many_lines_and_changes(tree):
    def count(lines, changes):
        case, made = decided_case(
            student=tree["student"], agreement=tree["tum_agreement"], unit=tree["cs"], lines=lines
        )
        for index in range(changes):
            change_make(case, adds=[CRYPTOGRAPHY], drops=[made[index]])
        with CaptureQueriesContext(connection) as queries:
            tables = agreement_tables(case=case)
            [(c.course.code, c.group.added_by) for c in [*tables.table_a, *tables.table_b]]
        return len(queries)

    assert count([ALGORITHMS], 1) == count(
        [ALGORITHMS, MACHINE_LEARNING, DATABASES, PRACTICAL, ANALYSIS], 3
    )


# --- What a change breaks ----------------------------------------------------------------


def test_swapping_a_course_of_a_combination_names_what_must_be_approved_again(stay):
    warnings = combination_breaks(case=stay["case"], dropped_foreign_codes=["in 2064"])
    assert warnings == [
        "Swapping IN2064 Machine Learning breaks the combination approved with "
        "IN2346 Introduction to Deep Learning; it must be approved again."
    ]
    with translation.override("nb"):
        norwegian = combination_breaks(case=stay["case"], dropped_foreign_codes=["IN2064"])
    assert "IN2064 Machine Learning" in norwegian[0] and "IN2346" in norwegian[0]
    assert norwegian != warnings
    # A course on its own, or the whole combination swapped, breaks no combination.
    assert combination_breaks(case=stay["case"], dropped_foreign_codes=["IN2010"]) == []
    assert combination_breaks(case=stay["case"], dropped_foreign_codes=["IN2064", "IN2346"]) == []


def test_dropping_a_whole_combination_says_all_of_it_goes(stay):
    warnings = combination_breaks(case=stay["case"], lines=[stay["ml"], stay["algorithms"]])
    assert len(warnings) == 1
    assert "IN2064 Machine Learning and IN2346 Introduction to Deep Learning" in warnings[0]


def test_codes_compare_without_case_spaces_or_punctuation():
    assert normalise_code(" in-2064 ") == normalise_code("IN2064") == "in2064"
    assert normalise_code("IN2064") != normalise_code("IN2065")


# --- Changes -----------------------------------------------------------------------------


def test_the_student_starts_a_change_with_a_reason(stay):
    change = change_create(case=stay["case"], user=stay["student"], reason="  A clash.  ")
    assert change.kind == CaseKind.CHANGE and change.amends == stay["case"]
    assert change.status == CaseStatus.DRAFT and change.reason == "A clash."
    assert change.agreement == stay["case"].agreement and change.student == stay["student"]
    step = CaseStep.objects.get(case=change)
    assert step.kind == StepKind.CREATED and step.actor == stay["student"]


@pytest.mark.parametrize(
    ("who", "reason", "code"),
    [
        ("other_student", "A clash.", "forbidden"),
        ("cs_adviser", "A clash.", "forbidden"),
        ("student", "   ", "reason_required"),
        ("student", "x" * 2001, "reason_too_long"),
    ],
)
def test_a_change_is_refused_without_changing_anything(stay, who, reason, code):
    before = PreApprovalCase.objects.count()
    with pytest.raises(ApprovalError) as refused:
        change_create(case=stay["case"], user=stay[who], reason=reason)
    assert refused.value.code == code
    assert PreApprovalCase.objects.count() == before


def test_no_change_before_the_case_is_decided_nor_a_second_draft(stay, tree):
    case, _ = decided_case(
        student=tree["student"],
        agreement=tree["tum_agreement"],
        unit=tree["cs"],
        lines=[ALGORITHMS],
        status=CaseStatus.OPEN,
    )
    with pytest.raises(ApprovalError) as refused:
        change_create(case=case, user=tree["student"], reason="Why not.")
    assert refused.value.code == "no_agreement"
    change_create(case=stay["case"], user=stay["student"], reason="A clash.")
    with pytest.raises(ApprovalError) as refused:
        change_create(case=stay["case"], user=stay["student"], reason="Another.")
    assert refused.value.code == "draft_exists"


def test_dropping_a_combination_line_warns_and_swapping_names_the_other_course(stay):
    change = change_create(case=stay["case"], user=stay["student"], reason="Timetable clash.")
    drop, warnings = change_drop(change=change, user=stay["student"], line=stay["algorithms"])
    assert drop.action == LineAction.DROP and drop.drops == stay["algorithms"]
    assert drop.decision == LineDecision.PENDING and warnings == []
    swap, warnings = change_swap(
        change=change, user=stay["student"], line=stay["ml"], foreign_code="IN2346"
    )
    assert swap.drops == stay["ml"] and swap.sort_order == drop.sort_order + 1
    assert warnings == [
        "Swapping IN2346 Introduction to Deep Learning breaks the combination approved with "
        "IN2064 Machine Learning; it must be approved again."
    ]
    tables = agreement_tables(case=stay["case"])
    assert tables.group_of(stay["ml"].pk).pending_drops == [change]


@pytest.mark.parametrize("which", ["analysis", "other_case", "drop_line"])
def test_only_lines_of_the_agreement_can_be_dropped(stay, tree, which):
    change = change_create(case=stay["case"], user=stay["student"], reason="Clash.")
    if which == "analysis":
        line = stay["analysis"]  # refused: never in the agreement
    elif which == "other_case":
        _, lines = decided_case(
            student=tree["other_student"],
            agreement=tree["tum_agreement"],
            unit=tree["cs"],
            lines=[ALGORITHMS],
        )
        line = lines[0]
    else:
        line, _ = change_drop(change=change, user=stay["student"], line=stay["databases"])
    before = CaseLine.objects.count()
    with pytest.raises(ApprovalError) as refused:
        change_drop(change=change, user=stay["student"], line=line)
    assert refused.value.code == "not_in_agreement"
    assert CaseLine.objects.count() == before


def test_a_line_dropped_or_proposed_for_dropping_cannot_be_dropped_again(stay):
    decided, _, _ = change_make(stay["case"], drops=[stay["databases"]])
    open_change, _, _ = change_make(stay["case"], status=CaseStatus.OPEN, drops=[stay["practical"]])
    change = change_create(case=stay["case"], user=stay["student"], reason="Clash.")
    with pytest.raises(ApprovalError) as refused:
        change_drop(change=change, user=stay["student"], line=stay["databases"])
    assert refused.value.code == "already_dropped"
    assert f"#{decided.pk}" in str(refused.value)
    with pytest.raises(ApprovalError) as refused:
        change_drop(change=change, user=stay["student"], line=stay["practical"])
    assert refused.value.code == "drop_pending" and f"#{open_change.pk}" in str(refused.value)
    change_drop(change=change, user=stay["student"], line=stay["algorithms"])
    with pytest.raises(ApprovalError) as refused:
        change_drop(change=change, user=stay["student"], line=stay["algorithms"])
    assert refused.value.code == "drop_pending"


def test_drops_only_in_ones_own_draft_change(stay):
    change = change_create(case=stay["case"], user=stay["student"], reason="Clash.")
    with pytest.raises(ApprovalError) as refused:
        change_drop(change=change, user=stay["cs_adviser"], line=stay["algorithms"])
    assert refused.value.code == "forbidden"
    submitted, _, _ = change_make(stay["case"], status=CaseStatus.OPEN)
    with pytest.raises(ApprovalError) as refused:
        change_drop(change=submitted, user=stay["student"], line=stay["algorithms"])
    assert refused.value.code == "not_draft"
    with pytest.raises(ApprovalError) as refused:
        change_swap(change=change, user=stay["student"], line=stay["ml"], foreign_code="IN9999")
    assert refused.value.code == "not_in_line"


def test_a_drop_can_be_taken_back_while_the_change_is_a_draft(stay):
    change = change_create(case=stay["case"], user=stay["student"], reason="Clash.")
    drop, _ = change_drop(change=change, user=stay["student"], line=stay["algorithms"])
    with pytest.raises(ApprovalError) as refused:
        change_drop_remove(change=change, user=stay["student"], line=stay["algorithms"])
    assert refused.value.code == "not_a_drop"
    change_drop_remove(change=change, user=stay["student"], line=drop)
    assert not CaseLine.objects.filter(pk=drop.pk).exists()
    assert agreement_tables(case=stay["case"]).group_of(stay["algorithms"].pk).pending_drops == []


def test_the_agreement_row_is_made_once_with_the_destinations_language(stay):
    LearningAgreement.objects.filter(case=stay["case"]).delete()
    agreement = learning_agreement_create(case=stay["case"])
    assert (
        agreement.language == "en" and agreement.cefr == ""
    )  # the TUM agreement teaches in English
    assert learning_agreement_create(case=stay["case"]) == agreement


def test_language_and_level_are_checked(stay):
    agreement = LearningAgreement.objects.get(case=stay["case"])
    agreement_update(agreement=agreement, user=stay["student"], language="en", cefr="c1")
    agreement.refresh_from_db()
    assert (agreement.language, agreement.cefr) == ("en", "C1")
    for values, code in ((("xx", "B2"), "invalid_language"), (("en", "D1"), "invalid_cefr")):
        with pytest.raises(ApprovalError) as refused:
            agreement_update(
                agreement=agreement, user=stay["student"], language=values[0], cefr=values[1]
            )
        assert refused.value.code == code
    with pytest.raises(ApprovalError) as refused:
        agreement_update(agreement=agreement, user=stay["other_student"], language="de", cefr="B1")
    assert refused.value.code == "forbidden"
    agreement.refresh_from_db()
    assert (agreement.language, agreement.cefr) == ("en", "C1")


# --- EWP JSON ----------------------------------------------------------------------------


def test_the_ewp_json_has_the_parties_terms_and_components(stay, settings):
    settings.OWN_SCHAC_CODE = "ntnu.no"
    document = learning_agreement_ewp(case=stay["case"])
    assert document["format"] == "velkommen-ewp-omobility-la"
    la = document["la"]
    assert la["omobility-id"] == f"velkommen-case-{stay['case'].pk}"
    assert la["sending-hei"]["hei-id"] == "ntnu.no"
    assert la["sending-hei"]["ounit-name"] == "Department of Computer Science"
    assert la["sending-hei"]["contact-person"]["email"] == "cs-adviser@example.test"
    assert la["receiving-hei"]["hei-id"] == "tum.de"
    assert la["receiving-academic-year-id"] == "2026/2027"
    assert (la["start-year-month"], la["end-year-month"]) == ("2026-08", "2026-12")
    assert la["student"]["email"] == "student@example.test"
    assert la["isced-f-code"] == "0613" and la["eqf-level-studied-at-departure"] == 6
    assert la["student-language-skill"] == {"language": "de", "cefr-level": "B2"}
    first = la["first-version"]
    studied = first["components-studied"]
    assert [c["los-code"] for c in studied] == ["IN2010", "IN2064", "IN2346", "IN0008", "IN2106"]
    assert studied[0] == {
        "los-code": "IN2010",
        "title": "Grundlagen: Algorithmen und Datenstrukturen",
        "term-id": {"term-number": 1, "total-terms": 2},
        "credit": [{"scheme": "ects", "value": 6.0}],
    }
    recognized = first["components-recognized"]
    assert [c["title"] for c in recognized] == [
        "Algorithms and data structures",
        "Machine learning",
        "Deep learning",
        "Databases",
        "Elective at Bachelor level in Software and applications development and analysis",
    ]
    assert recognized[1]["recognition-conditions"] == "Both courses must be passed."
    assert "recognition-conditions" not in recognized[0]
    assert first["sending-hei-signature"]["signer-email"] == "cs-adviser@example.test"
    assert first["student-signature"]["timestamp"] and first["receiving-hei-signature"] is None
    assert la["approved-changes"] is None and la["changes-proposal"] is None
    json.dumps(document)  # plain JSON all through


def test_changes_are_inserted_and_deleted_components_and_a_proposal_carries_them_all(stay):
    case = stay["case"]
    change_make(
        case,
        reason="Datenbanken clashes with Machine Learning.",
        adds=[CRYPTOGRAPHY],
        drops=[stay["databases"]],
    )
    # A draft is not proposed yet; an open change is.
    draft, _, _ = change_make(case, status=CaseStatus.DRAFT, drops=[stay["practical"]])
    la = learning_agreement_ewp(case=case)["la"]
    approved = la["approved-changes"]["components-studied"]
    assert [(c["status"], c["los-code"]) for c in approved] == [
        ("deleted", "IN0008"),
        ("inserted", "IN2241"),
    ]
    assert approved[0]["reason-text"] == "Datenbanken clashes with Machine Learning."
    assert [
        (c["status"], c["los-code"]) for c in la["approved-changes"]["components-recognized"]
    ] == [
        ("deleted", "DAT210"),
        ("inserted", "DAT250"),
    ]
    assert la["changes-proposal"] is None

    change_make(
        case, status=CaseStatus.OPEN, reason="Taught in German only.", drops=[stay["algorithms"]]
    )
    proposal = learning_agreement_ewp(case=case)["la"]["changes-proposal"]
    assert [(c["status"], c["los-code"]) for c in proposal["components-studied"]] == [
        ("deleted", "IN0008"),
        ("inserted", "IN2241"),
        ("deleted", "IN2010"),
    ]
    assert proposal["sending-hei-signature"] is None and proposal["student-signature"]["timestamp"]
    # The proposal's id is its content's: the same content, the same id; other content, another.
    assert learning_agreement_ewp(case=case)["la"]["changes-proposal"]["id"] == proposal["id"]
    change_make(case, status=CaseStatus.OPEN, adds=[CRYPTOGRAPHY])
    assert learning_agreement_ewp(case=case)["la"]["changes-proposal"]["id"] != proposal["id"]


# --- Pages -------------------------------------------------------------------------------


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"approvals:{name}", kwargs=kwargs)


def test_urls_are_translated(stay):
    pk = stay["case"].pk
    assert (
        url("learning_agreement", "en", case_id=pk)
        == f"/en/exchange/approvals/cases/{pk}/learning-agreement/"
    )
    assert url("learning_agreement", "nb", case_id=pk).startswith("/nb/utveksling/")
    assert url("learning_agreement", "nb", case_id=pk) != url(
        "learning_agreement", "en", case_id=pk
    ).replace("/en/", "/nb/")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_student_sees_tables_changes_and_the_print_layout(client, stay, language):
    change_make(stay["case"], adds=[CRYPTOGRAPHY], drops=[stay["databases"]])
    change_make(stay["case"], status=CaseStatus.OPEN, drops=[stay["ml"]], reason="Clash in May.")
    client.force_login(stay["student"])
    response = client.get(url("learning_agreement", language, case_id=stay["case"].pk))
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("IN2010", "IN2064", "IN2346", "IN2241", "DAT305", "DAT250"):
        assert code in html
    assert "<caption>" in html and 'scope="rowgroup"' in html
    assert "Clash in May." in html and "la-signatures" in html
    assert "learning-agreement.css" in html and "<script>" not in html
    assert 'name="reason"' in html  # no draft: the student may start one
    with translation.override(language):
        assert str(translation.gettext("Table A: courses at the receiving institution")) in html


def test_the_student_drops_and_swaps_through_the_page(client, stay):
    client.force_login(stay["student"])
    response = client.post(url("change_create", case_id=stay["case"].pk), {"reason": "Clash."})
    change = PreApprovalCase.objects.get(amends=stay["case"])
    assert response.status_code == 302 and response["Location"].endswith(f"#change-{change.pk}")
    page = client.get(url("learning_agreement", case_id=stay["case"].pk)).content.decode()
    assert "Swap IN2064" in page and 'name="reason"' not in page
    response = client.post(
        url("change_drop", change_id=change.pk),
        {"line": str(stay["ml"].pk), "course": "IN2064"},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any("breaks the combination approved with IN2346" in message for message in shown)
    assert CaseLine.objects.filter(case=change, drops=stay["ml"]).exists()
    # A line that is no line of the agreement is a message, not an error.
    response = client.post(url("change_drop", change_id=change.pk), {"line": "abc"})
    assert response.status_code == 302


def test_others_cannot_see_or_change_the_agreement(client, stay):
    pk = stay["case"].pk
    page = url("learning_agreement", case_id=pk)
    response = client.get(page)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(stay["other_student"])
    assert client.get(page).status_code == 404
    assert client.get(url("learning_agreement_json", case_id=pk)).status_code == 404
    assert client.post(url("change_create", case_id=pk), {"reason": "Mine now."}).status_code == 404
    client.force_login(stay["health_editor"])
    assert client.get(page).status_code == 404
    # The adviser and staff see it; an adviser does not propose the student's change.
    for who in ("cs_adviser", "it_editor", "staff"):
        client.force_login(stay[who])
        assert client.get(page).status_code == 200, who
    assert client.post(url("change_create", case_id=pk), {"reason": "For you."}).status_code == 403
    assert not PreApprovalCase.objects.filter(amends=stay["case"]).exists()


def test_the_json_is_a_download_for_the_student_and_the_adviser(client, stay):
    for who in ("student", "cs_adviser"):
        client.force_login(stay[who])
        response = client.get(url("learning_agreement_json", case_id=stay["case"].pk))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert "attachment" in response["Content-Disposition"]
        assert json.loads(response.content)["la"]["receiving-hei"]["hei-id"] == "tum.de"


def test_the_details_form_saves_language_and_level(client, stay):
    client.force_login(stay["student"])
    response = client.post(
        url("learning_agreement_update", case_id=stay["case"].pk), {"language": "en", "cefr": "C1"}
    )
    assert response.status_code == 302
    assert LearningAgreement.objects.get(case=stay["case"]).cefr == "C1"
    client.post(url("learning_agreement_update", case_id=stay["case"].pk), {"cefr": "Z9"})
    assert LearningAgreement.objects.get(case=stay["case"]).cefr == "C1"


# --- The grade tables in the admin ---------------------------------------------------------

SCALES = "wagtailsnippets_approvals_gradescale"


def test_staff_keep_grade_tables_with_their_rows_in_the_admin(client, tree):
    client.force_login(mfa_enable(tree["staff"]))
    assert client.get(reverse(f"{SCALES}:list")).status_code == 200
    assert client.get(reverse(f"{SCALES}:add")).status_code == 200
    data = {
        "institution": str(tree["kth"].pk),
        "country": "",
        "note": "KTH's A–F scale.",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-foreign_grade": "A",
        "rows-0-home_grade": "A",
        "rows-0-ORDER": "1",
        "rows-0-DELETE": "",
        "rows-1-foreign_grade": "Fx",
        "rows-1-home_grade": "F",
        "rows-1-ORDER": "2",
        "rows-1-DELETE": "",
    }
    response = client.post(reverse(f"{SCALES}:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    from onboarding.approvals.models import GradeScale

    scale = GradeScale.objects.get(institution=tree["kth"])
    assert sorted(scale.rows.values_list("foreign_grade", "home_grade")) == [
        ("A", "A"),
        ("Fx", "F"),
    ]
    # Both an institution and a country: refused with a sentence, nothing saved.
    response = client.post(
        reverse(f"{SCALES}:add"), {**data, "institution": str(tree["ku"].pk), "country": "DK"}
    )
    assert response.status_code == 200
    assert "choose one of them" in response.content.decode()
    assert not GradeScale.objects.filter(institution=tree["ku"]).exists()


def test_editors_who_are_not_staff_cannot_open_the_grade_tables(client, tree):
    client.force_login(mfa_enable(tree["it_editor"]))
    response = client.get(reverse(f"{SCALES}:list"))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")
