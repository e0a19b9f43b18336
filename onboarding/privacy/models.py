"""What the site keeps about how personal data leaves it: every export of people's data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    """The exports of personal data the site offers (one per download button)."""

    EVENT_ATTENDEES = "event_attendees", _("Event attendees")
    CHECKLIST_PROGRESS = "checklist_progress", _("Checklist progress")
    COURSE_COVERAGE = "course_coverage", _("Students offered no Norwegian course")
    COURSE_PARTICIPANTS = "course_participants", _("Course participants")
    APPROVAL_CASES = "approval_cases", _("Pre-approval cases")
    STAYS_ABROAD = "stays_abroad", _("Students abroad (crisis use)")


class PersonalDataExport(models.Model):
    """One download of people's data by a member of staff or an organiser: who, what, when, how
    many people. Kept so that the International Section can see where personal data went."""

    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name at the time, so the record still says who it was if the account is deleted.
    exported_by_name = models.CharField(_("exported by (name)"), max_length=300)
    kind = models.CharField(_("export"), max_length=40, choices=ExportKind.choices)
    subject = models.CharField(_("of"), max_length=300)
    path = models.CharField(_("address"), max_length=500)
    people = models.PositiveIntegerField(_("people"))
    # Why, where an export asks (students abroad: for crisis use only).
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    exported_at = models.DateTimeField(_("exported"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-exported_at", "-pk"]
        permissions = [("view_export_log", _("Can see the log of personal-data exports"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject} ({self.people})"


class AccountErasure(models.Model):
    """One deleted account: when, on whose request, and how many rows of each kind went.

    Holds no personal data of the person: ``account_id`` is the id their
    emptied account keeps, so that a database restored from an older backup
    can be erased again (``privacy_replay_erasures``). ``by`` is the member
    of staff who deleted it on request (empty when the person did it).
    """

    account_id = models.PositiveBigIntegerField(_("account"), db_index=True)
    erased_at = models.DateTimeField(_("deleted"), default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_name = models.CharField(_("deleted by (name)"), max_length=300, blank=True)
    reason = models.CharField(_("request"), max_length=300, blank=True)
    counts = models.JSONField(_("rows"), default=dict, blank=True)

    class Meta:
        verbose_name = _("deleted account")
        verbose_name_plural = _("deleted accounts")
        ordering = ["-erased_at", "-pk"]
        permissions = [("erase_account", _("Can delete a person's account on their request"))]

    def __str__(self) -> str:
        return f"{self.account_id} ({self.erased_at:%Y-%m-%d})"
