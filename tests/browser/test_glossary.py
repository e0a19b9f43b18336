"""The glossary in Chromium: a student browses A–Z in Norwegian, opens a term, follows the link to
its English counterpart, and proposes a missing term. Axe on the glossary and a term page in both
languages at 1280 and 320 px; no console errors."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.glossary.models import TermProposal
from tests.factories import UserFactory
from tests.onboarding.glossary.factories import term_make
from tests.onboarding.units.factories import unit_tree

from .helpers import both_widths, collect_problems, db_access, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def glossary(site_tree, asgi_server):
    tree = unit_tree(site_tree["home"], publish=False)
    owner = tree["section"]
    tree["buddy"] = term_make(
        owner,
        nb="fadder",
        en="buddy",
        definition_nb="En student som hjelper nye studenter til rette.",
        definition_en="A student who helps new students settle in.",
        synonyms_en="mentor",
    )
    term_make(
        owner, nb="ål", en="eel", code="0531", definition_nb="En fisk.", definition_en="A fish."
    )
    term_make(owner, nb="dugnad", en="", single_language="nb", definition_nb="Felles arbeid.")
    tree["student"] = UserFactory(language="nb")
    return tree


def url(name, language, **kwargs):
    with translation.override(language):
        return reverse(f"glossary:{name}", kwargs=kwargs or None)


def test_a_student_browses_follows_the_counterpart_and_proposes_a_term(
    glossary, page_factory, asgi_server
):
    page = sign_in(page_factory(1280), asgi_server, glossary["student"])
    problems = collect_problems(page)

    # Norwegian A–Z: Å comes after the other letters; the English-less term is marked.
    page.goto(url("index", "nb"))
    expect(page.locator("h1")).to_have_text("Ordliste")
    letters = page.locator("section[data-letter]")
    expect(letters).to_have_count(3)
    assert letters.evaluate_all("els => els.map(e => e.dataset.letter)") == ["D", "F", "Å"]
    both_widths(page)

    page.get_by_role("link", name="F", exact=True).click()
    page.get_by_role("link", name="fadder", exact=True).click()
    expect(page.locator("h1")).to_have_text("fadder")
    expect(page.locator("[data-definition]")).to_have_text(
        "En student som hjelper nye studenter til rette."
    )
    both_widths(page)

    # The counterpart: the same term's page in English.
    page.locator("[data-counterpart]").click()
    expect(page).to_have_url(f"{asgi_server}{url('term', 'en', slug=glossary['buddy'].slug)}")
    expect(page.locator("h1")).to_have_text("buddy")
    expect(page.locator("main")).to_contain_text("mentor")
    both_widths(page)

    page.goto(url("index", "en"))
    expect(page.locator("h1")).to_have_text("Glossary")
    both_widths(page)

    # Proposing a term that is missing.
    page.get_by_role("link", name="Propose a missing term").click()
    expect(page.locator("h1")).to_have_text("Propose a missing term")
    page.fill("#id_term", "study group")
    page.select_option("#id_language", "en")
    page.select_option("#id_field", "0111")
    page.locator("form.form-card button[type=submit]").click()
    expect(page.locator(".message--success")).to_contain_text("International Section")

    assert list(problems) == []
    with db_access():
        proposal = TermProposal.objects.get()
        assert (proposal.term, proposal.owner) == ("study group", glossary["section"])


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_owning_units_editor_accepts_one_proposal_and_declines_another(
    glossary, page, asgi_server, language
):
    from onboarding.glossary.models import Term
    from onboarding.glossary.services import proposal_create
    from onboarding.units.services import unit_editor_add
    from tests.onboarding.glossary.factories import isced
    from tests.onboarding.units.factories import mfa_enable

    from .test_admin import _admin_axe, assert_reports_clean

    owner = glossary["section"]
    editor = mfa_enable(UserFactory(language=language))
    unit_editor_add(unit=owner, user=editor)
    field = isced("0111")
    kept = proposal_create(
        user=glossary["student"], term="kollokvie", language="nb", field=field, owner=owner
    )
    dropped = proposal_create(
        user=glossary["student"], term="hybel", language="nb", field=field, owner=owner
    )
    sign_in(page, asgi_server, editor)
    problems = collect_problems(page)

    page.goto("/admin/glossary/proposals/")
    expect(page.locator(f"[data-proposal='{kept.pk}'] h3")).to_have_text("kollokvie")
    reports = [_admin_axe(page)]
    accept = page.locator(f"[data-proposal='{kept.pk}']")
    accept.locator("select[name=decision]").select_option("accept")
    accept.locator("input[name=other_term]").fill("study group")
    accept.locator("textarea[name=definition_en]").fill("A group of students who study together.")
    accept.locator("button[type=submit]").click()
    expect(page.locator(f"[data-proposal='{kept.pk}']")).to_have_count(0)
    decline = page.locator(f"[data-proposal='{dropped.pk}']")
    decline.locator("select[name=decision]").select_option("decline")
    decline.locator("textarea[name=reason]").fill("Se «studentbolig».")
    decline.locator("button[type=submit]").click()
    expect(page.locator(f"[data-proposal='{dropped.pk}']")).to_have_count(0)

    with db_access():
        term = Term.objects.get(term_nb="kollokvie")
        dropped.refresh_from_db()
    assert (term.term_en, term.owner_id) == ("study group", owner.pk)
    assert dropped.status == "declined"
    page.goto(url("term", "en", slug=term.slug))
    expect(page.locator("h1")).to_have_text("study group")
    problems.assert_none()
    assert_reports_clean(reports)
