"""``{% sharedpart %}``: a part of a template that is the same for every reader, cached.

    {% load fragment_tags %}
    {% sharedpart "information_body" page.pk %} ... {% endsharedpart %}
    {% sharedpart "event_facts" page.pk cancelled depends="pages,events" %} ... {% endsharedpart %}

The first argument names the part; the others are what it varies on (the
page, a flag); ``depends`` lists the generations that purge it (default
``pages``). The language and the host are always part of the key
(cms.fragments). Django's own ``{% cache %}`` tag would leave the language
and the purge to each template; this one cannot forget them, and it refuses
to store a part holding a CSRF token, which is personal. An editor's preview
(``request.is_preview``) renders the draft and leaves the cache alone.
"""

from django import template
from django.core.cache import cache

from ..fragments import CSRF_FIELD, FRAGMENT_TIMEOUT, fragment_key, logger

register = template.Library()


class SharedPartNode(template.Node):
    def __init__(self, nodelist, part, vary, depends):
        self.nodelist = nodelist
        self.part = part
        self.vary = vary
        self.depends = depends

    def render(self, context):
        request = context.get("request")
        if getattr(request, "is_preview", False):
            # An editor's preview shows a draft: never the cached live part, never stored.
            return self.nodelist.render(context)
        part = self.part.resolve(context)
        vary = [value.resolve(context) for value in self.vary]
        depends = tuple(
            name.strip() for name in str(self.depends.resolve(context)).split(",") if name.strip()
        )
        key = fragment_key(part, *vary, request=request, depends_on=depends)
        cached = cache.get(key)
        if cached is not None:
            # A node's output goes into the page as it is (no escaping), as {% cache %}'s does.
            return cached
        rendered = self.nodelist.render(context)
        if CSRF_FIELD in rendered:
            logger.warning("Part %s holds a CSRF token: not cached", part)
            return rendered
        cache.set(key, str(rendered), FRAGMENT_TIMEOUT)
        return rendered


@register.tag
def sharedpart(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("sharedpart needs the part's name")
    depends = parser.compile_filter('"pages"')
    vary = []
    for bit in bits[2:]:
        if bit.startswith("depends="):
            depends = parser.compile_filter(bit.removeprefix("depends="))
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endsharedpart",))
    parser.delete_first_token()
    return SharedPartNode(nodelist, parser.compile_filter(bits[1]), vary, depends)
