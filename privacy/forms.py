"""The subject access form: why the export is made, and in which format."""

from __future__ import annotations

from django import forms

from core.forms import GovukFormMixin

from .models import SubjectAccessExport
from .services import REASON_MAX


class SubjectAccessForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you preparing this export?",
        help_text="For example, the subject access request it answers and the date it was received",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for the export, such as the request it answers"
        },
    )
    format = forms.ChoiceField(
        label="Format",
        choices=SubjectAccessExport.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select PDF or JSON"},
    )
    confirm = forms.BooleanField(
        label="I confirm this export answers a subject access request I am handling, and that I "
        "will review it for other people's information before anything is released",
        error_messages={"required": "Confirm that the export answers a request you are handling"},
    )
