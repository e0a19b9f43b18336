"""The state a refused request must leave as it was: every row of the site's own tables."""

import functools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.models import Page, PageViewRestriction, Revision

OWN_APPS = {
    "accounts",
    "approvals",
    "activities",
    "bookings",
    "buddies",
    "checklists",
    "courses",
    "exchange",
    "live",
    "privacy",
    "responsibilities",
    "stays",
    "units",
}


def _models():
    """The people and the site's own tables but its pages (``snapshot`` reads pages apart)."""
    own = [
        model
        for model in apps.get_models()
        if model._meta.app_label in OWN_APPS
        and not model._meta.proxy
        and not issubclass(model, Page)
    ]
    return list(dict.fromkeys([get_user_model(), *own]))


@functools.cache
def _tables():
    """(label, table, primary key column) of each table ``snapshot`` reads whole."""
    return [(model._meta.label, model._meta.db_table, model._meta.pk.column) for model in _models()]


def snapshot(*, pages=False):
    """Every row of the site's own tables and of the people; with ``pages``, also each page's
    place, state and title, its view restrictions and how many revisions there are.

    The tables are read as stored, every column and both languages' columns, in one
    plain query each: through the ORM, reading them twice around every request took
    most of the fuzz tests' time. The pages' titles are read in both languages.
    """
    quote = connection.ops.quote_name
    state = {}
    with connection.cursor() as cursor:
        for label, table, key in _tables():
            # The names are the models' own, quoted; nothing here comes from a request.
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(key)}")  # noqa: S608
            state[label] = cursor.fetchall()
    if pages:
        state["pages"] = list(
            Page.objects.order_by("pk").values_list(
                "pk", "path", "live", "title_nb", "title_en", "has_unpublished_changes", "locked"
            )
        )
        state["restrictions"] = list(PageViewRestriction.objects.order_by("pk").values_list())
        state["revisions"] = [Revision.objects.count()]
    return state


def changed(before, after):
    """The names of the tables whose rows differ between two snapshots."""
    return [label for label in before if before[label] != after.get(label)]
