"""Site content: the home page, information pages and the site-wide contact settings."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import InformationStreamBlock
from .forms import TranslatedPageForm, is_blank

LANGUAGE_CODES = ("nb", "en")


class TranslatedPageMixin(models.Model):
    """A page whose content is written in both languages, or marked as written in one.

    Publishing is refused while a required translated field is empty in one
    language, unless ``single_language`` says the page exists in one only; the
    page then carries a visible "Only in English" / "Kun på norsk" label.
    """

    # Registered fields that may stay empty in a language.
    optional_translated_fields = ("seo_title", "search_description", "url_path", "slug")

    single_language = models.CharField(
        _("written in one language only"),
        max_length=2,
        blank=True,
        choices=[("", _("Both languages")), ("nb", _("Norwegian only")), ("en", _("English only"))],
        help_text=_(
            "Leave as both languages unless the page is deliberately written in one: "
            "it then shows an 'only in' label to readers of the other language."
        ),
    )

    base_form_class = TranslatedPageForm

    # Whole-page caching for anonymous readers (cms.middleware); a page whose
    # content changes without being published (seat counts, say) leaves it off.
    cache_anonymous = False
    # Whole-page caching for signed-in readers, with their own account menu put in
    # (cms.middleware.ReaderPageCacheMiddleware): only for a page with nothing else of the
    # reader's on it.
    cache_readers = False

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        response.cache_anonymous = self.cache_anonymous
        # Asked only when the reader page cache would store the page; no query when the
        # page's route is remembered (cms.routing). The response renders after this, so
        # the header marks its menu for the cache to cut out only on such a page.
        response.cache_readers = (
            self.cache_readers
            and getattr(request, "_reader_page_candidate", False)
            and not self.get_view_restrictions().exists()
        )
        request._account_menu_marked = response.cache_readers
        return response

    @classmethod
    def required_translated_fields(cls):
        try:
            options = translator.get_options_for_model(cls)
        except NotRegistered:
            return ()
        return tuple(
            name for name in options.all_fields if name not in cls.optional_translated_fields
        )

    def missing_translations(self):
        """Map each language to the required fields that are empty in it."""
        missing = {}
        for language in LANGUAGE_CODES:
            empty = [
                name
                for name in self.required_translated_fields()
                if is_blank(getattr(self, build_localized_fieldname(name, language), None))
            ]
            if empty:
                missing[language] = empty
        return missing

    @property
    def only_in_language(self):
        """The language this page is written in, when it is not the reader's; else None."""
        if self.single_language and self.single_language != get_language():
            return self.single_language
        return None


class HomePage(TranslatedPageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(InformationStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    cache_anonymous = True
    cache_readers = True

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().in_menu().specific().order_by("path")
        return context


class InformationPage(TranslatedPageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(InformationStreamBlock(), blank=True, verbose_name=_("body"))
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    parent_page_types = ["cms.HomePage", "cms.InformationPage"]
    cache_anonymous = True
    cache_readers = True
    # Each language's columns on their own: the search backend stems each in its language.
    search_fields = Page.search_fields + [
        index.SearchField("title_nb", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("intro_nb"),
        index.SearchField("intro_en"),
        index.SearchField("body_nb"),
        index.SearchField("body_en"),
    ]

    class Meta:
        verbose_name = _("information page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().specific().order_by("path")
        return context


@register_setting(icon="mail")
class SiteContact(BaseSiteSetting):
    """Contact details in the footer and the accessibility statement link."""

    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("visiting address"), blank=True)
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("address"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("accessibility_page"),
    ]

    class Meta:
        verbose_name = _("site contact")


class DemoSeed(models.Model):
    """Which version of the demo content this database holds: ``seed_demo`` skips a current one.

    Not shown anywhere; one row at most. The fingerprint covers the demo's
    sources and the day, so the demo's dates are refreshed daily.
    """

    fingerprint = models.CharField(max_length=64)
    seeded_at = models.DateTimeField(auto_now=True)
