"""Admin wiring of the glossary, and what it gives other apps.

Terms are a snippet kept by the owning unit's editors and the International
Section's staff; students' proposals wait in "Term proposals". The glossary
gives the site search its terms (``SEARCH_SOURCES``) and their other names
(``SEARCH_SYNONYMS``), the completeness report its translated terms
(``COMPLETENESS_SOURCES``), two kinds of notification, the staff's
permissions and the proposals in the personal-data register.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.search.sources import SearchHit, SearchSource
from onboarding.hooks import (
    COMPLETENESS_SOURCES,
    INTERNATIONAL_STAFF_PERMISSIONS,
    NOTIFICATION_KINDS,
    PERSONAL_DATA,
    SEARCH_SOURCES,
    SEARCH_SYNONYMS,
)
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose
from onboarding.units.completeness import TranslatedContent
from onboarding.units.models import UnitPage
from onboarding.units.owned import InstanceCheckedMixin

from . import admin_views
from .errors import GlossaryError
from .models import Term, TermProposal
from .permissions import TermPermissionPolicy, is_glossary_staff, owned_by_user_q
from .selectors import term_synonyms
from .services import term_slug, term_values_check

register_permission_policy(Term, TermPermissionPolicy(Term))


class TermForm(WagtailAdminModelForm):
    """Unit editors choose among their own units; a name another term has is refused."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if "owner" in self.fields:
            units = UnitPage.objects.order_by("path")
            if user is not None and not is_glossary_staff(user):
                units = units.filter(owned_by_user_q(user, prefix=""))
            self.fields["owner"].queryset = units
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        values = {
            f"{name}_{language}": cleaned.get(f"{name}_{language}") or ""
            for name in ("term", "synonyms", "abbreviations", "definition")
            for language in ("nb", "en")
        }
        try:
            term_values_check(
                values,
                single_language=cleaned.get("single_language") or "",
                exclude_pk=self.instance.pk,
            )
        except GlossaryError as error:
            self.add_error(error.field if error.field in self.fields else None, str(error.message))
        if not cleaned.get("slug"):
            cleaned["slug"] = term_slug(
                values["term_nb"] or values["term_en"] or "term", exclude_pk=self.instance.pk
            )
        return cleaned


class TermEditView(InstanceCheckedMixin, snippet_views.EditView):
    pass


class TermDeleteView(InstanceCheckedMixin, snippet_views.DeleteView):
    instance_permission = "delete"


class TermIndexView(snippet_views.IndexView):
    """Unit editors list their units' terms (and those of units below them); staff list all."""

    def get_base_queryset(self) -> QuerySet:
        queryset = super().get_base_queryset().select_related("field", "owner")
        return queryset.filter(owned_by_user_q(self.request.user))


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "doc-full"
    menu_label = _("Glossary")
    menu_name = "glossary"
    menu_order = 270
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["term_nb", "term_en", "field", "owner"]
    list_filter = ["field", "single_language"]
    search_fields = ["term_nb", "term_en", "synonyms_nb", "synonyms_en"]
    ordering = ["slug"]
    index_view_class = TermIndexView
    edit_view_class = TermEditView
    delete_view_class = TermDeleteView
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("term_nb"), FieldPanel("term_en")]),
            FieldRowPanel([FieldPanel("synonyms_nb"), FieldPanel("synonyms_en")]),
            FieldRowPanel([FieldPanel("abbreviations_nb"), FieldPanel("abbreviations_en")]),
            FieldRowPanel([FieldPanel("definition_nb"), FieldPanel("definition_en")]),
            MultiFieldPanel(
                [
                    FieldPanel("field"),
                    # A select, not a chooser: it lists only the units the editor keeps.
                    FieldPanel("owner", widget=forms.Select),
                    FieldPanel("single_language"),
                    FieldPanel("slug"),
                ],
                heading=_("About the term"),
            ),
        ],
        base_form_class=TermForm,
    )


register_snippet(TermViewSet)


@hooks.register("register_admin_urls")
def register_glossary_admin_urls() -> list[Any]:
    return [
        path(
            "glossary/proposals/",
            include((admin_views.admin_urls, "glossary_admin"), namespace="glossary_admin"),
        )
    ]


class ProposalMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return admin_views.may_decide_proposals(request.user)


@hooks.register("register_admin_menu_item")
def register_proposal_menu_item() -> MenuItem:
    return ProposalMenuItem(
        _("Term proposals"),
        reverse("glossary_admin:proposals"),
        name="glossary-proposals",
        icon_name="help",
        order=271,
    )


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def glossary_staff_permissions() -> list[str]:
    """The International Section keeps every unit's terms and decides every proposal."""
    return [f"glossary.{action}_term" for action in ("add", "change", "delete", "view")]


@hooks.register(NOTIFICATION_KINDS)
def glossary_notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind(
            code="glossary_proposal_received",
            label=_("A student proposes a glossary term"),
            description=_("A student has proposed a term for a unit you edit."),
            default_channel=Channel.EMAIL,
            context_keys=("term", "language", "unit"),
        ),
        NotificationKind(
            code="glossary_proposal_decided",
            label=_("Your proposed term was decided"),
            description=_("The unit has accepted or declined a term you proposed."),
            mandatory=True,
            default_channel=Channel.SITE,
            context_keys=("term", "accepted", "reason"),
        ),
    ]


@hooks.register(PERSONAL_DATA)
def glossary_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=TermProposal,
            subjects=("user",),
            fields=(*TermProposal.PERSONAL_FIELDS, "decided_at"),
            other_fields=("id", "field", "owner", "decided_by", "created_term"),
            context=("owner",),
            # A record of what the student asked a unit to do, and what it decided.
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
    ]


def term_hit(term: Term) -> SearchHit:
    """A term as the search shows it: its name and definition in the reader's language (or in
    the only language it has), and its page."""
    language = "en" if translation.get_language() == "en" else "nb"
    shown = language if term.name_in(language) else ("nb" if language == "en" else "en")
    return SearchHit(
        title=term.name_in(shown),
        url=term.get_url(language),
        summary=term.value("definition", shown),
        languages=term.languages(),
    )


@hooks.register(SEARCH_SOURCES)
def glossary_search_sources() -> list[SearchSource]:
    return [
        SearchSource(
            key="term",
            name=_("Term"),
            plural=_("Glossary terms"),
            model=Term,
            order=60,
            hit=term_hit,
        )
    ]


@hooks.register(SEARCH_SYNONYMS)
def glossary_search_synonyms(*, query: str, language: str) -> list[str]:
    return term_synonyms(query=query, language=language)


def term_edit_url(term: Term) -> str:
    return reverse("wagtailsnippets_glossary_term:edit", args=[term.pk])


@hooks.register(COMPLETENESS_SOURCES)
def glossary_completeness() -> list[TranslatedContent]:
    return [
        TranslatedContent(
            model=Term,
            label=_("Glossary terms"),
            unit_field="owner",
            fields=("term", "definition"),
            edit_url=term_edit_url,
            single_language_field="single_language",
        )
    ]
