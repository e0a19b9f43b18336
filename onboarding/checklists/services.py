"""Writes of checklists: ticking items off, and the daily reminders.

A student ticks and unticks items of their own plan only. Reminders go
through the notification centre, in each student's language, at most once a
day per student (``ReminderLog`` is unique per student and day), so running
``send_reminders`` twice sends nothing new.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from onboarding.live.kinds import translated_field
from onboarding.live.services import notify

from .documents import (
    DocumentType,
    document_check,
    private_storage,
    retention_days,
    stored_name,
)
from .errors import ChecklistError
from .models import (
    ChecklistItem,
    ChecklistPage,
    ItemProgress,
    ItemSubmission,
    OverdueReminder,
    ReminderLog,
    SubmissionState,
)
from .selectors import (
    DUE_SOON_DAYS,
    Cohort,
    Plan,
    PlanItem,
    checklist_progress,
    checklists_for_owners,
    coordinator_checklist_get,
    overdue_reminder_targets,
    plan_build,
    plan_item_ids,
    plan_owners,
    plan_today,
    reminder_candidates,
    semesters_all,
    submission_visible,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.core.files.uploadedfile import UploadedFile
    from django_stubs_ext import StrOrPromise

    from onboarding.accounts.models import User

logger = logging.getLogger(__name__)

REMINDER_KIND = "checklist_items_due"
OVERDUE_KIND = "checklist_items_overdue"
# At most this many items are named in one reminder; the plan shows them all.
REMINDER_ITEMS_NAMED = 10


def _check_in_plan(*, student: User | AnonymousUser, item: ChecklistItem) -> User:
    """``student`` as a signed-in user whose plan holds ``item``; raises ``ChecklistError`` else."""
    if not student.is_authenticated or not student.is_active:
        raise ChecklistError(code="login_required", message=_("Log in to tick off items."))
    if item.pk not in plan_item_ids(user=student):
        raise ChecklistError(
            code="not_in_plan", message=_("This item is not in your arrival plan.")
        )
    return student


@transaction.atomic
def progress_tick(
    *, student: User | AnonymousUser, item: ChecklistItem, now: datetime | None = None
) -> ItemProgress:
    """Mark ``item`` done for ``student``; ticking again keeps the first time. Returns the progress.

    Raises ``ChecklistError`` ``login_required`` for an anonymous or
    deactivated person and ``not_in_plan`` for an item that is not in the
    student's own plan (another status, faculty or department, or an
    unpublished checklist).
    """
    student = _check_in_plan(student=student, item=item)
    if item.needs_verification:
        raise ChecklistError(
            code="needs_verification",
            message=_("Upload the document: this item is done when staff have verified it."),
        )
    progress, _created = ItemProgress.objects.get_or_create(
        student=student, item=item, defaults={"done_at": now or timezone.now()}
    )
    return progress


@transaction.atomic
def progress_untick(*, student: User | AnonymousUser, item: ChecklistItem) -> bool:
    """Mark ``item`` not done for ``student``; returns whether it was done.

    Raises ``ChecklistError`` like ``progress_tick``.
    """
    student = _check_in_plan(student=student, item=item)
    if item.needs_verification:
        raise ChecklistError(
            code="needs_verification",
            message=_("Staff have verified this item; ask them if something has changed."),
        )
    deleted, _detail = ItemProgress.objects.filter(student=student, item=item).delete()
    return deleted > 0


# --- Reminders -------------------------------------------------------------------------


@dataclass
class ReminderResult:
    students: int
    items: int


def _item_line(entry: PlanItem, *, today: date, language: str) -> str:
    """One line of a reminder in ``language``: the item's title and when it is due."""
    title = getattr(entry.item, f"title_{language}", "") or entry.item.title_nb or entry.item.title
    due_date = entry.due_date
    assert due_date is not None  # reminder_items keeps only items with a due date
    with translation.override(language):
        due = formats.date_format(due_date, "DATE_FORMAT")
        when: StrOrPromise
        if due_date < today:
            when = _("overdue since %(date)s") % {"date": due}
        elif due_date == today:
            when = _("due today")
        else:
            when = _("due %(date)s") % {"date": due}
        return f"{title} ({when})"


def _plan_url() -> dict[str, str]:
    urls = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            urls[language] = reverse("arrival_plan")
    return urls


def _title() -> dict[str, str]:
    titles = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            titles[language] = str(_("your arrival plan"))
    return titles


def reminder_items(*, plan: Plan, today: date) -> list[PlanItem]:
    """The plan's items to remind of: not done, and overdue or due within three days."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    return [
        entry
        for entry in plan.items
        if not entry.done and entry.due_date is not None and entry.due_date <= horizon
    ]


def _remind_one(*, user: User, entries: list[PlanItem], today: date, now: datetime) -> bool:
    """Log and send one student's reminder; returns False when one was sent today already."""
    languages = [code for code, _name in settings.LANGUAGES]
    named = entries[:REMINDER_ITEMS_NAMED]
    context: dict[str, Any] = {
        "checklist_title": _title(),
        "count": len(entries),
        "due_date": max(e.due_date for e in entries if e.due_date is not None).isoformat(),
        "items": [
            {language: _item_line(entry, today=today, language=language) for language in languages}
            for entry in named
        ],
    }
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    student=user, date=today, sent_at=now, item_count=len(entries)
                )
        except IntegrityError:
            return False  # Another run reminded this student today.
        notify(recipients=[user], kind=REMINDER_KIND, context=context, url=_plan_url())
    return True


def reminders_send(*, now: datetime | None = None) -> ReminderResult:
    """Tell each student, at most once a day, of their items due within three days or overdue.

    Goes through the notification centre (kind ``checklist_items_due``), so
    each student hears in their own language and through the channel they
    chose. Students who have left (departure date passed) or have nothing
    due are skipped. Running it again on the same day (Europe/Oslo) sends
    nothing new. Returns how many students were reminded of how many items.
    """
    now = now or timezone.now()
    today = plan_today(now)
    students = list(reminder_candidates(today=today))
    # The checklists are few: load each owner combination's checklists once.
    cache: dict[tuple[str, int | None, int | None], list[ChecklistPage]] = {}
    progress: dict[int, set[int]] = {}
    if students:
        for student_id, item_id in ItemProgress.objects.filter(
            student_id__in=[s.pk for s in students]
        ).values_list("student_id", "item_id"):
            progress.setdefault(student_id, set()).add(item_id)
    reminded = items = 0
    semesters = semesters_all()
    for user in students:
        profile = user.student_profile
        key = (profile.status, profile.faculty_id, profile.department_id)
        if key not in cache:
            cache[key] = checklists_for_owners(owners=plan_owners(profile), status=profile.status)
        done = dict.fromkeys(progress.get(user.pk, ()), now)
        plan = plan_build(
            profile=profile, checklists=cache[key], done=done, today=today, semesters=semesters
        )
        entries = reminder_items(plan=plan, today=today)
        if not entries:
            continue
        try:
            sent = _remind_one(user=user, entries=entries, today=today, now=now)
        except Exception:
            logger.exception("Reminding student %s failed", user.pk)
            continue
        if sent:
            reminded += 1
            items += len(entries)
    return ReminderResult(students=reminded, items=items)


# --- Coordinators' reminders of overdue items ------------------------------------------


@dataclass
class OverdueReminderResult:
    students: int
    items: int
    # Students chosen who got nothing: reminded of all their overdue items today already.
    skipped: int


def overdue_reminders_send(
    *,
    coordinator: User | AnonymousUser,
    checklist_id: int,
    student_ids: set[int],
    cohort: Cohort | None = None,
    now: datetime | None = None,
) -> OverdueReminderResult:
    """Remind the chosen students of their overdue items on one of the coordinator's checklists.

    Only students the coordinator may see, in ``cohort``, with overdue items
    count; each hears through the notification centre (kind
    ``checklist_items_overdue``) in their own language, of the items not
    reminded of today (Europe/Oslo): at most one reminder a day per student
    and item, recorded in ``OverdueReminder`` (a unique constraint), so
    running it twice sends nothing new. All or nothing: one transaction.

    Raises ``ChecklistError`` ``not_coordinator`` when the checklist is not
    the coordinator's and ``nobody_to_remind`` when no chosen student is
    overdue (nothing is sent or recorded then).
    """
    now = now or timezone.now()
    scope, checklist = coordinator_checklist_get(user=coordinator, checklist_id=checklist_id)
    if checklist is None:
        raise ChecklistError(
            code="not_coordinator",
            message=_("You can only send reminders about your own units' checklists."),
        )
    progress = checklist_progress(checklist=checklist, scope=scope, now=now, cohort=cohort)
    targets = overdue_reminder_targets(progress=progress, student_ids=student_ids)
    if not targets:
        raise ChecklistError(
            code="nobody_to_remind",
            message=_("None of the chosen students has overdue items on this checklist."),
        )
    languages = [code for code, _name in settings.LANGUAGES]
    sender = coordinator if coordinator.is_authenticated else None
    reminded = items = skipped = 0
    with transaction.atomic():
        for target in targets:
            fresh: list[PlanItem] = []
            for entry in target.entries:
                try:
                    with transaction.atomic():
                        OverdueReminder.objects.create(
                            student=target.row.user,
                            item=entry.item,
                            date=progress.today,
                            sent_at=now,
                            sent_by=sender,
                        )
                except IntegrityError:
                    continue  # Reminded of this item today already (a concurrent run).
                fresh.append(entry)
            if not fresh:
                skipped += 1
                continue
            notify(
                recipients=[target.row.user],
                kind=OVERDUE_KIND,
                context={
                    "checklist_title": translated_field(checklist, "title"),
                    "count": len(fresh),
                    "items": [
                        {
                            language: _item_line(entry, today=progress.today, language=language)
                            for language in languages
                        }
                        for entry in fresh[:REMINDER_ITEMS_NAMED]
                    ],
                },
                url=_plan_url(),
            )
            reminded += 1
            items += len(fresh)
    return OverdueReminderResult(students=reminded, items=items, skipped=skipped)


# --- Documents --------------------------------------------------------------------------

DOCUMENT_REVIEWED_KIND = "checklist_document_reviewed"


def document_upload(
    *,
    student: User | AnonymousUser,
    item: ChecklistItem,
    upload: UploadedFile,
    now: datetime | None = None,
) -> ItemSubmission:
    """Keep a student's document on an item of their plan; a new one replaces the last.

    The file is checked by its first bytes, its extension and its size
    (``documents.document_check``) and stored in private storage under a
    random name. An item staff verify waits for them (``submitted``);
    otherwise the upload marks the item done. A verified document cannot be
    replaced. Returns the submission.

    Raises ``ChecklistError`` ``login_required``, ``not_in_plan``,
    ``no_document`` (the item asks for none), ``already_verified``,
    ``too_large``, ``empty`` or ``wrong_type``; nothing is stored then.
    """
    student = _check_in_plan(student=student, item=item)
    if not item.asks_document:
        raise ChecklistError(
            code="no_document", message=_("This item does not ask for a document.")
        )
    kind = document_check(name=upload.name or "", size=upload.size or 0, stream=upload)
    now = now or timezone.now()
    storage = private_storage()
    name = storage.save(stored_name(student_id=student.pk, kind=kind), upload)
    try:
        with transaction.atomic():
            submission = _submission_replace(
                student=student, item=item, name=name, upload=upload, kind=kind, now=now
            )
    except BaseException:
        storage.delete(name)  # Nothing was recorded: the new file must not stay behind.
        raise
    return submission


def _submission_replace(
    *,
    student: User,
    item: ChecklistItem,
    name: str,
    upload: UploadedFile,
    kind: DocumentType,
    now: datetime,
) -> ItemSubmission:
    existing = ItemSubmission.objects.select_for_update().filter(student=student, item=item).first()
    if existing is not None and existing.state == SubmissionState.VERIFIED:
        raise ChecklistError(
            code="already_verified",
            message=_("Staff have verified your document; it can no longer be replaced."),
        )
    old_name = existing.file_name if existing is not None else ""
    submission = existing or ItemSubmission(student=student, item=item)
    submission.file_name = name
    submission.original_name = (upload.name or "")[-200:]
    submission.content_type = kind.content_type
    submission.size = upload.size or 0
    submission.uploaded_at = now
    submission.state = SubmissionState.SUBMITTED
    submission.comment = ""
    submission.reviewed_at = None
    submission.reviewed_by = None
    submission.save()
    if old_name:
        transaction.on_commit(lambda: private_storage().delete(old_name))
    if not item.needs_verification:
        ItemProgress.objects.get_or_create(student=student, item=item, defaults={"done_at": now})
    return submission


def document_review(
    *,
    coordinator: User | AnonymousUser,
    submission: ItemSubmission,
    verified: bool,
    comment: str = "",
    now: datetime | None = None,
    email: bool = True,
) -> ItemSubmission:
    """Verify a student's document (the item is then done), or return it with a comment.

    Only a coordinator of the item's checklist who may see the student may
    (``submission_visible``). The student hears it through the notification
    centre, in their language (``email=False``: in the site only, for demo
    data). Returns the submission.

    Raises ``ChecklistError`` ``forbidden``, ``not_submitted`` (verified or
    returned already) or ``comment_required`` (returning without a comment).
    """
    if not submission_visible(user=coordinator, submission=submission) or (
        submission.student_id == getattr(coordinator, "pk", None)
    ):
        raise ChecklistError(
            code="forbidden", message=_("You can only review your own students' documents.")
        )
    comment = comment.strip()
    if not verified and not comment:
        raise ChecklistError(
            code="comment_required",
            message=_("Say what is missing or wrong, so that the student can fix it."),
        )
    now = now or timezone.now()
    with transaction.atomic():
        fresh = (
            ItemSubmission.objects.select_for_update().select_related("item").get(pk=submission.pk)
        )
        if fresh.state != SubmissionState.SUBMITTED:
            raise ChecklistError(
                code="not_submitted", message=_("This document has been reviewed already.")
            )
        fresh.state = SubmissionState.VERIFIED if verified else SubmissionState.RETURNED
        fresh.comment = "" if verified else comment
        fresh.reviewed_at = now
        fresh.reviewed_by = coordinator if coordinator.is_authenticated else None
        fresh.save(update_fields=["state", "comment", "reviewed_at", "reviewed_by"])
        if verified:
            ItemProgress.objects.get_or_create(
                student_id=fresh.student_id, item=fresh.item, defaults={"done_at": now}
            )
        else:
            ItemProgress.objects.filter(student_id=fresh.student_id, item=fresh.item).delete()
        notify(
            recipients=[fresh.student],
            kind=DOCUMENT_REVIEWED_KIND,
            context={
                "item_title": translated_field(fresh.item, "title"),
                "verified": verified,
                "comment": fresh.comment,
            },
            url=_plan_url(),
            email=email,
        )
    return fresh


def documents_purge(*, now: datetime | None = None) -> int:
    """Erase the documents uploaded longer ago than the retention period; returns how many.

    The period is ``CHECKLIST_DOCUMENT_RETENTION_DAYS`` (365 days unless
    set). Each row goes with its file; the item's tick stays.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    old = list(ItemSubmission.objects.filter(uploaded_at__lt=cutoff))
    for submission in old:
        submission.delete()
    return len(old)
