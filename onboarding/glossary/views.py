"""The glossary's public pages: A–Z, by subject field, one term, and proposing a missing one.

Mounted under the translated "glossary/" path (/nb/ordliste/, /en/glossary/).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .errors import GlossaryError
from .forms import ProposalForm


def _language() -> str:
    return "en" if translation.get_language() == "en" else "nb"


def _other(language: str) -> str:
    return "nb" if language == "en" else "en"


@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    """Every term from A to Z in the reader's language (æ ø å after z in Norwegian)."""
    language = _language()
    letters, groups = selectors.term_alphabet(language=language)
    return render(
        request,
        "glossary/index.html",
        {
            "letters": letters,
            "groups": [(letter, entries) for letter, entries in groups.items() if entries],
            "used": {letter for letter, entries in groups.items() if entries},
            "language": language,
        },
    )


@require_http_methods(["GET", "HEAD"])
def field_list(request: HttpRequest) -> HttpResponse:
    """The subject fields that have terms."""
    return render(
        request,
        "glossary/field_list.html",
        {"fields": selectors.field_list(), "language": _language()},
    )


@require_http_methods(["GET", "HEAD"])
def field_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The terms of one subject field, alphabetically."""
    isced = selectors.field_get(code=code)
    if isced is None:
        raise Http404
    language = _language()
    return render(
        request,
        "glossary/field_detail.html",
        {
            "isced": isced,
            "entries": selectors.field_terms(field=isced, language=language),
            "language": language,
        },
    )


@require_http_methods(["GET", "HEAD"])
def term_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One term in the reader's language, and its counterpart in the other."""
    term = selectors.term_get(slug=slug)
    if term is None:
        raise Http404
    language = _language()
    other = _other(language)
    return render(
        request,
        "glossary/term_detail.html",
        {
            "term": term,
            "language": language,
            "other_language": other,
            "entry": selectors.entry_for(term, language),
            "mine": {
                "name": term.name_in(language),
                "synonyms": term.synonyms_in(language),
                "abbreviations": term.abbreviations_in(language),
                "definition": term.value("definition", language),
            },
            "theirs": {
                "name": term.name_in(other),
                "synonyms": term.synonyms_in(other),
                "abbreviations": term.abbreviations_in(other),
                "definition": term.value("definition", other),
            },
            "counterpart_url": term.get_url(other),
            "field_name": getattr(term.field, f"name_{language}", "") or term.field.name,
            "owner_name": getattr(term.owner, f"title_{language}", "") or term.owner.title,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    """A signed-in student proposes a missing term; the owning unit's editors are told."""
    form = ProposalForm(request.POST or None, initial={"term": request.GET.get("term", "")[:200]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                user=request.user,
                term=data["term"],
                language=data["language"],
                definition=data["definition"],
                field=data["field"],
                owner=data["owner"],
            )
        except GlossaryError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            owner = getattr(proposal.owner, f"title_{_language()}", "") or proposal.owner.title
            messages.success(
                request,
                _("Thank you. %(unit)s will look at your proposal and tell you what they decide.")
                % {"unit": owner},
            )
            return redirect("glossary:index")
    return render(
        request,
        "glossary/propose.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
