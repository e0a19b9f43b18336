from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Crisis, ProgrammeCourse


@register(Crisis)
class CrisisTR(TranslationOptions):
    fields = ("title", "message")


@register(ProgrammeCourse)
class ProgrammeCourseTR(TranslationOptions):
    fields = ("title",)
