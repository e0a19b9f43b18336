"""Recording exports of personal data, and deleting an account as the register says."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .errors import PrivacyError
from .models import AccountErasure, ExportKind, PersonalDataExport
from .register import Erasure, cleared_value, personal_data_register

logger = logging.getLogger(__name__)

ERASE_PERMISSION = "privacy.erase_account"


def export_record(
    *, request: HttpRequest, kind: ExportKind, subject: str, people: int, reason: str = ""
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
        reason=reason[:500],
    )


# --- Deleting an account ------------------------------------------------------------------


def _erasure_email_send(*, email: str, language: str, name: str, by_staff: bool) -> None:
    with translation.override(language):
        context = {"name": name, "by_staff": by_staff, "site_name": "Velkommen"}
        subject = render_to_string("privacy/email/account_deleted_subject.txt", context).strip()
        body = render_to_string("privacy/email/account_deleted.txt", context)
    mail.send_mail(subject, body, None, [email])


def _staff_label(user: Any) -> str:
    name = (user.get_full_name() or "").strip()
    return (f"{name} <{user.email}>" if name else user.email)[:300]


@transaction.atomic
def account_erase(
    *, user: Any, by: Any, reason: str = "", now: datetime | None = None
) -> AccountErasure:
    """Delete ``user``'s account as the register says, on their own request or staff's (``by``).

    In one transaction: every entry's ``release`` gives back what the person
    holds (places on events and courses to come: the waitlist moves up and is
    told), the rows the register erases are deleted (stored documents go
    once it commits), the rows it keeps for figures and records are emptied of
    their cleared fields, and the account itself is emptied: no name, an
    address that reaches no one, no password (every session of it ends), not
    active. An ``AccountErasure`` records when, by whom and how many rows of
    each kind; after commit the person gets a confirmation in their language.

    Raises ``PrivacyError`` ``forbidden`` (``by`` is neither the person nor
    staff allowed to delete accounts) or ``already_erased``.
    """
    by_staff = by is not None and by.pk != user.pk
    if by is None or (by_staff and not by.has_perm(ERASE_PERMISSION)):
        raise PrivacyError(code="forbidden", message=_("You may not delete this account."))
    if AccountErasure.objects.filter(account_id=user.pk).exists():
        raise PrivacyError(code="already_erased", message=_("This account is already deleted."))
    moment = now or timezone.now()
    email, language, name = user.email, user.language, user.get_short_name()
    joined = user.date_joined
    counts = erasure_apply(user=user, now=moment)
    erasure = AccountErasure.objects.create(
        account_id=user.pk,
        erased_at=moment,
        by=by if by_staff else None,
        by_name=_staff_label(by) if by_staff else "",
        reason=reason[:300],
        counts=counts,
    )
    logger.info("Account %s deleted%s: %s", user.pk, " on request" if by_staff else "", counts)
    # The account is gone once this commits: a failing mail server or disk is logged (Django
    # logs a robust callback's error) and does not turn the deletion into an error page.
    transaction.on_commit(
        partial(journal_append, account_id=user.pk, erased_at=moment, joined=joined),
        robust=True,
    )
    transaction.on_commit(
        partial(_erasure_email_send, email=email, language=language, name=name, by_staff=by_staff),
        robust=True,
    )
    return erasure


# --- The erasure journal, and replaying it onto a restored backup ----------------------------


def journal_path() -> Path:
    """Where erasures are journalled outside the database: ``PRIVACY_ERASURE_JOURNAL``, else
    ``erasures.jsonl`` in ``PRIVATE_MEDIA_ROOT``."""
    configured = getattr(settings, "PRIVACY_ERASURE_JOURNAL", "")
    return Path(configured or Path(settings.PRIVATE_MEDIA_ROOT) / "erasures.jsonl")


def journal_append(*, account_id: int, erased_at: datetime, joined: datetime) -> None:
    """Add one erasure to the journal: the account's id, when it was deleted and when it was
    made (to tell it from a later account with the same id). Nothing else about the person."""
    path = journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "account_id": account_id,
        "erased_at": erased_at.isoformat(),
        "joined": joined.isoformat(),
    }
    with path.open("a", encoding="utf-8") as journal:
        journal.write(json.dumps(line) + "\n")


def journal_read(path: Path) -> list[dict[str, Any]]:
    """The journal's erasures, oldest first (an empty list when there is no journal)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as journal:
        return [json.loads(line) for line in journal if line.strip()]


@dataclass
class ReplayResult:
    erased: int = 0
    already: int = 0
    missing: int = 0


@transaction.atomic
def erasures_replay(*, erasures: list[dict[str, Any]], since: datetime) -> ReplayResult:
    """Delete again, on a database restored from a backup taken at ``since``, every account
    the journal says was deleted after it, so that a restore never brings a person back.

    An account already deleted here, or that is not here (made after the backup), or whose
    id now belongs to someone who joined at another time, is left alone. Places are given
    back and rows erased as ``account_erase`` does; no email goes out (the person was told).
    """
    result = ReplayResult()
    user_model = get_user_model()
    for line in erasures:
        erased_at = datetime.fromisoformat(line["erased_at"])
        if erased_at < since:
            continue
        if AccountErasure.objects.filter(account_id=line["account_id"]).exists():
            result.already += 1
            continue
        user = user_model._default_manager.filter(pk=line["account_id"]).first()
        if user is None or user.date_joined != datetime.fromisoformat(line["joined"]):
            result.missing += 1
            continue
        counts = erasure_apply(user=user)
        AccountErasure.objects.create(
            account_id=line["account_id"],
            erased_at=erased_at,
            reason="replayed after a restore",
            counts=counts,
        )
        result.erased += 1
    logger.info(
        "Erasures replayed: %d erased, %d already, %d not here",
        result.erased,
        result.already,
        result.missing,
    )
    return result


def erasure_apply(*, user: Any, now: datetime | None = None) -> dict[str, int]:
    """Release, erase and empty everything the register holds about ``user``; returns how many
    rows of each model were released, deleted or emptied. Runs again harmlessly (a restored
    backup, ``privacy_replay_erasures``): what is already gone counts nothing."""
    counts: dict[str, int] = {}
    entries = personal_data_register()
    for entry in entries:
        if entry.release is not None:
            released = entry.release(user=user, now=now)
            if released:
                counts[f"{entry.key}.released"] = released
    user_model = get_user_model()
    for entry in entries:
        if entry.model is user_model:
            continue
        keys = list(entry.rows_of(user).values_list("pk", flat=True))
        if not keys:
            continue
        rows = entry.model._default_manager.filter(pk__in=keys)
        if entry.erasure == Erasure.DELETE:
            _files_delete_on_commit(rows, _file_fields(entry.model))
            rows.delete()
            counts[f"{entry.key}.deleted"] = len(keys)
        elif entry.cleared:
            meta = entry.model._meta
            _files_delete_on_commit(rows, _file_fields(entry.model, entry.cleared))
            rows.update(**{name: cleared_value(meta.get_field(name)) for name in entry.cleared})
            counts[f"{entry.key}.emptied"] = len(keys)
    _account_empty(user)
    return counts


def _file_fields(model: type[models.Model], names: Iterable[str] | None = None) -> list[Any]:
    """The model's file and image fields (of ``names`` only, if given)."""
    wanted = set(names) if names is not None else None
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.FileField) and (wanted is None or field.name in wanted)
    ]


def _files_delete_on_commit(rows: models.QuerySet[Any], fields: list[Any]) -> None:
    """Remove from storage the files ``rows`` hold in ``fields``, once the erasure commits.

    Deleting or emptying a row leaves its file in storage (an avatar, say); the file goes
    only when the transaction that erased the row commits, so a failure half way keeps both.
    """
    if not fields:
        return
    stored = [
        (field.storage, name)
        for values in rows.values_list(*(field.attname for field in fields))
        for field, name in zip(fields, values, strict=True)
        if name
    ]
    if stored:
        transaction.on_commit(partial(_files_delete, stored))


def _files_delete(stored: list[tuple[Any, str]]) -> None:
    for storage, name in stored:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove the erased file %s", name)


def _account_empty(user: Any) -> None:
    """The account row stays (records and figures point to it) with nothing that says who."""
    (entry,) = [e for e in personal_data_register() if e.model is get_user_model()]
    for name in entry.cleared:
        setattr(user, name, cleared_value(user._meta.get_field(name)))
    user.email = f"deleted-{user.pk}@invalid"
    user.language = settings.LANGUAGE_CODE
    user.date_joined = timezone.now().replace(
        month=1, day=1, hour=0, minute=0, second=0, microsecond=0
    )
    user.is_active = user.is_staff = user.is_superuser = False
    # A new password hash ends every session the account has (Django checks it on each request).
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


# --- Retention ------------------------------------------------------------------------------


@transaction.atomic
def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Erase what the register says has expired; returns how many rows of each model went.

    For every entry with a retention period, rows (those of ``retention.only``, when it
    limits them) whose date (``retention.after``) is older than the period are deleted (records kept after an account too) or,
    where the register keeps rows for figures, emptied of their cleared fields. Running it again erases nothing
    more: what is gone counts nothing, and emptied rows are not counted twice.
    """
    moment = now or timezone.now()
    counts: dict[str, int] = {}
    for entry in personal_data_register():
        retention = entry.retention
        if retention.days is None:
            continue
        cutoff = moment - timedelta(days=retention.days)
        expired = entry.model._default_manager.filter(
            **retention.only, **{f"{retention.after}__lt": cutoff}
        )
        # Records kept after the account go too once their own time is up.
        if entry.erasure in (Erasure.DELETE, Erasure.KEEP):
            count = expired.count()
            if count:
                _files_delete_on_commit(expired, _file_fields(entry.model))
                expired.delete()
        elif entry.cleared:
            meta = entry.model._meta
            values = {name: cleared_value(meta.get_field(name)) for name in entry.cleared}
            still = Q()
            for name, value in values.items():
                still |= Q(**{f"{name}__isnull": False}) if value is None else ~Q(**{name: value})
            uncleared = expired.filter(still)
            _files_delete_on_commit(uncleared, _file_fields(entry.model, entry.cleared))
            count = uncleared.update(**values)
        else:
            continue
        if count:
            counts[entry.key] = count
    logger.info("Retention: %s", counts or "nothing expired")
    return counts
