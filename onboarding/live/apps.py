from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "onboarding.live"
    label = "live"
    verbose_name = _("Live updates and notifications")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from .signal_handlers import close_live_connections_on_logout

        user_logged_out.connect(
            close_live_connections_on_logout, dispatch_uid="live.close_on_logout"
        )
