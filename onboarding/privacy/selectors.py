"""Reading the log of personal-data exports, and the privacy notice drawn from the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from .models import AccountErasure, PersonalDataExport
from .register import personal_data_register


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


def erasures_list() -> QuerySet[AccountErasure]:
    """Deleted accounts, newest first."""
    return AccountErasure.objects.order_by("-erased_at", "-pk")


# --- The privacy notice -------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeModel:
    """One kind of record in the notice: what it is, which fields, how long, in the download."""

    title: str
    fields: list[str]
    retention: str
    exported: bool
    erasure: str


@dataclass(frozen=True)
class NoticePurpose:
    """One purpose of the notice, with its legal bases and the records kept for it."""

    code: str
    label: str
    legal_bases: list[str]
    models: list[NoticeModel]


def privacy_notice() -> list[NoticePurpose]:
    """The privacy notice, from the register: each purpose with the records kept for it, their
    fields, legal basis, retention and erasure, in the active language."""
    purposes: dict[str, NoticePurpose] = {}
    for entry in personal_data_register():
        purpose = purposes.setdefault(
            entry.purpose,
            NoticePurpose(
                code=entry.purpose, label=str(entry.purpose.label), legal_bases=[], models=[]
            ),
        )
        basis = str(entry.legal_basis.label)
        if basis not in purpose.legal_bases:
            purpose.legal_bases.append(basis)
        meta = entry.model._meta
        purpose.models.append(
            NoticeModel(
                title=str(entry.title),
                fields=[
                    str(getattr(meta.get_field(name), "verbose_name", name))
                    for name in entry.personal_fields
                ],
                retention=entry.retention_text(),
                exported=entry.exported,
                erasure=str(entry.erasure.label),
            )
        )
    return list(purposes.values())
