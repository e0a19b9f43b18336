"""Reading the log of personal-data exports."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from .models import PersonalDataExport


def exports_list(
    *, kind: str = "", since: date | None = None, until: date | None = None
) -> QuerySet[PersonalDataExport]:
    """Exports newest first, of one ``kind`` and between two dates (inclusive) when given."""
    exports = PersonalDataExport.objects.select_related("exported_by")
    if kind:
        exports = exports.filter(kind=kind)
    if since:
        start = timezone.make_aware(datetime.combine(since, time.min))
        exports = exports.filter(exported_at__gte=start)
    if until:
        end = timezone.make_aware(datetime.combine(until, time.max))
        exports = exports.filter(exported_at__lte=end)
    return exports.order_by("-exported_at", "-pk")
