"""Writes of checklists: ticking items off, and the daily reminders.

A student ticks and unticks items of their own plan only. Reminders go
through the notification centre, in each student's language, at most once a
day per student (``ReminderLog`` is unique per student and day), so running
``send_reminders`` twice sends nothing new.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from onboarding.live.services import notify

from .errors import ChecklistError
from .models import ItemProgress, ReminderLog
from .selectors import (
    DUE_SOON_DAYS,
    checklists_for_owners,
    plan_build,
    plan_item_ids,
    plan_owners,
    plan_today,
    reminder_candidates,
)

logger = logging.getLogger(__name__)

REMINDER_KIND = "checklist_items_due"
# At most this many items are named in one reminder; the plan shows them all.
REMINDER_ITEMS_NAMED = 10


def _check_in_plan(*, student, item):
    if not student.is_authenticated or not student.is_active:
        raise ChecklistError(code="login_required", message=_("Log in to tick off items."))
    if item.pk not in plan_item_ids(user=student):
        raise ChecklistError(
            code="not_in_plan", message=_("This item is not in your arrival plan.")
        )


@transaction.atomic
def progress_tick(*, student, item, now=None):
    """Mark ``item`` done for ``student``; ticking again keeps the first time. Returns the progress.

    Raises ``ChecklistError`` ``login_required`` for an anonymous or
    deactivated person and ``not_in_plan`` for an item that is not in the
    student's own plan (another status, faculty or department, or an
    unpublished checklist).
    """
    _check_in_plan(student=student, item=item)
    progress, _created = ItemProgress.objects.get_or_create(
        student=student, item=item, defaults={"done_at": now or timezone.now()}
    )
    return progress


@transaction.atomic
def progress_untick(*, student, item):
    """Mark ``item`` not done for ``student``; returns whether it was done.

    Raises ``ChecklistError`` like ``progress_tick``.
    """
    _check_in_plan(student=student, item=item)
    deleted, _detail = ItemProgress.objects.filter(student=student, item=item).delete()
    return deleted > 0


# --- Reminders -------------------------------------------------------------------------


@dataclass
class ReminderResult:
    students: int
    items: int


def _item_line(entry, *, today, language):
    """One line of a reminder in ``language``: the item's title and when it is due."""
    title = getattr(entry.item, f"title_{language}", "") or entry.item.title_nb or entry.item.title
    with translation.override(language):
        due = formats.date_format(entry.due_date, "DATE_FORMAT")
        if entry.due_date < today:
            when = _("overdue since %(date)s") % {"date": due}
        elif entry.due_date == today:
            when = _("due today")
        else:
            when = _("due %(date)s") % {"date": due}
        return f"{title} ({when})"


def _plan_url():
    urls = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            urls[language] = reverse("arrival_plan")
    return urls


def _title():
    titles = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            titles[language] = str(_("your arrival plan"))
    return titles


def reminder_items(*, plan, today):
    """The plan's items to remind of: not done, and overdue or due within three days."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    return [
        entry
        for entry in plan.items
        if not entry.done and entry.due_date is not None and entry.due_date <= horizon
    ]


def _remind_one(*, user, entries, today, now):
    """Log and send one student's reminder; returns False when one was sent today already."""
    languages = [code for code, _name in settings.LANGUAGES]
    named = entries[:REMINDER_ITEMS_NAMED]
    context = {
        "checklist_title": _title(),
        "count": len(entries),
        "due_date": max(entry.due_date for entry in entries).isoformat(),
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


def reminders_send(*, now=None):
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
    cache = {}
    progress = {}
    if students:
        for student_id, item_id in ItemProgress.objects.filter(
            student_id__in=[s.pk for s in students]
        ).values_list("student_id", "item_id"):
            progress.setdefault(student_id, set()).add(item_id)
    reminded = items = 0
    for user in students:
        profile = user.student_profile
        key = (profile.status, profile.faculty_id, profile.department_id)
        if key not in cache:
            cache[key] = checklists_for_owners(owners=plan_owners(profile), status=profile.status)
        done = dict.fromkeys(progress.get(user.pk, ()), now)
        plan = plan_build(profile=profile, checklists=cache[key], done=done, today=today)
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
