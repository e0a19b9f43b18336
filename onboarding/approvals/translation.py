from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import HomeCourse, LineHomeCourse


@register(HomeCourse)
class HomeCourseTR(TranslationOptions):
    fields = ("title",)


@register(LineHomeCourse)
class LineHomeCourseTR(TranslationOptions):
    fields = ("title",)
