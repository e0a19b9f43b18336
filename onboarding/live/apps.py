from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "onboarding.live"
    label = "live"
    verbose_name = _("Live updates and notifications")

    def ready(self):
        # Registers the built-in notification kinds.
        from django.contrib.auth.signals import user_logged_out

        from . import kinds  # noqa: F401
        from .signal_handlers import close_live_connections_on_logout

        user_logged_out.connect(
            close_live_connections_on_logout, dispatch_uid="live.close_on_logout"
        )
