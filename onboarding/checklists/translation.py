from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import ChecklistItem, ChecklistPage


@register(ChecklistPage)
class ChecklistPageTR(TranslationOptions):
    fields = ("intro",)


@register(ChecklistItem)
class ChecklistItemTR(TranslationOptions):
    fields = ("title", "description", "link_text")
