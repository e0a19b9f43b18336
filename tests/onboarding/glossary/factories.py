"""Small builders for glossary tests: units, a term, the International Section's staff."""

from onboarding.exchange.models import IscedField
from onboarding.glossary.services import term_save


def isced(code="0311"):
    return IscedField.objects.get(code=code)


def term_make(owner, *, nb="studieprogram", en="study programme", code="0111", **values):
    """A term owned by ``owner``; ``values`` adds translated columns (``synonyms_nb``...)."""
    single = values.pop("single_language", "")
    return term_save(
        values={"term_nb": nb, "term_en": en, **values},
        field=isced(code),
        owner=owner,
        single_language=single,
    )
