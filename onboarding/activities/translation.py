from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import EventPage, EventQuestion, EventSeriesPage


@register(EventSeriesPage)
class EventSeriesPageTR(TranslationOptions):
    fields = ("intro",)


@register(EventPage)
class EventPageTR(TranslationOptions):
    fields = ("summary", "body")


@register(EventQuestion)
class EventQuestionTR(TranslationOptions):
    fields = ("label", "help_text", "choices")
