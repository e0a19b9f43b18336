from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import ElectionPage, MeetingPage, Representative, RepresentativesPage


@register(MeetingPage)
class MeetingPageTR(TranslationOptions):
    fields = ("place", "intro", "agenda", "minutes")


@register(ElectionPage)
class ElectionPageTR(TranslationOptions):
    fields = ("intro", "how_to_stand")


@register(RepresentativesPage)
class RepresentativesPageTR(TranslationOptions):
    fields = ("intro",)


@register(Representative)
class RepresentativeTR(TranslationOptions):
    fields = ("role", "group", "description")
