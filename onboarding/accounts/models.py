from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class UserManager(BaseUserManager):
    """Users are identified by their email address; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account. Profile details live in their own model."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Emails and notifications are sent in this language."),
    )

    preferred_name = models.CharField(
        _("preferred name"),
        max_length=150,
        blank=True,
        help_text=_("What you would like to be called, if not your given name."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    # Every field holding personal data, for export and erasure.
    PERSONAL_FIELDS = (
        "email",
        "first_name",
        "last_name",
        "preferred_name",
        "language",
        "last_login",
        "date_joined",
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_short_name(self):
        """What to call the person: their preferred name, else their given name, else ""."""
        return self.preferred_name or self.first_name

    @property
    def display_name(self):
        """The name others see: the preferred name with the family name, else the full name.

        People who have not given a name yet (accounts made before signup asked
        for one) are shown by their email address.
        """
        given = self.preferred_name or self.first_name
        return " ".join(part for part in (given, self.last_name) if part).strip() or self.email

    @property
    def legal_name(self):
        """The given and family name, for official lists; empty when none is known."""
        return self.get_full_name()

    @property
    def goes_by_another_name(self):
        """Whether the displayed name differs from the given name (so lists show both)."""
        return bool(self.preferred_name) and self.preferred_name != self.first_name


# --- The student profile ----------------------------------------------------------------


class StudentStatus(models.TextChoices):
    """Where a person stands in the journey; checklists, events and courses target these."""

    INCOMING_EXCHANGE = "incoming_exchange", _("Incoming exchange student")
    INTERNATIONAL_DEGREE = "international_degree", _("International degree student")
    PHD = "phd", _("PhD candidate")
    OUTGOING = "outgoing", _("Norwegian student going abroad")
    BUDDY = "buddy", _("Local buddy")


# The statuses of people who arrive here from abroad: their plan counts from an arrival date.
ARRIVING_STATUSES = (
    StudentStatus.INCOMING_EXCHANGE,
    StudentStatus.INTERNATIONAL_DEGREE,
    StudentStatus.PHD,
)


class NorwegianLevel(models.TextChoices):
    """A level of Norwegian on the Common European Framework of Reference (CEFR)."""

    NONE = "none", _("None yet")
    A1 = "A1", _("A1 (beginner)")
    A2 = "A2", _("A2 (elementary)")
    B1 = "B1", _("B1 (intermediate)")
    B2 = "B2", _("B2 (upper intermediate)")
    C1 = "C1", _("C1 (advanced)")
    C2 = "C2", _("C2 (proficient)")


class Interest(models.TextChoices):
    """What a person likes doing; volunteer groups are recommended from these."""

    OUTDOORS = "outdoors", _("Outdoor life and hiking")
    SPORTS = "sports", _("Sports and exercise")
    MUSIC = "music", _("Music and choirs")
    CULTURE = "culture", _("Arts, film and theatre")
    FOOD = "food", _("Food and cooking")
    GAMES = "games", _("Games")
    TECHNOLOGY = "technology", _("Technology")
    DEBATE = "debate", _("Debate and politics")
    LANGUAGES = "languages", _("Languages and culture exchange")
    HELPING = "helping", _("Helping others")
    SUSTAINABILITY = "sustainability", _("Climate and sustainability")
    FAITH = "faith", _("Faith and life stances")


class StudentProfile(models.Model):
    """What a student tells us about their studies and stay, to build their arrival plan.

    Personal data: every field that describes the person is listed in
    ``PERSONAL_FIELDS``, which export and erasure cover. The preferred
    language is the user's ``language`` (see ``User.PERSONAL_FIELDS``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="student_profile",
    )
    status = models.CharField(_("status"), max_length=32, choices=StudentStatus.choices)
    home_country = CountryField(_("home country"), blank=True)
    home_institution = models.CharField(_("home institution"), max_length=200, blank=True)
    faculty = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("faculty"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    programme = models.CharField(_("study programme"), max_length=200, blank=True)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    norwegian_level = models.CharField(
        _("Norwegian level"),
        max_length=4,
        choices=NorwegianLevel.choices,
        default=NorwegianLevel.NONE,
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    contact_consent = models.BooleanField(
        _("units I follow may contact me"),
        default=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Every field holding personal data, for export and erasure.
    PERSONAL_FIELDS = (
        "status",
        "home_country",
        "home_institution",
        "faculty",
        "department",
        "programme",
        "arrival_date",
        "departure_date",
        "norwegian_level",
        "interests",
        "contact_consent",
        "created_at",
        "updated_at",
    )

    class Meta:
        verbose_name = _("student profile")
        verbose_name_plural = _("student profiles")
        indexes = [
            models.Index(fields=["faculty", "status"], name="accounts_profile_faculty"),
            models.Index(fields=["department", "status"], name="accounts_profile_department"),
        ]

    def __str__(self):
        return str(self.user)

    @property
    def is_arriving(self):
        return self.status in ARRIVING_STATUSES

    def interest_labels(self):
        labels = dict(Interest.choices)
        return [labels[code] for code in self.interests if code in labels]
