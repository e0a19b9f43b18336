"""The admin form for translated pages: refuses to publish a half-translated page, and says
which page already uses a slug, beside the title, in the editor's language."""

from django.core.exceptions import ValidationError
from django.utils import translation
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


def _slug_in_use_message(holder, slug, language_name):
    params = {"slug": slug, "title": holder.title, "language": language_name}
    if holder.live:
        return (
            _(
                "The address “%(slug)s” (%(language)s) is already used by the page “%(title)s” in "
                "the same place. Give this page another title, or change its slug on the Promote tab."
            )
            % params
        )
    return (
        _(
            "The address “%(slug)s” (%(language)s) is already used by the unpublished draft "
            "“%(title)s” in the same place. Go on with that draft or delete it, give this page "
            "another title, or change its slug on the Promote tab."
        )
        % params
    )


class TranslatedPageForm(WagtailAdminPageForm):
    def full_clean(self):
        super().full_clean()
        # After wagtail-modeltranslation's checks, which add their untranslated
        # "This slug is already in use" to the slug on the Promote tab.
        if self.is_bound and hasattr(self, "cleaned_data"):
            self._explain_slugs_in_use()

    def _explain_slugs_in_use(self):
        parent = getattr(self, "parent_page", None)
        if parent is None:
            return
        for language, language_name in LANGUAGE_NAMES.items():
            slug_field = build_localized_fieldname("slug", language)
            title_field = build_localized_fieldname("title", language)
            if slug_field not in self.errors:
                continue
            slug = self.data.get(slug_field) or self.cleaned_data.get(slug_field)
            holder = self._sibling_with_slug(parent, slug, language)
            if holder is None:
                continue
            message = _slug_in_use_message(holder, slug, language_name)
            self.errors[slug_field] = self.error_class([message])
            if title_field in self.fields:
                self.add_error(title_field, message)

    def _sibling_with_slug(self, parent, slug, language):
        siblings = parent.get_children()
        if self.instance.pk:
            siblings = siblings.not_page(self.instance)
        with translation.override(language):
            return next((page for page in siblings if slug and page.slug == slug), None)

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
