"""Outcomes plans: the model (``model``) and the YAML loader (``loader``), importable from one place.

Kept so ``from outcomes.engine.plan import ...`` goes on working; new code imports from
``outcomes.engine`` (or ``.model`` / ``.loader`` inside the engine).
"""

from __future__ import annotations

from .loader import (
    PLANS_DIR,
    criterion_to_dict,
    group_to_dict,
    load_plan,
    load_shipped_plan,
    plan_to_dict,
    shipped_plan_paths,
    shipped_plans,
)
from .model import *  # noqa: F403
from .model import Plan, PlanError, plan_judgements
from .wording import PlanTableRow, plan_table

__all__ = [
    "PLANS_DIR",
    "Plan",
    "PlanError",
    "PlanTableRow",
    "criterion_to_dict",
    "group_to_dict",
    "load_plan",
    "load_shipped_plan",
    "plan_judgements",
    "plan_table",
    "plan_to_dict",
    "shipped_plan_paths",
    "shipped_plans",
]
