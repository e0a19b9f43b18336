"""Course approval: earlier decisions, pre-approval cases, learning agreements, recognition.

*Precedents* (``CourseApproval``) are decisions that one or more courses at a
partner institution count as one or more of our courses (or as an elective
at a level in a subject area). A decision is one row however many courses it
joins: a combination of foreign courses approved together against a set of
home courses stays one decision, with its foreign and home sides as rows of
``ForeignCourse`` and ``HomeCourse``.

A *case* (``PreApprovalCase``) is a student's request to approve the courses
they plan to take at a destination. Its *lines* (``CaseLine``) have the same
two sides as a precedent and are decided one by one; every step is recorded
(``CaseStep``), and the steps drive the case's clock (``clock.py``). The case
goes to the unit that answers pre-approval cases for the student's programme
in the responsibility matrix, fixed at submission, together with the unit
that holds Accountable (where late cases escalate) and the promised times.

A *change* to a learning agreement during the stay is a case of its own kind
(``kind = change``) that ``amends`` the original case: it has its own lines,
steps and clock, and its lines may drop earlier approved lines. The learning
agreement (``LearningAgreement``) is the approved lines of the case and its
approved changes, with what the agreement needs beyond them.

*Recognition* after return: the student or adviser enters the transcript
(``TranscriptLine``), the system matches it to the learning agreement, and
grades convert by a table per institution or country (``GradeScale``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.search import index

from onboarding.exchange.models import Season, StudyLevel

from .clock import WaitingFor

# A precedent is valid this many years after its decision unless the decision says otherwise.
VALID_YEARS = 5
ECTS_VALIDATORS = [MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("120"))]


def default_valid_until(decided_on: datetime.date) -> datetime.date:
    """Five years after ``decided_on`` (28 February for a decision on 29 February)."""
    try:
        return decided_on.replace(year=decided_on.year + VALID_YEARS)
    except ValueError:
        return decided_on.replace(year=decided_on.year + VALID_YEARS, day=28)


class Taught(models.TextChoices):
    AUTUMN = "autumn", _("autumn")
    SPRING = "spring", _("spring")
    BOTH = "both", _("autumn and spring")
    UNKNOWN = "", _("not known")


class HomeKind(models.TextChoices):
    COURSE = "course", _("one of our courses")
    ELECTIVE = "elective", _("elective")


class PrecedentSource(models.TextChoices):
    CASE = "case", _("a pre-approval case")
    IMPORT = "import", _("an imported list")
    MANUAL = "manual", _("entered by staff")


class UnitPromise(models.Model):
    """The times a unit promises for pre-approval cases, in working days."""

    unit = models.OneToOneField(
        "units.UnitPage",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="approval_promise",
    )
    first_response_days = models.PositiveSmallIntegerField(
        _("first response within (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    decision_days = models.PositiveSmallIntegerField(
        _("decision within (working days)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("promised response times")
        verbose_name_plural = _("promised response times")

    def __str__(self) -> str:
        return str(self.unit)


class CourseApproval(index.Indexed, ClusterableModel):
    """One earlier decision: foreign courses (one or a combination) approved as home courses.

    A cluster with its two sides, so that the admin edits a decision whole (inline panels).
    """

    institution = models.ForeignKey(
        "exchange.Institution",
        verbose_name=_("partner institution"),
        on_delete=models.PROTECT,
        related_name="course_approvals",
    )
    deciding_unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("deciding unit"),
        on_delete=models.PROTECT,
        related_name="course_approvals",
    )
    isced = models.ForeignKey(
        "exchange.IscedField",
        verbose_name=_("subject area (ISCED-F)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_on = models.DateField(_("decided on"))
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=PrecedentSource.choices, default=PrecedentSource.MANUAL
    )
    # The key of an imported row, so that importing the same list again changes nothing.
    import_key = models.CharField(
        _("import key"), max_length=64, unique=True, null=True, blank=True
    )
    # Lower-case words of both sides and both languages, kept by the services for search.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # The site search's "precedent": both sides' courses, our titles in each language.
    search_fields = [
        index.SearchField("note"),
        index.SearchField("search_text"),
        index.RelatedFields(
            "institution",
            [index.SearchField("name_nb"), index.SearchField("name_en"), index.SearchField("city")],
        ),
        index.RelatedFields(
            "home_courses",
            [
                index.SearchField("code"),
                index.SearchField("title_nb", boost=2),
                index.SearchField("title_en", boost=2),
            ],
        ),
        index.RelatedFields(
            "foreign_courses", [index.SearchField("code"), index.SearchField("title", boost=2)]
        ),
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("earlier decision")
        verbose_name_plural = _("earlier decisions")
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["institution", "-decided_on"]),
            # The search reads valid and expired decisions newest first, a page at a time.
            models.Index(fields=["-decided_on", "-id"], name="approvals_precedent_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("decided_on")),
                name="approvals_precedent_valid_after_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution}: {self.decided_on:%Y-%m-%d}"

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.valid_until < (today or timezone.localdate())


class ForeignCourseBase(models.Model):
    """A course at the partner institution, as its own catalogue names it."""

    code = models.CharField(_("course code"), max_length=40)
    title = models.CharField(_("title (original language)"), max_length=255)
    ects = models.DecimalField(
        _("ECTS credits"), max_digits=4, decimal_places=1, validators=ECTS_VALIDATORS
    )
    level = models.CharField(
        _("level"), max_length=10, choices=StudyLevel.choices, default=StudyLevel.BACHELOR
    )
    url = models.URLField(_("course web page"), blank=True)
    taught = models.CharField(
        _("semester taught"), max_length=10, choices=Taught.choices, blank=True, default=""
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class HomeCourseBase(models.Model):
    """What foreign courses count as: one of our courses, or an elective at a level in a field."""

    kind = models.CharField(
        _("counts as"), max_length=10, choices=HomeKind.choices, default=HomeKind.COURSE
    )
    code = models.CharField(_("course code"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True)
    # Added by the translation registration (translation.py).
    title_nb: str
    title_en: str
    elective_level = models.CharField(
        _("elective level"), max_length=10, choices=StudyLevel.choices, blank=True
    )
    elective_field = models.ForeignKey(
        "exchange.IscedField",
        verbose_name=_("elective subject area"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    ects = models.DecimalField(
        _("ECTS credits"), max_digits=4, decimal_places=1, validators=ECTS_VALIDATORS
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        if self.kind == HomeKind.ELECTIVE:
            return f"{self.get_kind_display()} {self.get_elective_level_display()}"
        return f"{self.code} {self.title}"


class ForeignCourse(ForeignCourseBase):
    approval = ParentalKey(
        CourseApproval,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="foreign_courses",
    )
    # The admin's inline panel keeps the order of the courses in this field.
    sort_order_field = "sort_order"

    class Meta(ForeignCourseBase.Meta):
        verbose_name = _("course abroad")
        verbose_name_plural = _("courses abroad")
        # Codes are compared without regard to case (the same course in two decisions).
        indexes = [
            models.Index(fields=["code"]),
            models.Index(Upper("code"), name="approvals_foreign_code_upper"),
        ]


class HomeCourse(HomeCourseBase):
    approval = ParentalKey(
        CourseApproval,
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="home_courses",
    )
    sort_order_field = "sort_order"

    class Meta(HomeCourseBase.Meta):
        verbose_name = _("home course")
        verbose_name_plural = _("home courses")
        indexes = [
            models.Index(fields=["code"]),
            models.Index(Upper("code"), name="approvals_home_code_upper"),
        ]


class CaseKind(models.TextChoices):
    PREAPPROVAL = "preapproval", _("pre-approval")
    CHANGE = "change", _("change to the learning agreement")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("being handled")
    DECIDED = "decided", _("decided")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PreApprovalCase(models.Model):
    """A student's request to have courses abroad approved, or to change an approved set."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=CaseKind.choices, default=CaseKind.PREAPPROVAL
    )
    # For a change: the pre-approval case whose learning agreement it changes.
    amends = models.ForeignKey(
        "self",
        verbose_name=_("changes the agreement of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="preapproval_cases",
    )
    agreement = models.ForeignKey(
        "exchange.Agreement",
        verbose_name=_("destination"),
        on_delete=models.PROTECT,
        related_name="preapproval_cases",
    )
    programme = models.ForeignKey(
        "exchange.Programme",
        verbose_name=_("study programme"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    season = models.CharField(_("semester"), max_length=10, choices=Season.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT
    )
    waiting_for = models.CharField(
        _("waiting for"), max_length=10, choices=WaitingFor.choices, default=WaitingFor.NOBODY
    )
    # Fixed at submission from the responsibility matrix: a later change of the
    # matrix sends new cases elsewhere, never the ones already on their way.
    unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="preapproval_cases",
        null=True,
        blank=True,
    )
    accountable_unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("accountable unit"),
        on_delete=models.PROTECT,
        related_name="accountable_preapproval_cases",
        null=True,
        blank=True,
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        on_delete=models.SET_NULL,
        related_name="advised_preapproval_cases",
        null=True,
        blank=True,
    )
    # The unit's promise when the case was submitted.
    first_response_days = models.PositiveSmallIntegerField(
        _("first response promised within (working days)"), null=True, blank=True
    )
    decision_days = models.PositiveSmallIntegerField(
        _("decision promised within (working days)"), null=True, blank=True
    )
    student_note = models.TextField(_("note to the adviser"), blank=True)
    reason = models.TextField(_("reason for the change"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("pre-approval case")
        verbose_name_plural = _("pre-approval cases")
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_any_case", _("Can handle every unit's pre-approval cases"))]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="preapproval", amends__isnull=True)
                | models.Q(kind="change", amends__isnull=False),
                name="approvals_case_change_amends",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class LineDecision(models.TextChoices):
    PENDING = "pending", _("not decided yet")
    APPROVED = "approved", _("approved")
    CONDITIONS = "conditions", _("approved with conditions")
    REFUSED = "refused", _("refused")
    NEEDS_INFO = "needs_info", _("needs information")


APPROVING = (LineDecision.APPROVED, LineDecision.CONDITIONS)
FINAL_DECISIONS = (LineDecision.APPROVED, LineDecision.CONDITIONS, LineDecision.REFUSED)


class LineAction(models.TextChoices):
    ADD = "add", _("take these courses")
    DROP = "drop", _("drop an approved line")


class CaseLine(models.Model):
    """One proposal of a case: foreign courses (one or a combination) to count as home courses.

    In a change case a line may instead drop a line approved earlier (``drops``).
    """

    case = models.ForeignKey(
        PreApprovalCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="lines"
    )
    action = models.CharField(
        _("action"), max_length=4, choices=LineAction.choices, default=LineAction.ADD
    )
    drops = models.ForeignKey(
        "self",
        verbose_name=_("drops"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dropped_by",
    )
    # The earlier decision the student started from, when they picked one.
    precedent = models.ForeignKey(
        CourseApproval,
        verbose_name=_("earlier decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_lines",
    )
    # The earlier decision this line became when it was approved (approved lines become precedents).
    recorded_as = models.OneToOneField(
        CourseApproval,
        verbose_name=_("recorded as earlier decision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_line",
    )
    student_comment = models.TextField(_("why this fits"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=LineDecision.choices, default=LineDecision.PENDING
    )
    comment = models.TextField(_("adviser's comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("case line")
        verbose_name_plural = _("case lines")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.case} / {self.pk}"

    @property
    def approved(self) -> bool:
        return self.decision in APPROVING


class LineForeignCourse(ForeignCourseBase):
    line = models.ForeignKey(
        CaseLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="foreign_courses"
    )

    class Meta(ForeignCourseBase.Meta):
        verbose_name = _("course abroad in a case")
        verbose_name_plural = _("courses abroad in a case")


class LineHomeCourse(HomeCourseBase):
    line = models.ForeignKey(
        CaseLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="home_courses"
    )

    class Meta(HomeCourseBase.Meta):
        verbose_name = _("home course in a case")
        verbose_name_plural = _("home courses in a case")


class StepKind(models.TextChoices):
    CREATED = "created", _("case opened")
    SUBMITTED = "submitted", _("submitted")
    ASSIGNED = "assigned", _("assigned to an adviser")
    LINE_DECIDED = "line_decided", _("line decided")
    QUESTION = "question", _("question to the student")
    ANSWER = "answer", _("answer from the student")
    HOST_ASKED = "host_asked", _("asked the host institution")
    HOST_ANSWERED = "host_answered", _("the host institution answered")
    COMMENT = "comment", _("comment")
    DECIDED = "decided", _("case decided")
    ESCALATED = "escalated", _("escalated as late")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Steps by the adviser's side that count as the case's first response.
RESPONSE_STEPS = (
    StepKind.LINE_DECIDED,
    StepKind.QUESTION,
    StepKind.HOST_ASKED,
    StepKind.COMMENT,
    StepKind.DECIDED,
)


class CaseStep(models.Model):
    """One recorded step of a case: who did what when, and whom the case waits for after it."""

    case = models.ForeignKey(
        PreApprovalCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="steps"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("step"), max_length=16, choices=StepKind.choices)
    line = models.ForeignKey(
        CaseLine,
        verbose_name=_("line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
    )
    # For a decided line: the decision it got at this step.
    decision = models.CharField(
        _("decision"), max_length=12, choices=LineDecision.choices, blank=True
    )
    waiting_for = models.CharField(
        _("waiting for after this"), max_length=10, choices=WaitingFor.choices
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"


class LearningAgreement(models.Model):
    """The learning agreement of a decided pre-approval case: what the agreement needs beyond it.

    Its tables A (courses abroad) and B (the home courses they replace) are the
    approved lines of the case and of its approved changes, less dropped lines.
    """

    case = models.OneToOneField(
        PreApprovalCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="learning_agreement",
    )
    language = models.CharField(_("language of instruction"), max_length=2, blank=True)
    cefr = models.CharField(_("student's CEFR level in it"), max_length=2, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("learning agreement")
        verbose_name_plural = _("learning agreements")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.case_id}"


class HomeGrade(models.TextChoices):
    """Our grades: the letter scale, and pass or fail for courses graded so."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", _("F (fail)")
    PASS = "passed", _("passed")
    FAIL = "failed", _("not passed")


# The grades of ours that mean the course was not passed.
FAILING_GRADES = (HomeGrade.F, HomeGrade.FAIL)


class GradeScale(ClusterableModel):
    """How a partner institution's (or a country's) grades convert to ours, kept by staff."""

    institution = models.OneToOneField(
        "exchange.Institution",
        verbose_name=_("partner institution"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grade_scale",
    )
    country = CountryField(_("country"), blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("grade conversion table")
        verbose_name_plural = _("grade conversion tables")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(institution__isnull=False) & models.Q(country=""))
                | (models.Q(institution__isnull=True) & ~models.Q(country="")),
                name="approvals_scale_institution_or_country",
            ),
            models.UniqueConstraint(
                fields=["country"],
                condition=~models.Q(country=""),
                name="approvals_scale_one_per_country",
            ),
        ]

    panels = [
        FieldRowPanel([FieldPanel("institution"), FieldPanel("country")]),
        FieldPanel("note"),
        InlinePanel("rows", heading=_("Their grades and ours"), label=_("Grade"), min_num=1),
    ]

    def __str__(self) -> str:
        return str(self.institution) if self.institution_id else str(self.country.name)

    def clean(self) -> None:
        # The same rule as the check constraint, said in words a person can act on.
        if bool(self.institution_id) == bool(self.country):
            raise ValidationError(
                _("A table is either a partner institution's or a country's: choose one of them.")
            )


class GradeConversion(models.Model):
    scale = ParentalKey(
        GradeScale, verbose_name=_("table"), on_delete=models.CASCADE, related_name="rows"
    )
    foreign_grade = models.CharField(_("their grade"), max_length=20)
    home_grade = models.CharField(_("our grade"), max_length=20, choices=HomeGrade.choices)

    panels = [FieldRowPanel([FieldPanel("foreign_grade"), FieldPanel("home_grade")])]
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("grade conversion")
        verbose_name_plural = _("grade conversions")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "foreign_grade"], name="approvals_conversion_grade_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.foreign_grade} → {self.home_grade}"


class TranscriptLine(models.Model):
    """One line of the transcript of records from the stay, entered after return."""

    case = models.ForeignKey(
        PreApprovalCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="transcript_lines",
    )
    code = models.CharField(_("course code"), max_length=40)
    title = models.CharField(_("title"), max_length=255, blank=True)
    grade = models.CharField(_("grade"), max_length=20)
    ects = models.DecimalField(
        _("ECTS credits"), max_digits=4, decimal_places=1, validators=ECTS_VALIDATORS
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("transcript line")
        verbose_name_plural = _("transcript lines")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.grade}"


class RecognitionDecision(models.Model):
    """The recognition decided after return: a record of the draft as the adviser confirmed it."""

    case = models.OneToOneField(
        PreApprovalCase,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="recognition",
    )
    # The matched draft as it was confirmed: recognised, missing and new-decision rows.
    outcome = models.JSONField(_("outcome"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.case_id}"
