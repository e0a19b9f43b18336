from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    """The booking engine: abstract models, locking, reads and writes, the admin guard.

    It has no tables of its own: events and Norwegian courses inherit its abstract
    models, and it imports from neither of them.
    """

    name = "onboarding.bookings"
    label = "bookings"
    verbose_name = _("Bookings")
