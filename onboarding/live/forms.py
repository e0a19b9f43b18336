"""The notification preferences form: one choice of channel per kind."""

from django import forms


class PreferencesForm(forms.Form):
    """One radio group per registered kind; mandatory kinds offer no "off"."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {}
        for kind, channel in rows:
            self.kinds[kind.code] = kind
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=kind.channels(),
                initial=channel,
                widget=forms.RadioSelect,
            )

    def rows(self):
        """(kind, bound field) pairs in registration order, for the template."""
        return [(self.kinds[name], self[name]) for name in self.fields]
