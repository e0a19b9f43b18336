from modeltranslation.decorators import register
from modeltranslation.translator import TranslationOptions

from .models import Term


@register(Term)
class TermTR(TranslationOptions):
    fields = ("term", "synonyms", "abbreviations", "definition")
    # Empty in one language is a legitimate state (a term that exists only in the other).
    empty_values = ""
