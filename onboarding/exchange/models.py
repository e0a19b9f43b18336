"""Going abroad: partner institutions, exchange agreements, programmes and experience reports.

The shapes follow the Erasmus Without Paper (EWP) data, so that agreements can
be read in and exported rather than retyped: an institution is known by its
SCHAC code (the EWP ``hei-id``), subject areas are ISCED-F 2013 detailed
codes, language requirements are CEFR levels, and terms are autumn and spring
of an academic year. Editing rights follow the agreement's owner unit (its
editors) and the International Section (see ``permissions.py``).
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index

# Information not confirmed for this many months is shown with a notice and reported.
STALE_AFTER_MONTHS = 12
MONTH_DAY = re.compile(r"^--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
month_day_validator = RegexValidator(
    MONTH_DAY.pattern, _("Write the date as --MM-DD, for example --03-01 for 1 March.")
)


class CefrLevel(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


CEFR_ORDER = [level.value for level in CefrLevel]


class TeachingLanguage(models.TextChoices):
    """Languages of teaching at our partners (ISO 639-1, as in EWP)."""

    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    PORTUGUESE = "pt", _("Portuguese")
    DUTCH = "nl", _("Dutch")
    SWEDISH = "sv", _("Swedish")
    DANISH = "da", _("Danish")
    FINNISH = "fi", _("Finnish")
    ICELANDIC = "is", _("Icelandic")
    NORWEGIAN = "no", _("Norwegian")
    POLISH = "pl", _("Polish")
    CZECH = "cs", _("Czech")
    JAPANESE = "ja", _("Japanese")
    CHINESE = "zh", _("Chinese")
    KOREAN = "ko", _("Korean")


class StudyLevel(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    PHD = "phd", _("PhD")


class Season(models.TextChoices):
    """The two terms of an academic year (EWP academic terms: S1 autumn, S2 spring)."""

    AUTUMN = "autumn", _("Autumn")
    SPRING = "spring", _("Spring")


class AgreementType(models.TextChoices):
    ERASMUS = "erasmus", _("Erasmus+")
    NORDPLUS = "nordplus", _("Nordplus")
    BILATERAL = "bilateral", _("Bilateral agreement")
    OTHER = "other", _("Other")


class MobilityFormat(models.TextChoices):
    """How long and in what form a stay is; long stays first."""

    SEMESTER = "semester", _("Semester or year")
    SHORT = "short", _("Short mobility (5–30 days)")
    BLENDED = "blended", _("Blended intensive programme")
    DIGITAL = "digital", _("Digital (virtual) exchange")


# The finder's default order: long stays first.
FORMAT_RANK = {
    MobilityFormat.SEMESTER: 0,
    MobilityFormat.BLENDED: 1,
    MobilityFormat.SHORT: 2,
    MobilityFormat.DIGITAL: 3,
}


def stale_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """The moment 12 months before ``now``: confirmations older than it are stale."""
    now = now or timezone.now()
    year, month = now.year, now.month - STALE_AFTER_MONTHS
    while month < 1:
        month += 12
        year -= 1
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:  # 29-31 in a shorter month
            day -= 1


def month_day_label(value: str) -> str:
    """``--03-01`` as "1 March" / "1. mars" in the active language; empty stays empty."""
    match = MONTH_DAY.match(value or "")
    if not match:
        return ""
    return date_format(datetime.date(2000, int(match[1]), int(match[2])), "MONTH_DAY_FORMAT")


class IscedField(models.Model):
    """An ISCED-F 2013 detailed field of education (four digits), named in both languages.

    Loaded from ``data/isced_f_2013.csv`` by a migration; the list is fixed.
    """

    code = models.CharField(_("ISCED-F code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ISCED-F field")
        verbose_name_plural = _("ISCED-F fields")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Institution(index.Indexed, models.Model):
    """A partner institution, known by its SCHAC code (the EWP ``hei-id``)."""

    schac_code = models.CharField(
        _("SCHAC code"),
        max_length=100,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9.-]*\.[a-z]{2,}$",
                _("A SCHAC code is the institution's domain name in lower case, like uio.no."),
            )
        ],
        help_text=_("The institution's identifier in Erasmus Without Paper (hei-id), e.g. uio.no."),
    )
    name = models.CharField(_("name"), max_length=255)
    # Added by the translation registration (translation.py).
    name_nb: str
    name_en: str
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100)
    website = models.URLField(_("website"), blank=True)
    erasmus_code = models.CharField(_("Erasmus code"), max_length=20, blank=True)

    panels = [
        FieldPanel("schac_code"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("country"), FieldPanel("city")]),
        FieldPanel("website"),
        FieldPanel("erasmus_code"),
    ]
    # The site search's "destination": each language's name stemmed in its language.
    search_fields = [
        index.SearchField("name_nb", boost=2),
        index.SearchField("name_en", boost=2),
        index.SearchField("city"),
        index.SearchField("country_names"),
        index.SearchField("schac_code"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner institution")
        verbose_name_plural = _("partner institutions")

    def __str__(self) -> str:
        return self.name

    def country_names(self) -> str:
        """The country's name in both languages (for the search index)."""
        from django.utils import translation

        names = []
        for language in ("nb", "en"):
            with translation.override(language):
                names.append(str(self.country.name))
        return " ".join(dict.fromkeys(names))


class Agreement(ClusterableModel):
    """An exchange agreement with one partner, owned by one of our faculties or departments.

    Holds the EWP factsheet: deadlines, limits, housing, visa, insurance,
    requirements, accessibility, the package of courses and grants.
    """

    reference = models.CharField(
        _("reference"),
        max_length=60,
        unique=True,
        help_text=_("Our identifier of the agreement, used by import and export."),
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("partner institution"),
        on_delete=models.CASCADE,
        related_name="agreements",
    )
    agreement_type = models.CharField(
        _("type"), max_length=20, choices=AgreementType.choices, default=AgreementType.ERASMUS
    )
    mobility_format = models.CharField(
        _("format"), max_length=20, choices=MobilityFormat.choices, default=MobilityFormat.SEMESTER
    )
    owner_unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="exchange_agreements",
        help_text=_("The faculty or department whose editors keep this agreement up to date."),
    )
    subject_areas = ParentalManyToManyField(
        IscedField, verbose_name=_("subject areas"), related_name="agreements"
    )
    level_bachelor = models.BooleanField(_("bachelor"), default=True)
    level_master = models.BooleanField(_("master"), default=False)
    level_phd = models.BooleanField(_("PhD"), default=False)
    places_out = models.PositiveSmallIntegerField(_("places for our students"), default=2)
    months_out = models.PositiveSmallIntegerField(_("months per place for our students"), default=5)
    places_in = models.PositiveSmallIntegerField(_("places for their students"), default=2)
    months_in = models.PositiveSmallIntegerField(
        _("months per place for their students"), default=5
    )
    days = models.PositiveSmallIntegerField(
        _("days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("For short, blended and digital mobility: how many days the stay lasts."),
    )
    autumn = models.BooleanField(_("autumn semester"), default=True)
    spring = models.BooleanField(_("spring semester"), default=True)
    takes_placements = models.BooleanField(
        _("mandatory placement can be taken here"),
        default=False,
        help_text=_("The partner arranges the placement that a programme requires."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    nomination_autumn = models.CharField(
        _("nomination deadline, autumn"), max_length=7, blank=True, validators=[month_day_validator]
    )
    nomination_spring = models.CharField(
        _("nomination deadline, spring"), max_length=7, blank=True, validators=[month_day_validator]
    )
    application_autumn = models.CharField(
        _("application deadline, autumn"),
        max_length=7,
        blank=True,
        validators=[month_day_validator],
    )
    application_spring = models.CharField(
        _("application deadline, spring"),
        max_length=7,
        blank=True,
        validators=[month_day_validator],
    )
    decision_weeks = models.PositiveSmallIntegerField(
        _("decision within (weeks)"), null=True, blank=True
    )
    transcript_weeks = models.PositiveSmallIntegerField(
        _("transcript of records within (weeks)"), null=True, blank=True
    )
    nomination_criteria = models.TextField(_("nomination criteria"), blank=True)
    housing_info = models.TextField(_("housing"), blank=True)
    housing_email = models.EmailField(_("housing contact email"), blank=True)
    housing_phone = models.CharField(_("housing contact phone"), max_length=40, blank=True)
    housing_url = models.URLField(_("housing web page"), blank=True)
    visa_info = models.TextField(_("visa"), blank=True)
    visa_email = models.EmailField(_("visa contact email"), blank=True)
    visa_phone = models.CharField(_("visa contact phone"), max_length=40, blank=True)
    visa_url = models.URLField(_("visa web page"), blank=True)
    insurance_info = models.TextField(_("insurance"), blank=True)
    insurance_email = models.EmailField(_("insurance contact email"), blank=True)
    insurance_phone = models.CharField(_("insurance contact phone"), max_length=40, blank=True)
    insurance_url = models.URLField(_("insurance web page"), blank=True)
    requires_motivation_letter = models.BooleanField(_("motivation letter"), default=False)
    requires_transcript = models.BooleanField(_("transcript of records"), default=True)
    requires_language_certificate = models.BooleanField(_("language certificate"), default=False)
    requires_cv = models.BooleanField(_("CV"), default=False)
    accessibility_info = models.TextField(_("accessibility"), blank=True)
    is_package = models.BooleanField(_("package solution"), default=False)
    package_courses = models.TextField(
        _("package courses"), blank=True, help_text=_("One course a line.")
    )
    has_grant = models.BooleanField(_("grant available"), default=False)
    grant_info = models.TextField(_("grant"), blank=True)
    last_confirmed = models.DateTimeField(_("confirmed up to date"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("reference"),
                FieldPanel("institution"),
                FieldRowPanel([FieldPanel("agreement_type"), FieldPanel("mobility_format")]),
                FieldPanel("owner_unit"),
                FieldPanel("subject_areas"),
                FieldRowPanel(
                    [
                        FieldPanel("level_bachelor"),
                        FieldPanel("level_master"),
                        FieldPanel("level_phd"),
                    ]
                ),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
            ],
            heading=_("Agreement"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("places_out"), FieldPanel("months_out")]),
                FieldRowPanel([FieldPanel("places_in"), FieldPanel("months_in")]),
                FieldPanel("days"),
                FieldRowPanel([FieldPanel("autumn"), FieldPanel("spring")]),
                FieldPanel("takes_placements"),
            ],
            heading=_("Places and semesters"),
        ),
        InlinePanel(
            "languages", heading=_("Languages of teaching"), label=_("Language"), min_num=1
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("nomination_autumn"), FieldPanel("nomination_spring")]),
                FieldRowPanel([FieldPanel("application_autumn"), FieldPanel("application_spring")]),
                FieldRowPanel([FieldPanel("decision_weeks"), FieldPanel("transcript_weeks")]),
                FieldPanel("nomination_criteria"),
                FieldRowPanel(
                    [
                        FieldPanel("requires_motivation_letter"),
                        FieldPanel("requires_transcript"),
                        FieldPanel("requires_language_certificate"),
                        FieldPanel("requires_cv"),
                    ]
                ),
            ],
            heading=_("Deadlines and requirements"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("housing_info"),
                FieldRowPanel(
                    [
                        FieldPanel("housing_email"),
                        FieldPanel("housing_phone"),
                        FieldPanel("housing_url"),
                    ]
                ),
                FieldPanel("visa_info"),
                FieldRowPanel(
                    [FieldPanel("visa_email"), FieldPanel("visa_phone"), FieldPanel("visa_url")]
                ),
                FieldPanel("insurance_info"),
                FieldRowPanel(
                    [
                        FieldPanel("insurance_email"),
                        FieldPanel("insurance_phone"),
                        FieldPanel("insurance_url"),
                    ]
                ),
                FieldPanel("accessibility_info"),
            ],
            heading=_("Factsheet"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_package"),
                FieldPanel("package_courses"),
                FieldPanel("has_grant"),
                FieldPanel("grant_info"),
            ],
            heading=_("Package and grant"),
        ),
    ]

    class Meta:
        ordering = ["institution__name", "reference"]
        verbose_name = _("exchange agreement")
        verbose_name_plural = _("exchange agreements")
        permissions = [("view_exchange_reports", _("Can see the exchange reports"))]
        indexes = [models.Index(fields=["valid_to", "mobility_format"], name="exchange_agr_valid")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.institution}"

    def clean(self) -> None:
        from .rules import agreement_problems

        problems = agreement_problems(self)
        if problems:
            raise ValidationError(
                {problem.field or "__all__": problem.message for problem in problems}
            )

    @property
    def levels(self) -> list[str]:
        return [
            level
            for level, on in (
                (StudyLevel.BACHELOR, self.level_bachelor),
                (StudyLevel.MASTER, self.level_master),
                (StudyLevel.PHD, self.level_phd),
            )
            if on
        ]

    @property
    def level_labels(self) -> list[str]:
        labels = dict(StudyLevel.choices)
        return [str(labels[level]) for level in self.levels]

    @property
    def seasons(self) -> list[str]:
        return [s for s, on in ((Season.AUTUMN, self.autumn), (Season.SPRING, self.spring)) if on]

    @property
    def is_long(self) -> bool:
        return self.mobility_format == MobilityFormat.SEMESTER

    @property
    def package_course_list(self) -> list[str]:
        return [line.strip() for line in (self.package_courses or "").splitlines() if line.strip()]

    @property
    def requirement_labels(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in (
                "requires_motivation_letter",
                "requires_transcript",
                "requires_language_certificate",
                "requires_cv",
            )
            if getattr(self, name)
        ]

    def deadline_rows(self) -> list[tuple[str, str]]:
        """The deadlines that are set, as (what, when) in the active language."""
        return [
            (str(self._meta.get_field(name).verbose_name), month_day_label(getattr(self, name)))
            for name in (
                "nomination_autumn",
                "application_autumn",
                "nomination_spring",
                "application_spring",
            )
            if getattr(self, name)
        ]

    def practical_rows(self) -> list[dict[str, str]]:
        """Housing, visa and insurance: heading, text and contacts, where any is given."""
        rows = []
        for topic in ("housing", "visa", "insurance"):
            row = {
                "topic": topic,
                "heading": str(self._meta.get_field(f"{topic}_info").verbose_name),
                "text": getattr(self, f"{topic}_info") or "",
                "email": getattr(self, f"{topic}_email"),
                "phone": getattr(self, f"{topic}_phone"),
                "url": getattr(self, f"{topic}_url"),
            }
            if any(row[key] for key in ("text", "email", "phone", "url")):
                rows.append(row)
        return rows

    def is_stale(self, now: datetime.datetime | None = None) -> bool:
        return self.last_confirmed < stale_cutoff(now)


class AgreementLanguage(models.Model):
    """A language of teaching under an agreement, with the CEFR level recommended."""

    agreement = ParentalKey(Agreement, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=TeachingLanguage.choices)
    cefr = models.CharField(_("CEFR level recommended"), max_length=2, choices=CefrLevel.choices)

    panels = [FieldRowPanel([FieldPanel("language"), FieldPanel("cefr")])]

    class Meta:
        ordering = ["pk"]
        verbose_name = _("language of teaching")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "language"], name="exchange_agreement_language_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.cefr}"


class Programme(models.Model):
    """One of our study programmes, with its exchange window and mandatory placements.

    Semesters are counted from the programme's start in the autumn: odd
    semesters are autumn terms, even ones spring terms.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Added by the translation registration (translation.py).
    name_nb: str
    name_en: str
    owner_unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("owner unit"),
        on_delete=models.PROTECT,
        related_name="exchange_programmes",
    )
    isced = models.ForeignKey(
        IscedField, verbose_name=_("ISCED-F field"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("study level"), max_length=10, choices=StudyLevel.choices)
    semesters = models.PositiveSmallIntegerField(_("number of semesters"), default=6)
    window_semesters = models.JSONField(
        _("exchange window (semesters)"),
        default=list,
        help_text=_("The semesters in which exchange fits without delay, e.g. [5] or [3, 4]."),
    )
    placement_semesters = models.JSONField(
        _("mandatory placement (semesters)"), default=list, blank=True
    )

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("owner_unit"),
        FieldRowPanel([FieldPanel("isced"), FieldPanel("level"), FieldPanel("semesters")]),
        FieldRowPanel([FieldPanel("window_semesters"), FieldPanel("placement_semesters")]),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("study programme")
        verbose_name_plural = _("study programmes")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        from .rules import programme_problems

        problems = programme_problems(self)
        if problems:
            raise ValidationError(
                {problem.field or "__all__": problem.message for problem in problems}
            )

    @staticmethod
    def season_of(semester: int) -> str:
        return Season.AUTUMN if semester % 2 == 1 else Season.SPRING

    @property
    def window_seasons(self) -> list[str]:
        return sorted({self.season_of(s) for s in self.window_semesters})

    @property
    def free_window_seasons(self) -> list[str]:
        """The seasons of window semesters without a mandatory placement."""
        placements = set(self.placement_semesters or [])
        return sorted({self.season_of(s) for s in self.window_semesters if s not in placements})

    @property
    def placement_in_window(self) -> bool:
        return bool(set(self.window_semesters) & set(self.placement_semesters or []))


class StudentProgramme(models.Model):
    """The study programme a student follows, which the finder fits destinations to."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="exchange_programme",
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("study programme"), on_delete=models.CASCADE, related_name="+"
    )
    semester = models.PositiveSmallIntegerField(_("current semester"), default=1)

    class Meta:
        verbose_name = _("student's programme")

    def __str__(self) -> str:
        return f"{self.user}: {self.programme}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class ReportLanguage(models.TextChoices):
    NORWEGIAN = "nb", _("Norwegian")
    ENGLISH = "en", _("English")


RATING_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ExperienceReport(models.Model):
    """A returned student's account of a stay, published once the owner unit has moderated it."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_reports",
    )
    language = models.CharField(_("written in"), max_length=2, choices=ReportLanguage.choices)
    year = models.PositiveSmallIntegerField(_("year of the stay"))
    season = models.CharField(_("semester of the stay"), max_length=10, choices=Season.choices)
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("your experience"))
    rating_academic = models.PositiveSmallIntegerField(
        _("teaching and courses"), choices=RATING_CHOICES
    )
    rating_housing = models.PositiveSmallIntegerField(_("housing"), choices=RATING_CHOICES)
    rating_support = models.PositiveSmallIntegerField(
        _("support from the partner"), choices=RATING_CHOICES
    )
    rating_social = models.PositiveSmallIntegerField(_("social life"), choices=RATING_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderation_note = models.TextField(_("note to the author"), blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("experience report")
        verbose_name_plural = _("experience reports")
        indexes = [models.Index(fields=["status", "agreement"], name="exchange_report_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def ratings(self) -> list[tuple[str, int]]:
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in ("rating_academic", "rating_housing", "rating_support", "rating_social")
        ]
