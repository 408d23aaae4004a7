"""Forms for the assessment, plan and review pages: they parse what a user typed, nothing more.

The rules (dates in order, who may do an action) live in `casework.services`; a view hands the
cleaned data to one service and puts the service's field errors back on the form.
"""

from __future__ import annotations

from django import forms

from core.forms import GovukDateField, GovukFormMixin, govuk_messages
from core.validation import LONG_NOTE, NOTE

from .models import Goal
from .services import ACTION_TEXT, ASSIGNED_NAME, GOAL_TEXT, GoalUpdate, star_score_field

SOMEONE_ELSE = "other"


class CaseworkForm(GovukFormMixin, forms.Form):
    pass


def _problem_choices(problems) -> list[tuple[int, str]]:
    return [(fp.pk, fp.problem.title) for fp in problems]


class AssessmentForm(CaseworkForm):
    problems = forms.TypedMultipleChoiceField(
        label="Which of the family's problems does the assessment cover?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"required": "Select the problems the assessment is about"},
    )
    strengths = forms.CharField(
        label="The family's strengths",
        required=False,
        max_length=LONG_NOTE,
        help_text="What is going well, and who the family can count on",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    family_view = forms.CharField(
        label="The family's view, in their own words",
        required=False,
        max_length=LONG_NOTE,
        help_text="What they told you they want to change",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    worries = forms.CharField(
        label="Worries",
        required=False,
        max_length=LONG_NOTE,
        help_text="What you, the family or other workers are worried about",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contributors = forms.CharField(
        label="Who contributed",
        required=False,
        max_length=NOTE,
        help_text="For example, mum, Tom, the school's family support worker",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    completed_on = GovukDateField(
        label="Date completed",
        required=False,
        past_only=True,
        help_text=(
            "Leave blank while the assessment is being written. Once completed it cannot be "
            "changed: a later assessment starts as a new version. For example, 27 3 2026"
        ),
    )

    def __init__(self, *args, family_problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.family_problems = {fp.pk: fp for fp in family_problems}
        self.fields["problems"].choices = _problem_choices(family_problems)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["problems"] = [self.family_problems[pk] for pk in data["problems"]]
        return data


class GoalForm(CaseworkForm):
    family_problem = forms.TypedChoiceField(
        label="Which problem is the goal about?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the problem this goal is about"},
    )
    text = forms.CharField(
        label="The goal, in plain words",
        max_length=GOAL_TEXT,
        help_text="What the family wants to be different, for example ‘Tom goes to school every day’",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the goal"},
    )

    def __init__(self, *args, family_problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.family_problems = {fp.pk: fp for fp in family_problems}
        self.fields["family_problem"].choices = _problem_choices(family_problems)

    def service_arguments(self) -> dict:
        return {
            "family_problem": self.family_problems.get(self.cleaned_data["family_problem"]),
            "text": self.cleaned_data["text"],
        }


class ActionForm(CaseworkForm):
    text = forms.CharField(
        label="What needs to be done?",
        max_length=ACTION_TEXT,
        help_text="For example, ‘Book a meeting with the school’s attendance officer’",
        error_messages={"required": "Enter what needs to be done"},
    )
    assignee = forms.ChoiceField(
        label="Who will do it?",
        error_messages={"required": "Select who will do it"},
    )
    assigned_name = forms.CharField(
        label="If someone else, who?",
        required=False,
        max_length=ASSIGNED_NAME,
        help_text="For example, the school, or Tom's grandmother",
    )
    due_on = GovukDateField(
        label="Done by",
        help_text="The date it should be done by, for example 27 3 2026",
        error_messages={"required": "Enter the date it should be done by"},
    )

    def __init__(self, *args, workers, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {f"user:{u.pk}": u for u in workers}
        self.members = {f"person:{p.pk}": p for p in members}
        self.fields["assignee"].choices = [
            ("", "Choose who"),
            ("Workers", [(key, u.display_name) for key, u in self.workers.items()]),
            ("Family members", [(key, p.full_name) for key, p in self.members.items()]),
            (SOMEONE_ELSE, "Someone else"),
        ]

    def clean(self):
        data = super().clean()
        if data.get("assignee") == SOMEONE_ELSE and not (data.get("assigned_name") or "").strip():
            self.add_error("assigned_name", "Enter who will do it")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        key = data["assignee"]
        return {
            "text": data["text"],
            "due_on": data["due_on"],
            "assigned_user": self.workers.get(key),
            "assigned_person": self.members.get(key),
            "assigned_name": data["assigned_name"] if key == SOMEONE_ELSE else "",
        }


class ActionDoneForm(CaseworkForm):
    done_on = GovukDateField(
        label="Date it was done",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date it was done"},
    )


class ReviewDateForm(CaseworkForm):
    next_review_on = GovukDateField(
        label="Date of the next review",
        future_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the next review"},
    )


class ReviewForm(CaseworkForm):
    held_on = GovukDateField(
        label="Date the review was held",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the review was held"},
    )
    attended = forms.CharField(
        label="Who attended?",
        max_length=NOTE,
        help_text="For example, mum, Tom, the school's attendance officer and you",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter who attended the review"},
    )
    next_review_on = GovukDateField(
        label="Date of the next review",
        help_text="After the date this review was held, for example 27 3 2026",
        error_messages={"required": "Enter the date of the next review"},
    )
    notes = forms.CharField(
        label="Anything else agreed",
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            problem = goal.family_problem.problem.short_title
            self.fields[f"goal_{goal.pk}_text"] = forms.CharField(
                label=f"Progress on ‘{goal.text}’",
                required=False,
                max_length=NOTE,
                help_text=f"{problem}. What has changed since the plan was made or last reviewed",
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"goal_{goal.pk}_status"] = forms.ChoiceField(
                label=f"Where has ‘{goal.text}’ got to?",
                choices=Goal.Status.choices,
                widget=forms.RadioSelect,
                initial=goal.status,
                error_messages={"required": f"Select where ‘{goal.text}’ has got to"},
            )
            # The mixin worded the fields declared above; these are added after it ran.
            govuk_messages(self.fields[f"goal_{goal.pk}_text"], "Progress")

    def clean(self):
        # The service's rule too, so it shows with the form's other errors in one go.
        data = super().clean()
        held_on, next_review_on = data.get("held_on"), data.get("next_review_on")
        if held_on and next_review_on and next_review_on <= held_on:
            self.add_error(
                "next_review_on",
                "The date of the next review must be after the date this review was held",
            )
        return data

    def goal_fields(self):
        """Per goal: (goal, progress field, status field), for the page to group them."""
        return [(g, self[f"goal_{g.pk}_text"], self[f"goal_{g.pk}_status"]) for g in self.goals]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "attended": data["attended"],
            "next_review_on": data["next_review_on"],
            "notes": data["notes"],
            "progress": {
                g.pk: GoalUpdate(text=data[f"goal_{g.pk}_text"], status=data[f"goal_{g.pk}_status"])
                for g in self.goals
            },
        }


class StarReadingForm(CaseworkForm):
    """A reading of one Star: who it is about (My Star), when, baseline or review, and a score
    for every area as radios on the Star's scale (area names only: the scale descriptions are
    licensed)."""

    person = forms.TypedChoiceField(
        label="Who is the Star about?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child or young person the Star is about"},
    )
    read_on = GovukDateField(
        label="Date the Star was completed",
        past_only=True,
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the Star was completed"},
    )
    kind = forms.ChoiceField(
        label="Is this the baseline or a review?",
        choices=[
            ("baseline", "Baseline, at the start of the work"),
            ("review", "Review, to see what has changed"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a baseline or a review"},
    )

    def __init__(self, *args, definition, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.people = {p.pk: p for p in people}
        if definition.subject == definition.Subject.PERSON:
            self.fields["person"].choices = [(p.pk, p.full_name) for p in people]
        else:
            del self.fields["person"]
        low, high = definition.scale_min, definition.scale_max
        self.areas = list(definition.areas.all())
        for area in self.areas:
            name = star_score_field(area.identifier)
            self.fields[name] = forms.TypedChoiceField(
                label=area.name,
                coerce=int,
                choices=[(n, str(n)) for n in range(low, high + 1)],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select a score for {area.name}",
                    "invalid_choice": f"Select a score for {area.name} between {low} and {high}",
                },
            )

    def score_fields(self):
        return [self[star_score_field(a.identifier)] for a in self.areas]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "person": self.people.get(data.get("person")),
            "read_on": data["read_on"],
            "kind": data["kind"],
            "scores": {a.identifier: data[star_score_field(a.identifier)] for a in self.areas},
        }
