"""The booking engine's models: abstract, so that each domain app owns its tables.

A *holder* is the row that has places (an event page, a Norwegian course). A
*booking* is one person's claim on a place in it: ``confirmed``,
``waitlisted`` or ``cancelled``. A concrete booking model inherits
:class:`Booking`, points at its holder with a foreign key and names it::

    class Signup(Booking):
        event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="signups")

        holder_field = "event"  # the foreign key to the holder
        # Inherited, to be overridden where the holder names them otherwise:
        # capacity_attr = "capacity"  (holder attribute: places, None = unlimited)
        # waitlist_attr = "waitlist_enabled"  (holder attribute: is there a waitlist?)

        class Meta:
            constraints = booking_constraints("event", prefix="activities_signup")

The holder page itself inherits :class:`onboarding.bookings.pages.HolderPage`;
a holder that can be called off has a :class:`HolderCancellation` beside it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

type Choices = list[tuple[str, Any]]


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    # A place kept for someone from the waitlist until they claim it or the offer lapses.
    OFFERED = "offered", _("Place offered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses that hold a place or a place in the queue.
ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.OFFERED, BookingStatus.WAITLISTED)
# Statuses that take one of the holder's places.
HOLDING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.OFFERED)


class Booking(models.Model):
    """One person's place (or place in the queue) at a holder. Abstract: see the module docs."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="%(class)ss",
    )
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices)
    # Arrival order at this holder, given under the holder's lock; a person who
    # cancels and books again gets a new number (the back of the queue).
    sequence = models.PositiveBigIntegerField(_("arrival number"), editable=False)
    created_at = models.DateTimeField(_("first booked"), default=timezone.now, editable=False)
    booked_at = models.DateTimeField(_("booked"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True, editable=False)
    # Set under the holder's lock on every change to the clock's time, or just
    # after the holder's newest one (see services._version_next): the newest one
    # is the version of the holder's places, so clients can order live hints.
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)
    # The pool of places (``pools.Pool.key``) the booking holds a place in, or, on the
    # waitlist, the reserved pool the person belongs to; blank for the open places.
    pool = models.CharField(_("pool"), max_length=40, blank=True, default="", editable=False)
    # Until when an offered place can be claimed; kept after it lapsed or was claimed.
    offer_expires_at = models.DateTimeField(
        _("offer expires"), null=True, blank=True, editable=False
    )
    # Put on the waitlist by a rule of the holder (too many no-shows) although a place was
    # free: served after everyone else until the holder's release moment
    # (``hold_release_at``), then in arrival order like anyone. Kept once served.
    held = models.BooleanField(_("held back"), default=False, editable=False)

    holder_field: ClassVar[str] = ""
    capacity_attr: ClassVar[str] = "capacity"
    waitlist_attr: ClassVar[str] = "waitlist_enabled"

    PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = (
        "person",
        "status",
        "sequence",
        "created_at",
        "booked_at",
        "confirmed_at",
        "cancelled_at",
        "updated_at",
        "pool",
        "offer_expires_at",
        "held",
    )

    class Meta:
        abstract = True

    # --- What a concrete model says about its holder --------------------------------------

    @classmethod
    def holder_model(cls) -> type[models.Model]:
        model = cls._meta.get_field(cls.holder_field).related_model
        assert isinstance(model, type)
        return model

    @classmethod
    def holder_limits(cls, holder: models.Model) -> tuple[int | None, bool]:
        """(capacity or None for unlimited, waitlist on?) as the holder says now."""
        return getattr(holder, cls.capacity_attr), bool(getattr(holder, cls.waitlist_attr))

    @classmethod
    def for_holder(cls, holder_id: int) -> models.QuerySet[Any]:
        return cls._default_manager.filter(**{f"{cls.holder_field}_id": holder_id})

    @property
    def holder_id(self) -> int:
        return int(getattr(self, f"{self.holder_field}_id"))

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def capacity_field() -> models.PositiveIntegerField[Any, Any]:
    """A holder's ``capacity``: a number of places, blank for no limit."""
    return models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave blank for no limit."),
    )


def waitlist_field(help_text: StrOrPromise) -> models.BooleanField[Any, Any]:
    """A holder's ``waitlist_enabled``: whether later bookings queue when all places are taken."""
    return models.BooleanField(_("waitlist"), default=True, help_text=help_text)


def recorded_by_field(verbose_name: StrOrPromise) -> models.ForeignKey[Any, Any]:
    """Who recorded something about a booking (a check-in, a result); kept blank if they leave."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class HolderCancellation(models.Model):
    """A holder was called off: when, by whom and why, in both languages. Abstract.

    A concrete model adds a one-to-one field to its holder (``related_name``
    ``cancellation``); ``services.bookings_cancel_all`` is what cancels the bookings.
    Kept beside the page, not on it, so that publishing an older revision of
    the holder cannot bring it back; a holder has at most one.
    """

    cancelled_at = models.DateTimeField(_("cancelled"), default=timezone.now)
    cancelled_by = recorded_by_field(_("cancelled by"))
    reason_nb = models.TextField(_("reason in Norwegian"), blank=True)
    reason_en = models.TextField(_("reason in English"), blank=True)

    # The one-to-one field to the holder, in the concrete model.
    holder_field: ClassVar[str] = ""

    PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("cancelled_by",)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, f'{self.holder_field}_id')} ({self.cancelled_at:%Y-%m-%d})"

    @property
    def reason(self) -> str:
        """The reason in the active language, or in the other one when only that was written."""
        own = self.reason_nb if (get_language() or "").startswith("nb") else self.reason_en
        return own or self.reason_nb or self.reason_en


def booking_constraints(holder_field: str, *, prefix: str) -> list[models.UniqueConstraint]:
    """The constraints every concrete booking model declares in its ``Meta``.

    One booking row per person and holder (a cancelled booking is reused when
    the person books again), and one arrival number per holder.
    """
    return [
        models.UniqueConstraint(
            fields=[holder_field, "person"], name=f"{prefix}_unique_{holder_field}_person"
        ),
        models.UniqueConstraint(
            fields=[holder_field, "sequence"], name=f"{prefix}_unique_{holder_field}_sequence"
        ),
    ]


def booking_indexes(holder_field: str, *, prefix: str) -> list[models.Index]:
    """The index the engine's counts and queue reads use: (holder, status, sequence)."""
    return [
        models.Index(
            fields=[holder_field, "status", "sequence"], name=f"{prefix}_{holder_field}_queue"
        )
    ]


# --- Who a holder is for ------------------------------------------------------------------

# The student statuses a holder can be meant for, used until the student
# profile (accounts) defines its own; its codes are the glossary's.
DEFAULT_STATUS_CHOICES: Choices = [
    ("incoming_exchange", _("Incoming exchange students")),
    ("international_degree", _("International degree students")),
    ("phd", _("PhD candidates")),
    ("outgoing", _("Students going abroad")),
    ("buddy", _("Local buddies")),
]


def audience_status_choices() -> Choices:
    """The statuses a person's profile can have: the profile's own choices when it exists."""
    try:
        profile_model = apps.get_model("accounts", "StudentProfile")
        choices = list(profile_model._meta.get_field("status").choices or [])
    except (LookupError, Exception):  # no profile model (yet), or no status field
        choices = []
    return [(value, label) for value, label in choices if value] or DEFAULT_STATUS_CHOICES


def unknown_statuses(codes: list[str] | None) -> set[str]:
    """The codes among ``codes`` that are not statuses a profile can have."""
    return set(codes or []) - {value for value, _label in audience_status_choices()}


def status_labels(codes: list[str] | None) -> list[str]:
    """The labels of status codes, in their order (an unknown code stands for itself)."""
    labels = dict(audience_status_choices())
    return [labels.get(code, code) for code in codes or []]


class StatusListField(models.JSONField):
    """A list of student-status codes, edited with checkboxes.

    The choices come from ``audience_status_choices`` when the form is built,
    so that they follow the student profile without a migration.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.MultipleChoiceField(
            choices=audience_status_choices,
            required=False,
            widget=kwargs.get("widget") or forms.CheckboxSelectMultiple,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )
