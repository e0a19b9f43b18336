"""Form data for the admin's information page form, as the editor's browser posts it."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def information_page_form(fields, **overrides):
    """The add or edit form of an information page with ``fields`` and a short body in each language.

    ``fields`` gives ``title_nb``, ``title_en``, ``slug_nb``, ``slug_en``,
    ``intro_nb`` and ``intro_en``; ``overrides`` replace or add any key.
    """
    data = {
        **fields,
        "body_nb": streamfield([("paragraph", rich_text("<p>Tekst</p>"))]),
        "body_en": streamfield([("paragraph", rich_text("<p>Text</p>"))]),
        "single_language": "",
        "comments-TOTAL_FORMS": 0,
        "comments-INITIAL_FORMS": 0,
        "comments-MIN_NUM_FORMS": 0,
        "comments-MAX_NUM_FORMS": 1000,
    }
    data.update(overrides)
    return nested_form_data(data)
