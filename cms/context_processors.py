"""What every page's header and footer need: the main navigation."""

from django.utils.functional import SimpleLazyObject

from .navigation import main_navigation


def site_chrome(request):
    return {"main_navigation": SimpleLazyObject(lambda: main_navigation(request))}
