"""The reports' forms: the dashboard's filters and the national extract's purpose."""

from __future__ import annotations

from django import forms

from core.forms import GovukFormMixin

from .selectors import ReportFilters, year_label


class ReportFilterForm(forms.Form):
    """Filters submitted by GET; a value outside the choices is ignored (all of them)."""

    year = forms.TypedChoiceField(
        label="Programme year", required=False, coerce=int, empty_value=None
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    locality = forms.TypedChoiceField(
        label="Locality", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, years, teams, localities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years")] + [(y, year_label(y)) for y in years]
        self.fields["team"].choices = [("", "All teams")] + [(t.pk, t.name) for t in teams]
        self.fields["locality"].choices = [("", "All localities")] + [
            (loc.pk, loc.name) for loc in localities
        ]

    def filters(self) -> ReportFilters:
        if not self.is_bound:
            initial = self.initial
            return ReportFilters(team=initial.get("team"))
        if not self.is_valid():
            return ReportFilters()
        return ReportFilters(**{k: self.cleaned_data.get(k) for k in ("year", "team", "locality")})


class NationalExtractForm(GovukFormMixin, forms.Form):
    purpose = forms.CharField(
        label="Why are you exporting these identifiers?",
        help_text="For example, the national impact study's data return for October 2016. "
        "This is kept with the record of the export.",
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are exporting the identifiers",
            "max_length": "Why you are exporting the identifiers must be 250 characters or fewer",
        },
    )

    def clean_purpose(self) -> str:
        purpose = " ".join(self.cleaned_data["purpose"].split())
        if not purpose:
            raise forms.ValidationError("Enter why you are exporting the identifiers")
        return purpose
