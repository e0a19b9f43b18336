"""Onboarding checklists: pages under a unit, their items, and each student's progress.

A ``ChecklistPage`` sits directly under the unit that owns it (the
International Section, a faculty or a department), so the unit's editors
manage it through Wagtail's page permissions. Its items are an orderable
inline: each item keeps its primary key across revisions, which is what
a student's ``ItemProgress`` points at. Rewording an item keeps the ticks;
removing it (and publishing) deletes the item and the ticks with it.

Progress and reminder logs are personal data and live in plain models.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import TranslatedPageMixin
from onboarding.accounts.models import ARRIVING_STATUSES, StudentStatus

from .forms import ChecklistPageForm

# The kinds of unit that keep onboarding checklists.
OWNER_KINDS = ("international_section", "faculty", "department")
# How far from arrival an item may fall due, in days.
OFFSET_LIMIT = 365


def default_statuses():
    return [str(status) for status in ARRIVING_STATUSES]


class ChecklistPage(TranslatedPageMixin, Page):
    """An onboarding checklist of a unit, for the students of the chosen statuses."""

    intro = models.TextField(
        _("introduction"),
        help_text=_("What this checklist is for, in a few sentences."),
    )
    statuses = models.JSONField(
        _("for students who are"),
        default=default_statuses,
        help_text=_("The checklist appears in the arrival plan of students with these statuses."),
    )

    base_form_class = ChecklistPageForm

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("statuses"),
        InlinePanel("items", heading=_("Items"), label=_("Item"), min_num=1),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["units.UnitPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("onboarding checklist")
        verbose_name_plural = _("onboarding checklists")

    @classmethod
    def can_create_at(cls, parent):
        if not super().can_create_at(parent):
            return False
        from onboarding.units.models import UnitPage

        return UnitPage.objects.filter(pk=parent.pk, kind__in=OWNER_KINDS).exists()

    def status_labels(self):
        labels = dict(StudentStatus.choices)
        return [labels[code] for code in self.statuses or [] if code in labels]

    def get_context(self, request, *args, **kwargs):
        from .page_context import checklist_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(checklist_page_context(request, checklist=self))
        return context


class ChecklistItem(Orderable):
    """One thing to do, when (days from arrival), and who answers for it."""

    page = ParentalKey(ChecklistPage, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        "responsibilities.ResponsibilityArea",
        verbose_name=_("area of responsibility"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The part of the journey in the responsibility matrix this item belongs to."),
    )
    responsible_unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty when the unit that owns the checklist is responsible."),
    )
    due_offset_days = models.IntegerField(
        _("due, in days after arrival"),
        default=0,
        validators=[MinValueValidator(-OFFSET_LIMIT), MaxValueValidator(OFFSET_LIMIT)],
        help_text=_("0 is the day of arrival; use a negative number for before arrival (-14)."),
    )
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("link to a page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.URLField(_("or link to an address"), blank=True)
    link_text = models.CharField(
        _("link text"),
        max_length=120,
        blank=True,
        help_text=_("What the link opens, e.g. 'Book an appointment'. Optional."),
    )
    required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_("Untick for items that are recommended but not required."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("due_offset_days"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("area"), FieldPanel("responsible_unit")]),
        MultiFieldPanel(
            [FieldPanel("link_page"), FieldPanel("link_url"), FieldPanel("link_text")],
            heading=_("Link"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.link_page_id and self.link_url:
            raise ValidationError(
                {"link_url": _("Link to a page or to an address, not both.")},
                code="two_links",
            )


class ItemProgress(models.Model):
    """A student has done one checklist item; unticking deletes the row."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="checklist_progress",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="progress",
    )
    done_at = models.DateTimeField(_("done at"))

    # Every field holding personal data, for export and erasure.
    PERSONAL_FIELDS = ("item", "done_at")

    class Meta:
        verbose_name = _("checklist progress")
        verbose_name_plural = _("checklist progress")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "item"], name="checklists_progress_one_per_item"
            )
        ]

    def __str__(self):
        return f"{self.student_id} ✓ {self.item_id}"


class ReminderLog(models.Model):
    """The one reminder a student got on one day; a unique constraint prevents a second."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="checklist_reminders",
    )
    date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"))
    item_count = models.PositiveIntegerField(_("items"), default=0)

    PERSONAL_FIELDS = ("date", "sent_at", "item_count")

    class Meta:
        verbose_name = _("checklist reminder")
        verbose_name_plural = _("checklist reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "date"], name="checklists_reminder_one_per_day"
            )
        ]

    def __str__(self):
        return f"{self.student_id} {self.date}"
