from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import HomePage, InformationPage, SiteContact


@register(HomePage)
class HomePageTR(TranslationOptions):
    fields = ("intro", "body")


@register(InformationPage)
class InformationPageTR(TranslationOptions):
    fields = ("intro", "body")


@register(SiteContact)
class SiteContactTR(TranslationOptions):
    fields = ("organisation", "address")
