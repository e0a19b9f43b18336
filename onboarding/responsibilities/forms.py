"""The admin form of a responsibility area: it checks the matrix rules on the whole set."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .rules import Row, rule_violations

LANGUAGE_NAMES = {"nb": _("Norwegian"), "en": _("English")}


class ResponsibilityAreaForm(WagtailAdminModelForm):
    """Refuses a save that would break the matrix rules, naming the area and the level."""

    def clean(self):
        cleaned = super().clean()
        for language, language_name in LANGUAGE_NAMES.items():
            field = f"name_{language}"
            if field in self.fields and not (cleaned.get(field) or "").strip():
                self.add_error(
                    field,
                    _("Give the area's name in %(language)s.") % {"language": language_name},
                )
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        if not valid or getattr(self, "_rules_checked", False):
            return valid and not self.non_field_errors()
        self._rules_checked = True
        violations = rule_violations(area_name=self._area_name(), rows=self._assignment_rows())
        for violation in violations:
            self.add_error(None, violation.message)
        return not violations

    def _area_name(self):
        language = get_language() or "nb"
        return (
            self.cleaned_data.get(f"name_{language}")
            or self.cleaned_data.get("name_nb")
            or self.cleaned_data.get("name")
            or ""
        )

    def _assignment_rows(self):
        from onboarding.units.kinds import KIND_EACH

        formset = self.formsets.get("assignments")
        if formset is None:
            return []
        rows = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            unit, kind = data.get("unit"), data.get("unit_kind")
            if unit is not None:
                party, label = ("unit", unit.pk), unit.title
            else:
                party, label = ("kind", kind), str(KIND_EACH.get(kind, kind))
            rows.append(
                Row(level=data.get("level"), role=data.get("role"), party=party, party_label=label)
            )
        return rows
