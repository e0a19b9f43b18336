"""Pages in a unit's branch, written in one or both languages, for the completeness tests."""

import itertools
import json

from django.utils.text import slugify

from cms.models import InformationPage

_numbers = itertools.count(1)


def _body(text):
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])


def page_add(parent, *, nb=True, en=True, single="", empty=(), publish=True):
    """An information page under ``parent``, written in Norwegian and/or English.

    ``empty`` names fields (``"intro_en"``) left blank; ``single`` marks the
    page as written in one language. Published through a revision, unless not
    ``publish`` (then saved as a draft that was never published).
    """
    number = next(_numbers)
    title_nb, title_en = f"Side {number}", f"Page {number}"
    page = InformationPage(
        title=title_nb if nb else title_en,
        slug=f"side-{number}",
        single_language=single,
        live=publish,
    )
    # The Norwegian title is required on every page (the site's default language).
    page.title_nb, page.title_en = (title_nb if nb else title_en), (title_en if en else "")
    page.slug_nb, page.slug_en = slugify(title_nb), slugify(title_en)
    page.intro_nb, page.intro_en = ("Om siden." if nb else ""), ("About the page." if en else "")
    page.body_nb = _body("Tekst.") if nb else "[]"
    page.body_en = _body("Text.") if en else "[]"
    for name in empty:
        setattr(page, name, "[]" if name.startswith("body") else "")
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision()
    page.refresh_from_db()
    return page


def draft_save(page, **fields):
    """Unpublished changes to ``page``: its latest revision holds ``fields``, the live page not."""
    page = page.specific
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision()
    page.refresh_from_db()
    return page
