"""Onboarding checklists: pages under a unit, their items, and each student's progress.

A ``ChecklistPage`` sits directly under the unit that owns it (the
International Section, a faculty or a department), so the unit's editors
manage it through Wagtail's page permissions. Its items are an orderable
inline: each item keeps its primary key across revisions, which is what
a student's ``ItemProgress`` points at. Rewording an item keeps the ticks;
removing it (and publishing) deletes the item and the ticks with it.

Progress and reminder logs are personal data and live in plain models.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import TranslatedPageMixin
from onboarding.accounts.models import ARRIVING_STATUSES, StudentStatus

from .calendar import Term, term_of
from .forms import ChecklistPageForm

# The kinds of unit that keep onboarding checklists.
OWNER_KINDS = ("international_section", "faculty", "department")
# How far from arrival an item may fall due, in days.
OFFSET_LIMIT = 365


def default_statuses():
    return [str(status) for status in ARRIVING_STATUSES]


class StatusListField(models.JSONField):
    """A list of student statuses, edited with checkboxes; empty means every status."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=StudentStatus.choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )


class AcademicSemester(models.Model):
    """A semester and the day its teaching starts: the data semester-relative dates count from.

    The same year and term name a Norwegian course's semester, so the courses
    and the checklists share these dates.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    term = models.CharField(_("term"), max_length=8, choices=Term.choices)
    starts_on = models.DateField(
        _("starts on"), help_text=_("The first day of teaching, or of the introduction week.")
    )

    class Meta:
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["year", "term"], name="checklists_semester_unique")
        ]

    def __str__(self):
        return f"{Term(self.term).label} {self.year}"

    @property
    def code(self) -> str:
        return f"{self.year}-{self.term}"

    def clean(self):
        super().clean()
        if (
            self.starts_on
            and self.year
            and self.term
            and term_of(self.starts_on) != (self.year, self.term)
        ):
            raise ValidationError(
                {
                    "starts_on": _(
                        "The start must fall in the semester: January to June for spring, "
                        "July to December for autumn."
                    )
                },
                code="outside_term",
            )


class DueKind(models.TextChoices):
    ARRIVAL = "arrival", _("Counted from the student's arrival")
    FIXED = "fixed", _("A fixed date")
    SEMESTER = "semester", _("Counted from the start of the semester")


class Region(models.TextChoices):
    ANY = "", _("Any home country")
    EU_EEA = "eu_eea", _("From the EU/EEA or Switzerland")
    OUTSIDE = "outside", _("From outside the EU/EEA and Switzerland")


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
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        # Each language's columns on their own: the site search stems each in its language.
        index.SearchField("title_nb", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("intro_nb"),
        index.SearchField("intro_en"),
        index.RelatedFields(
            "items", [index.SearchField("title_nb"), index.SearchField("title_en")]
        ),
    ]

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
    due_kind = models.CharField(
        _("due date"),
        max_length=12,
        choices=DueKind.choices,
        default=DueKind.ARRIVAL,
        help_text=_(
            "Arrival: each student's own date. Fixed: one date for everyone. "
            "Semester: counted from the start of the student's semester."
        ),
    )
    due_offset_days = models.IntegerField(
        _("days after arrival or semester start"),
        default=0,
        validators=[MinValueValidator(-OFFSET_LIMIT), MaxValueValidator(OFFSET_LIMIT)],
        help_text=_("0 is the day itself; use a negative number for before it (-14)."),
    )
    working_days = models.BooleanField(
        _("count working days"),
        default=False,
        help_text=_("Skip weekends and Norwegian public holidays when counting the days."),
    )
    due_on = models.DateField(
        _("fixed date"), null=True, blank=True, help_text=_("Only for a fixed due date.")
    )
    target_statuses = StatusListField(
        _("only for students who are"),
        help_text=_("Leave all unticked for everyone the checklist is for."),
    )
    target_region = models.CharField(
        _("only for students from"),
        max_length=8,
        choices=Region.choices,
        default=Region.ANY,
        blank=True,
    )
    target_countries = CountryField(
        _("only for these home countries"),
        multiple=True,
        blank=True,
        help_text=_("Leave empty for every country."),
    )
    target_programme = models.CharField(
        _("only for programmes containing"),
        max_length=120,
        blank=True,
        help_text=_("Words in the study programme's name, e.g. 'PhD' or 'Master'. Optional."),
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
    asks_document = models.BooleanField(
        _("asks for a document"),
        default=False,
        help_text=_("Students upload a PDF, JPEG or PNG file of at most 10 MB on this item."),
    )
    needs_verification = models.BooleanField(
        _("staff verify it"),
        default=False,
        help_text=_(
            "The item is done when a coordinator has verified the document, not when the "
            "student ticks it."
        ),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel(
            [FieldPanel("required"), FieldPanel("asks_document"), FieldPanel("needs_verification")]
        ),
        MultiFieldPanel(
            [
                FieldPanel("due_kind"),
                FieldRowPanel(
                    [
                        FieldPanel("due_offset_days"),
                        FieldPanel("working_days"),
                        FieldPanel("due_on"),
                    ]
                ),
            ],
            heading=_("When it is due"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("target_statuses"),
                FieldRowPanel([FieldPanel("target_region"), FieldPanel("target_programme")]),
                FieldPanel("target_countries"),
            ],
            heading=_("Who it is for"),
        ),
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

    @property
    def is_targeted(self) -> bool:
        return bool(
            self.target_statuses
            or self.target_region
            or self.target_countries
            or self.target_programme.strip()
        )

    def clean(self):
        super().clean()
        if self.due_kind == DueKind.FIXED and self.due_on is None:
            raise ValidationError(
                {"due_on": _("Give the fixed date, or choose another kind of due date.")},
                code="fixed_without_date",
            )
        if self.due_kind != DueKind.FIXED and self.due_on is not None:
            raise ValidationError(
                {"due_on": _("A fixed date is only for items with a fixed due date.")},
                code="date_not_fixed",
            )
        if self.needs_verification and not self.asks_document:
            raise ValidationError(
                {"needs_verification": _("Staff verify a document: ask for one too.")},
                code="verify_without_document",
            )
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


class OverdueReminder(models.Model):
    """A coordinator reminded a student of one overdue item on one day; at most one a day."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="checklist_overdue_reminders",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="overdue_reminders",
    )
    date = models.DateField(_("date"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    PERSONAL_FIELDS = ("item", "date", "sent_at")

    class Meta:
        verbose_name = _("overdue reminder")
        verbose_name_plural = _("overdue reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "item", "date"], name="checklists_overdue_one_per_day"
            )
        ]

    def __str__(self):
        return f"{self.student_id} ! {self.item_id} {self.date}"


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned with a comment")


class ItemSubmission(models.Model):
    """The document a student uploaded on an item, and whether staff verified it.

    One per student and item: a new upload replaces the file. The file lives
    in private storage (``documents.private_storage``) under a random name;
    deleting the row (with the account, or after the retention period)
    deletes the file.
    """

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="checklist_submissions",
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    file_name = models.CharField(_("stored file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"))
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=SubmissionState.choices,
        default=SubmissionState.SUBMITTED,
    )
    comment = models.TextField(_("comment to the student"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    PERSONAL_FIELDS = (
        "item",
        "file_name",
        "original_name",
        "content_type",
        "size",
        "uploaded_at",
        "state",
        "comment",
        "reviewed_at",
    )

    class Meta:
        verbose_name = _("document on an item")
        verbose_name_plural = _("documents on items")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "item"], name="checklists_submission_one_per_item"
            )
        ]

    def __str__(self):
        return f"{self.student_id} ⇪ {self.item_id} ({self.state})"
