"""The public pages in both languages: A–Z with æ ø å after z, the fields, a term with its
counterpart, single-language wording, and proposing a term."""

import pytest
from django.urls import reverse
from django.utils import translation

from onboarding.glossary.models import TermProposal

from .factories import isced, term_make

pytestmark = pytest.mark.django_db


def _url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"glossary:{name}", kwargs=kwargs or None)


@pytest.fixture
def terms(tree):
    owner = tree["faculty_a"]
    return {
        "aal": term_make(owner, nb="ål", en="eel", code="0531"),
        "zebra": term_make(owner, nb="sebra", en="zebra", code="0531"),
        "oel": term_make(owner, nb="øl", en="beer", code="0531"),
        "aere": term_make(owner, nb="ære", en="honour", code="0531"),
        "buddy": term_make(
            tree["section"],
            nb="fadder",
            en="buddy",
            definition_nb="Hjelper nye studenter.",
            definition_en="Helps new students.",
            synonyms_en="mentor",
        ),
        "dugnad": term_make(
            owner, nb="dugnad", en="", single_language="nb", definition_nb="Felles arbeid."
        ),
        "office": term_make(owner, nb="", en="office hours", single_language="en"),
    }


def test_the_translated_addresses():
    assert _url("index", "nb") == "/nb/ordliste/"
    assert _url("index", "en") == "/en/glossary/"
    assert _url("field_list", "nb") == "/nb/ordliste/fagfelt/"
    assert _url("propose", "nb") == "/nb/ordliste/foresla/"


def test_a_to_z_in_norwegian_puts_ae_oe_aa_after_z(client, terms):
    response = client.get(_url("index", "nb"))
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(f'data-letter="{letter}"') for letter in ("S", "Æ", "Ø", "Å")]
    assert positions == sorted(positions)
    assert html.index(">sebra<") < html.index(">ære<") < html.index(">øl<") < html.index(">ål<")


def test_a_to_z_in_english_uses_english_names_and_letters(client, terms):
    html = client.get(_url("index", "en")).content.decode()
    assert 'data-letter="Æ"' not in html
    assert html.index(">beer<") < html.index(">eel<") < html.index(">zebra<")
    # A Norwegian-only term is listed under its Norwegian name, marked as such.
    assert 'lang="nb">dugnad</a> <span class="badge badge--quiet">Norwegian only</span>' in html


def test_a_term_page_shows_both_sides_and_links_to_its_counterpart(client, terms):
    slug = terms["buddy"].slug
    html = client.get(_url("term", "en", slug=slug)).content.decode()
    assert "<h1>buddy</h1>" in html
    assert "Helps new students." in html and "mentor" in html
    assert (
        f'href="/nb/ordliste/{slug}/" hreflang="nb" rel="alternate" data-counterpart>fadder<'
        in html
    )
    assert "Hjelper nye studenter." not in html
    nb = client.get(_url("term", "nb", slug=slug)).content.decode()
    assert "<h1>fadder</h1>" in nb
    assert f'href="/en/glossary/{slug}/"' in nb
    assert "0111" in nb


def test_a_norwegian_only_term_says_plainly_there_is_no_english_term(client, terms):
    html = client.get(_url("term", "en", slug=terms["dugnad"].slug)).content.decode()
    assert '<h1 lang="nb">dugnad</h1>' in html
    assert "No English term yet." in html
    assert (
        '<p class="language-notice" data-only-in="nb"><span class="badge">Norwegian only</span>'
        in html
    )
    assert "Felles arbeid." not in html.split('data-side="en"')[1].split("</section>")[0]
    nb = client.get(_url("term", "nb", slug=terms["office"].slug)).content.decode()
    assert "Ingen norsk term ennå." in nb
    assert '<h1 lang="en">office hours</h1>' in nb


def test_fields_list_and_one_field(client, terms):
    html = client.get(_url("field_list", "nb")).content.decode()
    assert "0531 Kjemi" in html and "(4 termer)" in html
    field = client.get(_url("field_detail", "en", code="0531")).content.decode()
    assert "<h1>0531 Chemistry</h1>" in field and ">eel<" in field and "fadder" not in field
    assert client.get(_url("field_detail", "en", code="1234")).status_code == 404
    assert client.get(_url("term", "en", slug="nothing-here")).status_code == 404


def test_proposing_needs_a_login(client, tree):
    response = client.get(_url("propose", "en"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_student_proposes_a_term(client, tree):
    client.force_login(tree["student"])
    response = client.post(
        _url("propose", "nb"),
        {"term": "kollokviegruppe", "language": "nb", "field": "0111", "owner": ""},
    )
    assert response.status_code == 302
    proposal = TermProposal.objects.get()
    assert proposal.owner == tree["section"] and proposal.user == tree["student"]


def test_a_duplicate_proposal_is_a_translated_form_error(client, terms, tree):
    client.force_login(tree["student"])
    response = client.post(
        _url("propose", "nb"), {"term": "Buddy", "language": "en", "field": isced("0111").pk}
    )
    assert response.status_code == 400
    assert "Ordlisten har allerede denne termen: fadder." in response.content.decode()
    assert not TermProposal.objects.exists()
