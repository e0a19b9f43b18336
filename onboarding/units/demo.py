"""Demo organisation chart (``demo.toml``): a realistic university, and editors for a few units.

Safe to run again: units are found by their place and Norwegian slug.
"""

import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation
from wagtail.models import Page

from cms.demo_data import Data, child_find, child_publish, index_page, load, set_translated, slug
from cms.models import HomePage

from .models import UnitDirectoryPage, UnitPage, VolunteerGroupIndexPage
from .selectors import unit_invitations_pending
from .services import (
    follow_create,
    international_staff_add,
    unit_editor_add,
    unit_invitation_create,
)

DATA = load(__file__)
NO_TEXT = {"nb": "", "en": ""}


def unit_specs() -> list[Data]:
    """Every demo unit's data, with its kind's defaults filled in and formatted."""
    specs = []
    for row in DATA["unit"]:
        defaults = DATA["kind"].get(row["kind"], {})
        spec = dict(row)
        for field, value in defaults.items():
            if field not in spec:
                spec[field] = (
                    {language: text.format(**row) for language, text in value.items()}
                    if isinstance(value, dict)
                    else value
                )
        specs.append(spec)
    return specs


def _unit(parent: Page, spec: Data, *, position: int) -> UnitPage:
    """Create or refresh one unit from ``spec``; ``position`` varies its confirmation date."""
    slugs = {language: slug(title) for language, title in spec["title"].items()}
    page = child_find(UnitPage, parent, slugs["nb"])
    created = page is None
    if page is None:
        page = UnitPage(title=spec["title"]["nb"], slug=slugs["nb"], kind=spec["kind"])
    page.kind = spec["kind"]
    set_translated(page, "title", spec["title"])
    set_translated(page, "slug", slugs)
    set_translated(page, "short_name", spec.get("short", NO_TEXT))
    set_translated(page, "intro", spec["intro"])
    set_translated(page, "how_to_join", spec["join"])
    page.meeting_language = spec.get("meeting_language", "")
    page.international_contact_name = spec.get("contact", "")
    set_translated(page, "international_contact_role", spec.get("contact_role", NO_TEXT))
    page.international_contact_email = page.contact_email = spec.get("email", "")
    page.website = spec.get("website", "")
    page.social_links = json.dumps(
        [{"type": "link", "value": link} for link in spec.get("social", [])]
    )
    days = spec.get("confirmed_days_ago", 7 + (position * 37) % 300)
    confirmed = timezone.now() - datetime.timedelta(days=days)
    # Seeding again the same day keeps the moment (and so leaves the page as it is).
    if page.last_confirmed is None or (
        timezone.localdate(page.last_confirmed) != timezone.localdate(confirmed)
    ):
        page.last_confirmed = confirmed
    child_publish(page, parent, created=created)
    return page


def seed_units() -> dict[str, UnitPage]:
    """Create or refresh the demo organisation chart; returns the units by key."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_units()


def _seed_units() -> dict[str, UnitPage]:
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("Seed the site (cms.demo.seed_site) before the units.")
    directory = index_page(UnitDirectoryPage, home, DATA["directory"], menu=True)
    parents: dict[str, Page] = {"directory": directory}
    units: dict[str, UnitPage] = {}
    for position, spec in enumerate(unit_specs(), start=1):
        if spec["parent"] == "volunteer-groups" and spec["parent"] not in parents:
            # Made when its first group comes, so it follows the units made before it.
            parents["volunteer-groups"] = index_page(
                VolunteerGroupIndexPage, directory, DATA["volunteer_index"], menu=False
            )
        parent = parents.get(spec["parent"]) or units[spec["parent"]]
        units[spec["key"]] = _unit(parent, spec, position=position)
    _seed_editors(units)
    _seed_follows(units)
    _seed_invitations(units)
    return units


def _seed_invitations(units: dict[str, UnitPage]) -> None:
    """The pending invitations of the data, each made again only once the last has expired."""
    user_model = get_user_model()
    for row in DATA["people"].get("invitations", []):
        by = user_model.objects.filter(email=row["by"]).first()
        unit = units[row["unit"]]
        if by is None:
            continue
        pending = unit_invitations_pending(unit=unit, role=row["role"])
        if not pending.filter(email__iexact=row["email"]).exists():
            unit_invitation_create(unit=unit, email=row["email"], role=row["role"], by=by)


def _seed_follows(units: dict[str, UnitPage]) -> None:
    user_model = get_user_model()
    for email, keys in DATA["people"]["follows"].items():
        user = user_model.objects.filter(email=email).first()
        if user is None:
            continue
        for key in keys:
            follow_create(user=user, unit=units[key])


def _seed_editors(units: dict[str, UnitPage]) -> None:
    user_model = get_user_model()
    people = DATA["people"]
    editors_group = Group.objects.filter(name=people["wagtail_editors_group"]).first()
    for email, keys in people["editors"].items():
        user = user_model.objects.filter(email=email).first()
        if user is None:
            continue
        for key in keys:
            unit_editor_add(unit=units[key], user=user)
        if editors_group is not None:
            user.groups.remove(editors_group)
    for email in people["staff"]:
        user = user_model.objects.filter(email=email).first()
        if user is not None:
            international_staff_add(user=user)


def demo_units() -> dict[str, UnitPage]:
    """The demo units by their key in the data (those that exist), for other apps' seeds."""
    found = {(unit.kind, unit.slug_nb): unit for unit in UnitPage.objects.all()}
    units = {}
    for spec in DATA["unit"]:
        unit = found.get((spec["kind"], slug(spec["title"]["nb"])))
        if unit is not None:
            units[spec["key"]] = unit
    return units
