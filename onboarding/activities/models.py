"""Events: pages under a unit, and the personal records that hang off them.

``EventPage`` is content (translated field by field, revisioned, published by
the unit's editors). Signups, check-ins and calendar feeds are personal data
in plain models. ``Signup`` is a concrete booking of the booking engine
(``onboarding.bookings``); the event page is its holder (a ``HolderPage``), and
its own row in ``activities_eventpage`` is the row the engine locks.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.functional import cached_property, lazy
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PagePermissionTester
from wagtail.search import index

from cms.models import TranslatedPageMixin
from onboarding.bookings.models import (
    Booking,
    HolderCancellation,
    StatusListField,
    booking_constraints,
    booking_indexes,
    capacity_field,
    recorded_by_field,
    status_labels,
    unknown_statuses,
    waitlist_field,
)
from onboarding.bookings.pages import HolderPage


class EventLanguage(models.TextChoices):
    NORWEGIAN = "nb", pgettext_lazy("a language on its own, not in a sentence", "Norwegian")
    ENGLISH = "en", pgettext_lazy("a language on its own, not in a sentence", "English")
    BOTH = "both", _("Norwegian and English")


# --- Pages ----------------------------------------------------------------------------------


def _ancestor_paths(path, steplen=Page.steplen):
    return [path[:end] for end in range(steplen, len(path), steplen)]


def unit_of(page):
    """The unit a page belongs to: its nearest ancestor that is a unit, or None."""
    from onboarding.units.models import UnitPage

    return (
        UnitPage.objects.filter(path__in=_ancestor_paths(page.path)).order_by("-depth").first()
        if page.path
        else None
    )


def approval_required(page, user):
    """Whether ``user`` must send changes under ``page`` through its workflow to publish them.

    A workflow assigned to an event series (such as welcome week) means the
    International Section wants to approve what is published there: only the
    people who can approve its tasks (and superusers) may then publish
    directly. Elsewhere, including under Wagtail's site-wide default
    workflow, a unit's editors publish themselves.
    """
    if not user.is_active or user.is_superuser:
        return False
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, WorkflowPage

    paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    assignment = (
        WorkflowPage.objects.filter(page__path__in=paths, workflow__active=True)
        .select_related("page")
        .order_by("-page__depth")
        .first()
    )
    if assignment is None:
        return False
    if assignment.page.content_type_id != ContentType.objects.get_for_model(EventSeriesPage).pk:
        return False
    approver_groups = GroupApprovalTask.objects.filter(
        workflow_tasks__workflow_id=assignment.workflow_id, active=True
    ).values("groups")
    return not user.groups.filter(pk__in=approver_groups).exists()


class ApprovalAwarePermissionTester(PagePermissionTester):
    """Page permissions that send publishing through a branch's workflow when it has one."""

    def can_publish(self):
        return super().can_publish() and not approval_required(self.page, self.user)

    def can_publish_subpage(self):
        return super().can_publish_subpage() and not approval_required(self.page, self.user)


class EventSeriesPage(TranslatedPageMixin, Page):
    """A branch of events under a unit, such as welcome week; a workflow may guard it."""

    intro = models.TextField(_("introduction"), blank=True)

    optional_translated_fields = TranslatedPageMixin.optional_translated_fields + ("intro",)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    parent_page_types = ["units.UnitPage"]
    subpage_types = ["activities.EventPage"]

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def permissions_for_user(self, user):
        return ApprovalAwarePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from .page_context import series_context

        context = super().get_context(request, *args, **kwargs)
        context.update(series_context(request, series=self))
        return context


# --- The no-show rule -------------------------------------------------------------------------

# From this long before an event's start, people held back by the no-show rule are served
# like anyone (``EventPage.hold_release_at``).
NOSHOW_RELEASE_BEFORE = timedelta(hours=24)
NOSHOW_LIMIT_DEFAULT = 2


@register_setting(icon="warning")
class NoShowRules(BaseGenericSetting):
    """How many no-shows in a semester put a person on the waitlist of events that ask for it;
    set by the International Section for the whole university."""

    limit = models.PositiveSmallIntegerField(
        _("no-shows in a semester"),
        default=NOSHOW_LIMIT_DEFAULT,
        validators=[MaxValueValidator(50)],
        help_text=_(
            "A person who had a place at this many events this semester and neither came nor "
            "cancelled waits on the waitlist of events that use the rule. 0 turns the rule off."
        ),
    )

    panels = [FieldPanel("limit")]

    class Meta:
        verbose_name = _("no-show rule")


def noshow_limit():
    """The number of no-shows in a semester that holds a person back (0: the rule is off)."""
    return NoShowRules.load().limit


def noshow_rule_help():
    """The rule's help text in the event's admin panel, with the number set now."""
    limit = noshow_limit()
    if not limit:
        return str(
            _(
                "The International Section has turned the rule off for now: ticking it changes "
                "nothing until they turn it on."
            )
        )
    return ngettext(
        "Someone who this semester had a place at %(count)s event and neither came nor "
        "cancelled goes on the waitlist, even if places are free. Places still free 24 hours "
        "before the start go to them too. Needs a number of places and a waitlist.",
        "Someone who this semester had a place at %(count)s events and neither came nor "
        "cancelled goes on the waitlist, even if places are free. Places still free 24 hours "
        "before the start go to them too. Needs a number of places and a waitlist.",
        limit,
    ) % {"count": limit}


class EventPage(HolderPage, TranslatedPageMixin, Page):
    """A welcome event: when, where, for whom, and how many places."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences shown in lists and calendars."),
    )
    body = RichTextField(_("description"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    start_at = models.DateTimeField(_("starts"), help_text=_("Norwegian time (Europe/Oslo)."))
    end_at = models.DateTimeField(_("ends"), help_text=_("Norwegian time (Europe/Oslo)."))
    building = models.CharField(_("building"), max_length=120, blank=True)
    room = models.CharField(_("room"), max_length=60, blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("For an online or hybrid event.")
    )
    event_language = models.CharField(
        _("language of the event"),
        max_length=4,
        choices=EventLanguage.choices,
        default=EventLanguage.BOTH,
    )
    audience_statuses = StatusListField(
        _("for students who are"),
        help_text=_("Leave all unticked if the event is for everyone."),
    )
    audience_faculties = ParentalManyToManyField(
        "units.UnitPage",
        verbose_name=_("for students at"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "faculty"},
        help_text=_("Leave empty if the event is for every faculty."),
    )
    capacity = capacity_field()
    waitlist_enabled = waitlist_field(
        _("When all places are taken, later signups join a waitlist.")
    )
    signup_opens_at = models.DateTimeField(
        _("signup opens"), null=True, blank=True, help_text=_("Leave blank to open at once.")
    )
    signup_closes_at = models.DateTimeField(
        _("signup closes"),
        null=True,
        blank=True,
        help_text=_("Leave blank to close when the event starts."),
    )
    cancellation_deadline = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_("Until when people can cancel. Leave blank to allow it until the start."),
    )
    noshow_rule = models.BooleanField(
        _("People with many no-shows wait on the waitlist"), default=False
    )

    optional_translated_fields = TranslatedPageMixin.optional_translated_fields + ("body",)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")]),
                FieldRowPanel([FieldPanel("building"), FieldPanel("room")]),
                FieldPanel("online_url"),
                FieldPanel("event_language"),
            ],
            heading=_("Time, place and language"),
        ),
        MultiFieldPanel(
            [FieldPanel("audience_statuses"), FieldPanel("audience_faculties")],
            heading=_("Audience"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waitlist_enabled")]),
                FieldRowPanel([FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")]),
                FieldPanel("cancellation_deadline"),
                FieldRowPanel([FieldPanel("waitlist_offers"), FieldPanel("offer_hours")]),
                FieldPanel("pools"),
                InlinePanel("questions", heading=_("Signup questions"), label=_("question")),
                FieldPanel("noshow_rule", help_text=lazy(noshow_rule_help, str)()),
            ],
            heading=_("Signup"),
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("start_at"),
        # Each language's columns on their own: the site search stems each in its language.
        index.SearchField("title_nb", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("summary_nb"),
        index.SearchField("summary_en"),
        index.SearchField("body_nb"),
        index.SearchField("body_en"),
    ]

    # An occurrence of a series' recurrence (``EventRecurrence``): the rule it came from and
    # the date it stands for. ``recurrence_detached`` marks one edited on its own, which later
    # edits of the rule leave alone.
    recurrence = models.ForeignKey(
        "activities.EventRecurrence",
        verbose_name=_("recurrence"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="occurrences",
    )
    occurrence_date = models.DateField(_("date in the recurrence"), null=True, editable=False)
    recurrence_detached = models.BooleanField(_("edited on its own"), default=False, editable=False)
    # A copy is a new event of its own, not a second occurrence of the same date.
    exclude_fields_in_copy = ["recurrence", "occurrence_date", "recurrence_detached"]

    parent_page_types = ["units.UnitPage", "activities.EventSeriesPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["start_at"], name="activities_event_start")]
        constraints = [
            models.UniqueConstraint(
                fields=["recurrence", "occurrence_date"],
                condition=models.Q(recurrence__isnull=False),
                name="activities_event_one_occurrence_per_date",
            )
        ]

    # --- Derived facts -------------------------------------------------------------------

    @cached_property
    def unit(self):
        """The unit that organises the event (set in bulk by the list selectors)."""
        return unit_of(self)

    @property
    def signup_closes(self):
        return self.signup_closes_at or self.start_at

    @property
    def cancellation_closes(self):
        return self.cancellation_deadline or self.start_at

    def signup_state(self, now=None):
        """``"not_open"``, ``"open"`` or ``"closed"``: open from opening (inclusive) to closing."""
        now = now or timezone.now()
        if self.signup_opens_at and now < self.signup_opens_at:
            return "not_open"
        if now >= self.signup_closes:
            return "closed"
        return "open"

    def offers_end_at(self):
        """Offers of a freed place run out by half the time left to the start."""
        return self.start_at

    def hold_release_at(self):
        """People held back by the no-show rule are served like anyone from a day before the
        start (``NOSHOW_RELEASE_BEFORE``)."""
        return self.start_at - NOSHOW_RELEASE_BEFORE if self.start_at else None

    def may_cancel(self, now=None):
        return (now or timezone.now()) < self.cancellation_closes

    def has_ended(self, now=None):
        return (now or timezone.now()) >= self.end_at

    @property
    def is_online(self):
        return bool(self.online_url)

    @property
    def place_label(self):
        """Where the event is, in words: building and room, and/or online."""
        parts = [part for part in (self.building, self.room) if part]
        place = ", ".join(parts)
        if self.online_url:
            online = _("online") if place else _("Online")
            return f"{place} · {online}" if place else str(online)
        return place

    @property
    def is_for_everyone(self):
        return not self.audience_statuses and not self.audience_faculty_ids

    @cached_property
    def audience_faculty_ids(self):
        return [faculty.pk for faculty in self.audience_faculties.all()]

    def audience_status_labels(self):
        return status_labels(self.audience_statuses)

    def live_topic(self):
        return f"event:{self.pk}"

    # --- Rules ---------------------------------------------------------------------------

    booking_relation = "signups"
    change_fields = {"time": ("start_at", "end_at"), "place": ("building", "room", "online_url")}

    def holder_errors(self):
        """The event's own rules (``HolderPage.clean`` adds the capacity's)."""
        errors = {}
        if self.start_at and self.end_at and self.end_at <= self.start_at:
            errors["end_at"] = _("The event must end after it starts.")
        if not (self.building or self.online_url):
            errors["building"] = _("Give a building, an online link, or both.")
        opens, closes = self.signup_opens_at, self.signup_closes_at
        if opens and closes and closes <= opens:
            errors["signup_closes_at"] = _("Signup must close after it opens.")
        if self.signup_closes_at and self.end_at and self.signup_closes_at > self.end_at:
            errors["signup_closes_at"] = _("Signup must close by the end of the event.")
        if self.signup_opens_at and self.start_at and self.signup_opens_at >= self.start_at:
            errors["signup_opens_at"] = _("Signup must open before the event starts.")
        if self.cancellation_deadline and self.end_at and self.cancellation_deadline > self.end_at:
            errors["cancellation_deadline"] = _(
                "The cancellation deadline must be by the end of the event."
            )
        if self.expire_at and self.end_at and self.expire_at < self.end_at:
            # An expiry hides the page without a word to those signed up.
            errors["expire_at"] = _(
                "An event cannot expire before it ends. It leaves the listing by itself when "
                "it is over; to call it off, cancel it, which tells the people signed up."
            )
        if unknown_statuses(self.audience_statuses):
            errors["audience_statuses"] = _("Choose statuses from the list.")
        problems = [
            _("%(question)s: %(problem)s")
            % {
                "question": question.label or _("Question %(number)s") % {"number": number},
                "problem": problem,
            }
            for number, question in enumerate(self.questions.all(), start=1)
            for problem in question.problems()
        ]
        if problems:
            # The inline forms check each question as it is typed; this holds the page itself
            # (a revision published from code, a copy) to the same rules.
            errors[NON_FIELD_ERRORS] = _("Check the signup questions: %(problems)s") % {
                "problems": " ".join(problems)
            }
        if self.noshow_rule and (self.capacity is None or not self.waitlist_enabled):
            errors["noshow_rule"] = _(
                "People with many no-shows wait on the waitlist, so this needs a number of "
                "places and a waitlist."
            )
        return errors

    def permissions_for_user(self, user):
        return ApprovalAwarePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from .page_context import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(request, event=self))
        return context


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("One of several choices")
    YES_NO = "yes_no", _("Yes or no")


def choice_lines(text):
    """The choices written one a line, without empty lines and surrounding spaces."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


MAX_CHOICES = 20


class EventQuestion(Orderable):
    """A question an event asks at signup: a line of text, one of several choices, or yes/no.

    Choices are written one a line in each language, the same number of lines
    in the same order: the n-th Norwegian line is the n-th English one. An
    answer to a choice stores the choice's number, so that both languages read
    it; new choices go at the end, since moving lines changes earlier answers.
    """

    event = ParentalKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="questions"
    )
    label = models.CharField(_("question"), max_length=200)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind of answer"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_(
            "For one of several choices: one choice a line, in the same order in both "
            "languages. Add new choices at the end: earlier answers keep their number."
        ),
    )
    required = models.BooleanField(_("an answer is required"), default=False)
    personal = models.BooleanField(
        _("the answer is personal data"),
        default=False,
        help_text=_(
            "Such as health, diet for medical reasons or an emergency contact. These answers are "
            "erased automatically some days after the event ends."
        ),
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("kind"),
        FieldPanel("choices"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("personal")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("signup question")
        verbose_name_plural = _("signup questions")

    def __str__(self):
        return self.label

    def choice_list(self, language=None):
        """The choices in ``language`` (the active one by default), numbered from 1."""
        language = (language or get_language() or "nb")[:2]
        own = choice_lines(getattr(self, f"choices_{language}", None))
        return own or choice_lines(self.choices_nb) or choice_lines(self.choices_en)

    def problems(self):
        """What is wrong with the question (each a sentence), by language field."""
        return [message for messages in self.field_problems().values() for message in messages]

    def field_problems(self):
        """What is wrong with the question, by field name."""
        found: dict[str, list] = {}
        try:
            single_language = self.event.single_language
        except EventPage.DoesNotExist:
            single_language = ""
        if not single_language:
            # As the page's own texts: in both languages, unless the page is in one only.
            for name in ("label_nb", "label_en"):
                if not (getattr(self, name, "") or "").strip():
                    found[name] = [_("Give the question in both languages.")]
        if self.kind != QuestionKind.CHOICE:
            return found
        nb, en = choice_lines(self.choices_nb), choice_lines(self.choices_en)
        for name, lines in (("choices_nb", nb), ("choices_en", en)):
            if len(lines) < 2:
                found.setdefault(name, []).append(_("Give at least two choices, one a line."))
            elif len(lines) > MAX_CHOICES:
                found.setdefault(name, []).append(
                    _("Give at most %(most)s choices.") % {"most": MAX_CHOICES}
                )
        if not {"choices_nb", "choices_en"} & set(found) and len(nb) != len(en):
            found["choices_en"] = [
                _(
                    "Give the same choices in both languages: %(nb)s in Norwegian and "
                    "%(en)s in English."
                )
                % {"nb": len(nb), "en": len(en)}
            ]
        return found

    def clean(self):
        super().clean()
        problems = self.field_problems()
        if problems:
            raise ValidationError(problems)

    def options(self, language=None):
        """The numbered answers a choice or yes/no question offers, in ``language``."""
        if self.kind == QuestionKind.YES_NO:
            with translation.override(language or get_language()):
                return [str(_("Yes")), str(_("No"))]
        if self.kind == QuestionKind.CHOICE:
            return self.choice_list(language)
        return []

    def answer_text(self, answer, language=None):
        """An answer in words, in ``language`` (the active one by default)."""
        options = self.options(language) if answer.choice else []
        if answer.choice and answer.choice <= len(options):
            return options[answer.choice - 1]
        return answer.value


class RecurrenceFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every second week")
    MONTHLY = "monthly", _("Every month, on a weekday such as the second Tuesday")


def _default_time_zone():
    return settings.TIME_ZONE


class EventRecurrence(models.Model):
    """How an event series repeats: a rule, a time, and the event each occurrence copies.

    ``rule`` is an RFC 5545 RRULE (``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``), read and
    written with ``dateutil.rrule`` (see ``recurrence.py``); it runs from
    ``starts_on`` in local wall-clock time in ``time_zone``, so that an event at 09:00
    stays at 09:00 across daylight-saving changes. ``exceptions`` are the dates
    skipped. Splitting a rule ("this and following") ends this one (``UNTIL``) and
    starts a new one. The occurrences themselves are ``EventPage`` children of the
    series, made ahead by ``events_recur``.
    """

    series = models.ForeignKey(
        EventSeriesPage,
        verbose_name=_("event series"),
        on_delete=models.CASCADE,
        related_name="recurrences",
    )
    rule = models.CharField(_("rule (RRULE)"), max_length=300)
    starts_on = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"))
    duration = models.DurationField(_("duration"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=_default_time_zone)
    exceptions = models.JSONField(_("dates skipped"), default=list, blank=True)

    # What every occurrence copies.
    title_nb = models.CharField(_("title (Norwegian)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255)
    summary_nb = models.TextField(_("summary (Norwegian)"), max_length=300)
    summary_en = models.TextField(_("summary (English)"), max_length=300)
    building = models.CharField(_("building"), max_length=120, blank=True)
    room = models.CharField(_("room"), max_length=60, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    event_language = models.CharField(
        _("language of the event"),
        max_length=4,
        choices=EventLanguage.choices,
        default=EventLanguage.BOTH,
    )
    audience_statuses = StatusListField(_("for students who are"))
    audience_faculties = models.ManyToManyField(
        "units.UnitPage",
        verbose_name=_("for students at"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "faculty"},
    )
    capacity = capacity_field()
    waitlist_enabled = waitlist_field(
        _("When all places are taken, later signups join a waitlist.")
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("recurrence")
        verbose_name_plural = _("recurrences")

    def __str__(self):
        return f"{self.series_id}: {self.rule} from {self.starts_on}"


# --- Personal data --------------------------------------------------------------------------

# Ticket codes use letters and digits that cannot be mistaken for each other,
# so that an organiser can type one in when the camera fails.
TICKET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TICKET_CODE_LENGTH = 12


def new_ticket_code():
    return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_CODE_LENGTH))


def normalise_ticket_code(value):
    """A typed or scanned code as stored: upper case, without spaces and dashes."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def format_ticket_code(code):
    """The code in groups of four, as printed on the ticket (e.g. K7QX-M2PD-R9TW)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Signup(Booking):
    """A person's signup to an event: a place, a place on the waitlist, or cancelled."""

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="signups"
    )
    ticket_code = models.CharField(
        _("ticket code"), max_length=TICKET_CODE_LENGTH, unique=True, default=new_ticket_code
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = recorded_by_field(_("checked in by"))

    holder_field = "event"

    PERSONAL_FIELDS = Booking.PERSONAL_FIELDS + ("ticket_code", "checked_in_at", "checked_in_by")

    class Meta:
        verbose_name = _("signup")
        verbose_name_plural = _("signups")
        constraints = booking_constraints("event", prefix="activities_signup")
        indexes = booking_indexes("event", prefix="activities_signup")

    def __str__(self):
        return f"{self.person_id} → {self.event_id} ({self.status})"

    @property
    def ticket_code_display(self):
        return format_ticket_code(self.ticket_code)


class SignupAnswer(models.Model):
    """A person's answer to one of an event's signup questions.

    Goes with the signup; deleting a question deletes its answers. Answers to
    personal questions are erased ``EVENT_PERSONAL_ANSWERS_RETENTION_DAYS``
    after the event ends (the privacy register's retention).
    """

    signup = models.ForeignKey(
        Signup, verbose_name=_("signup"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        EventQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    # The answer as the person gave it, in their language; for a choice (yes is 1, no is 2)
    # also its number, which reads in either language.
    value = models.TextField(_("answer"), max_length=1000)
    choice = models.PositiveSmallIntegerField(_("number of the choice"), null=True, blank=True)
    created_at = models.DateTimeField(_("answered"), default=timezone.now)
    updated_at = models.DateTimeField(_("answer changed"), default=timezone.now)

    PERSONAL_FIELDS = ("value", "choice", "created_at", "updated_at")

    class Meta:
        verbose_name = _("signup answer")
        verbose_name_plural = _("signup answers")
        constraints = [
            models.UniqueConstraint(
                fields=["signup", "question"], name="activities_signupanswer_one_per_question"
            )
        ]

    def __str__(self):
        return f"{self.signup_id}: {self.question_id}"

    @property
    def text(self):
        """The answer in the active language."""
        return self.question.answer_text(self)


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A secret address from which a calendar app reads everything one person signed up to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )
    token = models.CharField(_("secret"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    PERSONAL_FIELDS = ("user", "token", "created_at", "revoked_at")

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="activities_calendarfeed_one_active_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user_id} ({'revoked' if self.revoked_at else 'active'})"


class EventCancellation(HolderCancellation):
    """The organisers called the event off: when, by whom and why, in both languages.

    Kept beside the page, not on it, so that publishing an older revision of
    the event cannot bring it back; an event has at most one.
    """

    event = models.OneToOneField(
        EventPage,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="cancellation",
    )

    holder_field = "event"

    class Meta:
        verbose_name = _("event cancellation")
        verbose_name_plural = _("event cancellations")


class NoShowNotice(models.Model):
    """A person was told that their no-shows this semester put them on the waitlist of events
    that use the rule: once per person and semester (``semester``: e.g. ``2026-autumn``)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="noshow_notices",
    )
    semester = models.CharField(_("semester"), max_length=12)
    noshows = models.PositiveSmallIntegerField(_("no-shows"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    PERSONAL_FIELDS = ("person", "semester", "noshows", "sent_at")

    class Meta:
        verbose_name = _("no-show notice")
        verbose_name_plural = _("no-show notices")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "semester"], name="activities_noshownotice_once_per_semester"
            )
        ]

    def __str__(self):
        return f"{self.person_id} ({self.semester})"
