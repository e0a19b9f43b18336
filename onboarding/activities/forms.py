"""Forms of the events app: the listing's filters, check-in and the organisers' message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.bookings.forms import CancelForm, organiser_text_field
from onboarding.bookings.models import audience_status_choices
from onboarding.dates import BoundedDateField

from .models import EventLanguage
from .selectors import EventFilters

# Dates outside these years are typing mistakes; at the ends of the calendar a day's start
# in local time cannot even be computed.

ORDER_DATE = "date"
ORDER_FOR_YOU = "for_you"


class EventFilterForm(forms.Form):
    """The listing's filters; every field may be left empty."""

    date_from = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.TypedChoiceField(
        label=_("Organiser"), required=False, coerce=int, empty_value=None
    )
    faculty = forms.TypedChoiceField(
        label=_("Faculty"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[
            ("", _("Any language")),
            (EventLanguage.ENGLISH, _("In English")),
            (EventLanguage.NORWEGIAN, _("In Norwegian")),
        ],
    )
    audience = forms.ChoiceField(label=_("For"), required=False)
    free = forms.BooleanField(label=_("Only events with free places"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(ORDER_DATE, _("By date")), (ORDER_FOR_YOU, _("For you first"))],
    )

    def __init__(self, *args, units=(), faculties=(), allow_for_you=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.faculties = {faculty.pk: faculty for faculty in faculties}
        self.fields["unit"].choices = [("", _("All organisers"))] + [
            (unit.pk, unit.title) for unit in units
        ]
        self.fields["faculty"].choices = [("", _("All faculties"))] + [
            (faculty.pk, faculty.title) for faculty in faculties
        ]
        self.fields["audience"].choices = [
            ("", _("Anyone")),
            ("everyone", _("Open to everyone")),
            *audience_status_choices(),
        ]
        if not allow_for_you:
            del self.fields["order"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

    def filters(self, *, default_for_you=False):
        """The :class:`~selectors.EventFilters` the form asks for (none when it is invalid)."""
        if not self.is_bound:
            return EventFilters(for_you=default_for_you and "order" in self.fields)
        if not self.is_valid():
            return EventFilters()
        data = self.cleaned_data
        order = data.get("order") or (ORDER_FOR_YOU if default_for_you else ORDER_DATE)
        return EventFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            unit=self.units.get(data.get("unit")),
            faculty=self.faculties.get(data.get("faculty")),
            language=data.get("language") or "",
            audience=data.get("audience") or "",
            free_places=bool(data.get("free")),
            for_you="order" in self.fields and order == ORDER_FOR_YOU,
        )


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=40,
        help_text=_("The code under the QR code, e.g. K7QX-M2PD-R9TW."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, email or ticket code"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class EventMessageForm(forms.Form):
    message_nb = organiser_text_field(_("Message in Norwegian"), "nb", rows=6)
    message_en = organiser_text_field(_("Message in English"), "en", rows=6)
    include_waitlist = forms.BooleanField(label=_("Also send it to the waitlist"), required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("message_nb") or "").strip()
            and not (cleaned.get("message_en") or "").strip()
        ):
            raise forms.ValidationError(
                _("Write the message in Norwegian, in English, or both."), code="message_empty"
            )
        return cleaned


class EventCancelForm(CancelForm):
    confirm_label = _("Yes, cancel the event and tell everyone signed up")
    confirm_required = _("Tick the box to confirm that the event is cancelled.")
