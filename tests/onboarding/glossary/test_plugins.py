"""What the glossary gives other parts of the site: its search source and hits, the synonyms
of a query (one query), its completeness source, the notification kinds and staff rights."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail import hooks

from cms.search.sources import SearchHit
from onboarding.glossary.models import Term
from onboarding.hooks import (
    COMPLETENESS_SOURCES,
    INTERNATIONAL_STAFF_PERMISSIONS,
    SEARCH_SOURCES,
    SEARCH_SYNONYMS,
)
from onboarding.live.kinds import kind_list

from .factories import term_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(tree):
    owner = tree["section"]
    return {
        "buddy": term_make(owner, nb="fadder", en="buddy", synonyms_en="mentor"),
        "council": term_make(owner, nb="studentråd", en="student council"),
        "isn": term_make(
            owner,
            nb="internasjonalt studentnettverk",
            en="International Student Network",
            abbreviations_nb="ISN",
            abbreviations_en="ISN",
        ),
        "dugnad": term_make(owner, nb="dugnad", en="", single_language="nb"),
    }


def _synonyms(query, language="en"):
    (provider,) = [fn for fn in hooks.get_hooks(SEARCH_SYNONYMS) if "glossary" in fn.__module__]
    return list(provider(query=query, language=language))


def test_synonyms_in_the_other_language(terms):
    assert _synonyms("fadder") == ["buddy", "mentor"]
    assert _synonyms("Buddy", language="nb") == ["fadder", "mentor"]
    assert _synonyms("studentråd") == ["student council"]


def test_synonyms_are_case_and_accent_insensitive_and_find_abbreviations(terms):
    assert _synonyms("STUDENTRAD") == ["student council"]
    assert _synonyms("isn") == ["International Student Network", "internasjonalt studentnettverk"]


def test_synonyms_of_a_term_named_inside_a_longer_query_in_one_query(terms):
    with CaptureQueriesContext(connection) as queries:
        found = _synonyms("how do I find a fadder in Trondheim")
    assert found == ["buddy", "mentor"]
    assert len(queries) == 1


def test_no_synonyms_for_a_query_that_names_no_term(terms):
    assert _synonyms("library") == []
    assert _synonyms("  ") == []
    # Part of a name is not the name.
    assert _synonyms("student") == []


def test_the_search_source_and_its_hits(terms):
    (source,) = [
        source
        for provider in hooks.get_hooks(SEARCH_SOURCES)
        for source in provider()
        if source.key == "term"
    ]
    assert source.model is Term
    assert {field.field_name for field in Term.search_fields} >= {
        "term_nb",
        "term_en",
        "synonyms_nb",
        "synonyms_en",
        "abbreviations_nb",
        "abbreviations_en",
        "definition_nb",
        "definition_en",
    }
    assert source.queryset is None  # every term may be found: the search reads them all
    with translation.override("en"):
        hit = source.hit(terms["buddy"])
        only_nb = source.hit(terms["dugnad"])
    assert hit == SearchHit(
        title="buddy",
        url=f"/en/glossary/{terms['buddy'].slug}/",
        summary="",
        languages=("nb", "en"),
    )
    assert only_nb.title == "dugnad" and only_nb.languages == ("nb",)
    with translation.override("nb"):
        assert source.hit(terms["buddy"]).url == f"/nb/ordliste/{terms['buddy'].slug}/"


def test_the_completeness_source(terms):
    (content,) = [
        content
        for provider in hooks.get_hooks(COMPLETENESS_SOURCES)
        for content in provider()
        if content.model is Term
    ]
    assert content.unit_field == "owner"
    assert content.single_language_field == "single_language"
    assert set(content.fields) == {"term", "definition"}
    assert (
        content.edit_url(terms["buddy"])
        == f"/admin/snippets/glossary/term/edit/{terms['buddy'].pk}/"
    )


def test_notification_kinds_and_staff_rights():
    kinds = {kind.code for kind in kind_list()}
    assert {"glossary_proposal_received", "glossary_proposal_decided"} <= set(kinds)
    rights = {
        right
        for provider in hooks.get_hooks(INTERNATIONAL_STAFF_PERMISSIONS)
        for right in provider()
    }
    assert {"glossary.change_term", "glossary.add_term", "glossary.delete_term"} <= rights
