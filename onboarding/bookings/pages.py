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

from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .errors import BookingError
from .models import Booking
from .services import capacity_check, holder_lock

# Every holder's places: a change to these fills the waitlist when it grows.
CAPACITY_FIELDS = ("capacity", "waitlist_enabled")


class HolderPage(models.Model):
    """A page people book places at. Abstract; see the module docs."""

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
                )
            except type(self).DoesNotExist:
                super().save(*args, **kwargs)
                return
            except BookingError as error:
                raise ValidationError({"capacity": error.message}) from error
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

    def clean(self) -> None:
        super().clean()
        errors = self.holder_errors()
        if self.pk and "capacity" not in errors:
            try:
                capacity_check(
                    booking_model=self.booking_model(),
                    holder_id=self.pk,
                    capacity=getattr(self, "capacity", None),
                    lock=False,
                )
            except BookingError as error:
                errors["capacity"] = error.message
        if errors:
            raise ValidationError(errors)

    def _changes_from(self, previous: models.Model) -> list[str]:
        fields = {**self.change_fields, "capacity": CAPACITY_FIELDS}
        return [
            change
            for change, names in fields.items()
            if any(getattr(previous, name) != getattr(self, name) for name in names)
        ]

    def published_changes(self) -> list[str]:
        """What the last save changed (``time``, ``place``, ``capacity``); forgotten once read."""
        return list(self.__dict__.pop("_published_changes", None) or [])
