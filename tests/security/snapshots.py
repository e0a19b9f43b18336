"""The state a refused request must leave as it was: every row of the site's own tables."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Revision

OWN_APPS = {
    "accounts",
    "activities",
    "bookings",
    "buddies",
    "checklists",
    "courses",
    "exchange",
    "live",
    "privacy",
    "responsibilities",
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


def snapshot(*, pages=False):
    """Every row of the site's own tables and of the people; with ``pages``, also each page's
    place, state and title, its view restrictions and how many revisions there are.

    Read in one language: a translated field reads the active language's column, and a
    request may leave another language active.
    """
    with translation.override("en"):
        return _snapshot(pages=pages)


def _snapshot(*, pages):
    state = {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in _models()
    }
    if pages:
        state["pages"] = list(
            Page.objects.order_by("pk").values_list(
                "pk", "path", "live", "title", "has_unpublished_changes", "locked"
            )
        )
        state["restrictions"] = list(PageViewRestriction.objects.order_by("pk").values_list())
        state["revisions"] = [Revision.objects.count()]
    return state


def changed(before, after):
    """The names of the tables whose rows differ between two snapshots."""
    return [label for label in before if before[label] != after.get(label)]
