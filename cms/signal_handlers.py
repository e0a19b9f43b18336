"""Keeps the tree root's translated url_path filled on every database, fresh or old."""

from django.db import connections
from django.db.models import Q
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname


def fill_root_url_paths(sender, using="default", apps=None, **kwargs):
    """Fill the root page's translated url_path columns, which a fresh database leaves empty.

    wagtail-modeltranslation adds Page's translated columns only after every
    post_migrate handler has run and fills the root's only through
    ``update_translation_fields``; without them every page below gets a wrong
    translated url_path. So: add the columns now if they are missing, then fill.
    """
    from wagtail.models import Page
    from wagtail_modeltranslation.management.commands.sync_page_translation_fields import (
        Command as SyncPageTranslationFields,
    )

    connection = connections[using]
    with connection.cursor() as cursor:
        if Page._meta.db_table not in connection.introspection.table_names(cursor):
            return
        columns = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, Page._meta.db_table
            )
        }
    fields = [
        build_localized_fieldname("url_path", language)
        for language in mt_settings.AVAILABLE_LANGUAGES
    ]
    if not set(fields) <= columns:
        SyncPageTranslationFields().handle(interactive=False)
    for field in fields:
        Page.objects.using(using).filter(depth=1).filter(
            Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
        ).update(**{field: "/"})


def clear_page_cache(**kwargs):
    """Any change to what pages show publicly clears the anonymous page cache."""
    from .middleware import page_cache_clear

    page_cache_clear()


def clear_page_cache_on_setting(sender, instance, **kwargs):
    """Site settings (the footer's contact details) show on every page."""
    from wagtail.contrib.settings.models import BaseSiteSetting

    if isinstance(instance, BaseSiteSetting):
        clear_page_cache()
