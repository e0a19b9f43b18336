"""Page routing that finds a child by its translated slug in the database.

wagtail-modeltranslation routes by loading every child of a page and
comparing slugs in Python, so serving one page among hundreds of siblings
grows with their number. This replacement asks the database for the one
child whose slug in the active language (or, where that is empty, in the
default language) matches.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import get_language
from modeltranslation import settings as mt_settings
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page
from wagtail.url_routing import RouteResult


def child_slug_filter(slug, language=None):
    """A filter matching pages whose slug in ``language`` is ``slug``, with the default as fallback."""
    language = language or get_language() or mt_settings.DEFAULT_LANGUAGE
    default = mt_settings.DEFAULT_LANGUAGE
    field = build_localized_fieldname("slug", language)
    default_field = build_localized_fieldname("slug", default)
    condition = Q(**{field: slug})
    if language != default:
        empty = Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
        condition |= empty & Q(**{default_field: slug})
    return condition


def translated_route(self, request, path_components):
    if isinstance(self, RoutablePageMixin) and self.live:
        path = "/" + ("/".join(path_components) + "/" if path_components else "")
        try:
            view, args, kwargs = self.resolve_subpage(path)
            return RouteResult(self, args=(view, args, kwargs))
        except Http404:
            pass

    if not path_components:
        if self.live:
            return RouteResult(self)
        raise Http404

    child_slug, remaining = path_components[0], path_components[1:]
    child = self.get_children().filter(child_slug_filter(child_slug)).first()
    if child is None:
        raise Http404
    return child.specific.route(request, remaining)


def install_translated_routing():
    """Replace the patched ``route`` on Page and every translated page model."""
    models = [Page] + [
        model
        for model in translator.get_registered_models()
        if issubclass(model, Page) and model.__dict__.get("route") is not translated_route
    ]
    for model in models:
        # Only models still carrying the generic implementation: a model that
        # routes in its own way keeps it.
        current = model.__dict__.get("route")
        if current is None or getattr(current, "__module__", "").startswith(
            "wagtail_modeltranslation"
        ):
            model.route = translated_route
