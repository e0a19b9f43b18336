from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import EventPage, EventSeriesPage


@register(EventSeriesPage)
class EventSeriesPageTR(TranslationOptions):
    fields = ("intro",)


@register(EventPage)
class EventPageTR(TranslationOptions):
    fields = ("summary", "body")
