from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")

    def ready(self):
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
        )

        from .routing import (
            install_cached_private_sections,
            install_cached_routing,
            install_translated_routing,
        )
        from .signal_handlers import (
            clear_page_cache,
            clear_page_cache_on_setting,
            fill_root_url_paths,
        )

        install_translated_routing()
        install_cached_routing()
        install_cached_private_sections()
        # No sender: it must run on the first app's post_migrate, before any other
        # app's handler queries pages (their translated columns come from here).
        post_migrate.connect(fill_root_url_paths, dispatch_uid="cms.fill_root_url_paths")
        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("moved", post_page_move),
            ("slug", page_slug_changed),
        ):
            signal.connect(clear_page_cache, dispatch_uid=f"cms.clear_page_cache.{name}")
        post_delete.connect(
            clear_page_cache, sender=Page, dispatch_uid="cms.clear_page_cache.delete"
        )
        post_save.connect(clear_page_cache_on_setting, dispatch_uid="cms.clear_page_cache.setting")
        # A site's host, port or root page decides every route (cms.routing remembers them).
        # A view restriction decides who may read a page the anonymous cache may hold.
        for model in (Site, PageViewRestriction):
            for signal in (post_save, post_delete):
                signal.connect(
                    clear_page_cache,
                    sender=model,
                    dispatch_uid=f"cms.clear_page_cache.{model.__name__}.{signal is post_save}",
                )
