from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import UnitDirectoryPage, UnitPage, VolunteerGroupIndexPage


@register(UnitDirectoryPage)
class UnitDirectoryPageTR(TranslationOptions):
    fields = ("intro",)


@register(VolunteerGroupIndexPage)
class VolunteerGroupIndexPageTR(TranslationOptions):
    fields = ("intro",)


@register(UnitPage)
class UnitPageTR(TranslationOptions):
    fields = ("short_name", "intro", "how_to_join", "international_contact_role")
