"""Reads of units: the directory, a unit's place in the chart, follows, editors and organisers.

Every list here fetches what its template needs in a fixed number of
queries, however many units there are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, Substr
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import Page

from onboarding.hooks import UNIT_PAGE_SECTIONS, UPCOMING_EVENTS

from .kinds import KIND_ORDER, UnitKind
from .models import (
    Follow,
    UnitDirectoryPage,
    UnitEditorsGroup,
    UnitInvitation,
    UnitOrganiser,
    UnitPage,
    UnitRightsChange,
    UnitRole,
    stale_cutoff,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from wagtail.query import PageQuerySet

    from onboarding.accounts.models import User

LANGUAGES = ("nb", "en")
# The size logos are shown at in lists; renditions for it are fetched with the list.
LOGO_FILTER = "fill-96x96"
# A page republished within this time of its first publication counts as new, not updated.
UPDATE_GRACE = timedelta(hours=1)


def _title_in_language() -> F | Coalesce:
    """The title in the reader's language, falling back to Norwegian where it is empty."""
    language = get_language() or "nb"
    own = build_localized_fieldname("title", language)
    default = build_localized_fieldname("title", "nb")
    if own == default:
        return F(default)
    return Coalesce(NullIf(F(own), Value("")), F(default), output_field=CharField())


def _kind_rank() -> Case:
    return Case(
        *[When(kind=kind, then=Value(rank)) for rank, kind in enumerate(KIND_ORDER)],
        default=Value(len(KIND_ORDER)),
        output_field=IntegerField(),
    )


def _with_freshness(units: PageQuerySet, *, now: datetime | None = None) -> PageQuerySet:
    """Annotate ``is_stale_rank``: 0 for units confirmed within 12 months, 1 for the others."""
    confirmed = Coalesce("last_confirmed", "first_published_at")
    return units.annotate(
        is_stale_rank=Case(
            When(Q(last_confirmed__isnull=True, first_published_at__isnull=True), then=Value(1)),
            When(
                Q(last_confirmed__lt=stale_cutoff(now))
                | Q(last_confirmed__isnull=True, first_published_at__lt=stale_cutoff(now)),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        ),
        confirmed_on=confirmed,
    )


def _with_logos(units: PageQuerySet) -> PageQuerySet:
    images = get_image_model().objects.prefetch_renditions(LOGO_FILTER)
    return units.prefetch_related(Prefetch("logo", queryset=images))


def _public_units() -> PageQuerySet:
    return UnitPage.objects.live().public()


def name_filter(query: str) -> Q:
    """Matches a unit whose name or short name, in either language, holds ``query``."""
    condition = Q()
    for language in LANGUAGES:
        for field in ("title", "short_name"):
            condition |= Q(**{f"{build_localized_fieldname(field, language)}__icontains": query})
    return condition


def unit_list(
    *, kind: str | None = None, faculty: UnitPage | None = None, query: str | None = None
) -> PageQuerySet:
    """Live, public units in directory order: by kind, active before possibly inactive, by name.

    ``kind`` keeps one kind of unit (a ``UnitKind`` value); ``faculty`` (a
    faculty unit) keeps the faculty and every unit below it; ``query`` keeps
    units whose name or short name holds it, in Norwegian or English. Each unit
    comes with its logo and the logo's list rendition.
    """
    units = _public_units()
    if kind:
        units = units.filter(kind=kind)
    if faculty is not None:
        units = units.filter(path__startswith=faculty.path)
    if query:
        units = units.filter(name_filter(query))
    units = _with_freshness(_with_logos(units))
    return units.annotate(kind_rank=_kind_rank(), sort_title=_title_in_language()).order_by(
        "kind_rank", "is_stale_rank", "sort_title", "path"
    )


def unit_get(*, unit_id: int, live: bool = True) -> UnitPage | None:
    """The unit with this id, or None; with ``live`` only a live, public one."""
    units = _public_units() if live else UnitPage.objects.all()
    return units.filter(pk=unit_id).first()


def unit_children(*, parent: Page) -> PageQuerySet:
    """The live, public units directly under ``parent``, in directory order, with their logos."""
    units = _with_freshness(_with_logos(_public_units().child_of(parent)))
    return units.annotate(kind_rank=_kind_rank(), sort_title=_title_in_language()).order_by(
        "kind_rank", "is_stale_rank", "sort_title", "path"
    )


def unit_faculties() -> PageQuerySet:
    """Every live, public faculty, by name (the directory's faculty filter)."""
    return (
        _public_units()
        .filter(kind=UnitKind.FACULTY)
        .annotate(sort_title=_title_in_language())
        .order_by("sort_title")
    )


def unit_live_kinds() -> set[str]:
    """The kinds of unit of which at least one is published."""
    return set(UnitPage.objects.live().order_by().values_list("kind", flat=True).distinct())


def _ancestor_paths(path: str, steplen: int = UnitPage.steplen) -> list[str]:
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def unit_faculty(unit: UnitPage) -> UnitPage | None:
    """The faculty ``unit`` belongs to (itself, if it is a faculty), or None."""
    return (
        UnitPage.objects.filter(kind=UnitKind.FACULTY, path__in=_ancestor_paths(unit.path))
        .order_by("-depth")
        .first()
    )


def units_attach_faculties(units: Iterable[UnitPage]) -> list[UnitPage]:
    """Set ``unit.faculty_unit`` on each unit of a list, in one query for all of them."""
    units = list(units)
    paths = {path for unit in units for path in _ancestor_paths(unit.path)}
    faculties = {
        faculty.path: faculty
        for faculty in UnitPage.objects.filter(kind=UnitKind.FACULTY, path__in=paths)
    }
    for unit in units:
        unit.faculty_unit = next(
            (faculties[path] for path in reversed(_ancestor_paths(unit.path)) if path in faculties),
            None,
        )
    return units


def unit_parent_unit(unit: UnitPage) -> UnitPage | None:
    """The unit directly above ``unit`` in the chart, or None when it sits under an index."""
    return UnitPage.objects.filter(path=unit.path[: -UnitPage.steplen]).first()


def unit_directory() -> UnitDirectoryPage | None:
    """The live unit directory page, or None."""
    return UnitDirectoryPage.objects.live().first()


def unit_stale_list(*, now: datetime | None = None) -> PageQuerySet:
    """Live units not confirmed for 12 months, least recently confirmed first."""
    units = _with_freshness(UnitPage.objects.live(), now=now).filter(is_stale_rank=1)
    return units.annotate(kind_rank=_kind_rank()).order_by(
        F("confirmed_on").asc(nulls_first=True), "kind_rank", "path"
    )


def unit_stale_report(*, now: datetime | None = None) -> PageQuerySet:
    """``unit_stale_list`` with each unit's number of editors and followers (the staff report)."""
    return unit_stale_list(now=now).annotate(
        editor_count=Count("editors_link__group__user", distinct=True),
        follower_count=Count("follows", distinct=True),
    )


# --- Follows --------------------------------------------------------------------------


def units_followed_by(*, user: User | AnonymousUser) -> list[UnitPage]:
    """The live units ``user`` follows, by name, each with ``faculty_unit`` set."""
    if not user.is_authenticated:
        return []
    units = _with_freshness(_with_logos(_public_units().filter(follows__user=user)))
    units = units.annotate(kind_rank=_kind_rank(), sort_title=_title_in_language()).order_by(
        "sort_title", "path"
    )
    return units_attach_faculties(units)


def unit_is_followed(*, unit: UnitPage, user: User | AnonymousUser) -> bool:
    return user.is_authenticated and Follow.objects.filter(unit=unit, user=user).exists()


def unit_follower_count(*, unit: UnitPage) -> int:
    """How many people follow ``unit``: a number only, never who."""
    return Follow.objects.filter(unit=unit).count()


# --- Editors --------------------------------------------------------------------------


def unit_editors_group(unit: UnitPage) -> Group | None:
    """The editors' group of ``unit``, or None before it has been published."""
    return Group.objects.filter(unit_link__unit=unit).first()


def unit_editors_link(unit: UnitPage) -> UnitEditorsGroup | None:
    return UnitEditorsGroup.objects.select_related("group", "collection").filter(unit=unit).first()


def units_edited_by(*, user: User) -> PageQuerySet:
    """The units whose editors' group ``user`` belongs to, in tree order."""
    return UnitPage.objects.filter(editors_link__group__user=user).order_by("path")


# --- Editors and organisers: who may do what for a unit ------------------------------------

# The International Section's right to manage every unit's editors and organisers.
PEOPLE_PERMISSION = "units.manage_unit_people"


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def unit_is_editor(*, unit: UnitPage, user: Any) -> bool:
    """Whether ``user`` is in the editors' group of ``unit`` itself (not of a unit above it)."""
    if not _signed_in(user):
        return False
    return UnitEditorsGroup.objects.filter(unit=unit, group__user=user).exists()


def unit_is_organiser(*, unit: UnitPage, user: Any) -> bool:
    """Whether ``user`` is one of the organisers of ``unit``."""
    if not _signed_in(user):
        return False
    return UnitOrganiser.objects.filter(unit=unit, user=user).exists()


def page_unit_organiser(*, page: Page, user: Any) -> bool:
    """Whether ``user`` organises for the unit ``page`` belongs to (its nearest unit above it).

    One query for everyone who organises nothing there; a second only for an
    organiser of a unit above the page, to make sure no other unit sits between.
    """
    if not _signed_in(user) or not page.path:
        return False
    steplen = UnitPage.steplen
    ancestors = [page.path[:end] for end in range(steplen, len(page.path), steplen)]
    organised = set(
        UnitOrganiser.objects.filter(user=user, unit__path__in=ancestors).values_list(
            "unit__path", flat=True
        )
    )
    if not organised:
        return False
    nearest = (
        UnitPage.objects.filter(path__in=ancestors)
        .order_by("-depth")
        .values_list("path", flat=True)
        .first()
    )
    return nearest in organised


def unit_may_manage_people(*, unit: UnitPage, user: Any) -> bool:
    """Whether ``user`` may see and change who edits and organises for ``unit``.

    The unit's own editors may (not the editors of a unit above it, nor its
    organisers), the International Section's staff (``PEOPLE_PERMISSION``) and
    superusers.
    """
    if not _signed_in(user):
        return False
    if user.is_superuser or user.has_perm(PEOPLE_PERMISSION):
        return True
    return unit_is_editor(unit=unit, user=user)


def unit_editors(*, unit: UnitPage) -> QuerySet[Any]:
    """The people in ``unit``'s editors' group, by name."""
    return (
        get_user_model()
        .objects.filter(groups__unit_link__unit=unit)
        .order_by("first_name", "last_name", "email")
    )


def unit_editor_count(*, unit: UnitPage) -> int:
    """How many people are in ``unit``'s editors' group."""
    return unit_editors(unit=unit).count()


def unit_organisers(*, unit: UnitPage) -> QuerySet[UnitOrganiser]:
    """The organisers of ``unit``, with their accounts, by name."""
    return (
        UnitOrganiser.objects.filter(unit=unit)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )


def unit_invitations_pending(
    *, unit: UnitPage, role: str | None = None, now: datetime | None = None
) -> QuerySet[UnitInvitation]:
    """The invitations to ``unit`` that can still be accepted (of ``role`` only, if given)."""
    invitations = UnitInvitation.objects.filter(
        unit=unit,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now or timezone.now(),
    )
    if role:
        invitations = invitations.filter(role=role)
    return invitations.select_related("invited_by").order_by("created_at", "pk")


def unit_has_pending_editor_invitation(*, unit: UnitPage, now: datetime | None = None) -> bool:
    return unit_invitations_pending(unit=unit, role=UnitRole.EDITOR, now=now).exists()


def unit_rights_changes(*, unit: UnitPage, limit: int = 100) -> QuerySet[UnitRightsChange]:
    """The latest ``limit`` changes of rights on ``unit``, newest first, with the people."""
    return (
        UnitRightsChange.objects.filter(unit=unit)
        .select_related("person", "by")
        .order_by("-at", "-pk")[:limit]
    )


def invitation_hash(token: str) -> str:
    """The stored form of an invitation's secret."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def invitation_by_token(*, token: str) -> UnitInvitation | None:
    """The invitation whose secret is ``token``, with its unit, or None."""
    if not token or len(token) > 200:
        return None
    return (
        UnitInvitation.objects.select_related("unit", "invited_by")
        .filter(token_hash=invitation_hash(token))
        .first()
    )


# --- Upcoming events --------------------------------------------------------------------

# The units app's own list of upcoming events: each by its title, linked. Shown when
# the events of providers with different templates are listed together.
UPCOMING_EVENTS_TEMPLATE = "units/includes/upcoming_events.html"


def _itself(event: Any) -> Any:
    return event


@dataclass(frozen=True)
class UpcomingEventsProvider:
    """Where upcoming events come from, and the templates that list them.

    Returned by the ``onboarding.hooks.UPCOMING_EVENTS`` hook.
    ``fetch(unit=..., limit=...)`` returns a sequence of event pages of one
    unit, soonest first, listed on its page with ``template_name``;
    ``fetch_for_units(units=..., user=..., limit=...)`` those of several
    units at once in a fixed number of queries, listed on "My connections"
    with ``units_template_name``. ``starts_at(event)`` is when an event
    starts (an aware datetime), by which the events of several providers are
    merged. ``page_of(event)`` is the event's page, which the units app's own
    list links to (the event itself by default; a provider whose events are
    rows holding a page says how to get it).
    """

    fetch: Callable[..., Iterable[Any]]
    template_name: str = UPCOMING_EVENTS_TEMPLATE
    fetch_for_units: Callable[..., Iterable[Any]] | None = None
    units_template_name: str = UPCOMING_EVENTS_TEMPLATE
    starts_at: Callable[[Any], datetime] = attrgetter("start_at")
    page_of: Callable[[Any], Any] = _itself


@dataclass(frozen=True)
class UpcomingEvents:
    """Upcoming events, soonest first, and the template that lists them (None: show nothing)."""

    events: tuple[Any, ...] = ()
    template_name: str | None = None


@dataclass(frozen=True)
class UnitSection:
    """A section another app adds to a unit's page (``UNIT_PAGE_SECTIONS``): the template
    that draws it and what it shows (``section`` in the template, beside ``unit``)."""

    template_name: str
    context: Mapping[str, Any]


def unit_sections(*, unit: UnitPage) -> list[UnitSection]:
    """The sections every registered app adds to ``unit``'s page, in hook order."""
    sections = (provider(unit=unit) for provider in hooks.get_hooks(UNIT_PAGE_SECTIONS))
    return [section for section in sections if section is not None]


def upcoming_events_providers() -> list[UpcomingEventsProvider]:
    """Every registered provider of upcoming events, in hook order."""
    return [provider() for provider in hooks.get_hooks(UPCOMING_EVENTS)]


def _merged(
    batches: list[tuple[UpcomingEventsProvider, list[Any]]],
    *,
    limit: int,
    template_of: Callable[[UpcomingEventsProvider], str],
) -> UpcomingEvents:
    """The first ``limit`` events of all ``batches``, soonest first, with their template.

    One provider's events keep the provider's order. The template is the one
    the providers whose events are listed agree on (when there are no
    events, the one all providers agree on), else the units app's own.
    """
    filled = [(provider, events) for provider, events in batches if events]
    if len(filled) <= 1:
        shown = [(filled[0][0], event) for event in filled[0][1][:limit]] if filled else []
    else:
        rows = [
            (provider.starts_at(event), order, provider, event)
            for order, (provider, batch) in enumerate(filled)
            for event in batch
        ]
        rows.sort(key=lambda row: (row[0], row[1]))
        shown = [(provider, event) for _starts_at, _order, provider, event in rows[:limit]]
    shown_ids = {id(event) for _provider, event in shown}
    listing = [provider for provider, batch in filled if any(id(e) in shown_ids for e in batch)]
    templates = {template_of(p) for p in listing or [provider for provider, _batch in batches]}
    if not templates:
        template_name = None
    elif len(templates) == 1:
        template_name = templates.pop()
    else:
        template_name = UPCOMING_EVENTS_TEMPLATE
    if template_name == UPCOMING_EVENTS_TEMPLATE:
        # The units app's own list shows pages, whatever shape each provider gives.
        events = [provider.page_of(event) for provider, event in shown]
    else:
        events = [event for _provider, event in shown]
    return UpcomingEvents(events=tuple(events), template_name=template_name)


def unit_upcoming_events(*, unit: UnitPage, limit: int = 5) -> UpcomingEvents:
    """The next ``limit`` events of ``unit`` from every provider, soonest first.

    With no events there is no template either: the unit page then shows no
    events section.
    """
    batches = [
        (provider, list(provider.fetch(unit=unit, limit=limit))[:limit])
        for provider in upcoming_events_providers()
    ]
    upcoming = _merged(batches, limit=limit, template_of=attrgetter("template_name"))
    return upcoming if upcoming.events else UpcomingEvents()


def units_upcoming_events(
    *, units: Iterable[UnitPage], user: Any = None, limit: int = 10
) -> UpcomingEvents:
    """The next ``limit`` events of any of ``units`` from every provider, soonest first.

    Without units, or until a provider that lists several units' events is
    registered, there are no events and no template. Each provider fetches
    them in a fixed number of queries however many units there are; the
    template is there even when no events are, so the page can say so.
    """
    units = list(units)
    providers = [p for p in upcoming_events_providers() if p.fetch_for_units is not None]
    if not units or not providers:
        return UpcomingEvents()
    batches = []
    for provider in providers:
        assert provider.fetch_for_units is not None
        events = provider.fetch_for_units(units=units, user=user, limit=limit)
        batches.append((provider, list(events)[:limit]))
    return _merged(batches, limit=limit, template_of=attrgetter("units_template_name"))


# --- What is new in followed units --------------------------------------------------------


def units_latest_pages(*, units: Iterable[UnitPage], limit: int = 5) -> list[Page]:
    """The pages most recently published in the branches of ``units``, newest first.

    Units have no news of their own: what a unit publishes (events,
    checklists, courses, sub-units, information) lives under its page, so
    its news is what was last published or republished there. Only live,
    public pages below the units are listed, not the units' own pages. Each
    carries ``unit`` (the nearest of ``units`` it lies under),
    ``published_at`` (when it was last published) and ``is_update`` (whether
    it had been published before). Two queries however many units and pages
    there are.
    """
    units = list(units)
    if not units:
        return []
    steplen = UnitPage.steplen
    by_depth: dict[int, list[str]] = {}
    for unit in units:
        by_depth.setdefault(unit.depth, []).append(unit.path)
    condition = Q()
    annotations: dict[str, Substr] = {}
    for depth, paths in by_depth.items():
        prefix = f"branch_at_{depth}"
        annotations[prefix] = Substr("path", 1, depth * steplen)
        condition |= Q(**{f"{prefix}__in": paths, "depth__gt": depth})
    pages = list(
        Page.objects.live()
        .public()
        .annotate(**annotations, published_at=Coalesce("last_published_at", "first_published_at"))
        .filter(condition, published_at__isnull=False)
        .order_by("-published_at", "path")[:limit]
    )
    units_by_path = {unit.path: unit for unit in units}
    for page in pages:
        page.unit = next(
            units_by_path[page.path[:end]]
            for end in range(len(page.path) - steplen, 0, -steplen)
            if page.path[:end] in units_by_path
        )
        page.is_update = (
            page.first_published_at is not None
            and (page.published_at - page.first_published_at) > UPDATE_GRACE
        )
    return pages
