"""The dates the site takes from people: years from 1950 to 2100.

Outside that range nothing the site does makes sense, and date arithmetic near the ends of
the calendar (``date.max`` plus a day) fails with ``OverflowError``: a date typed as
9999-12-31 would save, and then break every page that counts from it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1950, 2100
OUT_OF_RANGE = _("Give a date between the years %(first)s and %(last)s.")


def in_range(day: datetime.date | None) -> bool:
    """Whether ``day`` (or no date) is one the site takes."""
    return day is None or FIRST_YEAR <= day.year <= LAST_YEAR


def out_of_range_message() -> str:
    return str(OUT_OF_RANGE) % {"first": FIRST_YEAR, "last": LAST_YEAR}


class BoundedDateField(forms.DateField):
    """A form's date field that refuses years outside ``FIRST_YEAR``–``LAST_YEAR``."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if not in_range(value):
            raise forms.ValidationError(
                OUT_OF_RANGE,
                code="date_out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
