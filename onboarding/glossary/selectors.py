"""Reads of the glossary: the A–Z list, the fields, one term, synonyms for the search, and the
proposals an editor decides."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from onboarding.exchange.models import IscedField
from onboarding.units.models import UnitPage

from .models import LANGUAGES, ProposalStatus, Term, TermProposal, fold, initial, sort_key
from .permissions import owned_by_user_q

# The letters of each language's alphabet, as the A–Z view shows them.
ALPHABETS = {
    "nb": [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "Æ", "Ø", "Å"],
    "en": [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ"],
}
# The longest word sequence of a query compared with the terms' names.
MAX_QUERY_WORDS = 8


@dataclass(frozen=True)
class TermEntry:
    """A term as a list shows it to a reader of ``language``.

    ``name`` is the term in the reader's language, or in the only language it
    exists in (``name_language`` says which: the page marks it).
    """

    term: Term
    name: str
    name_language: str
    letter: str


def _terms() -> QuerySet[Term]:
    return Term.objects.select_related("field", "owner")


def entry_for(term: Term, language: str) -> TermEntry:
    name_language = language if term.name_in(language) else ("nb" if language == "en" else "en")
    name = term.name_in(name_language)
    return TermEntry(
        term=term, name=name, name_language=name_language, letter=initial(name, language)
    )


def entries_sorted(terms: Iterable[Term], language: str) -> list[TermEntry]:
    """``terms`` as entries for ``language``, in that language's alphabetical order."""
    entries = [entry_for(term, language) for term in terms if term.any_name()]
    return sorted(entries, key=lambda entry: (sort_key(entry.name, language), entry.term.pk))


def term_alphabet(*, language: str) -> tuple[list[str], OrderedDict[str, list[TermEntry]]]:
    """Every term grouped by its letter in ``language``: (the alphabet, {letter: entries}) with
    the letters in the language's order ("#" last for names that start with a digit)."""
    letters = ALPHABETS.get(language, ALPHABETS["en"])
    groups: OrderedDict[str, list[TermEntry]] = OrderedDict((letter, []) for letter in letters)
    for entry in entries_sorted(_terms(), language):
        groups.setdefault(entry.letter, []).append(entry)
    return letters, groups


def field_list() -> QuerySet[IscedField]:
    """The ISCED-F fields that have terms, with their number of terms."""
    return (
        IscedField.objects.annotate(term_count=Count("glossary_terms"))
        .filter(term_count__gt=0)
        .order_by("code")
    )


def field_get(*, code: str) -> IscedField | None:
    return IscedField.objects.filter(code=code).first()


def field_terms(*, field: IscedField, language: str) -> list[TermEntry]:
    return entries_sorted(_terms().filter(field=field), language)


def term_get(*, slug: str) -> Term | None:
    return _terms().filter(slug=slug).first()


def term_find_duplicate(*, names: Iterable[str], exclude_pk: int | None = None) -> Term | None:
    """The term that already has one of ``names`` as its name, synonym or abbreviation in
    either language (compared case- and accent-insensitively), if any."""
    condition = Q()
    for name in {fold(name) for name in names if fold(name)}:
        condition |= Q(names_key__contains=f"\n{name}\n")
    if not condition:
        return None
    terms = Term.objects.filter(condition)
    if exclude_pk is not None:
        terms = terms.exclude(pk=exclude_pk)
    return terms.first()


def _word_sequences(query: str) -> list[str]:
    words = fold(query).split()[: MAX_QUERY_WORDS * 4]
    sequences = []
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + MAX_QUERY_WORDS) + 1):
            sequences.append(" ".join(words[start:end]))
    return list(dict.fromkeys(sequences))


def term_synonyms(*, query: str, language: str) -> list[str]:
    """The other names of every term that ``query`` names (the ``SEARCH_SYNONYMS`` hook).

    A term matches when its name, a synonym or an abbreviation in either
    language equals the query, or a word sequence in it, case- and
    accent-insensitively ("fadder" gives "buddy"; "ISN" gives "International
    Student Network"). The names in the reader's ``language`` come first. One
    query.
    """
    sequences = _word_sequences(query)
    if not sequences:
        return []
    condition = Q()
    for sequence in sequences:
        condition |= Q(names_key__contains=f"\n{sequence}\n")
    found: list[str] = []
    said = set(sequences)
    languages = [language, *(other for other in LANGUAGES if other != language)]
    for term in Term.objects.filter(condition).order_by("pk"):
        for name_language in languages:
            for name in term.names_in(name_language):
                folded = fold(name)
                if folded not in said:
                    said.add(folded)
                    found.append(name)
    return found


def proposals_for(*, user: Any, status: str = ProposalStatus.PENDING) -> QuerySet[TermProposal]:
    """The proposals ``user`` decides: those of the units they edit (all for staff)."""
    return (
        TermProposal.objects.filter(owned_by_user_q(user), status=status)
        .select_related("field", "owner", "user")
        .order_by("created_at", "pk")
    )


def international_section() -> UnitPage | None:
    """The International Section's unit: it owns what no other unit claims."""
    return UnitPage.objects.filter(kind="international_section").order_by("path").first()


def owner_choices() -> QuerySet[UnitPage]:
    """The units a student may say a term belongs to: the live ones, in tree order."""
    return UnitPage.objects.live().order_by("path")
