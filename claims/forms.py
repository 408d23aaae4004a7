"""Forms for the claims pages: they parse what a user typed, nothing more. Every rule lives
in `claims.services`; views put a service's field errors back on the form with
`families.forms.add_service_errors` (through each form's `service_fields` map)."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from core.forms import GovukDateField, GovukFormMixin

from .models import ClaimType


class ClaimsForm(GovukFormMixin, forms.Form):
    service_fields: dict[str, str] = {}


class DraftBatchForm(ClaimsForm):
    as_of = GovukDateField(
        label="Claim date",
        help_text="The date the claim is made for, for example 30 9 2016",
        error_messages={"required": "Enter the claim date"},
    )
    contents = forms.ChoiceField(
        label="What should the batch start with?",
        choices=[
            ("claimable", "Every family that can be claimed for now and has not been"),
            ("empty", "Nothing: I will add claims one at a time"),
        ],
        widget=forms.RadioSelect,
        initial="claimable",
        error_messages={"required": "Select what the batch should start with"},
    )
    note = forms.CharField(
        label="Note", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AddClaimForm(ClaimsForm):
    family_reference = forms.CharField(
        label="Family reference",
        max_length=20,
        help_text="For example, F-000123",
        error_messages={"required": "Enter the family's reference"},
    )
    claim_type = forms.ChoiceField(
        label="Type of claim",
        choices=[
            (t.value, t.label)
            for t in (ClaimType.ATTACHMENT, ClaimType.RESULTS, ClaimType.CONTINUOUS_EMPLOYMENT)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of claim"},
    )
    service_fields = {"family": "family_reference"}

    def clean_family_reference(self) -> str:
        return self.cleaned_data["family_reference"].strip().upper()


class NoteForm(ClaimsForm):
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReturnForm(ClaimsForm):
    note = forms.CharField(
        label="Why is the batch going back to draft?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the batch is going back to draft"},
    )


class SampleForm(ClaimsForm):
    percent = forms.DecimalField(
        label="Percentage of claims to sample",
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        decimal_places=2,
        help_text="For example, 10",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={
            "required": "Enter the percentage of claims to sample",
            "invalid": "Enter the percentage of claims to sample as a number, like 10",
            "min_value": "Enter a percentage between 0.01 and 100",
            "max_value": "Enter a percentage between 0.01 and 100",
        },
    )
    minimum = forms.IntegerField(
        label="Sample at least this many claims",
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter the minimum number of claims to sample",
            "invalid": "Enter the minimum number of claims to sample as a whole number, like 5",
            "min_value": "Enter the minimum number of claims to sample, 0 or more",
        },
    )
    seed = forms.IntegerField(
        label="Seed",
        required=False,
        min_value=0,
        max_value=2**63 - 1,
        help_text="Leave blank to draw a new random sample. Enter a recorded seed to draw the same sample again.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the seed as a whole number",
            "min_value": "Enter a seed that is a whole number of 0 or more",
            "max_value": "Enter a shorter seed",
        },
    )


class ReviewForm(ClaimsForm):
    decision = forms.ChoiceField(
        label="Does the frozen evidence support this claim?",
        choices=[("verify", "Yes, verify the claim"), ("reject", "No, reject the claim")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the evidence supports the claim"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you reject a claim: the preparer sees it.",
    )


REJECTION_LINE = re.compile(r"^\s*#?(?P<number>\d+)\s*[:,\-]\s*(?P<reason>.+?)\s*$")


class PaymentForm(ClaimsForm):
    amount_received = forms.CharField(
        label="Amount received",
        max_length=20,
        help_text="In pounds and pence, for example 80000.00",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"required": "Enter the amount received"},
    )
    paid_on = GovukDateField(
        label="Date received",
        error_messages={"required": "Enter the date the payment was received"},
    )
    rejections = forms.CharField(
        label="Claims government rejected",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line: the claim number, a colon and the reason government gave, for example 1234: attendance not sustained",
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_rejections(self) -> dict[int, str]:
        parsed: dict[int, str] = {}
        for number, line in enumerate(self.cleaned_data["rejections"].splitlines(), start=1):
            if not line.strip():
                continue
            match = REJECTION_LINE.match(line)
            if not match:
                raise ValidationError(
                    f"Line {number} of claims government rejected must be a claim number, a colon and the reason"
                )
            parsed[int(match["number"])] = match["reason"]
        return parsed
