"""The monthly reminder to units with too little of their content in both languages."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from onboarding.live.kinds import translated_field
from onboarding.live.services import notify

from .completeness import completeness_threshold, units_completeness
from .completeness_models import CompletenessNotice
from .models import UnitPage
from .selectors import unit_editors

logger = logging.getLogger(__name__)

COMPLETENESS_KIND = "unit_completeness_low"


@dataclass(frozen=True)
class CompletenessNotified:
    """What a run did: units below the threshold, and those told about it in this run."""

    below: int
    notified: int


def completeness_month(now: datetime.datetime | None = None) -> datetime.date:
    """The first day of the (local) month of ``now``."""
    return timezone.localdate(now or timezone.now()).replace(day=1)


def completeness_notify(
    *, now: datetime.datetime | None = None, threshold: float | None = None
) -> CompletenessNotified:
    """Tell the editors of each unit below the threshold, once per unit per month.

    ``threshold`` defaults to ``COMPLETENESS_THRESHOLD``. A unit with no
    content, or no editors, is not told (nothing is claimed for it, so an
    editor added later in the month still hears). For each unit below, in
    its own transaction: the (unit, month) notice is inserted first (the
    claim) and the editors notified, each in their own language, with a link
    to the unit's report. A second run in the month finds the claim; two runs
    at once meet on the unique constraint (on PostgreSQL the second insert
    waits for the first transaction and then fails), so nobody hears twice.
    A failure while notifying rolls the claim back: the next run tries again.
    """
    moment = now or timezone.now()
    month = completeness_month(moment)
    limit = completeness_threshold() if threshold is None else threshold
    claimed = set(CompletenessNotice.objects.filter(month=month).values_list("unit_id", flat=True))
    units = UnitPage.objects.live().exclude(pk__in=claimed).order_by("path")
    below = [figures for figures in units_completeness(units=units) if figures.below(limit)]
    notified = 0
    for figures in below:
        unit = figures.unit
        editors = list(unit_editors(unit=unit).filter(is_active=True))
        if not editors:
            continue
        try:
            with transaction.atomic():
                CompletenessNotice.objects.create(
                    unit=unit,
                    month=month,
                    sent_at=moment,
                    share=figures.share or 0.0,
                    recipients=len(editors),
                )
                notify(
                    recipients=editors,
                    kind=COMPLETENESS_KIND,
                    context={
                        "unit": translated_field(unit, "title"),
                        "percent": figures.percent,
                        "threshold": int(limit * 100),
                        "total": figures.total,
                        "single": figures.single,
                        "missing": figures.missing,
                    },
                    url=reverse("units_admin:completeness_unit", args=[unit.pk]),
                )
        except IntegrityError:
            # Another run claimed this unit for the month first.
            continue
        notified += 1
    if notified:
        logger.info("Completeness: %d unit(s) reminded for %s", notified, month)
    return CompletenessNotified(below=len(below), notified=notified)
