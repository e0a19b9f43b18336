"""Norwegian courses: pages under the language centre, and the personal records that hang off them.

``NorwegianCoursePage`` is content (translated field by field, revisioned,
published by the language centre's editors and the International Section).
``NorwegianCourseCatalogPage`` is the one catalogue of them all.
Enrolments and placement results are personal data in plain models.
``Enrolment`` is a concrete booking of the booking engine
(``onboarding.bookings``), the same engine event signups use: the course page
is its holder (a ``HolderPage``), and its row in ``courses_norwegiancoursepage``
is the row the engine locks.
"""

import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from cms.models import TranslatedPageMixin
from onboarding.accounts.models import NorwegianLevel
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
from onboarding.units.kinds import UnitKind

from .levels import COURSE_LEVEL_CHOICES, level_label, level_rank
from .semesters import Semester, Term


class CourseFormat(models.TextChoices):
    CAMPUS = "campus", _("On campus")
    DIGITAL = "digital", _("Digital")
    INTENSIVE = "intensive", _("Intensive")


WEEKDAY_CHOICES = [(number, WEEKDAYS[number]) for number in range(7)]


class WeekdayListField(models.JSONField):
    """The weekdays a course meets (0 is Monday), edited with checkboxes."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=WEEKDAY_CHOICES,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )


def _is_language_centre(page):
    from onboarding.units.models import UnitPage

    if page is None:
        return False
    if isinstance(page, UnitPage):
        return page.kind == UnitKind.LANGUAGE_CENTRE
    return UnitPage.objects.filter(pk=page.pk, kind=UnitKind.LANGUAGE_CENTRE).exists()


# --- Pages ----------------------------------------------------------------------------------


class NorwegianCourseCatalogPage(TranslatedPageMixin, Page):
    """Every Norwegian course, filtered by level, format and semester (/nb/norskkurs/)."""

    intro = models.TextField(_("introduction"), blank=True)

    optional_translated_fields = TranslatedPageMixin.optional_translated_fields + ("intro",)
    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1
    # Free places change without publishing: never cached whole.
    cache_anonymous = False

    class Meta:
        verbose_name = _("Norwegian course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .page_context import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, catalogue=self))
        return context


class NorwegianCoursePage(HolderPage, TranslatedPageMixin, Page):
    """A Norwegian course of the language centre: level, format, schedule, who may take it, places."""

    description = RichTextField(_("description"))
    learning_outcomes = RichTextField(
        _("learning outcomes"), help_text=_("What a student can do after passing the course.")
    )
    level_from = models.CharField(
        _("level from"),
        max_length=2,
        choices=COURSE_LEVEL_CHOICES,
        help_text=_("The CEFR level the course starts at."),
    )
    level_to = models.CharField(
        _("level to"),
        max_length=2,
        choices=COURSE_LEVEL_CHOICES,
        help_text=_("The CEFR level a student reaches by passing the course."),
    )
    course_format = models.CharField(_("format"), max_length=12, choices=CourseFormat.choices)
    term = models.CharField(_("term"), max_length=8, choices=Term.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    weekdays = WeekdayListField(_("weekdays"), help_text=_("The days of the week it meets."))
    start_time = models.TimeField(_("starts at"), help_text=_("Norwegian time (Europe/Oslo)."))
    end_time = models.TimeField(_("ends at"), help_text=_("Norwegian time (Europe/Oslo)."))
    location = models.CharField(
        _("place"),
        max_length=160,
        blank=True,
        help_text=_("Building and room, for teaching on campus."),
    )
    online = models.BooleanField(_("taught online"), default=False)
    ects_credits = models.DecimalField(
        _("ECTS credits"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    capacity = capacity_field()
    waitlist_enabled = waitlist_field(
        _("When all places are taken, later applicants join a waitlist.")
    )
    application_opens_at = models.DateTimeField(_("application opens"))
    application_closes_at = models.DateTimeField(_("application closes"))
    allocated_in_round = models.BooleanField(
        _("give places in an application round"),
        default=False,
        help_text=_(
            "Students rank this course and its parallel courses (same level and semester) until "
            "the application closes; the language centre then allocates the places by its "
            "priority rules. Otherwise first come, first served."
        ),
    )
    cancellation_deadline = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_("Until when students can give up their place. Leave blank for the first day."),
    )
    allowed_statuses = StatusListField(
        _("for students who are"),
        help_text=_("Leave all unticked if the course is open to every status."),
    )
    min_stay_months = models.PositiveSmallIntegerField(
        _("shortest stay (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Only students staying at least this long may take it. Leave blank for no minimum."
        ),
    )
    max_stay_months = models.PositiveSmallIntegerField(
        _("longest stay (months)"),
        null=True,
        blank=True,
        help_text=_("Only students staying at most this long may take it (a short course)."),
    )
    prerequisite_level = models.CharField(
        _("requires level"),
        max_length=2,
        blank=True,
        choices=COURSE_LEVEL_CHOICES,
        help_text=_(
            "A student needs a passed course reaching this level, or a placement result at it. "
            "Leave blank for a course open to beginners."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("description"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level_from"), FieldPanel("level_to")]),
                FieldPanel("course_format"),
                FieldRowPanel([FieldPanel("term"), FieldPanel("year")]),
                FieldPanel("ects_credits"),
            ],
            heading=_("Level, format and semester"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                FieldPanel("weekdays"),
                FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
                FieldRowPanel([FieldPanel("location"), FieldPanel("online")]),
            ],
            heading=_("Schedule"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("allowed_statuses"),
                FieldRowPanel([FieldPanel("min_stay_months"), FieldPanel("max_stay_months")]),
                FieldPanel("prerequisite_level"),
            ],
            heading=_("Who may take it"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("waitlist_enabled")]),
                FieldRowPanel(
                    [FieldPanel("application_opens_at"), FieldPanel("application_closes_at")]
                ),
                FieldPanel("allocated_in_round"),
                FieldPanel("cancellation_deadline"),
                FieldPanel("pools"),
            ],
            heading=_("Places and application"),
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.SearchField("learning_outcomes"),
        # Each language's columns on their own: the site search stems each in its language.
        index.SearchField("title_nb", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("description_nb"),
        index.SearchField("description_en"),
        index.SearchField("learning_outcomes_nb"),
        index.SearchField("learning_outcomes_en"),
        index.FilterField("level_from"),
        index.FilterField("course_format"),
    ]

    parent_page_types = ["units.UnitPage"]
    subpage_types = []
    cache_anonymous = False

    class Meta:
        verbose_name = _("Norwegian course")
        verbose_name_plural = _("Norwegian courses")
        indexes = [models.Index(fields=["year", "term"], name="courses_course_semester")]

    # --- Tree rules ----------------------------------------------------------------------

    @classmethod
    def can_create_at(cls, parent):
        return super().can_create_at(parent) and _is_language_centre(parent)

    def can_move_to(self, parent):
        return super().can_move_to(parent) and _is_language_centre(parent)

    # --- Derived facts -------------------------------------------------------------------

    @property
    def semester(self):
        return Semester.of(self.year, self.term) if self.year and self.term else None

    @property
    def levels_label(self):
        """ "A1" or "A1–A2"."""
        if not self.level_to or self.level_to == self.level_from:
            return self.level_from
        return f"{self.level_from}–{self.level_to}"

    @property
    def prerequisite_label(self):
        return level_label(self.prerequisite_level)

    @property
    def starts_at(self):
        """The first day's start, as an aware moment (Norwegian time)."""
        return timezone.make_aware(
            datetime.datetime.combine(self.starts_on, self.start_time or datetime.time())
        )

    def offers_end_at(self):
        return self.starts_at

    @property
    def cancellation_closes(self):
        """Until when a place can be given up: the deadline, else the start of the first day."""
        if self.cancellation_deadline:
            return self.cancellation_deadline
        return timezone.make_aware(datetime.datetime.combine(self.starts_on, datetime.time()))

    def application_state(self, now=None):
        """``"not_open"``, ``"open"`` or ``"closed"``: open from opening (inclusive) to closing."""
        now = now or timezone.now()
        if now < self.application_opens_at:
            return "not_open"
        if now >= self.application_closes_at:
            return "closed"
        return "open"

    def may_cancel(self, now=None):
        return (now or timezone.now()) < self.cancellation_closes

    def has_ended(self, now=None):
        return timezone.localdate(now or timezone.now()) > self.ends_on

    def weekday_labels(self):
        return [WEEKDAYS[day] for day in sorted(self.weekdays or []) if day in WEEKDAYS]

    def status_labels(self):
        return status_labels(self.allowed_statuses)

    @property
    def is_open_to_every_status(self):
        return not self.allowed_statuses

    def fits_level(self, level):
        """Whether the course teaches the level after ``level`` (what the student learns next)."""
        wanted = level_rank(level) + 1
        return level_rank(self.level_from) <= wanted <= level_rank(self.level_to)

    def live_topic(self):
        return f"course:{self.pk}"

    @cached_property
    def unit(self):
        """The language centre that teaches the course."""
        from onboarding.units.models import UnitPage

        return UnitPage.objects.filter(
            path=self.path[: -self.steplen], kind=UnitKind.LANGUAGE_CENTRE
        ).first()

    # --- Rules ---------------------------------------------------------------------------

    booking_relation = "enrolments"
    change_fields = {
        "time": ("starts_on", "ends_on", "weekdays", "start_time", "end_time"),
        "place": ("location", "online"),
    }

    def holder_errors(self):
        """The course's own rules (``HolderPage.clean`` adds the capacity's)."""
        errors = {}
        if (
            self.level_from
            and self.level_to
            and level_rank(self.level_to) < level_rank(self.level_from)
        ):
            errors["level_to"] = _(
                "The level reached cannot be below the level the course starts at."
            )
        if (
            self.prerequisite_level
            and self.level_from
            and level_rank(self.prerequisite_level) >= level_rank(self.level_from)
        ):
            errors["prerequisite_level"] = _(
                "The level required must be below the level the course starts at."
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The course must end on or after its first day.")
        if (
            self.starts_on
            and self.semester
            and Semester.containing(self.starts_on) != self.semester
        ):
            errors["starts_on"] = _(
                "The first day must fall in the course's semester (spring: January to June, "
                "autumn: July to December)."
            )
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The lessons must end after they start.")
        unknown_days = [day for day in self.weekdays or [] if day not in WEEKDAYS]
        if unknown_days:
            errors["weekdays"] = _("Choose days from the list.")
        elif not self.weekdays:
            errors["weekdays"] = _("Choose the days the course meets.")
        if not (self.location or self.online):
            errors["location"] = _("Give a place, tick 'taught online', or both.")
        if (
            self.application_opens_at
            and self.application_closes_at
            and self.application_closes_at <= self.application_opens_at
        ):
            errors["application_closes_at"] = _("The application must close after it opens.")
        if (
            self.application_closes_at
            and self.ends_on
            and timezone.localdate(self.application_closes_at) > self.ends_on
        ):
            errors["application_closes_at"] = _(
                "The application must close by the last day of the course."
            )
        if (
            self.cancellation_deadline
            and self.ends_on
            and timezone.localdate(self.cancellation_deadline) > self.ends_on
        ):
            errors["cancellation_deadline"] = _(
                "The cancellation deadline must be by the last day of the course."
            )
        if (
            self.min_stay_months is not None
            and self.max_stay_months is not None
            and self.max_stay_months < self.min_stay_months
        ):
            errors["max_stay_months"] = _(
                "The longest stay cannot be shorter than the shortest stay."
            )
        if unknown_statuses(self.allowed_statuses):
            errors["allowed_statuses"] = _("Choose statuses from the list.")
        if self.path and not _is_language_centre(self.get_parent()):
            errors["title"] = _("A Norwegian course belongs under the language centre.")
        return errors

    def get_context(self, request, *args, **kwargs):
        from .page_context import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(request, course=self))
        return context


# --- Personal data --------------------------------------------------------------------------


class CourseResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class Enrolment(Booking):
    """A student's place on a course, place on its waitlist, or a cancelled one; and the result."""

    course = models.ForeignKey(
        NorwegianCoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    result = models.CharField(_("result"), max_length=8, blank=True, choices=CourseResult.choices)
    result_recorded_at = models.DateTimeField(_("result recorded"), null=True, blank=True)
    result_recorded_by = recorded_by_field(_("result recorded by"))

    holder_field = "course"

    PERSONAL_FIELDS = Booking.PERSONAL_FIELDS + (
        "result",
        "result_recorded_at",
        "result_recorded_by",
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = booking_constraints("course", prefix="courses_enrolment")
        indexes = booking_indexes("course", prefix="courses_enrolment")
        permissions = [
            ("view_coverage_report", _("Can see the Norwegian course coverage report")),
        ]

    def __str__(self):
        return f"{self.person_id} → {self.course_id} ({self.status})"


class CourseCancellation(HolderCancellation):
    """The language centre called the course off: when, by whom and why, in both languages.

    Kept beside the page, not on it, so that publishing an older revision of
    the course cannot bring it back; a course has at most one.
    """

    course = models.OneToOneField(
        NorwegianCoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="cancellation",
    )

    holder_field = "course"

    class Meta:
        verbose_name = _("course cancellation")
        verbose_name_plural = _("course cancellations")


class PlacementSkill(models.TextChoices):
    LISTENING = "listening", _("Listening")
    READING = "reading", _("Reading")
    SPEAKING = "speaking", _("Speaking")
    WRITING = "writing", _("Writing")


class PlacementResult(models.Model):
    """One take of the placement self-assessment: the level per skill and the level it suggests.

    The suggested level is also written to the student profile's Norwegian
    level (``accounts.profile_services.profile_set_norwegian_level``); this
    record keeps when and how it was reached, and counts as the placement
    result a course's prerequisite can be met with.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="placement_results",
    )
    level = models.CharField(_("suggested level"), max_length=4, choices=NorwegianLevel.choices)
    listening = models.CharField(_("listening"), max_length=4, choices=NorwegianLevel.choices)
    reading = models.CharField(_("reading"), max_length=4, choices=NorwegianLevel.choices)
    speaking = models.CharField(_("speaking"), max_length=4, choices=NorwegianLevel.choices)
    writing = models.CharField(_("writing"), max_length=4, choices=NorwegianLevel.choices)
    # The statements ticked, by skill: {"listening": ["A1", "A2"], ...}.
    answers = models.JSONField(_("answers"), default=dict)
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)

    PERSONAL_FIELDS = (
        "user",
        "level",
        "listening",
        "reading",
        "speaking",
        "writing",
        "answers",
        "taken_at",
    )

    class Meta:
        verbose_name = _("placement result")
        verbose_name_plural = _("placement results")
        indexes = [models.Index(fields=["user", "-taken_at"], name="courses_placement_latest")]

    def __str__(self):
        return f"{self.user_id}: {self.level} ({self.taken_at:%Y-%m-%d})"

    def skill_levels(self):
        """(skill label, level label) for the four skills, in order."""
        return [(skill.label, level_label(getattr(self, skill.value))) for skill in PlacementSkill]


# --- Application rounds -------------------------------------------------------------------


class PriorityRule(models.TextChoices):
    """The language centre's priority rules, applied in order before the lot."""

    DEGREE_FIRST = "degree_first", _("Degree students first (they must reach B2)")
    STATUS = "status", _("By status: degree students, PhD candidates, exchange students")
    LONGER_STAY = "longer_stay", _("Longer stays first")


def default_priority_rules():
    return [str(PriorityRule.DEGREE_FIRST), str(PriorityRule.STATUS)]


class AllocationRound(models.Model):
    """The application round of one level in one semester: its rules and its allocation.

    The round's courses are the live courses of that level (``level_from``)
    and semester that give their places in a round. ``seed`` is the lot's
    seed, recorded when the places are allocated: the same seed orders the
    same applicants the same way again.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    term = models.CharField(_("term"), max_length=8, choices=Term.choices)
    level = models.CharField(_("level"), max_length=2, choices=COURSE_LEVEL_CHOICES)
    priority_rules = models.JSONField(_("priority rules"), default=default_priority_rules)
    seed = models.CharField(_("seed of the lot"), max_length=64, blank=True)
    allocated_at = models.DateTimeField(_("allocated"), null=True, blank=True)
    allocated_by = recorded_by_field(_("allocated by"))

    class Meta:
        verbose_name = _("application round")
        verbose_name_plural = _("application rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "term", "level"], name="courses_round_one_per_level"
            )
        ]

    def __str__(self):
        return f"{self.level} · {self.semester}"

    @property
    def semester(self):
        return Semester.of(self.year, self.term)

    def rule_labels(self):
        labels = dict(PriorityRule.choices)
        return [labels[rule] for rule in self.priority_rules if rule in labels]


class RoundOutcome(models.TextChoices):
    PLACED = "placed", _("Place")
    WAITLISTED = "waitlisted", _("Waitlist")
    NONE = "none", _("No place")


class RoundApplication(models.Model):
    """A student's ranked choice of a round's courses, and what the allocation gave them."""

    round = models.ForeignKey(
        AllocationRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="course_round_applications",
    )
    choices = models.JSONField(_("courses, first choice first"), default=list)
    applied_at = models.DateTimeField(_("applied"))
    priority = models.PositiveIntegerField(_("place in the priority order"), null=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=RoundOutcome.choices, blank=True
    )
    course = models.ForeignKey(
        NorwegianCoursePage,
        verbose_name=_("course given"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    choice_rank = models.PositiveSmallIntegerField(_("choice given"), null=True, blank=True)

    PERSONAL_FIELDS = ("choices", "applied_at", "priority", "outcome", "course", "choice_rank")

    class Meta:
        verbose_name = _("round application")
        verbose_name_plural = _("round applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"], name="courses_round_one_application"
            )
        ]

    def __str__(self):
        return f"{self.person_id} → {self.round_id}"
