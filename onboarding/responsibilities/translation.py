from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Assignment, ResponsibilityArea, ResponsibilityMatrixPage


@register(ResponsibilityArea)
class ResponsibilityAreaTR(TranslationOptions):
    fields = ("name", "description")


@register(Assignment)
class AssignmentTR(TranslationOptions):
    fields = ("note",)


@register(ResponsibilityMatrixPage)
class ResponsibilityMatrixPageTR(TranslationOptions):
    fields = ("intro",)
