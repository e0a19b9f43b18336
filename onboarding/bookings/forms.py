"""Forms shared by every holder: an organiser's text in each language, and calling it off."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MESSAGE_MAX_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def organiser_text_field(label: StrOrPromise, language: str, *, rows: int) -> forms.CharField:
    """An organiser's text in one language (a message, a reason), marked with its ``lang``."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows, "lang": language}),
    )


class CancelForm(forms.Form):
    """Calling a whole holder (an event, a course) off: a reason in each language and a ticked
    confirmation.

    A subclass gives the confirmation's label (``confirm_label``) and what to
    say when it is not ticked (``confirm_required``).
    """

    confirm_label: Any = ""
    confirm_required: Any = ""

    reason_nb = organiser_text_field(_("Reason in Norwegian"), "nb", rows=4)
    reason_en = organiser_text_field(_("Reason in English"), "en", rows=4)
    confirm = forms.BooleanField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        confirm = self.fields["confirm"]
        confirm.label = self.confirm_label
        confirm.error_messages["required"] = self.confirm_required
