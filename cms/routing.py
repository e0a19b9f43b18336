"""Page routing: a child found by its translated slug in the database, and routes remembered.

wagtail-modeltranslation routes by loading every child of a page and
comparing slugs in Python, so serving one page among hundreds of siblings
grows with their number. This replacement asks the database for the one
child whose slug in the active language (or, where that is empty, in the
default language) matches.

Routing still costs two queries a level (the child, then its specific row) and
two for the site (the site, its root page) on every request: five to nine
before a page renders. So the outcome is remembered in the cache, per site,
language and path: the page's id and type. On a hit one query loads the page.
The entries carry the page cache's generation (``cms.middleware``), which
publishing, unpublishing, moving, renaming or deleting any page, and changing
a site, moves on: no route survives a change of the tree. The site of a host
is remembered the same way, and so is whether the page or an ancestor has a
view restriction (creating or deleting one moves the generation on too): for
the many pages without one, Wagtail's check (``before_serve_page``) then costs
no query; a restricted page is checked in full on every request. A page that is
no longer live is routed afresh.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.utils.translation import get_language
from modeltranslation import settings as mt_settings
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet
from wagtail.url_routing import RouteResult

from .middleware import page_cache_generation

# Entries carry the generation, so an old one is never read; they expire to free the cache.
ROUTE_CACHE_TIMEOUT = 3600


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


# Wagtail's own, kept for a route the cache does not know yet.
_route_for_request_uncached = Page.route_for_request


def _site_for_request(request, generation):
    """``Site.find_for_request``, with the site of each host and port remembered."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = f"route:{generation}:site:{request._get_raw_host()}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site.find_for_request(request)
        if site is not None:
            cache.set(key, site, ROUTE_CACHE_TIMEOUT)
    # Wagtail reads the request's site from here (``Site.find_for_request``).
    request._wagtail_site = site
    return site


def _no_view_restrictions():
    return PageViewRestriction.objects.none()


def _page_of(entry):
    """The live page an entry names, or None if it has gone or is no longer live."""
    page_id, content_type_id, restricted = entry
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    page = model._default_manager.filter(pk=page_id).first()
    if page is None or not page.live:
        return None
    if not restricted:
        # Nothing restricts this page or its ancestors (the module's docstring): Wagtail's
        # check asks this page, which answers without asking the database.
        page.get_view_restrictions = _no_view_restrictions
    return page


def cached_route_for_request(request, path):
    """``Page.route_for_request`` with plain page routes remembered (the module's docstring)."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    generation = page_cache_generation(request)
    site = _site_for_request(request, generation)
    if site is None:
        return _route_for_request_uncached(request, path)
    language = get_language() or mt_settings.DEFAULT_LANGUAGE
    key = f"route:{generation}:{site.pk}:{language}:{path}"
    entry = cache.get(key)
    if entry is not None:
        page = _page_of(entry)
        if page is not None:
            # Where Wagtail keeps the request's route (``Page.route_for_request``).
            request._wagtail_route_for_request = RouteResult(page)
            return request._wagtail_route_for_request
    result = _route_for_request_uncached(request, path)
    if result is not None:
        page, args, kwargs = result
        # A routable page's sub-route carries a view: only a plain page is remembered.
        if not args and not kwargs and page.live:
            restricted = page.get_view_restrictions().exists()
            cache.set(key, (page.pk, page.content_type_id, restricted), ROUTE_CACHE_TIMEOUT)
    return result


def install_cached_routing():
    """Route every request through ``cached_route_for_request``."""
    Page.route_for_request = staticmethod(cached_route_for_request)


# --- Private sections, remembered ---------------------------------------------------------
PRIVATE_SECTIONS_TIMEOUT = ROUTE_CACHE_TIMEOUT


def private_sections() -> tuple[tuple[str, int], ...]:
    """The tree path and depth of every page with a view restriction, remembered.

    Wagtail's ``PageQuerySet.public()`` reads every restriction with its page each time
    it is asked (the arrival plan asked five times); these are kept under the ``pages``
    generation, which saving or deleting a restriction, and moving or deleting a page,
    move on (cms/apps.py), once at the change and again after its commit.
    """
    key = f"privatesections:{page_cache_generation()}"
    sections = cache.get(key)
    if sections is None:
        sections = tuple(
            PageViewRestriction.objects.order_by("page__path")
            .values_list("page__path", "page__depth")
            .distinct()
        )
        cache.set(key, sections, PRIVATE_SECTIONS_TIMEOUT)
    return sections


def _cached_private_q(self):
    """Wagtail's ``private_q`` (the pages in a private section, the restricted page itself
    included) from the remembered sections."""
    q = Q()
    for path, depth in private_sections():
        q |= Q(path__startswith=path) & Q(depth__gte=depth)
    # Matches no page when no section is private, as Wagtail's does.
    return q if q else Q(pk__in=[])


def install_cached_private_sections():
    """``public()``, ``private()`` and ``not_public()`` of every page queryset read the
    remembered sections."""
    PageQuerySet.private_q = _cached_private_q
