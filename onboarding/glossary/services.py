"""Writes of the glossary: terms, students' proposals and their decisions.

``term_save`` creates or changes a term, refusing a name that another term
already has (in either language, as its name, a synonym or an abbreviation).
A student proposes a missing term (``proposal_create``); the owning unit's
editors are told and accept it (``proposal_accept``, which makes the term) or
decline it (``proposal_decline``); the student is told in their language.

Every write runs in one transaction; a refusal raises a ``GlossaryError``
subclass with a code, a translated message and the form field it belongs to,
and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from onboarding.live.services import notify
from onboarding.units.selectors import unit_editors

from .errors import ProposalError, TermError
from .models import LANGUAGES, ProposalStatus, Term, TermProposal, lines
from .permissions import may_edit_for_unit
from .selectors import international_section, term_find_duplicate

if TYPE_CHECKING:
    from onboarding.exchange.models import IscedField
    from onboarding.units.models import UnitPage

TRANSLATED = ("term", "synonyms", "abbreviations", "definition")
SLUG_MAX = 90
_NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def _slug_base(name: str) -> str:
    return slugify(name.translate(_NORWEGIAN_LETTERS))[:SLUG_MAX].strip("-") or "term"


# Paths of the glossary itself that a term's slug must not take, in either language.
RESERVED_SLUGS = {"fields", "fagfelt", "propose", "foresla", "foresla-term"}


def term_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug for a term named ``name`` that no other term has (``-2``, ``-3``... if needed)."""
    base = _slug_base(name)
    terms = Term.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        terms = terms.exclude(pk=exclude_pk)
    taken = set(terms.values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _clean(values: Mapping[str, str]) -> dict[str, str]:
    cleaned = {}
    for name in TRANSLATED:
        for language in LANGUAGES:
            key = f"{name}_{language}"
            value = (values.get(key) or "").strip()
            if name in ("synonyms", "abbreviations"):
                value = "\n".join(dict.fromkeys(lines(value)))
            cleaned[key] = value
    return cleaned


def _names(values: Mapping[str, str]) -> list[str]:
    return [
        name
        for language in LANGUAGES
        for name in (
            [values[f"term_{language}"]]
            + lines(values[f"synonyms_{language}"])
            + lines(values[f"abbreviations_{language}"])
        )
        if name
    ]


def term_values_check(
    values: Mapping[str, str], *, single_language: str, exclude_pk: int | None = None
) -> dict[str, str]:
    """The cleaned translated values of a term, or ``TermError``: ``no_term`` (no name in any
    language, or none in a language the term is said to exist in), ``bad_language`` and
    ``duplicate`` (another term has one of its names)."""
    cleaned = _clean(values)
    if single_language not in ("", *LANGUAGES):
        raise TermError(
            code="bad_language", message=_("Choose Norwegian or English."), field="single_language"
        )
    wanted = [single_language] if single_language else list(LANGUAGES)
    for language in wanted:
        if not cleaned[f"term_{language}"]:
            message = (
                _("Give the term in Norwegian, or mark it as English only.")
                if language == "nb"
                else _("Give the term in English, or mark it as Norwegian only.")
            )
            raise TermError(code="no_term", message=message, field=f"term_{language}")
    duplicate = term_find_duplicate(names=_names(cleaned), exclude_pk=exclude_pk)
    if duplicate is not None:
        raise TermError(
            code="duplicate",
            message=_("The glossary already has this term: %(term)s.")
            % {"term": duplicate.any_name()},
            term=duplicate,
        )
    return cleaned


@transaction.atomic
def term_save(
    *,
    values: Mapping[str, str],
    field: IscedField,
    owner: UnitPage,
    single_language: str = "",
    term: Term | None = None,
    source_id: str = "",
) -> Term:
    """Create a term, or change ``term``; returns it.

    ``values`` holds the translated fields by column (``term_nb``,
    ``synonyms_en`` ...; synonyms and abbreviations one per line). The slug is
    made once, from the Norwegian name (else the English), and kept. Raises
    ``TermError`` as ``term_values_check`` does.
    """
    cleaned = term_values_check(
        values, single_language=single_language, exclude_pk=term.pk if term else None
    )
    if term is None:
        term = Term(slug=term_slug(cleaned["term_nb"] or cleaned["term_en"]))
    for key, value in cleaned.items():
        setattr(term, key, value)
    term.field = field
    term.owner = owner
    term.single_language = single_language
    if source_id:
        term.source_id = source_id
    term.save()
    return term


# --- Proposals ---------------------------------------------------------------------------------


def _proposal_recipients(owner: UnitPage) -> list[Any]:
    """The owning unit's editors; the International Section's when it has none."""
    recipients = list(unit_editors(unit=owner))
    if not recipients:
        section = international_section()
        if section is not None and section.pk != owner.pk:
            recipients = list(unit_editors(unit=section))
    return recipients


@transaction.atomic
def proposal_create(
    *,
    user: Any,
    term: str,
    language: str,
    field: IscedField,
    owner: UnitPage | None = None,
    definition: str = "",
) -> TermProposal:
    """A signed-in student proposes a missing term; the owning unit's editors are told.

    Without ``owner`` the International Section owns it. Raises
    ``ProposalError``: ``forbidden`` (not signed in), ``no_term``,
    ``bad_language``, ``duplicate`` (the glossary has it already: its name,
    synonym or abbreviation in either language), ``pending_duplicate`` (the
    same term is already waiting for a decision) and ``no_owner``.
    """
    if user is None or not user.is_authenticated:
        raise ProposalError(code="forbidden", message=_("Log in to propose a term."))
    name = " ".join((term or "").split())
    if not name:
        raise ProposalError(code="no_term", message=_("Write the term."), field="term")
    if language not in LANGUAGES:
        raise ProposalError(
            code="bad_language", message=_("Choose Norwegian or English."), field="language"
        )
    duplicate = term_find_duplicate(names=[name])
    if duplicate is not None:
        raise ProposalError(
            code="duplicate",
            message=_("The glossary already has this term: %(term)s.")
            % {"term": duplicate.any_name()},
            field="term",
            term=duplicate,
        )
    if TermProposal.objects.filter(term__iexact=name, status=ProposalStatus.PENDING).exists():
        raise ProposalError(
            code="pending_duplicate",
            message=_("Someone has already proposed this term; it is waiting for a decision."),
            field="term",
        )
    owner = owner or international_section()
    if owner is None:
        raise ProposalError(
            code="no_owner", message=_("Choose the unit the term belongs to."), field="owner"
        )
    proposal = TermProposal.objects.create(
        user=user,
        term=name,
        language=language,
        definition=(definition or "").strip(),
        field=field,
        owner=owner,
    )
    recipients = _proposal_recipients(owner)
    if recipients:
        notify(
            recipients=recipients,
            kind="glossary_proposal_received",
            context={
                "term": name,
                "language": language,
                "unit": {"nb": owner.title_nb or owner.title, "en": owner.title_en or owner.title},
            },
            url=reverse("glossary_admin:proposals"),
        )
    return proposal


def _decidable(proposal: TermProposal, by: Any) -> TermProposal:
    locked = TermProposal.objects.select_for_update().select_related("owner").get(pk=proposal.pk)
    if not may_edit_for_unit(user=by, unit=locked.owner):
        raise ProposalError(
            code="forbidden", message=_("Only the unit's editors decide its proposals.")
        )
    if locked.status != ProposalStatus.PENDING:
        raise ProposalError(code="decided", message=_("This proposal has already been decided."))
    return locked


def _tell_proposer(proposal: TermProposal, *, url: Any = "") -> None:
    notify(
        recipients=[proposal.user],
        kind="glossary_proposal_decided",
        context={
            "term": proposal.term,
            "accepted": proposal.status == ProposalStatus.ACCEPTED,
            "reason": proposal.reason,
        },
        url=url,
    )


@transaction.atomic
def proposal_accept(
    *,
    proposal: TermProposal,
    by: Any,
    other_term: str = "",
    definition_nb: str | None = None,
    definition_en: str | None = None,
) -> Term:
    """Accept ``proposal``: make its term (in the proposal's language, and ``other_term`` in the
    other one if given, else marked as existing in one language) and tell the student.

    Raises ``ProposalError`` ``forbidden`` (not an editor of the owning unit nor
    staff) and ``decided``, and ``TermError`` as ``term_save`` does.
    """
    locked = _decidable(proposal, by)
    other = "en" if locked.language == "nb" else "nb"
    values = {f"term_{locked.language}": locked.term, f"term_{other}": other_term or ""}
    values[f"definition_{locked.language}"] = locked.definition
    if definition_nb is not None and definition_nb.strip():
        values["definition_nb"] = definition_nb
    if definition_en is not None and definition_en.strip():
        values["definition_en"] = definition_en
    term = term_save(
        values=values,
        field=locked.field,
        owner=locked.owner,
        single_language="" if (other_term or "").strip() else locked.language,
    )
    locked.status = ProposalStatus.ACCEPTED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.created_term = term
    locked.save(update_fields=["status", "decided_by", "decided_at", "created_term"])
    _tell_proposer(locked, url={language: term.get_url(language) for language in LANGUAGES})
    return term


@transaction.atomic
def proposal_decline(*, proposal: TermProposal, by: Any, reason: str = "") -> TermProposal:
    """Decline ``proposal`` with an optional reason and tell the student.

    Raises ``ProposalError`` ``forbidden`` and ``decided``.
    """
    locked = _decidable(proposal, by)
    locked.status = ProposalStatus.DECLINED
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.reason = (reason or "").strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _tell_proposer(locked)
    return locked
