"""Terms and proposals: names in both languages, duplicates refused, proposals told to the
owning unit's editors and decided by them."""

import pytest

from onboarding.glossary.errors import ProposalError, TermError
from onboarding.glossary.models import ProposalStatus, Term, TermProposal, fold, sort_key
from onboarding.glossary.services import proposal_accept, proposal_create, proposal_decline
from onboarding.live.models import Notification
from tests.factories import UserFactory

from .factories import isced, term_make

pytestmark = pytest.mark.django_db


def test_a_term_gets_a_slug_from_its_norwegian_name_once(tree):
    term = term_make(tree["faculty_a"], nb="Studentråd", en="student council")
    assert term.slug == "studentrad"
    first = term_make(tree["faculty_a"], nb="Fag", en="", single_language="nb")
    second = term_make(tree["faculty_a"], nb="fag.", en="", single_language="nb")
    assert (first.slug, second.slug) == ("fag", "fag-2")
    first.term_nb = "Emne"
    first.save()
    first.refresh_from_db()
    assert first.slug == "fag"


def test_the_same_name_in_another_term_is_refused_case_and_accent_insensitively(tree):
    term_make(tree["faculty_a"], nb="studentråd", en="student council")
    with pytest.raises(TermError) as refused:
        term_make(tree["faculty_a"], nb="Studentrad", en="council of students")
    assert refused.value.code == "duplicate"
    with pytest.raises(TermError):
        term_make(tree["faculty_a"], nb="elevråd", en="STUDENT COUNCIL")
    assert Term.objects.count() == 1


def test_a_synonym_or_abbreviation_of_another_term_is_a_duplicate(tree):
    term_make(
        tree["section"],
        nb="internasjonalt studentnettverk",
        en="International Student Network",
        abbreviations_nb="ISN",
        abbreviations_en="ISN",
    )
    with pytest.raises(TermError) as refused:
        term_make(tree["section"], nb="isn", en="", single_language="nb")
    assert refused.value.code == "duplicate"
    with pytest.raises(TermError) as synonym:
        term_make(tree["section"], nb="studentnettverk", en="network", synonyms_en="isn")
    assert synonym.value.code == "duplicate"


def test_a_term_in_both_languages_needs_both_names(tree):
    with pytest.raises(TermError) as refused:
        term_make(tree["faculty_a"], nb="dugnad", en="")
    assert refused.value.code == "no_term"
    term = term_make(tree["faculty_a"], nb="dugnad", en="", single_language="nb")
    assert term.languages() == ("nb",)


def test_norwegian_order_puts_ae_oe_aa_after_z():
    words = ["ål", "zebra", "ære", "øl", "abc", "éclair"]
    assert sorted(words, key=lambda word: sort_key(word, "nb")) == [
        "abc",
        "éclair",
        "zebra",
        "ære",
        "øl",
        "ål",
    ]
    assert fold("  Studentråd ") == "studentrad"


def test_a_proposal_goes_to_the_owning_units_editors(tree):
    proposal = proposal_create(
        user=tree["student"],
        term="kollokviegruppe",
        language="nb",
        field=isced("0111"),
        owner=tree["faculty_a"],
        definition="En gruppe som leser sammen.",
    )
    assert proposal.status == ProposalStatus.PENDING
    told = Notification.objects.filter(kind="glossary_proposal_received")
    assert list(told.values_list("recipient", flat=True)) == [tree["editor"].pk]


def test_a_proposal_without_a_unit_goes_to_the_international_section(tree):
    proposal = proposal_create(
        user=tree["student"], term="semesteravgift", language="nb", field=isced("0111")
    )
    assert proposal.owner == tree["section"]
    assert (
        Notification.objects.get(kind="glossary_proposal_received").recipient
        == tree["section_editor"]
    )


def test_a_proposal_of_an_existing_term_is_refused_and_nothing_is_sent(tree):
    term_make(tree["faculty_a"], nb="fadder", en="buddy")
    with pytest.raises(ProposalError) as refused:
        proposal_create(user=tree["student"], term="Buddy", language="en", field=isced("0111"))
    assert refused.value.code == "duplicate"
    assert "fadder" in str(refused.value.message)
    assert not TermProposal.objects.exists()
    assert not Notification.objects.exists()


def test_the_same_waiting_proposal_twice_is_refused(tree):
    proposal_create(user=tree["student"], term="hybel", language="nb", field=isced("0111"))
    with pytest.raises(ProposalError) as refused:
        proposal_create(user=UserFactory(), term="Hybel", language="nb", field=isced("0111"))
    assert refused.value.code == "pending_duplicate"


def test_an_editor_accepts_a_proposal_which_makes_the_term_and_tells_the_student(tree):
    proposal = proposal_create(
        user=tree["student"],
        term="kollokviegruppe",
        language="nb",
        field=isced("0111"),
        owner=tree["faculty_a"],
        definition="En gruppe som leser sammen.",
    )
    term = proposal_accept(proposal=proposal, by=tree["editor"], other_term="study group")
    assert (term.term_nb, term.term_en, term.single_language) == (
        "kollokviegruppe",
        "study group",
        "",
    )
    assert term.definition_nb == "En gruppe som leser sammen."
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.created_term == term
    told = Notification.objects.get(kind="glossary_proposal_decided")
    assert told.recipient == tree["student"]
    # The student reads Norwegian: told in Norwegian.
    assert told.subject == "Termen «kollokviegruppe» er nå i ordlisten"


def test_accepting_without_the_other_name_makes_a_single_language_term(tree):
    proposal = proposal_create(
        user=tree["student"],
        term="hyttetur",
        language="nb",
        field=isced("0111"),
        owner=tree["faculty_a"],
    )
    term = proposal_accept(proposal=proposal, by=tree["editor"])
    assert term.single_language == "nb" and term.term_en == ""


def test_an_editor_declines_with_a_reason(tree):
    proposal = proposal_create(
        user=tree["student"],
        term="hybel",
        language="nb",
        field=isced("0111"),
        owner=tree["faculty_a"],
    )
    proposal_decline(proposal=proposal, by=tree["editor"], reason="Ikke et fagbegrep.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    assert not Term.objects.exists()
    told = Notification.objects.get(kind="glossary_proposal_decided")
    assert "Ikke et fagbegrep." in told.body


def test_another_units_editor_cannot_decide_and_a_decided_proposal_stays_decided(tree):
    proposal = proposal_create(
        user=tree["student"],
        term="hybel",
        language="nb",
        field=isced("0111"),
        owner=tree["faculty_a"],
    )
    with pytest.raises(ProposalError) as refused:
        proposal_decline(proposal=proposal, by=tree["section_editor"])
    assert refused.value.code == "forbidden"
    proposal_decline(proposal=proposal, by=tree["editor"])
    with pytest.raises(ProposalError) as again:
        proposal_accept(proposal=proposal, by=tree["editor"])
    assert again.value.code == "decided"
    assert not Term.objects.exists()
