"""A worked example for the cost savings page: Hertfordshire's Family E (2013).

Hertfordshire County Council, Health and Wellbeing Board, 13 November 2013, "Thriving Families",
case study of Family E. `UNIT_COSTS` are the unit costs it uses, with where each comes from (the
demo council's unit cost table is seeded with them: demo/report_costs.py); `FAMILY_E` is that
family's services before and after the intervention, and the intervention itself, as quantities
of those costs. The cost savings page offers to fill them in when the table has these costs.
"""

from __future__ import annotations

from decimal import Decimal

from .cost_savings import Quantity, UnitCostItem

HERTS = "Hertfordshire Thriving Families, Family E case study (November 2013)"

UNIT_COSTS = [
    UnitCostItem(
        "Police call-out time",
        "per hour",
        Decimal("33.00"),
        f"{HERTS}: police time at £33 per hour",
    ),
    UnitCostItem("Arrest", "per arrest", Decimal("1930.00"), f"{HERTS}: £1,930 for each arrest"),
    UnitCostItem(
        "Jobseeker's Allowance",
        "per week",
        Decimal("71.00"),
        f"{HERTS}: JSA at £71 per week",
    ),
    UnitCostItem(
        "Disability Living Allowance",
        "per week",
        Decimal("79.00"),
        f"{HERTS}: DLA at £79 per week",
    ),
    UnitCostItem(
        "Notice of seeking possession",
        "per notice",
        Decimal("600.00"),
        f"{HERTS}: cost of issuing a Notice of Seeking Possession",
    ),
    UnitCostItem(
        "Dealing with rent arrears",
        "per case",
        Decimal("1900.00"),
        f"{HERTS}: cost of dealing with rent arrears",
    ),
    UnitCostItem(
        "Domestic violence",
        "per case",
        Decimal("19707.00"),
        f"{HERTS}: national cost of dealing with domestic violence",
    ),
    UnitCostItem(
        "Child protection plan set-up",
        "per plan",
        Decimal("6011.00"),
        f"{HERTS}: cost of setting up a child protection plan",
    ),
    UnitCostItem(
        "Child protection plan monitoring",
        "per month",
        Decimal("370.00"),
        f"{HERTS}: £370 a month to monitor a child protection plan",
    ),
    UnitCostItem(
        "Truancy",
        "per child",
        Decimal("1512.00"),
        f"{HERTS}: 36 hours of Attendance Improvement Officer time per case at £42 per hour",
    ),
    UnitCostItem(
        "Drugs programme",
        "per programme",
        Decimal("1000.00"),
        f"{HERTS}: cost of accessing Turning Point",
    ),
    UnitCostItem(
        "Programme background cost",
        "per family",
        Decimal("3789.00"),
        f"{HERTS}: background costs of running the programme (staffing, accommodation, lighting "
        "and heating, training, operational costs) divided by the 450 families expected to be "
        "worked with in a year",
    ),
    UnitCostItem(
        "Family intervention worker time",
        "per 9-month intervention",
        Decimal("2419.00"),
        f"{HERTS}: cost of the family intervention worker's time for a 9-month intervention",
    ),
]


def _q(item: str, quantity: str) -> Quantity:
    return Quantity(item=item, quantity=Decimal(quantity))


# Family E's 6 months before, the intervention, and the 6 months after.
FAMILY_E = {
    "before": [
        _q("Police call-out time", "62"),
        _q("Arrest", "3"),
        _q("Jobseeker's Allowance", "24"),
        _q("Notice of seeking possession", "1"),
        _q("Dealing with rent arrears", "1"),
        _q("Domestic violence", "1"),
        _q("Child protection plan set-up", "1"),
        _q("Child protection plan monitoring", "6"),
        _q("Truancy", "2"),
    ],
    "during": [
        _q("Programme background cost", "1"),
        _q("Family intervention worker time", "1"),
    ],
    "after": [
        _q("Drugs programme", "1"),
        _q("Jobseeker's Allowance", "24"),
        _q("Disability Living Allowance", "24"),
    ],
}
