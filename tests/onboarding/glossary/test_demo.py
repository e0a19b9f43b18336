"""The demo glossary: 150 terms and more in at least five fields, owned by the demo's units,
a few in one language only, and a second seed that changes nothing."""

import pytest
from django.db.models import Count

from onboarding.glossary.demo import seed_glossary
from onboarding.glossary.models import Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def test_the_demo_has_150_terms_in_five_fields_and_more(demo):
    assert Term.objects.count() >= 150
    fields = Term.objects.values("field").annotate(n=Count("pk"))
    assert len(fields) >= 5
    assert Term.objects.filter(source_id__startswith="vk-").count() == Term.objects.count()


def test_the_student_life_terms_and_their_synonyms(demo):
    buddy = Term.objects.get(term_nb="fadder")
    assert buddy.term_en == "buddy" and buddy.definition_nb and buddy.definition_en
    isn = Term.objects.get(term_en="International Student Network")
    assert isn.term_nb == "internasjonalt studentnettverk"
    assert isn.abbreviations_in("en") == ["ISN"]
    assert Term.objects.get(term_nb="studiepoeng").abbreviations_in("en") == ["ECTS"]


def test_a_few_terms_exist_in_one_language_only(demo):
    single = Term.objects.exclude(single_language="")
    assert {"nb", "en"} == set(single.values_list("single_language", flat=True))
    for term in single:
        assert term.languages() == (term.single_language,)


def test_every_term_has_a_definition_in_each_of_its_languages(demo):
    for term in Term.objects.all():
        for language in term.languages():
            assert term.value("definition", language), (term.slug, language)


def test_owners_are_the_demos_units(demo):
    owners = set(Term.objects.values_list("owner__slug_nb", flat=True))
    assert {"internasjonal-seksjon", "institutt-for-kjemi", "studenttinget"} <= owners


def test_seeding_again_changes_nothing(demo):
    before = list(Term.objects.order_by("pk").values())
    assert seed_glossary() == len(before)
    assert list(Term.objects.order_by("pk").values()) == before
