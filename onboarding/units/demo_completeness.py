"""Demo drafts for the bilingual completeness report (``demo_completeness.toml``).

Each row is a draft (unpublished changes) of a page in a demo unit's branch
with some translated fields left blank, or marked as written in one language:
what an editor is in the middle of writing. Safe to run again: a page that
already has unpublished changes is left as it is.
"""

import tomllib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from wagtail.models import Page

from .demo import demo_units

DATA_FILE = Path(__file__).with_name("demo_completeness.toml")


def _data() -> dict:
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


def seed_completeness() -> int:
    """Make the drafts of the data that are missing; returns how many of its pages have one."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_completeness()


def _seed_completeness() -> int:
    units = demo_units()
    if not units:
        raise RuntimeError("Seed the units (onboarding.units.demo.seed_units) first.")
    drafts = 0
    for row in _data()["draft"]:
        unit = units.get(row["unit"])
        if unit is None:
            continue
        page: Page | None = unit
        if row["page"]:
            page = (
                Page.objects.descendant_of(unit)
                .filter(title_nb=row["page"])
                .order_by("path")
                .first()
            )
        if page is None:
            continue
        page = page.specific
        if not page.has_unpublished_changes:
            for name in row.get("empty", []):
                setattr(page, name, "[]" if _is_stream(page, name) else "")
            if "single_language" in row:
                page.single_language = row["single_language"]
            page.save_revision()
        drafts += 1
    return drafts


def _is_stream(page: Page, name: str) -> bool:
    from wagtail.fields import StreamField

    return isinstance(page._meta.get_field(name), StreamField)
