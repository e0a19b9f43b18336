"""Forms of the advisers' queue: its filters, giving cases to an adviser, a unit's promise."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..clock import Light, WaitingFor
from ..models import CaseStatus, UnitPromise
from ..selectors.queue import EVERY_STATUS, SORTS, QueueFilters
from ..services.queue import DECISION_RANGE, FIRST_RESPONSE_RANGE

if TYPE_CHECKING:
    from onboarding.accounts.models import User
    from onboarding.units.models import UnitPage

UNASSIGNED = "none"
STATUS_CHOICES = [
    (CaseStatus.OPEN.value, _("Being handled")),
    (CaseStatus.DECIDED.value, _("Decided")),
    (CaseStatus.WITHDRAWN.value, _("Withdrawn")),
    (EVERY_STATUS, _("Every status")),
]
SORT_CHOICES = list(
    zip(
        SORTS,
        [
            _("Least time left first"),
            _("Most time left first"),
            _("Oldest first"),
            _("Newest first"),
        ],
        strict=True,
    )
)


def person_label(person: User) -> str:
    """A person in a list of advisers: their name, and their email when it differs."""
    name = person.display_name
    return name if name == person.email else f"{name} ({person.email})"


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). An unknown value is an error shown by the field and ignored."""

    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    waiting_for = forms.ChoiceField(
        label=_("Waiting for"),
        required=False,
        choices=[("", pgettext_lazy("waiting for", "Anyone"))]
        + [(value, label) for value, label in WaitingFor.choices],
    )
    light = forms.ChoiceField(
        label=_("Clock"),
        required=False,
        choices=[("", pgettext_lazy("clock", "Any"))]
        + [(value, label) for value, label in Light.choices],
    )
    adviser = forms.ChoiceField(label=_("Adviser"), required=False)
    mine = forms.BooleanField(label=_("Only my cases"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORT_CHOICES)

    def __init__(
        self,
        *args: Any,
        units: Iterable[UnitPage] = (),
        advisers: Iterable[User] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = [("", _("Every unit"))] + [(unit.pk, unit.title) for unit in units]
        adviser_field = self.fields["adviser"]
        assert isinstance(adviser_field, forms.ChoiceField)
        adviser_field.choices = [
            ("", pgettext_lazy("adviser", "Anyone")),
            (UNASSIGNED, _("Nobody yet")),
        ] + [(str(person.pk), person_label(person)) for person in advisers]

    def filters(self) -> QueueFilters:
        """The filters the valid fields give; a field in error counts as not given."""
        if not self.is_bound:
            return QueueFilters()
        self.is_valid()
        data = self.cleaned_data
        adviser = data.get("adviser") or ""
        return QueueFilters(
            unit=data.get("unit"),
            status=data.get("status") or CaseStatus.OPEN,
            waiting_for=data.get("waiting_for") or "",
            light=data.get("light") or "",
            adviser=int(adviser) if adviser.isdigit() else None,
            unassigned=adviser == UNASSIGNED,
            mine=bool(data.get("mine")),
            sort=data.get("sort") or SORTS[0],
        )

    def query(self, **changes: str) -> str:
        """The query string of the valid filters (with ``changes``), for links and the CSV."""
        values: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            for name in self.fields:
                value = self.cleaned_data.get(name)
                if value not in (None, "", False):
                    values[name] = "1" if value is True else value
        values.update(changes)
        return urlencode({name: value for name, value in values.items() if value})


class ReassignForm(forms.Form):
    """Give the chosen cases of the queue to one adviser."""

    cases = forms.TypedMultipleChoiceField(
        label=_("Cases"),
        coerce=int,
        error_messages={
            "required": _("Choose the cases to give to an adviser."),
            "invalid_choice": _("One of the chosen cases is not in your queue."),
        },
    )
    adviser = forms.TypedChoiceField(
        label=_("Give the chosen cases to"),
        coerce=int,
        error_messages={
            "required": _("Choose the adviser to give the cases to."),
            "invalid_choice": _("Choose an adviser from the list."),
        },
    )

    def __init__(
        self,
        *args: Any,
        case_ids: Iterable[int] = (),
        advisers: Sequence[tuple[str, Sequence[User]]] = (),
        **kwargs: Any,
    ) -> None:
        # Its fields' ids apart from the filters' (both have an adviser).
        kwargs.setdefault("auto_id", "id_reassign_%s")
        super().__init__(*args, **kwargs)
        cases_field = self.fields["cases"]
        assert isinstance(cases_field, forms.TypedMultipleChoiceField)
        cases_field.choices = [(pk, pk) for pk in case_ids]
        adviser_field = self.fields["adviser"]
        assert isinstance(adviser_field, forms.TypedChoiceField)
        adviser_field.choices = [("", _("Choose an adviser"))] + [
            (group, [(person.pk, person_label(person)) for person in people])
            for group, people in advisers
        ]


class PromiseForm(forms.Form):
    """A unit's promised times, in working days."""

    first_response_days = forms.IntegerField(
        label=capfirst(UnitPromise._meta.get_field("first_response_days").verbose_name),
        min_value=FIRST_RESPONSE_RANGE[0],
        max_value=FIRST_RESPONSE_RANGE[1],
        help_text=_("From 1 to 120 working days."),
    )
    decision_days = forms.IntegerField(
        label=capfirst(UnitPromise._meta.get_field("decision_days").verbose_name),
        min_value=DECISION_RANGE[0],
        max_value=DECISION_RANGE[1],
        help_text=_("From 1 to 250 working days, and not sooner than the first response."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, decision = data.get("first_response_days"), data.get("decision_days")
        if first is not None and decision is not None and decision < first:
            self.add_error(
                "decision_days",
                _("The decision cannot be promised sooner than the first response."),
            )
        return data
