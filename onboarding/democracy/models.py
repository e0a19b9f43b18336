"""Student democracy: the meetings and elections of the student parliament and the student
councils (pages under the body that holds them), their representatives, and candidacies.

Meetings, elections and the representatives page are Wagtail pages under a unit of kind
``student_parliament`` or ``student_council``: the body's editors edit them as they edit the
body's page. A candidacy is a person's own data and lives in a plain model.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import TranslatedPageMixin
from onboarding.units.models import UnitPage

from .forms import DemocracyPageForm

# The kinds of unit that hold meetings and elections.
BODY_KINDS = ("student_parliament", "student_council")


class SeatType(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary seat")
    INTERNATIONAL = "international", _("Seat for international students")


class Language(models.TextChoices):
    NB = "nb", _("Norwegian")
    EN = "en", _("English")


def _is_body(page: Page | None) -> bool:
    if page is None:
        return False
    if isinstance(page, UnitPage):
        return page.kind in BODY_KINDS
    return UnitPage.objects.filter(pk=page.pk, kind__in=BODY_KINDS).exists()


class BodyChildPage(TranslatedPageMixin, Page):
    """A page that only a student parliament or a student council holds."""

    base_form_class = DemocracyPageForm
    # Translated fields that may be empty, but only in both languages at once.
    paired_translated_fields: tuple[str, ...] = ()
    parent_page_types = ["units.UnitPage"]
    subpage_types: list[str] = []
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    class Meta:
        abstract = True

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and _is_body(parent.specific_deferred)

    def can_move_to(self, parent):
        return super().can_move_to(parent) and _is_body(parent.specific_deferred)

    def clean(self):
        super().clean()
        if self.path and not _is_body(self.get_parent().specific_deferred):
            raise ValidationError(
                _("Only the student parliament and the student councils hold this page.")
            )

    @property
    def body(self) -> UnitPage | None:
        parent = self.get_parent()
        return parent.specific if parent is not None else None


class AgendaItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("item"), max_length=200)
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Agenda item")


class MeetingDocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(
        label=_("label"), required=False, help_text=_("Shown instead of the document's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Document")


class MeetingPage(BodyChildPage):
    """A meeting of the student parliament or a student council: when, where, what, the minutes."""

    start_at = models.DateTimeField(_("starts"), help_text=_("Norwegian time (Europe/Oslo)."))
    end_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    agenda = StreamField([("item", AgendaItemBlock())], blank=True, verbose_name=_("agenda"))
    documents = StreamField(
        [("document", MeetingDocumentBlock())], blank=True, verbose_name=_("documents")
    )
    minutes = RichTextField(_("minutes"), blank=True)
    minutes_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("minutes as a document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    optional_translated_fields = TranslatedPageMixin.optional_translated_fields + (
        "place",
        "intro",
        "agenda",
        "minutes",
    )
    paired_translated_fields = ("place", "intro", "agenda", "minutes")

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")], heading=_("Time")),
        MultiFieldPanel(
            [FieldPanel("place"), FieldPanel("online_url")], heading=_("Place or online link")
        ),
        FieldPanel("intro"),
        FieldPanel("agenda"),
        FieldPanel("documents"),
        MultiFieldPanel(
            [FieldPanel("minutes"), FieldPanel("minutes_document")], heading=_("Minutes")
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("title_nb"),
        index.SearchField("title_en"),
        index.SearchField("intro_nb"),
        index.SearchField("intro_en"),
        index.SearchField("minutes_nb"),
        index.SearchField("minutes_en"),
        index.FilterField("start_at"),
        index.FilterField("live"),
        index.FilterField("path"),
        index.FilterField("depth"),
    ]
    cache_anonymous = True

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["start_at"], name="democracy_meeting_start")]

    def clean(self):
        super().clean()
        # An emptied rich-text editor may still send an empty paragraph: that is no minutes.
        for name in ("minutes_nb", "minutes_en"):
            value = getattr(self, name)
            if value and not strip_tags(value).strip():
                setattr(self, name, "")
        if self.start_at and self.end_at and self.end_at <= self.start_at:
            raise ValidationError({"end_at": _("A meeting ends after it starts.")})

    @property
    def has_minutes(self) -> bool:
        return bool(self.minutes_nb or self.minutes_en or self.minutes_document_id)

    def get_context(self, request, *args, **kwargs):
        from .page_context import meeting_context

        context = super().get_context(request, *args, **kwargs)
        context.update(meeting_context(request, meeting=self))
        return context


class ElectedBlock(blocks.StructBlock):
    seat_type = blocks.ChoiceBlock(choices=SeatType.choices, label=_("seat"))
    name = blocks.CharBlock(label=_("name"), max_length=200)
    group = blocks.CharBlock(label=_("programme or group"), max_length=200, required=False)

    class Meta:
        icon = "user"
        label = _("Elected")


class ElectionPage(BodyChildPage):
    """An election to the student parliament or a student council: seats, periods, results."""

    intro = models.TextField(_("introduction"), help_text=_("What is elected, and for how long."))
    seats = models.PositiveSmallIntegerField(_("seats"))
    international_seats = models.PositiveSmallIntegerField(
        _("seats for international students"),
        default=0,
        help_text=_("How many of the seats are reserved for international students."),
    )
    nomination_opens_at = models.DateTimeField(_("nominations open"))
    nomination_closes_at = models.DateTimeField(_("nominations close"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    voting_url = models.URLField(_("link to the voting system"), blank=True)
    how_to_stand = models.TextField(
        _("how to stand"), blank=True, help_text=_("Who may stand and what a candidate does.")
    )
    results = StreamField(
        [("elected", ElectedBlock())],
        blank=True,
        verbose_name=_("results"),
        help_text=_("The people elected, per seat; shown once voting has closed."),
    )

    optional_translated_fields = TranslatedPageMixin.optional_translated_fields + ("how_to_stand",)
    paired_translated_fields = ("how_to_stand",)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("seats"), FieldPanel("international_seats")]),
        FieldRowPanel(
            [FieldPanel("nomination_opens_at"), FieldPanel("nomination_closes_at")],
            heading=_("Nomination period"),
        ),
        FieldRowPanel(
            [FieldPanel("voting_opens_at"), FieldPanel("voting_closes_at")],
            heading=_("Voting period"),
        ),
        FieldPanel("voting_url"),
        FieldPanel("how_to_stand"),
        FieldPanel("results"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("title_nb"),
        index.SearchField("title_en"),
        index.SearchField("intro_nb"),
        index.SearchField("intro_en"),
        index.SearchField("how_to_stand_nb"),
        index.SearchField("how_to_stand_en"),
        index.FilterField("voting_closes_at"),
        index.FilterField("live"),
        index.FilterField("path"),
        index.FilterField("depth"),
    ]
    # Whether nominations are open depends on the hour, not on publishing.
    cache_anonymous = False

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")

    def clean(self):
        super().clean()
        errors = {}
        if self.seats is not None and self.international_seats > self.seats:
            errors["international_seats"] = _("There cannot be more reserved seats than seats.")
        steps = [
            ("nomination_closes_at", self.nomination_opens_at, self.nomination_closes_at),
            ("voting_opens_at", self.nomination_closes_at, self.voting_opens_at),
            ("voting_closes_at", self.voting_opens_at, self.voting_closes_at),
        ]
        for name, before, after in steps:
            if before and after and after < before:
                errors[name] = _(
                    "Nominations open, then close; voting opens after that, then closes."
                )
        if errors:
            raise ValidationError(errors)

    def nomination_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.nomination_opens_at <= now < self.nomination_closes_at

    def voting_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.voting_opens_at <= now < self.voting_closes_at

    def results_are_out(self, now=None) -> bool:
        now = now or timezone.now()
        return now >= self.voting_closes_at and bool(self.results)

    def get_context(self, request, *args, **kwargs):
        from .page_context import election_context

        context = super().get_context(request, *args, **kwargs)
        context.update(election_context(request, election=self))
        return context


class RepresentativesPage(BodyChildPage):
    """Who sits in the body: one page per body, its representatives edited inline."""

    intro = models.TextField(_("introduction"), blank=True)
    # The body, kept from the parent on every save, so that its representatives can be
    # counted per unit (completeness) with a plain lookup.
    unit = models.ForeignKey(
        UnitPage, null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    optional_translated_fields = TranslatedPageMixin.optional_translated_fields + ("intro",)
    paired_translated_fields = ("intro",)
    max_count_per_parent = 1

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("representatives", heading=_("Representatives"), label=_("Representative")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("title_nb"),
        index.SearchField("title_en"),
        index.SearchField("intro_nb"),
        index.SearchField("intro_en"),
        index.FilterField("live"),
        index.FilterField("path"),
    ]
    cache_anonymous = True

    class Meta:
        verbose_name = _("representatives page")
        verbose_name_plural = _("representatives pages")

    def save(self, *args, **kwargs):
        if self.path:
            parent = self.get_parent()
            self.unit_id = parent.pk if parent is not None else None
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["representatives"] = list(self.representatives.all())
        context["body"] = self.body
        return context


class Representative(Orderable):
    """A person who sits in the body, for a programme or group, in a role."""

    page = ParentalKey(
        RepresentativesPage, on_delete=models.CASCADE, related_name="representatives"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("contact email"), blank=True)
    role = models.CharField(_("role"), max_length=120, help_text=_("Leader, member, deputy ..."))
    group = models.CharField(_("programme or group"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    seat_type = models.CharField(
        _("seat"), max_length=20, choices=SeatType.choices, default=SeatType.ORDINARY
    )
    # The representative's account, when they have one: their download shows the row and
    # deleting the account deletes it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="representative_seats",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("email"),
        FieldPanel("role"),
        FieldPanel("group"),
        FieldPanel("description"),
        FieldPanel("seat_type"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self):
        return self.name


class Candidacy(models.Model):
    """A student stands in an election: their statement, programme or group, and seat type."""

    election = models.ForeignKey(
        ElectionPage,
        verbose_name=_("election"),
        on_delete=models.CASCADE,
        related_name="candidacies",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("candidate"),
        on_delete=models.CASCADE,
        related_name="candidacies",
    )
    statement = models.TextField(_("statement"))
    statement_language = models.CharField(
        _("language of the statement"), max_length=2, choices=Language.choices
    )
    group = models.CharField(_("programme or group"), max_length=200)
    seat_type = models.CharField(_("seat"), max_length=20, choices=SeatType.choices)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("candidacy")
        verbose_name_plural = _("candidacies")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "user"], name="democracy_candidacy_one_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user_id} → {self.election_id}"


class ElectionAnnouncement(models.Model):
    """The followers of the body were told of the election: at most once per election."""

    election = models.OneToOneField(
        ElectionPage, on_delete=models.CASCADE, related_name="announcement"
    )
    announced_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("election announcement")
        verbose_name_plural = _("election announcements")
