"""Stays abroad, crises and their safety checks, and requests to come home early.

A *stay* (``StayAbroad``) is an outgoing student's own record of where they
are: the host (an exchange agreement's partner, or free text for a stay
outside the agreements), city and country, dates, and how to reach them and
their people at home. It is kept by consent, without location tracking: the
student types it in and updates it. Its personal fields (``PERSONAL_FIELDS``)
are erased a set number of days after the stay ends
(``settings.STAY_RETENTION_DAYS``); the stay's row, host, place and dates stay
for the statistics, and ``erased_at`` says when the rest went.

A *crisis* (``Crisis``) is declared by the International Section for the
areas it affects (``CrisisArea``: a country, or a city in a country). Every
student with a stay overlapping the day of declaration in one of those areas
gets one *safety check* (``SafetyCheck``), whatever the number of their stays
there; they answer "I am safe" or "I need help", on the site or through the
signed links of the email, and a second answer changes the first. "Need
help" goes to the crisis's duty officer, who acknowledges it.

A *request to come home early* (``EarlyReturnRequest``) names the stay, a
reason and the *plan-B courses* (``PlanBCourse``): the home courses the
student would take instead, entered with the stay or picked with the request
from the courses of their programme's semester (``ProgrammeCourse``). It is
routed to the student's faculty and decided on the same response clock as
pre-approval cases (``onboarding.approvals.clock``), its steps recorded in
``EarlyReturnStep``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from onboarding.approvals.clock import WaitingFor

ECTS_VALIDATORS = [MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))]


class StayAbroad(models.Model):
    """One student's stay abroad, as they registered it."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="stays_abroad",
    )
    # The host: an exchange agreement's partner, or free text for a stay outside the agreements.
    agreement = models.ForeignKey(
        "exchange.Agreement",
        verbose_name=_("exchange agreement"),
        on_delete=models.SET_NULL,
        related_name="stays_abroad",
        null=True,
        blank=True,
    )
    host_name = models.CharField(
        _("host institution or organisation"),
        max_length=255,
        blank=True,
        help_text=_("For a stay outside the university's agreements."),
    )
    # The pre-approval case whose learning agreement the stay follows, if any.
    case = models.ForeignKey(
        "approvals.PreApprovalCase",
        verbose_name=_("pre-approval case"),
        on_delete=models.SET_NULL,
        related_name="stays_abroad",
        null=True,
        blank=True,
    )
    city = models.CharField(_("city"), max_length=100)
    country = CountryField(_("country"), db_index=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    # Personal fields: erased STAY_RETENTION_DAYS after ends_on.
    local_address = models.TextField(_("address abroad"), blank=True)
    local_phone = models.CharField(_("phone abroad"), max_length=40, blank=True)
    emergency_name = models.CharField(_("emergency contact at home"), max_length=200, blank=True)
    emergency_relation = models.CharField(_("relation to you"), max_length=100, blank=True)
    emergency_phone = models.CharField(_("emergency contact's phone"), max_length=40, blank=True)
    emergency_email = models.EmailField(_("emergency contact's email"), blank=True)
    second_name = models.CharField(_("second contact"), max_length=200, blank=True)
    second_phone = models.CharField(_("second contact's phone"), max_length=40, blank=True)
    second_email = models.EmailField(_("second contact's email"), blank=True)
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    erased_at = models.DateTimeField(_("personal details erased"), null=True, blank=True)

    # What retention erases; everything else stays for the statistics.
    PERSONAL_FIELDS = (
        "local_address",
        "local_phone",
        "emergency_name",
        "emergency_relation",
        "emergency_phone",
        "emergency_email",
        "second_name",
        "second_phone",
        "second_email",
    )

    class Meta:
        verbose_name = _("stay abroad")
        verbose_name_plural = _("stays abroad")
        ordering = ["-starts_on", "-pk"]
        permissions = [
            ("manage_crises", _("Can declare crises and see every stay abroad")),
            ("export_stays", _("Can export stays abroad for crisis use")),
        ]
        indexes = [models.Index(fields=["country", "starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="stays_stay_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.city}, {self.country.name} ({self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d})"
        )


class PlanBCourse(models.Model):
    """A home course the student would take if they come home early.

    Entered with the stay (``stay``), or copied to a request to come home
    (``request``) when the student asks, where they may change them.
    """

    stay = models.ForeignKey(
        StayAbroad,
        verbose_name=_("stay abroad"),
        on_delete=models.CASCADE,
        related_name="plan_b_courses",
        null=True,
        blank=True,
    )
    request = models.ForeignKey(
        "EarlyReturnRequest",
        verbose_name=_("request to come home early"),
        on_delete=models.CASCADE,
        related_name="plan_b_courses",
        null=True,
        blank=True,
    )
    course = models.ForeignKey(
        "ProgrammeCourse",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    code = models.CharField(_("course code"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    ects = models.DecimalField(
        _("ECTS credits"), max_digits=4, decimal_places=1, validators=ECTS_VALIDATORS
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("plan-B course")
        verbose_name_plural = _("plan-B courses")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stay__isnull=False, request__isnull=True)
                | models.Q(stay__isnull=True, request__isnull=False),
                name="stays_plan_b_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgrammeCourse(models.Model):
    """A course of a study programme in one of its semesters: what plan-B courses are picked from."""

    programme = models.ForeignKey(
        "exchange.Programme",
        verbose_name=_("study programme"),
        on_delete=models.CASCADE,
        related_name="stay_courses",
    )
    semester = models.PositiveSmallIntegerField(
        _("semester"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    code = models.CharField(_("course code"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    # Added by the translation registration (translation.py).
    title_nb: str
    title_en: str
    ects = models.DecimalField(
        _("ECTS credits"), max_digits=4, decimal_places=1, validators=ECTS_VALIDATORS
    )
    # Taught in the autumn, the spring, or both.
    autumn = models.BooleanField(_("autumn semester"), default=True)
    spring = models.BooleanField(_("spring semester"), default=True)

    class Meta:
        verbose_name = _("programme course")
        verbose_name_plural = _("programme courses")
        ordering = ["programme", "semester", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "semester", "code"], name="stays_programme_course_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Severity(models.TextChoices):
    ADVISORY = "advisory", _("Advisory")
    SERIOUS = "serious", _("Serious")
    CRITICAL = "critical", _("Critical")


class Crisis(models.Model):
    """A crisis in one or more areas, declared by the International Section."""

    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message to the students"))
    # Added by the translation registration (translation.py).
    title_nb: str
    title_en: str
    message_nb: str
    message_en: str
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.SERIOUS
    )
    duty_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("duty officer"),
        on_delete=models.PROTECT,
        related_name="crises_on_duty",
        help_text=_("Receives every 'I need help' answer and must acknowledge it."),
    )
    # Hours between reminders to those who have not answered.
    reminder_hours = models.PositiveSmallIntegerField(
        _("remind those who have not answered every (hours)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
    )
    # Minutes within which the duty officer should acknowledge a call for help.
    acknowledge_minutes = models.PositiveSmallIntegerField(
        _("acknowledge a call for help within (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    declared_at = models.DateTimeField(_("declared"), default=timezone.now, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Counts kept for the record when the personal answers are erased with their stays.
    summary = models.JSONField(_("answers at closing"), default=dict, blank=True)

    class Meta:
        verbose_name = _("crisis")
        verbose_name_plural = _("crises")
        ordering = ["-declared_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CrisisArea(models.Model):
    """An area a crisis affects: a whole country, or one city in it."""

    crisis = models.ForeignKey(
        Crisis, verbose_name=_("crisis"), on_delete=models.CASCADE, related_name="areas"
    )
    country = CountryField(_("country"))
    city = models.CharField(
        _("city"), max_length=100, blank=True, help_text=_("Empty: the whole country.")
    )

    class Meta:
        verbose_name = _("affected area")
        verbose_name_plural = _("affected areas")
        ordering = ["country", "city"]
        constraints = [
            models.UniqueConstraint(
                fields=["crisis", "country", "city"], name="stays_crisis_area_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city}, {self.country.name}" if self.city else str(self.country.name)


class CheckAnswer(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    SAFE = "safe", _("I am safe")
    HELP = "help", _("I need help")


class SafetyCheck(models.Model):
    """One student's safety check in one crisis: their answer, reminders and the duty officer's
    acknowledgement of a call for help."""

    crisis = models.ForeignKey(
        Crisis, verbose_name=_("crisis"), on_delete=models.CASCADE, related_name="checks"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="safety_checks",
    )
    # The stay that put the student in the area (the first by start, for two stays there).
    stay = models.ForeignKey(
        StayAbroad,
        verbose_name=_("stay abroad"),
        on_delete=models.SET_NULL,
        related_name="safety_checks",
        null=True,
        blank=True,
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=CheckAnswer.choices, default=CheckAnswer.PENDING
    )
    message = models.TextField(_("message"), blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # How many answers the student gave (a second answer changes the first).
    answer_count = models.PositiveSmallIntegerField(_("answers given"), default=0)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    # Set when the answer becomes "I need help"; cleared with a new answer.
    help_asked_at = models.DateTimeField(_("asked for help"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal answer erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("safety check")
        verbose_name_plural = _("safety checks")
        ordering = ["crisis", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["crisis", "student"], name="stays_check_once")
        ]
        indexes = [models.Index(fields=["crisis", "answer"])]

    def __str__(self) -> str:
        return f"{self.crisis}: {self.get_answer_display()}"


class ReturnReason(models.TextChoices):
    CRISIS = "crisis", _("A crisis where I am")
    HEALTH = "health", _("Health")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")


class ReturnStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgreementOutcome(models.TextChoices):
    """What a decision to come home does to the learning agreement."""

    UNCHANGED = "unchanged", _("The learning agreement stays as it is")
    ENDED = "ended", _("The learning agreement ends at the return; completed courses count")
    REPLACED = "replaced", _("The plan-B courses replace the courses not completed abroad")


class EarlyReturnRequest(models.Model):
    """A student's request to come home early from a stay, decided by their faculty."""

    stay = models.ForeignKey(
        StayAbroad,
        verbose_name=_("stay abroad"),
        on_delete=models.CASCADE,
        related_name="early_return_requests",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="early_return_requests",
    )
    reason = models.CharField(_("reason"), max_length=10, choices=ReturnReason.choices)
    crisis = models.ForeignKey(
        Crisis,
        verbose_name=_("crisis"),
        on_delete=models.SET_NULL,
        related_name="early_return_requests",
        null=True,
        blank=True,
    )
    explanation = models.TextField(_("explanation"), blank=True)
    return_on = models.DateField(_("home from"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.SUBMITTED
    )
    waiting_for = models.CharField(
        _("waiting for"), max_length=10, choices=WaitingFor.choices, default=WaitingFor.ADVISER
    )
    # Fixed at submission: the faculty of the student's programme, and its promise.
    unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="early_return_requests",
    )
    decision_days = models.PositiveSmallIntegerField(_("decision promised within (working days)"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    agreement_outcome = models.CharField(
        _("learning agreement"), max_length=10, choices=AgreementOutcome.choices, blank=True
    )

    class Meta:
        verbose_name = _("request to come home early")
        verbose_name_plural = _("requests to come home early")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ReturnStepKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    QUESTION = "question", _("question to the student")
    ANSWER = "answer", _("answer from the student")
    COMMENT = "comment", _("comment")
    DECIDED = "decided", _("decided")
    WITHDRAWN = "withdrawn", _("withdrawn")


class EarlyReturnStep(models.Model):
    """One recorded step of a request to come home: who did what when, and whom it waits for."""

    request = models.ForeignKey(
        EarlyReturnRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="steps",
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
    kind = models.CharField(_("step"), max_length=12, choices=ReturnStepKind.choices)
    waiting_for = models.CharField(
        _("waiting for after this"), max_length=10, choices=WaitingFor.choices
    )
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("step of a request to come home")
        verbose_name_plural = _("steps of requests to come home")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_kind_display()}"
