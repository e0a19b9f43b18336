"""The demo glossary: the terms of ``data/demo_terms.tbx``, loaded through the import.

The file is a TBX termbase like a national one, so the demo exercises the
importer; each entry names its owning unit (``admin type="responsibility"``,
a unit slug from ``onboarding/units/demo.toml``). ``demo.toml`` says which file
to load and which unit owns entries that name none. Running it again changes
nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from cms.demo_data import load

from .imports import ImportResult, glossary_import
from .models import Term

DATA = load(__file__)


def seed_glossary() -> int:
    """Import the demo termbase; returns the number of terms. Raises ``RuntimeError`` if an
    entry of the demo's own file is left out (the demo's units are missing, or the data is
    wrong)."""
    path = Path(__file__).parent / DATA["glossary"]["file"]
    with translation.override(settings.LANGUAGE_CODE):
        result: ImportResult = glossary_import(
            data=path.read_bytes(),
            file_format="tbx",
            owner_slug=DATA["glossary"]["owner"],
        )
    if result.problems:
        raise RuntimeError(
            "The demo glossary left entries out: "
            + "; ".join(f"{problem.ref}: {problem.message}" for problem in result.problems[:5])
        )
    return Term.objects.count()
