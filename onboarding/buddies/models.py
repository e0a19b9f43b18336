"""The buddy programme: rounds run by a volunteer group, the people in them, and their pairs.

A ``BuddyRound`` is one semester's programme, run by a volunteer-group unit
(its editors are the organisers). People join a round with a
``BuddyProfile``: local students as buddies (who can take one or more
students), arriving students asking for one. The organisers run the matching
(``matching.py``), which proposes ``BuddyMatch`` rows; publishing them
introduces each pair and shares their contact details, only then and only
between the two. ``PairRule`` holds the organisers' pins and forbids.

Everything here is personal data apart from the round itself: a profile and
its matches go when the person's account goes (``on_delete=CASCADE``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

MAX_CAPACITY = 8


class BuddyRound(models.Model):
    """One semester of the buddy programme, run by a volunteer group."""

    unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("volunteer group"),
        on_delete=models.CASCADE,
        related_name="buddy_rounds",
    )
    name_nb = models.CharField(_("name (Norwegian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    semester_starts_on = models.DateField(_("first day of the semester"))
    closes_on = models.DateField(
        _("sign-up closes"),
        help_text=_("Profiles can be given and changed until the end of this day."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("buddy round")
        verbose_name_plural = _("buddy rounds")
        ordering = ["-semester_starts_on", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if translation.get_language() == "nb":
            return self.name_nb or self.name_en
        return self.name_en or self.name_nb

    def names(self) -> dict[str, str]:
        """The name in each language, for notifications (resolved to the reader's language)."""
        return {"nb": self.name_nb, "en": self.name_en}

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Whether profiles can still be given and changed."""
        return (today or timezone.localdate()) <= self.closes_on


class Role(models.TextChoices):
    BUDDY = "buddy", _("Buddy")
    STUDENT = "student", _("Arriving student")


class ArrivingStatus(models.TextChoices):
    """What kind of arriving student; the forecast counts by it (as the student profile's status)."""

    INCOMING_EXCHANGE = "incoming_exchange", _("Incoming exchange student")
    INTERNATIONAL_DEGREE = "international_degree", _("International degree student")
    PHD = "phd", _("PhD candidate")


class BuddyProfile(models.Model):
    """A person in a round: a buddy who can take ``capacity`` students, or a student asking.

    ``available_on`` is when a buddy can start, and a student's arrival date.
    ``wants_same_faculty`` and ``wants_language`` are a student's preferences
    (they weigh more in the matching; they are not demands).
    """

    round = models.ForeignKey(
        BuddyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="profiles"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="buddy_profiles",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    student_status = models.CharField(
        _("status"), max_length=32, choices=ArrivingStatus.choices, blank=True
    )
    faculty = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("faculty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme = models.CharField(_("study programme"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("how many students"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    available_on = models.DateField(_("available from"))
    wants_same_faculty = models.BooleanField(
        _("I would like a buddy from my faculty"), default=False
    )
    wants_language = models.CharField(
        _("I would like a buddy who speaks"), max_length=16, blank=True
    )
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    about = models.TextField(_("a few words about you"), max_length=600, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    PERSONAL_FIELDS = (
        "role",
        "student_status",
        "faculty",
        "programme",
        "languages",
        "interests",
        "capacity",
        "available_on",
        "wants_same_faculty",
        "wants_language",
        "phone",
        "about",
    )

    class Meta:
        verbose_name = _("buddy profile")
        verbose_name_plural = _("buddy profiles")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="buddies_one_profile_a_round"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY),
                name="buddies_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(role="buddy") | Q(capacity=1), name="buddies_student_takes_one"
            ),
        ]
        indexes = [models.Index(fields=["round", "role"], name="buddies_profile_round_role")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_buddy(self) -> bool:
        return self.role == Role.BUDDY


class MatchState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")


class BuddyMatch(models.Model):
    """A student's buddy: proposed by the matching, then published (and then never moved).

    ``score`` is the pair's fit and ``reasons`` the codes of what fits
    (``matching.REASONS``), shown to the organisers.
    """

    round = models.ForeignKey(
        BuddyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="matches"
    )
    student = models.OneToOneField(
        BuddyProfile,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="match",
    )
    buddy = models.ForeignKey(
        BuddyProfile,
        verbose_name=_("buddy"),
        on_delete=models.CASCADE,
        related_name="buddy_matches",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=MatchState.choices, default=MatchState.PROPOSED
    )
    score = models.IntegerField(_("fit"), default=0)
    reasons = models.JSONField(_("why"), default=list, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("buddy match")
        verbose_name_plural = _("buddy matches")
        indexes = [models.Index(fields=["round", "state"], name="buddies_match_round_state")]

    def __str__(self) -> str:
        return f"{self.student.user} – {self.buddy.user}"

    @property
    def is_published(self) -> bool:
        return self.state == MatchState.PUBLISHED


class RuleKind(models.TextChoices):
    PIN = "pin", _("Pinned")
    FORBID = "forbid", _("Forbidden")


class PairRule(models.Model):
    """An organiser's decision about one pair: always together (pin) or never (forbid)."""

    round = models.ForeignKey(
        BuddyRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="rules"
    )
    student = models.ForeignKey(
        BuddyProfile, verbose_name=_("student"), on_delete=models.CASCADE, related_name="+"
    )
    buddy = models.ForeignKey(
        BuddyProfile, verbose_name=_("buddy"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("rule"), max_length=8, choices=RuleKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("set"), auto_now_add=True)

    class Meta:
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")
        constraints = [
            models.UniqueConstraint(fields=["student", "buddy"], name="buddies_one_rule_a_pair"),
            # A student can be pinned to one buddy only.
            models.UniqueConstraint(
                fields=["student"], condition=Q(kind="pin"), name="buddies_one_pin_a_student"
            ),
        ]
