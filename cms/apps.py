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
        post_migrate.connect(fill_root_url_paths, sender=self)
