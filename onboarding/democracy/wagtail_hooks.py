"""What student democracy gives other apps: meetings on the body's page, news on the arrival
plan, notification kinds, the personal-data register, search and completeness sources."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.search.sources import SearchSource
from onboarding.hooks import (
    ARRIVAL_PLAN_DEMOCRACY,
    COMPLETENESS_SOURCES,
    NOTIFICATION_KINDS,
    PERSONAL_DATA,
    SEARCH_SOURCES,
    UNIT_PAGE_SECTIONS,
)
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose, Retention
from onboarding.units.completeness import TranslatedContent
from onboarding.units.selectors import UnitSection

from . import selectors
from .models import BODY_KINDS, Candidacy, ElectionPage, MeetingPage, Representative


@hooks.register(UNIT_PAGE_SECTIONS)
def democracy_unit_section(*, unit: Any) -> UnitSection | None:
    """A body's page: its next meetings, its elections and who represents the students."""
    if unit.kind not in BODY_KINDS:
        return None
    return UnitSection(
        template_name="democracy/includes/unit_democracy.html",
        context=selectors.body_overview(unit=unit),
    )


@hooks.register(ARRIVAL_PLAN_DEMOCRACY)
def arrival_plan_democracy(*, units: Any) -> Any:
    """The next meeting and the open elections of the plan's council and the parliament."""
    return selectors.democracy_news(units=units)


@hooks.register(NOTIFICATION_KINDS)
def democracy_notification_kinds() -> list[NotificationKind]:
    return [
        NotificationKind(
            code="democracy_candidacy",
            label=_("A student stands in an election of your body"),
            description=_("Sent to the editors of the student parliament or council."),
            default_channel=Channel.EMAIL,
            context_keys=(
                "candidate",
                "candidate_email",
                "election_title",
                "group",
                "statement",
                "seat_type",
                "statement_language",
            ),
        ),
        NotificationKind(
            code="democracy_election_announced",
            label=_("An election in a body you follow"),
            description=_(
                "The student parliament or a student council you follow has announced an "
                "election: when you can stand and when you can vote."
            ),
            default_channel=Channel.EMAIL,
            context_keys=(
                "body_name",
                "election_title",
                "nomination_opens_at",
                "nomination_closes_at",
                "voting_opens_at",
                "voting_closes_at",
                "international_seats",
            ),
        ),
    ]


@hooks.register(PERSONAL_DATA)
def democracy_personal_data() -> list[PersonalData]:
    return [
        PersonalData(
            model=Candidacy,
            subjects=("user",),
            fields=("statement", "statement_language", "group", "seat_type", "created_at"),
            other_fields=("id", "election"),
            context=("election",),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
            # The election's record: kept a year after voting closes, then deleted.
            retention=Retention(days=365, after="election__voting_closes_at"),
        ),
        PersonalData(
            model=Representative,
            subjects=("user",),
            fields=("name", "email", "group", "group_nb", "group_en"),
            other_fields=(
                "id",
                "sort_order",
                "page",
                "role",
                "role_nb",
                "role_en",
                "description",
                "description_nb",
                "description_en",
                "seat_type",
            ),
            context=("page", "role"),
            purpose=Purpose.ACCOUNTABILITY,
            legal_basis=LegalBasis.PUBLIC_TASK,
        ),
    ]


@hooks.register(SEARCH_SOURCES)
def democracy_search_sources() -> list[SearchSource]:
    return [
        SearchSource(
            key="meeting", name=_("Meeting"), plural=_("Meetings"), model=MeetingPage, order=60
        ),
        SearchSource(
            key="election", name=_("Election"), plural=_("Elections"), model=ElectionPage, order=61
        ),
    ]


@hooks.register(COMPLETENESS_SOURCES)
def democracy_completeness_sources() -> list[TranslatedContent]:
    return [
        TranslatedContent(
            model=Representative,
            label=_("Representatives"),
            unit_field="page__unit",
            fields=("role", "group"),
            edit_url=lambda row: reverse("wagtailadmin_pages:edit", args=[row.page_id]),
        )
    ]


@hooks.register("register_admin_urls")
def register_democracy_admin_urls() -> list[Any]:
    from django.urls import include, path

    from . import admin_views

    urls = [
        path(
            "elections/<int:election_id>/candidacies/",
            admin_views.candidacies,
            name="candidacies",
        )
    ]
    return [path("democracy/", include((urls, "democracy_admin"), namespace="democracy_admin"))]


# In the election's header only: in the page listings it would cost a query per page.
@hooks.register("register_page_header_buttons")
def register_candidacies_header_button(page, user, view_name, next_url=None):  # type: ignore[no-untyped-def]
    from wagtail.admin.widgets import Button

    if page.specific_class is not ElectionPage:
        return
    yield Button(
        _("Candidacies"),
        reverse("democracy_admin:candidacies", args=[page.pk]),
        icon_name="group",
        priority=60,
    )
