"""Forms of the events app: the listing's filters, check-in, the organisers' message and the
recurrence of an event series."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onboarding.bookings.forms import CancelForm, organiser_text_field
from onboarding.bookings.models import audience_status_choices
from onboarding.dates import BoundedDateField

from .models import EventLanguage, QuestionKind, RecurrenceFrequency
from .recurrence import RuleParts, rule_parts
from .selectors import EventFilters
from .services import MAX_ANSWER_LENGTH, TEMPLATE_FIELDS, RecurrenceInput

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


# --- Repeating event series -----------------------------------------------------------------

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
WEEK_OF_MONTH_CHOICES = [
    ("", _("Only for every month")),
    (1, _("the first")),
    (2, _("the second")),
    (3, _("the third")),
    (4, _("the fourth")),
    (-1, _("the last")),
]
SCOPE_THIS = "this"
SCOPE_FOLLOWING = "following"
EXCEPTIONS_MAX = 60


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecurrenceForm(forms.Form):
    """An event series' recurrence: how often, when, until when, the dates skipped, and what
    each occurrence says. With ``scope`` (an occurrence's form) it asks whether the change is
    for this occurrence only or for this and the following ones."""

    scope = forms.ChoiceField(
        label=_("Change"),
        widget=forms.RadioSelect,
        choices=[
            (SCOPE_THIS, _("This occurrence only (its date, time and place)")),
            (SCOPE_FOLLOWING, _("This and the following occurrences (a new rule from this date)")),
        ],
        initial=SCOPE_THIS,
    )
    frequency = forms.ChoiceField(
        label=_("Repeats"), widget=forms.RadioSelect, choices=RecurrenceFrequency.choices
    )
    weekday = forms.TypedChoiceField(label=_("On"), coerce=int, choices=WEEKDAY_CHOICES)
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=WEEK_OF_MONTH_CHOICES,
        help_text=_("For every month: the second Tuesday, the last Friday and so on."),
    )
    starts_on = BoundedDateField(
        label=_("First date"),
        widget=_date_widget(),
        help_text=_("For one occurrence: its new date."),
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Norwegian time (Europe/Oslo), the same in summer and winter."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=1, max_value=24 * 60
    )
    until = BoundedDateField(
        label=_("Last date"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave blank, or give a number of times instead, or neither to run on."),
    )
    count = forms.IntegerField(label=_("Number of times"), required=False, min_value=1)
    exceptions = forms.CharField(
        label=_("Dates to skip"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One date a line, such as 2027-03-16."),
    )
    title_nb = forms.CharField(label=_("Title in Norwegian"), max_length=255)
    title_en = forms.CharField(label=_("Title in English"), max_length=255)
    summary_nb = forms.CharField(
        label=_("Summary in Norwegian"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary_en = forms.CharField(
        label=_("Summary in English"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    building = forms.CharField(label=_("Building"), max_length=120, required=False)
    room = forms.CharField(label=_("Room"), max_length=60, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False)
    event_language = forms.ChoiceField(
        label=_("Language of the event"), choices=EventLanguage.choices
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        help_text=_("Leave blank for no limit."),
    )
    waitlist_enabled = forms.BooleanField(
        label=_("Waitlist when all places are taken"), required=False
    )
    audience_statuses = forms.MultipleChoiceField(
        label=_("For students who are"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if the event is for everyone."),
    )

    def __init__(self, *args, with_scope=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_statuses"].choices = audience_status_choices()
        if not with_scope:
            del self.fields["scope"]
            self.fields["starts_on"].help_text = ""
        else:
            self.fields["starts_on"].label = _("Date")

    def clean_exceptions(self):
        days = []
        for line in (self.cleaned_data.get("exceptions") or "").split():
            try:
                day = date.fromisoformat(line.strip())
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date. Write dates as 2027-03-16, one a line."),
                    code="bad_date",
                    params={"value": line[:20]},
                ) from None
            days.append(day)
        if len(days) > EXCEPTIONS_MAX:
            raise forms.ValidationError(
                _("Skip at most %(most)s dates."), params={"most": EXCEPTIONS_MAX}
            )
        return tuple(days)

    def recurrence_input(self):
        """The checked data as the services take it (a ``RecurrenceInput``)."""
        data = self.cleaned_data
        template = {name: data.get(name) for name in TEMPLATE_FIELDS}
        template["building"] = template["building"] or ""
        template["room"] = template["room"] or ""
        template["online_url"] = template["online_url"] or ""
        template["audience_statuses"] = list(data.get("audience_statuses") or [])
        return RecurrenceInput(
            parts=RuleParts(
                frequency=data["frequency"],
                weekday=data["weekday"],
                week_of_month=data.get("week_of_month"),
                until=data.get("until"),
                count=data.get("count"),
            ),
            starts_on=data["starts_on"],
            start_time=data["start_time"],
            duration=timedelta(minutes=data["duration_minutes"]),
            template=template,
            exceptions=data.get("exceptions") or (),
        )


def recurrence_initial(recurrence, *, day=None, event=None):
    """A recurrence form's first values: the recurrence's (and an occurrence's own date,
    time and place)."""
    parts = rule_parts(
        recurrence.rule, starts_on=recurrence.starts_on, start_time=recurrence.start_time
    )
    initial = {
        "frequency": parts.frequency,
        "weekday": parts.weekday,
        "week_of_month": parts.week_of_month,
        "until": parts.until,
        "count": parts.count,
        "starts_on": day or recurrence.starts_on,
        "start_time": recurrence.start_time,
        "duration_minutes": int(recurrence.duration.total_seconds() // 60),
        "exceptions": "\n".join(recurrence.exceptions),
        **{name: getattr(recurrence, name) for name in TEMPLATE_FIELDS},
    }
    if event is not None:
        local_start = timezone.localtime(event.start_at)
        # A new rule from this occurrence on skips only dates from then on.
        later = [iso for iso in recurrence.exceptions if iso >= event.occurrence_date.isoformat()]
        initial.update(
            exceptions="\n".join(later),
            starts_on=local_start.date(),
            start_time=local_start.time(),
            duration_minutes=int((event.end_at - event.start_at).total_seconds() // 60),
            building=event.building,
            room=event.room,
            online_url=event.online_url,
        )
    return initial


class SignupAnswersForm(forms.Form):
    """The event's signup questions as fields, in the reader's language: a line of text, or
    radio buttons for a choice or yes/no (their values are the choices' numbers).

    ``answers`` fills it in from earlier answers (to change them)."""

    prefix = "answers"
    # The server says what is missing, in words, rather than the browser stopping the form.
    use_required_attribute = False

    def __init__(self, *args, questions=(), answers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        given = {answer.question_id: answer for answer in answers}
        for question in self.questions:
            name = self.field_name(question)
            label = question.label
            if question.required:
                label = _("%(question)s (required)") % {"question": label}
            common = {
                "label": label,
                "help_text": question.help_text,
                "required": question.required,
                "error_messages": {
                    "required": _("Answer this question."),
                    "invalid_choice": _("Choose one of the answers given."),
                },
            }
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(max_length=MAX_ANSWER_LENGTH, **common)
            else:
                self.fields[name] = forms.ChoiceField(
                    widget=forms.RadioSelect,
                    choices=[
                        (str(number), text)
                        for number, text in enumerate(question.options(), start=1)
                    ],
                    **common,
                )
            answer = given.get(question.pk)
            if answer is not None:
                self.initial[name] = (
                    str(answer.choice) if answer.choice is not None else answer.value
                )

    @staticmethod
    def field_name(question):
        return f"q{question.pk}"

    def answers(self):
        """The answers by question id, for the services (after ``is_valid``)."""
        return {
            question.pk: self.cleaned_data.get(self.field_name(question)) or ""
            for question in self.questions
        }

    def add_refusal(self, error):
        """Put a refused answer's message (``SignupError`` ``answers_invalid``) on its field."""
        for question in self.questions:
            message = (error.errors or {}).get(question.pk)
            if message:
                self.add_error(self.field_name(question), message)

    def error_dict(self):
        """The errors by field's HTML name, for a JSON answer."""
        return {
            self.add_prefix(name): [str(message) for message in messages]
            for name, messages in self.errors.items()
        }
