from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import NorwegianCourseCatalogPage, NorwegianCoursePage


@register(NorwegianCourseCatalogPage)
class NorwegianCourseCatalogPageTR(TranslationOptions):
    fields = ("intro",)


@register(NorwegianCoursePage)
class NorwegianCoursePageTR(TranslationOptions):
    fields = ("description", "learning_outcomes")
