"""The admin: terms kept by the owning unit's editors and the section's staff, names another term
has refused in the form, and the proposals decided from their queue."""

import pytest
from django.urls import reverse

from onboarding.glossary.models import ProposalStatus, Term
from onboarding.glossary.services import proposal_create
from onboarding.units.services import international_staff_add
from tests.factories import UserFactory
from tests.onboarding.units.factories import mfa_enable

from .factories import isced, term_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_tree(tree):
    for role in ("editor", "section_editor"):
        mfa_enable(tree[role])
    tree["staff"] = mfa_enable(UserFactory())
    international_staff_add(user=tree["staff"])
    tree["ours"] = term_make(tree["faculty_a"], nb="fadder", en="buddy")
    tree["theirs"] = term_make(tree["faculty_b"], nb="titrering", en="titration")
    return tree


def _edit(term):
    return reverse("wagtailsnippets_glossary_term:edit", args=[term.pk])


def test_an_editor_lists_and_edits_only_their_units_terms(client, admin_tree):
    client.force_login(admin_tree["editor"])
    listing = client.get(reverse("wagtailsnippets_glossary_term:list")).content.decode()
    assert "fadder" in listing and "titrering" not in listing
    assert client.get(_edit(admin_tree["ours"])).status_code == 200
    refused = client.get(_edit(admin_tree["theirs"]))
    assert refused.status_code in (302, 403)
    assert refused.status_code == 403 or refused["Location"] == reverse("wagtailadmin_home")


def test_staff_edit_every_units_terms(client, admin_tree):
    client.force_login(admin_tree["staff"])
    assert client.get(_edit(admin_tree["theirs"])).status_code == 200


def _form(term, **changes):
    data = {
        "term_nb": term.term_nb,
        "term_en": term.term_en,
        "synonyms_nb": "",
        "synonyms_en": "",
        "abbreviations_nb": "",
        "abbreviations_en": "",
        "definition_nb": "Ny definisjon.",
        "definition_en": "New definition.",
        "field": term.field_id,
        "owner": term.owner_id,
        "single_language": "",
        "slug": term.slug,
    }
    return {**data, **changes}


def test_the_form_saves_and_refuses_a_name_another_term_has(client, admin_tree):
    client.force_login(admin_tree["editor"])
    ours = admin_tree["ours"]
    saved = client.post(_edit(ours), _form(ours))
    assert saved.status_code == 302
    ours.refresh_from_db()
    assert ours.definition_en == "New definition."
    refused = client.post(_edit(ours), _form(ours, synonyms_en="TITRATION"))
    assert refused.status_code == 200
    assert "Ordlisten har allerede denne termen: titrering." in refused.content.decode()
    ours.refresh_from_db()
    assert ours.synonyms_en == ""


def test_an_editor_accepts_a_proposal_from_the_queue(client, admin_tree):
    proposal = proposal_create(
        user=admin_tree["student"],
        term="kollokviegruppe",
        language="nb",
        field=isced("0111"),
        owner=admin_tree["faculty_a"],
    )
    client.force_login(admin_tree["editor"])
    queue = client.get(reverse("glossary_admin:proposals")).content.decode()
    assert "kollokviegruppe" in queue
    response = client.post(
        reverse("glossary_admin:proposal_decide", args=[proposal.pk]),
        {"decision": "accept", "other_term": "study group"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert Term.objects.get(term_nb="kollokviegruppe").term_en == "study group"


def test_another_units_editor_cannot_decide(client, admin_tree):
    proposal = proposal_create(
        user=admin_tree["student"],
        term="hybel",
        language="nb",
        field=isced("0111"),
        owner=admin_tree["faculty_a"],
    )
    client.force_login(admin_tree["section_editor"])
    assert "hybel" not in client.get(reverse("glossary_admin:proposals")).content.decode()
    client.post(
        reverse("glossary_admin:proposal_decide", args=[proposal.pk]), {"decision": "decline"}
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
