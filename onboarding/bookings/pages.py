"""The page mixin of every holder: a page people book places at (an event, a Norwegian course).

A holder page inherits :class:`HolderPage` before Wagtail's ``Page`` and says
which reverse relation holds its bookings and which of its fields are its time
and its place::

    class EventPage(HolderPage, TranslatedPageMixin, Page):
        booking_relation = "signups"
        change_fields = {"time": ("start_at", "end_at"), "place": ("building", "room")}

        def holder_errors(self):
            ...  # the page's own rules, as {field: message}

The mixin adds what every holder needs: ``clean`` refuses a capacity below the
places already given, and ``save`` checks it again under the engine's lock
(so that no booking slips in between the count and the write) and notes what
the save changed (``published_changes``), for the publication's follow-up
(``holders.holder_publication_followup``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from .errors import BookingError
from .models import Booking
from .pools import Pool, pools_errors, pools_field, pools_from_stream
from .services import capacity_check, holder_lock

# Every holder's places: a change to these fills the waitlist when it grows.
CAPACITY_FIELDS = ("capacity", "waitlist_enabled", "pools", "waitlist_offers")


class HolderPage(models.Model):
    """A page people book places at. Abstract; see the module docs.

    Every holder may reserve places for groups (``pools``, see
    :mod:`onboarding.bookings.pools`) and may offer places freed on the waitlist
    for ``offer_hours`` instead of giving them at once (``waitlist_offers``).
    """

    pools = pools_field()
    waitlist_offers = models.BooleanField(
        _("offer freed places"),
        default=False,
        help_text=_(
            "When a place is freed, offer it to the next person on the waitlist, who must "
            "claim it in time, instead of giving it to them at once."
        ),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to claim an offer"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("Shortened automatically close to the start."),
    )

    # The reverse relation of the holder's bookings (the booking model's related_name).
    booking_relation: ClassVar[str] = ""
    # What a publication changed, compared with the row it replaces: "time" and "place".
    change_fields: ClassVar[dict[str, tuple[str, ...]]] = {}

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not self.pk or (update_fields is not None and "capacity" not in update_fields):
            super().save(*args, **kwargs)
            return
        # Publishing writes the capacity: lock the row and count under the lock,
        # so that no booking slips in between the check and the write.
        booking_model = self.booking_model()
        with transaction.atomic():
            try:
                previous = holder_lock(booking_model=booking_model, holder_id=self.pk)
                capacity_check(
                    booking_model=booking_model,
                    holder_id=self.pk,
                    capacity=getattr(self, "capacity", None),
                    lock=False,
                    pools=self.booking_pools(),
                )
            except type(self).DoesNotExist:
                super().save(*args, **kwargs)
                return
            except BookingError as error:
                field = "pools" if error.code == "pool_below_held" else "capacity"
                raise ValidationError({field: error.message}) from error
            # Read by the page_published handler (published_changes), once.
            self._published_changes = self._changes_from(previous)
            super().save(*args, **kwargs)

    @classmethod
    def booking_model(cls) -> type[Booking]:
        model = cls._meta.get_field(cls.booking_relation).related_model
        assert isinstance(model, type) and issubclass(model, Booking)
        return model

    def holder_errors(self) -> dict[str, Any]:
        """The page's own rules: ``{field name: message}``, empty when all is well."""
        return {}

    def booking_pools(self) -> list[Pool]:
        """The holder's reserved pools, in their order (none without a number of places)."""
        return pools_from_stream(self.pools)

    def offers_end_at(self) -> datetime | None:
        """The time an offer of a place is shortened towards (the start); None: no such time."""
        return None

    def hold_release_at(self) -> datetime | None:
        """From when people held back on the waitlist (``Booking.held``) are served in arrival
        order like anyone; None: never automatically (only an organiser gives them a place)."""
        return None

    def clean(self) -> None:
        super().clean()
        errors = self.holder_errors()
        pools = self.booking_pools()
        pool_errors = pools_errors(capacity=getattr(self, "capacity", None), pools=pools)
        if pool_errors:
            errors["pools"] = pool_errors
        if self.pk and "capacity" not in errors and "pools" not in errors:
            try:
                capacity_check(
                    booking_model=self.booking_model(),
                    holder_id=self.pk,
                    capacity=getattr(self, "capacity", None),
                    lock=False,
                    pools=pools,
                )
            except BookingError as error:
                errors["pools" if error.code == "pool_below_held" else "capacity"] = error.message
        if errors:
            raise ValidationError(errors)

    def _value_of(self, name: str) -> Any:
        value = getattr(self, name)
        if name == "pools":
            # Compared as stored: a StreamField's value does not compare by content.
            stream = self._meta.get_field("pools")
            assert isinstance(stream, models.Field)
            return stream.get_prep_value(value)
        return value

    def _changes_from(self, previous: models.Model) -> list[str]:
        fields = {**self.change_fields, "capacity": CAPACITY_FIELDS}
        return [
            change
            for change, names in fields.items()
            if any(
                HolderPage._value_of(previous, name) != self._value_of(name)  # type: ignore[arg-type]
                for name in names
            )
        ]

    def published_changes(self) -> list[str]:
        """What the last save changed (``time``, ``place``, ``capacity``); forgotten once read."""
        return list(self.__dict__.pop("_published_changes", None) or [])
