from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "onboarding.live"
    label = "live"
    verbose_name = _("Live updates and notifications")

    def ready(self):
        # Registers the built-in notification kinds.
        from . import kinds  # noqa: F401
