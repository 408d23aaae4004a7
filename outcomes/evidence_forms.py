"""Forms for keyworkers recording and correcting evidence: they parse what was typed, nothing more.

A kind's form is generated from the engine's fields for that kind (`evidence_fields`), with
the labels and hints below; what may be recorded is decided by
`outcomes.services.evidence` (a view puts its field errors back on the form).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name

from core.forms import GovukDateField, GovukFormMixin, govuk_messages
from families.models import Membership
from outcomes import wording
from outcomes.engine.evidence import evidence_fields
from outcomes.services.evidence import evidence_clean, evidence_field_required, judgement_codes
from outcomes.services.evidence.cleaning import JUDGEMENT_CODES, TEXT_LIMIT

STANDARD_JUDGEMENTS = set(JUDGEMENT_CODES)

# Evidence kinds a keyworker records, in the order the add-evidence page lists them (their
# words are in outcomes.wording). Professional judgements are one choice per judgement
# ("judgement:<code>"), so each form asks only for its own value.
KEYWORKER_KINDS = [
    "school_attendance",
    "exclusions",
    "offences",
    "asb_incidents",
    "domestic_abuse_callouts",
    "benefit_spells",
    "employment_spells",
    "work_activity",
    "neet_status",
    "child_plans",
    "treatment",
    "member_flags",
]


@dataclass(frozen=True)
class Choice:
    choice: str  # "offences" or "judgement:eha_impact"
    label: str
    hint: str
    group: str
    is_judgement: bool = False


def keyworker_choices() -> list[Choice]:
    """Everything a keyworker may record: the kinds, then every judgement the plans read."""
    choices = [
        Choice(kind, wording.KINDS[kind].label, wording.KINDS[kind].hint, wording.KINDS[kind].group)
        for kind in KEYWORKER_KINDS
    ]
    for code in judgement_codes():
        words = wording.judgement_words(code)
        choices.append(Choice(f"judgement:{code}", words.label, words.hint, words.group, True))
    return choices


def choice_labels() -> dict[str, str]:
    return {c.choice: c.label for c in keyworker_choices()}


@dataclass(frozen=True)
class ChoiceGroup:
    code: str
    heading: str
    choices: list[Choice]

    @property
    def records(self) -> list[Choice]:
        return [c for c in self.choices if not c.is_judgement]

    @property
    def judgements(self) -> list[Choice]:
        return [c for c in self.choices if c.is_judgement]


def choice_groups(in_force: set[str] | None = None) -> tuple[list[ChoiceGroup], list[Choice]]:
    """The choices grouped by problem, and the judgements only other plans read.

    `in_force` is the judgement codes the plan in force reads (None: no plan is in force, so
    every judgement is listed in its group). The standard judgements are always listed.
    """
    by_group: dict[str, list[Choice]] = {}
    others: list[Choice] = []
    for c in keyworker_choices():
        code = c.choice.partition(":")[2]
        if c.is_judgement and in_force is not None and code not in in_force | STANDARD_JUDGEMENTS:
            others.append(c)
        else:
            by_group.setdefault(c.group, []).append(c)
    groups = [
        ChoiceGroup(code, heading, by_group[code])
        for code, heading in wording.GROUPS
        if code in by_group
    ]
    return groups, others


YES_NO = [("yes", "Yes"), ("no", "No")]


def _words(name: str) -> list[tuple[str, str]]:
    return list(wording.VALUE_WORDS[name].items())


# (label, hint, choices) per field; a kind's own entry wins over the shared one.
FIELD_SPECS: dict[str, dict[str, Any]] = {
    "academic_year": {"label": "Academic year", "hint": "For example, 2015/16", "width": 5},
    "term": {
        "label": "Term",
        "choices": _words("term"),
    },
    "possible_sessions": {
        "label": "Possible sessions",
        "hint": "Half-day sessions the school was open for the pupil this term",
    },
    "absent_sessions": {
        "label": "Sessions missed",
        "hint": "Authorised and unauthorised absences, in half-day sessions",
    },
    "school": {"label": "School"},
    "start_date": {"label": "Start date", "hint": "For example, 27 3 2015"},
    "end_date": {"label": "End date", "hint": "Leave blank if it has not ended"},
    "exclusion_type": {
        "label": "Type of exclusion",
        "choices": _words("exclusion_type"),
    },
    "sessions": {"label": "Sessions excluded", "hint": "Half-day sessions"},
    "offence_date": {"label": "Date of the offence", "hint": "For example, 27 3 2015"},
    "proven": {
        "label": "Was the offence proven?",
        "choices": YES_NO,
        "error": "Select yes if the offence was proven",
    },
    "serious": {
        "label": "Was it a serious offence?",
        "choices": YES_NO,
        "error": "Select yes if it was a serious offence",
    },
    "description": {"label": "Description", "hint": "For example, criminal damage"},
    "incident_date": {"label": "Date of the incident", "hint": "For example, 27 3 2015"},
    "sanction": {"label": "Sanction", "hint": "For example, an acceptable behaviour contract"},
    "source": {
        "label": "Who reported it?",
        "choices": _words("source"),
    },
    "callout_date": {"label": "Date of the call-out", "hint": "For example, 27 3 2015"},
    "child_present": {
        "label": "Was a child present?",
        "choices": YES_NO,
        "error": "Select yes if a child was present",
    },
    "civil_injunction_support": {
        "label": "Was support with a civil injunction given?",
        "choices": YES_NO,
        "error": "Select yes if support with a civil injunction was given",
    },
    "benefit": {
        "label": "Benefit",
        "choices": _words("benefit"),
    },
    "out_of_work": {
        "label": "Is it an out-of-work benefit?",
        "choices": YES_NO,
        "error": "Select yes if it is an out-of-work benefit",
    },
    "hours_per_week": {"label": "Hours a week", "width": 5},
    "monthly_earnings": {"label": "Monthly earnings in pounds", "hint": "Before tax", "width": 10},
    "activity": {
        "label": "Activity",
        "choices": _words("activity"),
    },
    "status": {
        "label": "Status",
        "choices": _words("status"),
    },
    "plan": {
        "label": "Plan",
        "choices": _words("plan"),
    },
    "category": {"label": "Primary reason", "hint": "For example, neglect"},
    "substance": {"label": "Treatment for", "choices": _words("substance")},
    "outcome": {
        "label": "Outcome",
        "choices": _words("outcome"),
    },
    "flag": {
        "label": "Flag",
        "choices": _words("flag"),
    },
    "recorded_on": {"label": "Date of the judgement", "hint": "For example, 27 3 2015"},
}
PER_KIND_SPECS: dict[tuple[str, str], dict[str, Any]] = {
    ("exclusions", "start_date"): {
        "label": "Date the exclusion started",
        "hint": "For example, 27 3 2015",
    },
    ("treatment", "end_date"): {"label": "End date", "hint": "Leave blank while treatment goes on"},
}

WHOLE_FAMILY = "family"


def split_choice(choice: str) -> tuple[str, str]:
    """'judgement:eha_impact' -> ('judgement', 'eha_impact'); 'offences' -> ('offences', '')."""
    kind, _, code = choice.partition(":")
    return kind, code


def choice_for(kind: str, data: dict[str, Any]) -> str:
    return f"judgement:{data.get('code')}" if kind == "judgement" else kind


class EvidenceKindForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="What do you want to record?",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Select the kind of evidence you want to record"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(c.choice, c.label) for c in keyworker_choices()]


class EvidenceForm(GovukFormMixin, forms.Form):
    """One kind's fields, generated from the engine's definition of the kind."""

    def __init__(
        self,
        *args,
        choice: str,
        members: list[Membership] | None = None,
        correcting: bool = False,
        **kwargs,
    ):
        self.choice = choice
        self.kind, self.code = split_choice(choice)
        self.correcting = correcting
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        if members is not None and not correcting:
            fields["member"] = self._member_field(members)
        for name, annotation in evidence_fields(self.kind).items():
            if self.kind == "judgement" and name == "code":
                continue
            fields[name] = self._field(name, str(annotation))
        if correcting:
            fields["reason"] = forms.CharField(
                label="Why are you correcting this record?",
                help_text="For example, the school sent corrected figures. Everyone who reads the record's history sees this.",
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=1000,
                error_messages={"required": "Enter why you are correcting the record"},
            )
        # The mixin gave GOV.UK messages to the fields that existed then (none): give them now.
        self.fields = fields
        for name, field in self.fields.items():
            govuk_messages(field, str(field.label or pretty_name(name)))

    def _member_field(self, members: list[Membership]) -> forms.Field:
        choices = []
        seen = set()
        for membership in members:
            person = membership.person
            if person.pk in seen:
                continue
            seen.add(person.pk)
            born = (
                f", born {person.date_of_birth.day} {person.date_of_birth:%B %Y}"
                if person.date_of_birth
                else ""
            )
            choices.append(
                (
                    str(person.pk),
                    f"{person.full_name} ({membership.get_role_display().lower()}{born})",
                )
            )
        if self.kind == "judgement":
            choices.insert(0, (WHOLE_FAMILY, "The whole family"))
        return forms.ChoiceField(
            label="Who is it about?",
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": "Select who the evidence is about"},
        )

    def _field(self, name: str, annotation: str) -> forms.Field:
        spec = {**FIELD_SPECS.get(name, {}), **PER_KIND_SPECS.get((self.kind, name), {})}
        label = spec.get("label", name.replace("_", " ").capitalize())
        hint = spec.get("hint", "")
        required = evidence_field_required(self.kind, name) or annotation.startswith("bool")
        if self.kind == "judgement" and name == "value":
            values = judgement_codes().get(self.code, ())
            words = wording.judgement_words(self.code)
            return forms.ChoiceField(
                label=words.question,
                help_text=words.hint,
                choices=[(v, wording.judgement_value_words(self.code, v)) for v in values],
                widget=forms.RadioSelect,
                error_messages={"required": "Select your judgement"},
            )
        if annotation.startswith("date"):
            lowered = label[:1].lower() + label[1:]
            return GovukDateField(
                label=label,
                help_text=hint,
                required=required,
                error_messages={"required": f"Enter the {lowered}"},
            )
        if "choices" in spec:
            message = spec.get("error") or f"Select the {label[:1].lower()}{label[1:]}"
            return forms.ChoiceField(
                label=label,
                help_text=hint,
                choices=spec["choices"],
                widget=forms.RadioSelect,
                required=required,
                error_messages={"required": message},
            )
        if annotation.startswith("int"):
            return forms.IntegerField(
                label=label, help_text=hint, required=required, min_value=0, widget=_numeric(spec)
            )
        if annotation.startswith("float"):
            return forms.DecimalField(
                label=label,
                help_text=hint,
                required=required,
                min_value=0,
                decimal_places=2,
                widget=_numeric(spec, decimal=True),
            )
        return forms.CharField(
            label=label, help_text=hint, required=required, max_length=TEXT_LIMIT
        )

    def clean(self) -> dict[str, Any]:
        # The service's own checks on the record (sessions missed more than possible, an end
        # before the start, a date before 1900) run here too, so they are listed with the
        # form's own errors at once. The service checks again when the record is saved.
        cleaned = super().clean()
        try:
            evidence_clean(self.kind, self.evidence_data())
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                field = name if name in self.fields else None
                if field is not None and (field in self.errors or not self._field_filled(field)):
                    continue  # the form has said what is wrong with it already
                if field is None and self.errors:
                    continue  # a record-wide problem waits until the fields are right
                for message in messages_:
                    self.add_error(field, message)
        return cleaned

    def _field_filled(self, name: str) -> bool:
        return self.cleaned_data.get(name) not in (None, "")

    def evidence_data(self) -> dict[str, Any]:
        """The cleaned values as the service takes them (code added for judgements)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("member", "reason") and value not in (None, "")
        }
        if self.kind == "judgement":
            data["code"] = self.code
        for name, value in list(data.items()):
            if hasattr(value, "as_tuple"):  # Decimal → number the engine keeps as float
                data[name] = float(value)
        return data

    def subject(self) -> str:
        return self.cleaned_data.get("member", "")


def _numeric(spec: dict[str, Any], decimal: bool = False) -> forms.TextInput:
    attrs = {"inputmode": "decimal" if decimal else "numeric", "spellcheck": "false"}
    width = spec.get("width", 4 if not decimal else 10)
    attrs["class"] = f"govuk-input--width-{width}"
    return forms.TextInput(attrs=attrs)


def initial_from(data: dict[str, Any]) -> dict[str, Any]:
    """A stored record's values as a form's initial values (ISO dates back to dates)."""
    initial = {}
    for name, value in data.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                value = date.fromisoformat(value)
            except ValueError:
                pass
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        initial[name] = value
    return initial
