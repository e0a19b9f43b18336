"""Template tags of the site chrome: the language switcher."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

register = template.Library()

SWITCH_LABELS = {"nb": "Norsk", "en": "English"}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same page in each other language, keeping the query string.

    A Wagtail page links to its own translated URL (translated slugs); any
    other view goes through Django's ``translate_url``.
    """
    request = context.get("request")
    page = context.get("page")
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current or request is None:
            continue
        if page is not None and hasattr(page, "get_url"):
            with translation.override(code):
                url = page.get_url(request)
        else:
            url = translate_url(request.path, code)
        if request.GET:
            url = f"{url}?{urlencode(request.GET, doseq=True)}"
        links.append({"code": code, "label": SWITCH_LABELS.get(code, code), "url": url})
    return {"links": links}
