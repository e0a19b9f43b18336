"""How much of each unit's content exists in both languages (see docs/completeness.md).

Content that is not a page but belongs to a unit (glossary terms,
representatives) is counted through the ``COMPLETENESS_SOURCES`` hook
(``onboarding.hooks``): the app that owns it registers a ``TranslatedContent``.

A unit's own pages are the pages of every type using ``TranslatedPageMixin``
in its branch whose nearest unit (the page itself, if it is a unit) is that
unit: a student council's pages count for the council, not for its faculty.
A page with unpublished changes is judged by its latest revision (what its
editors are working on and will publish next); any other page by its live
content. Aliases are left out: their content is their original's.

The figures take a fixed number of queries however many pages there are: the
units, the pages, one per page type, the latest revisions, one per source.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, reduce
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, Q
from django.urls import reverse
from wagtail import hooks
from wagtail.models import Page, Revision

from cms.forms import LANGUAGE_NAMES, is_blank
from cms.models import LANGUAGE_CODES, TranslatedPageMixin
from onboarding.hooks import COMPLETENESS_SOURCES

from .models import UnitPage

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class TranslatedContent:
    """A kind of unit-owned content translated field by field.

    ``unit_field`` is the lookup from the model to its owning ``UnitPage``
    (``"owner"``); ``fields`` the translated fields that must be filled in
    both languages; ``single_language_field`` names the field that holds
    "nb" or "en" when the thing is deliberately written in one language
    only (it then counts as complete: nothing is missing, though it is not
    counted as existing in both languages); ``edit_url`` gives the admin
    link to fix one object.
    """

    model: type[Model]
    label: StrOrPromise
    unit_field: str
    fields: tuple[str, ...]
    edit_url: Callable[[Any], str]
    single_language_field: str = ""


# --- Figures ---------------------------------------------------------------------------------

BOTH = "both"
SINGLE = "single"
MISSING = "missing"


def completeness_threshold() -> float:
    """The share in both languages below which a unit is reminded (``COMPLETENESS_THRESHOLD``)."""
    return float(getattr(settings, "COMPLETENESS_THRESHOLD", 0.9))


@dataclass(frozen=True)
class CompletenessItem:
    """One page or other piece of content, and how far it is written in both languages.

    ``status`` is ``both``, ``single`` (deliberately in ``single_language``
    only) or ``missing`` (``missing`` maps each language to the names of the
    empty fields). ``draft`` says it was judged by unpublished changes.
    """

    title: str
    kind: StrOrPromise
    status: str
    edit_url: str
    single_language: str = ""
    missing: dict[str, list[StrOrPromise]] = field(default_factory=dict)
    draft: bool = False
    live: bool = True

    @property
    def missing_by_language(self) -> list[tuple[str, list[StrOrPromise]]]:
        """(language name, field names) for each language with empty fields, in site order."""
        return [
            (str(LANGUAGE_NAMES[code]), self.missing[code])
            for code in LANGUAGE_CODES
            if code in self.missing
        ]

    @property
    def single_language_name(self) -> str:
        name = LANGUAGE_NAMES.get(self.single_language)
        return str(name) if name else ""


@dataclass
class UnitCompleteness:
    """A unit's content and its figures: how much exists in both languages."""

    unit: UnitPage
    items: list[CompletenessItem] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def both(self) -> int:
        return self._count(BOTH)

    @property
    def single(self) -> int:
        return self._count(SINGLE)

    @property
    def missing(self) -> int:
        return self._count(MISSING)

    @property
    def share(self) -> float | None:
        """The share of the unit's content that is complete in both languages; None for none."""
        return self.both / self.total if self.items else None

    @property
    def percent(self) -> int | None:
        """``share`` as a whole percentage, rounded down (99.6 % is not yet 100 %)."""
        share = self.share
        return None if share is None else int(share * 100)

    def below(self, threshold: float) -> bool:
        share = self.share
        return share is not None and share < threshold

    @property
    def to_fix(self) -> list[CompletenessItem]:
        """The items missing fields, then those in one language only."""
        return [i for i in self.items if i.status == MISSING] + [
            i for i in self.items if i.status == SINGLE
        ]


def _translated_page_types() -> dict[int, type[Page]]:
    """Every concrete page model using ``TranslatedPageMixin``, by its content type id."""
    from django.apps import apps

    models = [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and issubclass(model, TranslatedPageMixin)
    ]
    types = ContentType.objects.get_for_models(*models) if models else {}
    return {content_type.pk: model for model, content_type in types.items()}


def _field_label(model: type[Model], name: str) -> StrOrPromise:
    try:
        return model._meta.get_field(name).verbose_name  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name


@cache
def _field_order(model: type[Model]) -> dict[str, int]:
    """Each field's place on the model (mostly its order in the editing form)."""
    return {
        model_field.name: position for position, model_field in enumerate(model._meta.get_fields())
    }


def _localised(obj: Any, name: str, language: str) -> Any:
    return getattr(obj, f"{name}_{language}", None)


def _status(
    obj: Any, *, model: type[Model], fields: Iterable[str], single_language: str
) -> tuple[str, dict[str, list[StrOrPromise]]]:
    """(status, missing fields by language) for an object translated field by field."""
    languages = [single_language] if single_language in LANGUAGE_CODES else list(LANGUAGE_CODES)
    order = _field_order(model)
    fields = sorted(fields, key=lambda name: order.get(name, len(order)))
    missing: dict[str, list[StrOrPromise]] = {}
    for language in languages:
        empty = [name for name in fields if is_blank(_localised(obj, name, language))]
        if empty:
            missing[language] = [_field_label(model, name) for name in empty]
    if missing:
        return MISSING, missing
    return (SINGLE if single_language in LANGUAGE_CODES else BOTH), {}


def _page_title(page: Any) -> str:
    return str(
        page.title or _localised(page, "title", "nb") or _localised(page, "title", "en") or ""
    )


def _nearest_unit(path: str, unit_paths: dict[str, int], steplen: int) -> int | None:
    """The id of the unit at ``path`` or the nearest above it, or None."""
    for end in range(len(path), 0, -steplen):
        unit_id = unit_paths.get(path[:end])
        if unit_id is not None:
            return unit_id
    return None


def _under(paths: Iterable[str]) -> Q:
    """Pages at or below any of ``paths`` (only the top-most need be given)."""
    return reduce(operator.or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))


def _top_most(paths: Iterable[str]) -> list[str]:
    top: list[str] = []
    for path in sorted(paths):
        if not top or not path.startswith(top[-1]):
            top.append(path)
    return top


def _page_items(
    units: list[UnitPage], sub_units: dict[str, int]
) -> dict[int, list[CompletenessItem]]:
    """The items of the pages of each of ``units``, by unit id."""
    wanted = {unit.pk for unit in units}
    types = _translated_page_types()
    steplen = Page.steplen
    rows = list(
        Page.objects.filter(_under(_top_most(unit.path for unit in units)))
        .filter(content_type_id__in=list(types), alias_of__isnull=True)
        .order_by("path")
        .values_list(
            "pk", "path", "content_type_id", "has_unpublished_changes", "latest_revision_id"
        )
    )
    owner: dict[int, int] = {}
    by_type: dict[int, list[int]] = defaultdict(list)
    drafts: dict[int, int] = {}
    for pk, path, content_type_id, unpublished, revision_id in rows:
        unit_id = _nearest_unit(path, sub_units, steplen)
        if unit_id is None or unit_id not in wanted:
            continue
        owner[pk] = unit_id
        by_type[content_type_id].append(pk)
        if unpublished and revision_id:
            drafts[pk] = revision_id
    pages: dict[int, Any] = {}
    for content_type_id, ids in by_type.items():
        for page in types[content_type_id]._default_manager.filter(pk__in=ids):
            pages[page.pk] = page
    revisions = dict(
        Revision.objects.filter(pk__in=list(drafts.values())).values_list("pk", "content")
    )
    items: dict[int, list[CompletenessItem]] = defaultdict(list)
    for pk, _path, _type, _unpublished, _revision in rows:
        if pk not in owner or pk not in pages:
            continue
        page = pages[pk]
        content = revisions.get(drafts.get(pk, 0))
        latest = page
        if content is not None:
            # The unpublished changes, built without a query (no foreign keys checked).
            latest = type(page).from_serializable_data(content, check_fks=False, strict_fks=False)
        single = getattr(latest, "single_language", "") or ""
        status, missing = _status(
            latest,
            model=type(page),
            fields=type(page).required_translated_fields(),
            single_language=single,
        )
        items[owner[pk]].append(
            CompletenessItem(
                title=_page_title(latest),
                kind=type(page)._meta.verbose_name,
                status=status,
                edit_url=reverse("wagtailadmin_pages:edit", args=[pk]),
                single_language=single if status == SINGLE else "",
                missing=missing,
                draft=content is not None,
                live=page.live,
            )
        )
    return items


def completeness_sources() -> list[TranslatedContent]:
    """Every registered kind of unit-owned, non-page translated content, in hook order."""
    sources: list[TranslatedContent] = []
    for provider in hooks.get_hooks(COMPLETENESS_SOURCES):
        sources.extend(provider())
    return sources


def _content_items(unit_ids: list[int]) -> dict[int, list[CompletenessItem]]:
    """The items of the registered non-page content owned by each unit, by unit id."""
    items: dict[int, list[CompletenessItem]] = defaultdict(list)
    for source in completeness_sources():
        objects = (
            source.model._default_manager.filter(**{f"{source.unit_field}__in": unit_ids})
            .annotate(completeness_unit_id=F(source.unit_field))
            .order_by("pk")
        )
        for obj in objects:
            single = ""
            if source.single_language_field:
                single = getattr(obj, source.single_language_field, "") or ""
            status, missing = _status(
                obj, model=source.model, fields=source.fields, single_language=single
            )
            items[obj.completeness_unit_id].append(
                CompletenessItem(
                    title=str(obj),
                    kind=source.label,
                    status=status,
                    edit_url=source.edit_url(obj),
                    single_language=single if status == SINGLE else "",
                    missing=missing,
                )
            )
    return items


def units_completeness(*, units: Iterable[UnitPage]) -> list[UnitCompleteness]:
    """The figures of each of ``units``, in the order given.

    A fixed number of queries: the units below them, the pages, one per page
    type, the latest revisions of the pages with unpublished changes, and one
    per registered ``TranslatedContent``.
    """
    units = list(units)
    if not units:
        return []
    sub_units = dict(
        UnitPage.objects.filter(_under(_top_most(unit.path for unit in units))).values_list(
            "path", "pk"
        )
    )
    pages = _page_items(units, sub_units)
    content = _content_items([unit.pk for unit in units])
    return [
        UnitCompleteness(unit=unit, items=pages.get(unit.pk, []) + content.get(unit.pk, []))
        for unit in units
    ]


def unit_completeness(*, unit: UnitPage) -> UnitCompleteness:
    """The figures of one unit, with every item (see ``units_completeness``)."""
    return units_completeness(units=[unit])[0]


def completeness_report() -> list[UnitCompleteness]:
    """Every unit's figures, lowest share first; units with no content at all come last."""
    figures = units_completeness(units=UnitPage.objects.order_by("path"))
    return sorted(
        figures,
        key=lambda f: (f.share is None, f.share if f.share is not None else 0, f.unit.title),
    )
