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
    exported_at = models.DateTimeField(_("exported"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")
        ordering = ["-exported_at", "-pk"]
        permissions = [("view_export_log", _("Can see the log of personal-data exports"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject} ({self.people})"
