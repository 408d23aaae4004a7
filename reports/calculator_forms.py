"""The projections and cost savings pages' forms. They check what was typed and hand the
figures to the same serializer and pure functions as the API (reports.api, reports.projections,
reports.cost_savings), so a figure the API refuses the page refuses with the same words."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms

from .api.projections import ProjectionInputSerializer
from .cost_savings import Quantity, UnitCostItem
from .projections import ProjectionInput

LINE = re.compile(r"^\s*(\S+)[\s,]+(\S+)\s*$")


class ProjectionForm(forms.Form):
    source = forms.ChoiceField(
        label="Where do the new cases come from?",
        choices=[
            ("live", "Families attached to the programme in this service"),
            ("entered", "Figures I enter"),
        ],
        widget=forms.RadioSelect,
        initial="live",
        error_messages={"required": "Select where the new cases come from"},
    )
    new_cases = forms.CharField(
        label="New cases per quarter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Only for figures you enter. One quarter a line: the month it ends, then how "
        "many families start, for example 2012-09 39",
    )
    quarters_ahead = forms.IntegerField(
        label="Quarters to look ahead",
        min_value=0,
        max_value=20,
        initial=6,
        required=False,
        help_text="Only for attached families: quarters after this one to project",
        error_messages={
            "invalid": "Enter the quarters to look ahead as a whole number",
            "min_value": "Quarters to look ahead must be 0 or more",
            "max_value": "Quarters to look ahead must be 20 or fewer",
        },
    )
    new_cases_ahead = forms.IntegerField(
        label="New cases in each quarter ahead",
        min_value=0,
        max_value=1_000_000,
        initial=0,
        required=False,
        help_text="Only for attached families",
        error_messages={
            "invalid": "Enter new cases in each quarter ahead as a whole number",
            "min_value": "New cases in each quarter ahead must be 0 or more",
            "max_value": "New cases in each quarter ahead must be 1,000,000 or fewer",
        },
    )
    # Typed as text: the API's serializer checks them, so the page and the API say the same.
    intervention_months = forms.CharField(
        label="Average intervention, in months",
        initial="9",
        error_messages={"required": "Enter the average intervention in months"},
    )
    sustain_months = forms.CharField(
        label="Sustain period before a claim, in months",
        initial="6",
        error_messages={"required": "Enter the sustain period in months"},
    )
    capacity = forms.CharField(
        label="Capacity",
        initial="700",
        help_text="How many families the teams can work with at once (Hertfordshire planned "
        "for 700 in 2014)",
        error_messages={"required": "Enter the capacity as a whole number of families"},
    )

    def __init__(self, *args, live_quarters: list[tuple[str, int]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.live_quarters = live_quarters or []
        self.projection_input: ProjectionInput | None = None

    def _entered_quarters(self) -> list[dict] | None:
        text = self.cleaned_data.get("new_cases", "")
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines:
            self.add_error("new_cases", "Enter the new cases per quarter, one quarter a line")
            return None
        quarters = []
        for number, line in enumerate(lines, start=1):
            match = LINE.match(line)
            if not match:
                self.add_error(
                    "new_cases",
                    f"Line {number}: enter the month the quarter ends and its new cases, "
                    "like 2012-09 39",
                )
                return None
            quarters.append({"quarter": match[1], "new_cases": match[2]})
        return quarters

    def _live(self) -> list[dict]:
        from .projections_live import quarters_ahead

        ahead = self.cleaned_data.get("quarters_ahead")
        ahead = 6 if ahead is None else ahead
        per_quarter = self.cleaned_data.get("new_cases_ahead") or 0
        quarters = [{"quarter": q, "new_cases": n} for q, n in self.live_quarters]
        if quarters:
            quarters += [
                {"quarter": q, "new_cases": per_quarter}
                for q in quarters_ahead(quarters[-1]["quarter"], ahead)
            ]
        return quarters

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        source = cleaned.get("source")
        quarters = self._entered_quarters() if source == "entered" else self._live()
        if quarters is None:
            return cleaned
        if not quarters:
            self.add_error(
                "source",
                "No families have been attached yet: select figures I enter, and enter them",
            )
            return cleaned
        serializer = ProjectionInputSerializer(
            data={
                "quarters": quarters,
                "intervention_months": cleaned.get("intervention_months"),
                "sustain_months": cleaned.get("sustain_months"),
                "capacity": cleaned.get("capacity"),
            }
        )
        if serializer.is_valid():
            self.projection_input = serializer.projection_input()
            return cleaned
        for name, errors in serializer.errors.items():
            if name == "quarters":
                self.add_error("new_cases", _quarter_errors(errors))
            else:
                self.add_error(name, [str(e) for e in errors])
        return cleaned


def _quarter_errors(errors) -> list[str]:
    """Messages for the textarea from the serializer's errors: by row number, or for the list."""
    if not isinstance(errors, dict):
        return [str(e) for e in errors]
    messages = []
    for index, row in sorted(
        errors.items(), key=lambda i: (not isinstance(i[0], int), str(i[0]).zfill(9))
    ):
        if isinstance(index, int) and isinstance(row, dict):
            for field_errors in row.values():
                messages += [f"Line {index + 1}: {e}" for e in field_errors]
        else:
            messages += [str(e) for e in row]
    return messages


class CostSavingsForm(forms.Form):
    """For each unit cost, how many units before, during and after (blank for none)."""

    PERIODS = [
        ("before", "In the 6 months before"),
        ("during", "The intervention"),
        ("after", "In the 6 months after"),
    ]

    def __init__(self, *args, unit_costs: list[UnitCostItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_costs = unit_costs
        self.rows = []
        for index, cost in enumerate(unit_costs):
            names = []
            for period, words in self.PERIODS:
                name = f"{period}-{index}"
                self.fields[name] = forms.DecimalField(
                    label=f"{cost.name}, {words.lower()} ({cost.unit})",
                    required=False,
                    min_value=0,
                    max_digits=12,
                    decimal_places=2,
                    error_messages={
                        "invalid": f"Enter {cost.name.lower()} {words.lower()} as a number, like 3",
                        "min_value": f"{cost.name} {words.lower()} must be 0 or more",
                        "max_digits": f"{cost.name} {words.lower()} must be smaller",
                        "max_decimal_places": f"{cost.name} {words.lower()} can have at most 2 decimal places",
                    },
                )
                names.append(name)
            self.rows.append((cost, [self[n] for n in names]))

    def quantities(self) -> dict[str, list[Quantity]]:
        result: dict[str, list[Quantity]] = {p: [] for p, _ in self.PERIODS}
        for index, cost in enumerate(self.unit_costs):
            for period, _ in self.PERIODS:
                value = self.cleaned_data.get(f"{period}-{index}")
                if value is not None and value != Decimal(0):
                    result[period].append(Quantity(cost.name, value))
        return result
