"""The admin's own style additions (static/css/admin.css): contrast and focus fixes."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from onboarding.hooks import SEARCH_SOURCES

from .models import InformationPage
from .search.sources import SearchSource


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


@hooks.register(SEARCH_SOURCES)
def search_sources():
    # Information pages: the search keeps to live, public ones itself.
    return [
        SearchSource(
            key="page",
            name=_("Information page"),
            plural=_("Information pages"),
            model=InformationPage,
            order=10,
        )
    ]
