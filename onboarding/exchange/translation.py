from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Agreement, Institution, IscedField, Programme


@register(IscedField)
class IscedFieldTR(TranslationOptions):
    fields = ("name",)


@register(Institution)
class InstitutionTR(TranslationOptions):
    fields = ("name",)


@register(Agreement)
class AgreementTR(TranslationOptions):
    fields = (
        "nomination_criteria",
        "housing_info",
        "visa_info",
        "insurance_info",
        "accessibility_info",
        "package_courses",
        "grant_info",
    )


@register(Programme)
class ProgrammeTR(TranslationOptions):
    fields = ("name",)
