"""The record that a unit was told about its low bilingual completeness in a month."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CompletenessNotice(models.Model):
    """One unit's monthly reminder that too little of its content is in both languages.

    The unique (unit, month) row is claimed in the transaction that sends the
    notification: a second run in the same month, or two runs at once, send
    nothing more. No personal data: the recipients are the unit's editors of
    the moment, only counted here.
    """

    unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="completeness_notices",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    share = models.FloatField(_("share in both languages"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        app_label = "units"
        verbose_name = _("completeness notice")
        verbose_name_plural = _("completeness notices")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month"], name="units_completeness_notice_unique_month"
            )
        ]

    def __str__(self):
        return f"{self.unit_id} {self.month:%Y-%m}"
