"""Forms of the units app: the unit page's admin form, the directory's filters, invitations."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms.forms import TranslatedPageForm

from .kinds import KIND_ORDER, UnitKind, child_kinds

QUERY_MAX_LENGTH = 100


class UnitPageForm(TranslatedPageForm):
    """Offers only the kinds of unit that may sit under the parent, and checks the placement.

    Once a unit exists, only people allowed to restructure the organisation
    chart (the International Section) may change its kind.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("kind")
        if field is None:
            return
        if self.instance.pk and not self._may_restructure():
            field.disabled = True
            field.help_text = _(
                "Only the International Section can change the kind of an existing unit."
            )
            return
        parent = self._parent()
        if parent is None:
            return
        from .models import parent_slot, placement_errors

        unit = self.instance if self.instance.pk else None
        allowed = [
            kind
            for kind in child_kinds(parent_slot(parent))
            if not placement_errors(kind=kind, parent=parent, unit=unit)
        ]
        if self.instance.kind and self.instance.kind not in allowed:
            allowed.append(self.instance.kind)
        field.choices = [("", "---------")] + [(kind, UnitKind(kind).label) for kind in allowed]
        if len(allowed) == 1 and not self.instance.kind:
            field.initial = allowed[0]

    def _may_restructure(self):
        user = getattr(self, "for_user", None)
        return user is not None and user.has_perm("units.change_unit_structure")

    def _parent(self):
        if self.parent_page is not None:
            return self.parent_page
        if self.instance.pk and self.instance.path:
            return self.instance.get_parent()
        return None

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        parent = self._parent()
        if kind and parent is not None and "kind" in self.fields:
            from .models import children_errors, placement_errors

            unit = self.instance if self.instance.pk else None
            errors = placement_errors(kind=kind, parent=parent, unit=unit)
            if unit is not None:
                errors += children_errors(kind=kind, unit=unit)
            for error in errors:
                self.add_error("kind", error)
        return cleaned


class UnitDirectoryFilterForm(forms.Form):
    """The directory's filters: free text, kind of unit, faculty."""

    q = forms.CharField(label=_("Name"), max_length=QUERY_MAX_LENGTH, required=False)
    kind = forms.ChoiceField(label=_("Kind of unit"), required=False)
    faculty = forms.TypedChoiceField(
        label=_("Faculty"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, faculties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (kind.value, kind.label) for kind in (UnitKind(k) for k in KIND_ORDER)
        ]
        self.fields["faculty"].choices = [("", _("All faculties"))] + [
            (faculty.pk, faculty.title) for faculty in faculties
        ]
        self.fields["q"].widget.input_type = "search"


class UnitInvitationForm(forms.Form):
    """Invite someone by email to edit or organise for a unit, for a number of days."""

    email = forms.EmailField(label=_("Their email address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        widget=forms.RadioSelect,
        help_text=_(
            "Editors edit the unit's pages and events in the admin (with two-factor "
            "authentication). Organisers only see who has signed up to the unit's events and "
            "check them in."
        ),
    )
    days = forms.TypedChoiceField(
        label=_("The invitation expires after"), coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        from .models import UnitRole
        from .services import INVITATION_DAYS_CHOICES, INVITATION_DAYS_DEFAULT

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (UnitRole.ORGANISER.value, _("Organiser: check-in only")),
            (UnitRole.EDITOR.value, _("Editor: edits the unit's pages")),
        ]
        self.fields["role"].initial = UnitRole.ORGANISER.value
        self.fields["days"].choices = [
            (days, ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
            for days in INVITATION_DAYS_CHOICES
        ]
        self.fields["days"].initial = INVITATION_DAYS_DEFAULT


class UnitPersonForm(forms.Form):
    """Which person and which of their roles on the unit (to remove)."""

    user = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    role = forms.ChoiceField(choices=())

    def __init__(self, *args, **kwargs):
        from .models import UnitRole

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = UnitRole.choices


class UnitInvitationChoiceForm(forms.Form):
    """Which invitation of the unit (to revoke)."""

    invitation = forms.IntegerField(min_value=1, max_value=2**31 - 1)
