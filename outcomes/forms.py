"""Forms for the outcomes pages: they parse what a user typed, nothing more.

Rules about plans (validation of the plan itself, who may upload or activate) live in
`outcomes.services.plans`; views put a service's field errors back on the form.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.forms import GovukDateField, GovukFormMixin

from .services.plans import MAX_PLAN_BYTES


class NearMissFilterForm(forms.Form):
    """Filters for the near-miss list, submitted by GET; values outside the choices are ignored."""

    keyworker = forms.TypedChoiceField(
        label="Lead keyworker", required=False, coerce=int, empty_value=None
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, keyworkers, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keyworker"].choices = [("", "Any keyworker")] + [
            (k.pk, k.display_name) for k in keyworkers
        ]
        self.fields["team"].choices = [("", "Any team")] + [(t.pk, t.name) for t in teams]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"keyworker": None, "team": None}
        return {
            "keyworker": self.cleaned_data.get("keyworker"),
            "team": self.cleaned_data.get("team"),
        }


class PlanUploadForm(GovukFormMixin, forms.Form):
    plan_file = forms.FileField(
        label="Plan file",
        required=False,
        help_text="A YAML file (.yaml or .yml) written as docs/outcomes-plans.md describes",
    )
    yaml_text = forms.CharField(
        label="Or paste the plan",
        required=False,
        max_length=MAX_PLAN_BYTES,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    service_fields = {"yaml_text": "yaml_text"}

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("plan_file")
        text = (cleaned.get("yaml_text") or "").strip()
        if upload and text:
            raise ValidationError("Choose a plan file or paste the plan, not both")
        if upload:
            if not (upload.name or "").lower().endswith((".yaml", ".yml")):
                self.add_error("plan_file", "The plan file must be a YAML file (.yaml or .yml)")
                return cleaned
            if upload.size > MAX_PLAN_BYTES:
                self.add_error("plan_file", "The plan file must be smaller than 512 KB")
                return cleaned
            try:
                cleaned["yaml_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("plan_file", "The plan file must be a text file saved as UTF-8")
                return cleaned
            if "\x00" in cleaned["yaml_text"]:
                self.add_error("plan_file", "The plan file must be a text file saved as UTF-8")
                return cleaned
            # Service errors about the text belong to the file the user chose.
            self.service_fields = {"yaml_text": "plan_file"}
        elif not text:
            self.add_error("plan_file", "Choose a plan file, or paste the plan")
        return cleaned


class PlanActivateForm(GovukFormMixin, forms.Form):
    effective_from = GovukDateField(
        label="Date the plan comes into force",
        help_text="Evaluations on or after this date use this plan. For example, 1 4 2016",
        error_messages={"required": "Enter the date the plan comes into force"},
    )
    note = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        help_text="For example, the council agreed a lower absence threshold from April 2016",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    service_fields = {"effective_from": "effective_from"}


class WhatIfForm(GovukFormMixin, forms.Form):
    plan_a = forms.TypedChoiceField(label="Plan now", coerce=int)
    plan_b = forms.TypedChoiceField(label="Plan to compare", coerce=int)
    as_of = GovukDateField(
        label="Date to evaluate on",
        help_text="For example, 30 9 2016",
        error_messages={"required": "Enter the date to evaluate on"},
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a plan")] + [(v.pk, f"{v.title} ({v.version})") for v in versions]
        self.fields["plan_a"].choices = choices
        self.fields["plan_b"].choices = choices
        self.fields["plan_a"].error_messages["required"] = "Choose the plan now in force"
        self.fields["plan_b"].error_messages["required"] = "Choose the plan to compare"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan_a") and cleaned.get("plan_a") == cleaned.get("plan_b"):
            self.add_error("plan_b", "Choose a different plan to compare")
        return cleaned
