"""Forms for the team around the family, case movement and case notes: they parse, nothing more
(the rules are in `families.services.team` and `families.services.work`)."""

from __future__ import annotations

from django import forms

from core.forms import GovukDateField
from core.validation import LONG_NOTE, NOTE

from .forms import FamilyForm
from .models import CaseNote, PartnerProfessional, StepChange
from .services.team import REASON
from .services.work import CASE_FILE_WORDS, PRESENT_OTHERS


def _people(field, users) -> None:
    field.queryset = users
    field.label_from_instance = lambda user: (
        f"{user.display_name} ({user.team})" if user.team_id else user.display_name
    )


class ReallocateForm(FamilyForm):
    keyworker = forms.ModelChoiceField(
        label="New lead keyworker",
        queryset=None,
        error_messages={"required": "Select the new lead keyworker"},
    )
    reason = forms.CharField(
        label="Why is the lead keyworker changing?",
        required=False,
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, caseload balancing or the keyworker is leaving. "
        "Both keyworkers will be told.",
    )

    def __init__(self, *args, keyworkers, allocating=False, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["keyworker"], keyworkers)
        self.fields["keyworker"].empty_label = "Choose a keyworker"
        if not allocating:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Enter why the lead keyworker is changing"
            )
        if allocating:
            self.fields["keyworker"].label = "Lead keyworker"
            self.fields["reason"].label = "Anything to add? (optional)"
            self.fields["reason"].help_text = "The keyworker will be told."


class NamedWorkerForm(FamilyForm):
    user = forms.ModelChoiceField(
        label="Keyworker to name on the family",
        queryset=None,
        help_text="They will see the family in their caseload and can record notes",
        error_messages={"required": "Select a keyworker"},
    )

    def __init__(self, *args, keyworkers, **kwargs):
        super().__init__(*args, **kwargs)
        _people(self.fields["user"], keyworkers)
        self.fields["user"].empty_label = "Choose a keyworker"


class PartnerForm(FamilyForm):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the professional's name"}
    )
    role = forms.CharField(
        label="Role or job title",
        required=False,
        max_length=120,
        help_text="For example, designated safeguarding lead or health visitor",
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="For example, Cherwell School or Oxford Health",
        error_messages={"required": "Enter the organisation they work for"},
    )
    agency = forms.ChoiceField(
        label="Kind of agency",
        choices=PartnerProfessional.Agency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of agency"},
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    is_lead_professional = forms.BooleanField(
        label="They are the family's lead professional",
        required=False,
        help_text="The one professional who coordinates the team around the family",
    )
    from_date = GovukDateField(
        label="Date they joined the team around the family",
        help_text="For example, 3 9 2025",
        error_messages={"required": "Enter the date they joined"},
    )


class PartnerEndForm(FamilyForm):
    to_date = GovukDateField(
        label="Date they left the team around the family",
        error_messages={"required": "Enter the date they left"},
    )


class StepChangeForm(FamilyForm):
    direction = forms.ChoiceField(
        label="Is the family stepping up or down?",
        choices=StepChange.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the family is stepping up or down"},
    )
    occurred_on = GovukDateField(
        label="Date of the step change",
        help_text="For example, 14 10 2025",
        error_messages={"required": "Enter the date of the step change"},
    )
    reason = forms.CharField(
        label="Why?",
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the outcome of the strategy meeting",
        error_messages={"required": "Enter why the family is stepping up or down"},
    )


class ReasonForm(FamilyForm):
    reason = forms.CharField(
        label="Why?",
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, label, required_message, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message


class TransferForm(FamilyForm):
    team = forms.ModelChoiceField(
        label="Team the family is moving to",
        queryset=None,
        error_messages={"required": "Select the team the family is moving to"},
    )
    reason = forms.CharField(
        label="Why is the family moving team?",
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the family moved to Banbury",
        error_messages={"required": "Enter why the family is moving team"},
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = "Choose a team"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the service, all problems together."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CaseNoteForm(FamilyForm):
    # Optional: a note posted without a type is "Other" (as notes written before types were).
    kind = forms.ChoiceField(
        label="Type of note",
        required=False,
        choices=CaseNote.Kind.choices,
        widget=forms.RadioSelect,
    )
    occurred_on = GovukDateField(
        label="Date",
        help_text="The date of the visit, call or meeting, for example 27 3 2016",
        error_messages={"required": "Enter the date of the note"},
    )
    present = forms.MultipleChoiceField(
        label="Who was there?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select the family members who were there",
    )
    present_others = forms.CharField(
        label="Anyone else who was there",
        required=False,
        max_length=PRESENT_OTHERS,
        help_text="For example, the school's family support worker",
    )
    text = forms.CharField(
        label="Note",
        max_length=LONG_NOTE,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter the note"},
    )
    sensitive = forms.BooleanField(
        label="This note is sensitive",
        required=False,
        help_text="Only the lead keyworker and managers will be able to read it. "
        "Others will see that a sensitive note exists.",
    )
    files = MultipleFileField(
        label="Attach files (optional)",
        required=False,
        help_text=f"For example, a letter or an assessment. {CASE_FILE_WORDS}; each file "
        "must be smaller than 10MB.",
    )

    service_fields = {"files": "files"}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(person.pk): person for person in members}
        self.fields["present"].choices = [(pk, p.full_name) for pk, p in self.members.items()]
        if not self.members:
            del self.fields["present"]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"] or CaseNote.Kind.OTHER,
            "occurred_on": data["occurred_on"],
            "present": [self.members[pk] for pk in data.get("present", []) if pk in self.members],
            "present_others": data["present_others"],
            "text": data["text"],
            "sensitive": data["sensitive"],
            "files": data["files"],
        }
