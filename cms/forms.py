"""The admin form for translated pages: refuses to publish a half-translated page."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.forms import WagtailAdminPageForm


def is_blank(value):
    """True for None, blank text and an empty StreamField."""
    if value is None:
        return True
    if hasattr(value, "raw_data"):
        return len(value.raw_data) == 0
    return not str(value).strip()


LANGUAGE_NAMES = {"nb": _("Norwegian"), "en": _("English")}


class TranslatedPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        # A slug left empty in one language follows that language's title.
        for language in LANGUAGE_NAMES:
            slug_field = build_localized_fieldname("slug", language)
            title = cleaned.get(build_localized_fieldname("title", language))
            if slug_field in self.fields and not cleaned.get(slug_field) and title:
                cleaned[slug_field] = slugify(title, allow_unicode=False)[:255]
        if "action-publish" in self.data:
            self._refuse_half_translated(cleaned)
        return cleaned

    def _refuse_half_translated(self, cleaned):
        single = cleaned.get("single_language") or getattr(self.instance, "single_language", "")
        for name in self.instance.required_translated_fields():
            for language, language_name in LANGUAGE_NAMES.items():
                if single and language != single:
                    continue
                field = build_localized_fieldname(name, language)
                if field not in self.fields:
                    continue
                if is_blank(cleaned.get(field)):
                    self.add_error(
                        field,
                        ValidationError(
                            _(
                                "Fill this in %(language)s before publishing, or mark the page as "
                                "written in one language only (Settings tab)."
                            ),
                            params={"language": language_name},
                            code="missing_translation",
                        ),
                    )
