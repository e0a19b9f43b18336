"""The demo's data files and the few steps every app's demo loader shares.

Each app's demo content lives in ``demo.toml`` beside its ``demo.py``: both
languages side by side, read with the standard library's ``tomllib``. The
loader (``demo.py``) creates or refreshes that content through the app's
models and services, and finds it again when it runs a second time.
"""

import functools
import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.text import slugify
from wagtail.fields import StreamField
from wagtail.models import Page

LANGUAGES = ("nb", "en")
# A demo data file, as tomllib reads it.
Data = dict[str, Any]
# One text in each language: {"nb": ..., "en": ...}.
Texts = Mapping[str, str]

_NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def data_path(module_file: str) -> Path:
    """The data file of the demo module whose ``__file__`` is ``module_file``."""
    return Path(module_file).with_name("demo.toml")


def load(module_file: str) -> Data:
    """The data file beside a demo module (``load(__file__)``), read once per process."""
    return _read(data_path(module_file))


@functools.cache
def _read(path: Path) -> Data:
    with path.open("rb") as file:
        return tomllib.load(file)


def substitute(value: Any, tokens: Mapping[str, str]) -> Any:
    """``value`` with each ``{name}`` of ``tokens`` replaced, in every string inside it."""
    if isinstance(value, str):
        for name, text in tokens.items():
            value = value.replace(f"{{{name}}}", text)
        return value
    if isinstance(value, dict):
        return {key: substitute(item, tokens) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, tokens) for item in value]
    return value


def slug(text: str) -> str:
    """A URL slug that keeps Norwegian letters readable (æ → ae, ø → o, å → a)."""
    return slugify(text.translate(_NORWEGIAN_LETTERS))[:80]


def set_translated(obj: object, field: str, values: Texts) -> None:
    """Set ``<field>_nb`` and ``<field>_en`` from ``values``.

    Only the per-language columns: assigning ``obj.<field>`` would write the
    column of whatever language happens to be active.
    """
    for language, value in values.items():
        setattr(obj, f"{field}_{language}", value)


def child_find[P: Page](model: type[P], parent: Page, slug_nb: str | None = None) -> P | None:
    """The child of ``parent`` of type ``model`` (with that Norwegian slug, if given)."""
    children = model.objects.child_of(parent)
    if slug_nb is not None:
        children = children.filter(slug_nb=slug_nb)
    found: P | None = children.first()
    return found


def publish(page: Page) -> None:
    """Save ``page`` and publish a revision of it."""
    page.save()
    page.save_revision().publish()


def child_publish(page: Page, parent: Page, *, created: bool) -> None:
    """Add ``page`` under ``parent`` if it is new, and publish a revision of it.

    A page that is live, has no draft waiting and already holds what the data
    says is left as it is: seeding again adds no revisions and takes a moment.
    """
    if created:
        parent.add_child(instance=page)
    elif page_changed(page):
        page.save()
    else:
        return
    page.save_revision().publish()


def page_changed(page: Page) -> bool:
    """Whether ``page`` differs from its stored row, or the stored page is not live or has a draft."""
    stored = type(page).objects.get(pk=page.pk)
    if stored.has_unpublished_changes or not stored.live:
        return True
    return any(
        _comparable(field, page) != _comparable(field, stored)
        for field in page._meta.concrete_fields
    )


def _comparable(field: Any, page: Page) -> Any:
    """A field's value as Python compares it; StreamField blocks without their generated ids."""
    value = getattr(page, field.attname)
    if isinstance(field, StreamField):
        prepared = json.dumps(field.get_prep_value(value), cls=DjangoJSONEncoder)
        return _without_ids(json.loads(prepared))
    return field.to_python(value)


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def index_page[P: Page](
    model: type[P], parent: Page, spec: Data, *, menu: bool, by_slug: bool = True
) -> P:
    """Create or refresh a page with a title, slugs and an intro from ``spec``.

    It is found again by its Norwegian slug, or (``by_slug=False``) as the one
    child of its type.
    """
    page = child_find(model, parent, spec["slug"]["nb"] if by_slug else None)
    created = page is None
    if page is None:
        page = model(title=spec["title"]["nb"], slug=spec["slug"]["nb"])
    for field in ("title", "slug", "intro"):
        set_translated(page, field, spec[field])
    page.show_in_menus = menu
    child_publish(page, parent, created=created)
    return page
