"""Forms for the family pages: they parse what a user typed, nothing more.

Every rule about what may be recorded lives in `families.services`; a view hands a
cleaned form to one service and puts the service's field errors back on the form with
`add_service_errors`, using each form's `service_fields` map (service field → form field).
"""

from __future__ import annotations

from django import forms

from core.forms import GovukDateField, GovukDateInput, GovukFormMixin, add_rule_errors
from core.validation import NOTE, Errors

from . import identifiers
from .models import ConsentRecord, Family, Intervention, Locality, Membership, Person, Problem
from .selectors import SORTS, CaseloadFilters
from .validation import check_membership


class FamilyForm(GovukFormMixin, forms.Form):
    pass


# --- caseload -----------------------------------------------------------------------------------


class CaseloadFilterForm(forms.Form):
    """Search, filters and sort for the caseload, submitted by GET; bad values are ignored."""

    q = forms.CharField(
        label="Search by name, reference or postcode", required=False, max_length=100
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Family.Status.choices]
    )
    locality = forms.TypedChoiceField(
        label="Locality", required=False, coerce=int, empty_value=None
    )
    problem = forms.ChoiceField(label="Problem", required=False)
    keyworker = forms.TypedChoiceField(
        label="Lead keyworker", required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, localities, problems, keyworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].choices = [("", "Any locality")] + [
            (lo.pk, lo.name) for lo in localities
        ]
        self.fields["problem"].choices = [("", "Any problem")] + [
            (p.code, p.short_title) for p in problems
        ]
        self.fields["keyworker"].choices = [("", "Any keyworker")] + [
            (k.pk, k.display_name) for k in keyworkers
        ]

    def filters(self) -> CaseloadFilters:
        """The filters to apply: valid values only, so a stale link still shows a caseload."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        q = (data.get("q") or "").strip()
        if q and identifiers.postcode_problem(q) is None:
            # A postcode typed without its space ("ox165qt") is searched for as written on letters.
            q = identifiers.normalise_postcode(q)
        return CaseloadFilters(
            q=q,
            status=data.get("status") or "",
            locality=data.get("locality"),
            problem=data.get("problem") or "",
            keyworker=data.get("keyworker"),
            sort=data.get("sort") or "reference",
        )


# --- creating a family ---------------------------------------------------------------------------


class FamilyCreateForm(FamilyForm):
    name = forms.CharField(
        label="Family name",
        max_length=120,
        help_text="How the family is known, usually a surname",
        error_messages={"required": "Enter the family name"},
    )
    address = forms.CharField(
        label="Address", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    locality = forms.ModelChoiceField(
        label="Locality", required=False, queryset=Locality.objects.all()
    )
    team = forms.ModelChoiceField(label="Team", required=False, queryset=None)
    lead_keyworker = forms.ModelChoiceField(label="Lead keyworker", required=False, queryset=None)
    identified_on = GovukDateField(
        label="Date identified",
        help_text="For example, 27 3 2015",
        error_messages={"required": "Enter the date the family was identified"},
    )
    problems = forms.MultipleChoiceField(
        label="Problems the family was identified with",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )

    service_fields = {"problem": "problems"}

    def __init__(self, *args, teams, keyworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].empty_label = "Choose a team"
        self.fields["team"].help_text = "Leave blank to use the lead keyworker's team"
        self.fields["lead_keyworker"].queryset = keyworkers
        self.fields["lead_keyworker"].empty_label = "Choose a keyworker"
        self.fields["lead_keyworker"].label_from_instance = lambda user: user.display_name
        self.fields["locality"].empty_label = "Choose a locality"
        self.problem_list = list(Problem.objects.all())
        self.fields["problems"].choices = [(p.code, p.title) for p in self.problem_list]
        # One evidence box per problem, shown under its checkbox.
        for problem in self.problem_list:
            self.fields[f"evidence_{problem.code}"] = forms.CharField(
                label=f"Evidence for {problem.short_title.lower()}",
                required=False,
                max_length=NOTE,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="What the identification rests on, for example a referral or partner data",
            )

    def problem_rows(self):
        """Each problem's checkbox option with its evidence field, for the template."""
        options = {str(option.data["value"]): option for option in self["problems"].subwidgets}
        return [
            {"problem": p, "option": options[p.code], "evidence": self[f"evidence_{p.code}"]}
            for p in self.problem_list
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "address": data["address"],
            "postcode": data["postcode"],
            "locality": data["locality"],
            "team": data["team"],
            "lead_keyworker": data["lead_keyworker"],
            "identified_on": data["identified_on"],
            "problems": [(code, data.get(f"evidence_{code}", "")) for code in data["problems"]],
        }


# --- members -------------------------------------------------------------------------------------


class MemberAddForm(FamilyForm):
    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=100, error_messages={"required": "Enter their last name"}
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        help_text="For example, 14 3 2008",
        widget=GovukDateInput(autocomplete_bday=True),
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=Person.Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their sex, or ‘Not known’"},
    )
    role = forms.ChoiceField(
        label="Are they an adult or a child in this household?",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether they are an adult or a child"},
    )
    relationship = forms.CharField(
        label="Relationship",
        required=False,
        max_length=80,
        help_text="For example, mother, son or mum's partner",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    upn = forms.CharField(
        label="Unique Pupil Number (UPN)",
        required=False,
        max_length=20,
        help_text="For a child at school: a letter followed by 12 digits, like V801200115001",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    ni_number = forms.CharField(
        label="National Insurance number",
        required=False,
        max_length=20,
        help_text="For an adult: 2 letters, 6 numbers, then A, B, C or D, like AB 12 34 56 C",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    start_date = GovukDateField(
        label="Date they joined the household",
        help_text="For a child born into the family, their date of birth",
        error_messages={"required": "Enter the date they joined the household"},
    )

    def clean(self):
        # The rules the service applies to a new member, so they show with the form's own errors.
        data = super().clean()
        errors = Errors()
        check_membership(
            errors,
            role=data.get("role"),
            date_of_birth=data.get("date_of_birth"),
            start_date=data.get("start_date"),
        )
        if data.get("upn") and (problem := identifiers.upn_problem(data["upn"])):
            errors.add("upn", problem)
        if data.get("ni_number") and (problem := identifiers.ni_number_problem(data["ni_number"])):
            errors.add("ni_number", problem)
        add_rule_errors(self, errors)
        return data


class MembershipEndForm(FamilyForm):
    end_date = GovukDateField(
        label="Date they left the household",
        help_text="For example, 2 9 2016",
        error_messages={"required": "Enter the date they left the household"},
    )
    reason = forms.CharField(
        label="Why did they leave?",
        required=False,
        max_length=200,
        help_text="For example, moved in with their father",
    )


# --- work with the family -------------------------------------------------------------------------


class InterventionForm(FamilyForm):
    service = forms.ChoiceField(
        label="Service",
        choices=[("", "Choose a service"), *Intervention.Service.choices],
        error_messages={"required": "Select the service that worked with the family"},
    )
    worker_name = forms.CharField(
        label="Worker's name",
        required=False,
        max_length=120,
        help_text="The person who led the work",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    start_date = GovukDateField(
        label="Start date", error_messages={"required": "Enter the date the service started"}
    )
    end_date = GovukDateField(
        label="End date", required=False, help_text="Leave blank if it is still going on"
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            add_rule_errors(self, {"end_date": "The end date must be on or after the start date"})
        return data


class InterventionEndForm(FamilyForm):
    end_date = GovukDateField(
        label="End date", error_messages={"required": "Enter the date the service stopped"}
    )


WHOLE_FAMILY = "family"


class ConsentForm(FamilyForm):
    given_by = forms.CharField(
        label="Who gave consent?",
        max_length=120,
        help_text="Their name, as they gave it",
        error_messages={"required": "Enter who gave consent"},
    )
    person = forms.ChoiceField(
        label="Who does the consent cover?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the consent covers"},
    )
    share_with = forms.MultipleChoiceField(
        label="Who may information be shared with?",
        choices=ConsentRecord.Party.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select who the family agreed to share information with"},
    )
    given_on = GovukDateField(
        label="Date consent was given",
        error_messages={"required": "Enter the date consent was given"},
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(person.pk): person for person in members}
        self.fields["person"].choices = [(WHOLE_FAMILY, "The whole family")] + [
            (pk, person.full_name) for pk, person in self.members.items()
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "given_by": data["given_by"],
            "person": self.members.get(data["person"]),
            "share_with": data["share_with"],
            "given_on": data["given_on"],
            "notes": data["notes"],
        }


class ConsentWithdrawForm(FamilyForm):
    withdrawn_by = forms.CharField(
        label="Who withdrew consent?",
        max_length=120,
        help_text="Their name, as they gave it",
        error_messages={"required": "Enter who withdrew consent"},
    )
    withdrawn_on = GovukDateField(
        label="Date consent was withdrawn",
        error_messages={"required": "Enter the date consent was withdrawn"},
    )


# --- lifecycle (managers) -------------------------------------------------------------------------


class AttachForm(FamilyForm):
    attached_on = GovukDateField(
        label="Attachment date",
        help_text="The date the keyworker started working with the family",
        error_messages={"required": "Enter the attachment date"},
    )
    keyworker = forms.ModelChoiceField(
        label="Lead keyworker",
        queryset=None,
        error_messages={"required": "Select the lead keyworker"},
    )

    def __init__(self, *args, keyworkers, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["keyworker"].queryset = keyworkers
        self.fields["keyworker"].empty_label = "Choose a keyworker"
        self.fields["keyworker"].label_from_instance = lambda user: user.display_name

    def clean(self):
        data = super().clean()
        attached_on = data.get("attached_on")
        if self.family is not None and attached_on and attached_on < self.family.identified_on:
            add_rule_errors(
                self,
                {"attached_on": "The attachment date must be on or after the date identified"},
            )
        return data


class CloseForm(FamilyForm):
    closed_on = GovukDateField(
        label="Closure date", error_messages={"required": "Enter the date the case closed"}
    )
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=Family.ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the case is closing"},
    )

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family

    def clean(self):
        data = super().clean()
        closed_on = data.get("closed_on")
        family = self.family
        if family is not None and closed_on:
            if closed_on < (family.attached_on or family.identified_on):
                add_rule_errors(
                    self,
                    {"closed_on": "The closure date must be on or after the attachment date"},
                )
        return data
