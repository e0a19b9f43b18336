"""Demo responsibility matrix (``demo.toml``): nine areas of the journey, complete at every level.

Run after the units' seed. Safe to run again: areas are found by their
English name and their assignments replaced through the service, which
checks the matrix rules.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from cms.demo import TOKENS
from cms.demo_data import index_page, load, substitute
from cms.models import HomePage
from onboarding.units.demo import demo_units
from onboarding.units.kinds import UnitKind

from .models import ResponsibilityArea, ResponsibilityMatrixPage
from .services import AssignmentSpec, area_assignments_replace, area_create

DATA = substitute(load(__file__), TOKENS)
# A party "each faculty" stands for every unit of that kind.
EACH = {f"each {kind.value.replace('_', ' ')}": kind for kind in UnitKind}


def seed_responsibilities() -> list[ResponsibilityArea]:
    """Create or refresh the matrix page and the complete demo matrix; returns the areas."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        return _seed_responsibilities()


def _seed_responsibilities() -> list[ResponsibilityArea]:
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("Seed the site (cms.demo.seed_site) before the matrix.")
    index_page(ResponsibilityMatrixPage, home, DATA["page"], menu=True, by_slug=False)
    units = demo_units()
    areas = []
    for order, spec in enumerate(DATA["area"], start=1):
        area = ResponsibilityArea.objects.filter(name_en=spec["name"]["en"]).first()
        if area is None:
            area = area_create(
                name_nb=spec["name"]["nb"],
                name_en=spec["name"]["en"],
                description_nb=spec["description"]["nb"],
                description_en=spec["description"]["en"],
                sort_order=order * 10,
            )
        duty = spec.get("duty", "")
        if area.duty != duty:
            ResponsibilityArea.objects.filter(pk=area.pk).update(duty=duty)
            area.duty = duty
        assignments = []
        for level, role, party, *notes in spec["assignments"]:
            note_nb, note_en = notes or ("", "")
            party_args: dict[str, Any]
            if party in EACH:
                party_args = {"unit_kind": EACH[party]}
            elif party in units:
                party_args = {"unit": units[party]}
            else:
                continue
            assignments.append(
                AssignmentSpec(level, role, note_nb=note_nb, note_en=note_en, **party_args)
            )
        area_assignments_replace(area=area, assignments=assignments)
        areas.append(area)
    return areas
