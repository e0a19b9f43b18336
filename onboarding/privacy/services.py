"""Recording exports of personal data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import ExportKind, PersonalDataExport


def export_record(
    *, request: HttpRequest, kind: ExportKind, subject: str, people: int
) -> PersonalDataExport:
    """Record that ``request.user`` downloaded ``kind`` of ``subject`` with ``people`` people in it.

    Called by every view that hands out a file of people's data, in the same
    request, before the file is returned: an export the log does not know of
    does not happen.
    """
    user: Any = request.user
    name = (user.get_full_name() or "").strip()
    label = f"{name} <{user.email}>" if name else user.email
    return PersonalDataExport.objects.create(
        exported_by=user,
        exported_by_name=label[:300],
        kind=kind,
        subject=str(subject)[:300],
        path=request.get_full_path()[:500],
        people=people,
    )
