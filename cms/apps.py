from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")

    def ready(self):
        from .routing import install_translated_routing
        from .signal_handlers import fill_root_url_paths

        install_translated_routing()
        # No sender: it must run on the first app's post_migrate, before any other
        # app's handler queries pages (their translated columns come from here).
        post_migrate.connect(fill_root_url_paths, dispatch_uid="cms.fill_root_url_paths")
