"""Storing and activating outcomes plans.

A stored plan version never changes: its YAML text, parsed definition and digest are fixed
when it is stored. A changed plan is a new version. An activation puts a version in force
from a date; the plan in force on a date is decided in `outcomes.selectors.plans`.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.errors import DomainError
from core.validation import Errors, check_date, check_text
from families.models import User
from families.permissions import is_system
from outcomes.engine import PlanError, load_plan
from outcomes.models import PlanActivation, PlanVersion

PLANS_DIR = Path(__file__).resolve().parent.parent / "plans"

# Who may change which plan is in force, and who may add plans.
UPLOAD_ROLES = {User.Role.ADMINISTRATOR}
ACTIVATE_ROLES = {User.Role.ADMINISTRATOR, User.Role.PROGRAMME_MANAGER}

MAX_PLAN_BYTES = 512 * 1024


class ShippedPlanChanged(DomainError):
    """A plan file shipped with the product differs from the version already stored."""


def plan_digest(yaml_text: str) -> str:
    """SHA-256 of the plan's YAML text: identical files, identical digests."""
    return hashlib.sha256(yaml_text.encode("utf-8")).hexdigest()


def _store(*, yaml_text: str, source: str, actor: User, origin: str) -> tuple[PlanVersion, bool]:
    """Validate and store a version; return (version, created). Never changes a stored version."""
    plan = load_plan(yaml_text)  # PlanError names each place in the file
    digest = plan_digest(yaml_text)
    existing = PlanVersion.objects.filter(slug=plan.slug, version=plan.version).first()
    if existing is not None:
        if existing.digest == digest:
            return existing, False
        raise ShippedPlanChanged(
            f"{origin} is version {plan.version} of plan {plan.slug}, but the stored version "
            f"{plan.version} differs from it. A stored plan version never changes: give the "
            f"changed plan a new version number."
        )
    try:
        with transaction.atomic():
            version = PlanVersion.objects.create(
                slug=plan.slug,
                version=plan.version,
                title=plan.title,
                council=plan.council,
                example=plan.example,
                yaml_text=yaml_text,
                definition=plan.to_dict(),
                digest=digest,
                source=source,
                uploaded_by=actor,
            )
    except IntegrityError:
        # Stored at the same moment by someone else: the same rules apply to theirs.
        return _store(yaml_text=yaml_text, source=source, actor=actor, origin=origin)
    return version, True


@transaction.atomic
def plans_load_shipped(*, actor: User) -> list[PlanVersion]:
    """Store every plan shipped in outcomes/plans/ that is not stored yet (safe to repeat).

    Raises ShippedPlanChanged when a shipped file differs from the stored version of the same
    slug and version, and PlanError when a shipped file is invalid.
    """
    versions = []
    for path in sorted(PLANS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        try:
            version, _ = _store(
                yaml_text=text,
                source=PlanVersion.Source.SHIPPED,
                actor=actor,
                origin=f"The shipped file outcomes/plans/{path.name}",
            )
        except PlanError as error:
            raise PlanError([f"outcomes/plans/{path.name}: {e}" for e in error.errors]) from None
        versions.append(version)
    return versions


@transaction.atomic
def plan_upload(*, actor: User, yaml_text: str) -> PlanVersion:
    """Store a plan an administrator uploaded; errors name the place in the file."""
    if actor is None or actor.role not in UPLOAD_ROLES:
        raise PermissionDenied("Only an administrator can upload an outcomes plan.")
    if not yaml_text or not yaml_text.strip():
        raise ValidationError({"yaml_text": "Choose a plan file, or paste the plan"})
    if len(yaml_text.encode("utf-8")) > MAX_PLAN_BYTES:
        raise ValidationError({"yaml_text": "The plan must be smaller than 512 KB"})
    try:
        version, created = _store(
            yaml_text=yaml_text,
            source=PlanVersion.Source.UPLOADED,
            actor=actor,
            origin="The uploaded plan",
        )
    except PlanError as error:
        raise ValidationError({"yaml_text": [f"Fix the plan: {e}" for e in error.errors]}) from None
    except ShippedPlanChanged as error:
        raise ValidationError({"yaml_text": str(error)}) from None
    if not created:
        raise ValidationError(
            {
                "yaml_text": f"Version {version.version} of plan {version.slug} is already stored, "
                "with exactly this text. There is nothing to upload."
            }
        )
    return version


ACTIVATION_NOTE = 500


@transaction.atomic
def plan_activate(
    *, actor: User, plan_version: PlanVersion, effective_from: date, note: str = ""
) -> PlanActivation:
    """Put a version in force from a date (administrator or programme manager; None for the system)."""
    if not is_system(actor) and getattr(actor, "role", None) not in ACTIVATE_ROLES:
        raise PermissionDenied(
            "Only an administrator or a programme manager can change the plan in force."
        )
    errors = Errors()
    if not isinstance(effective_from, date):
        errors.add("effective_from", "Enter the date the plan comes into force")
    else:
        check_date(errors, "effective_from", effective_from, "The date", future=True)
    check_text(errors, "note", note, "The reason for the change", ACTIVATION_NOTE)
    errors.raise_if_any()
    if plan_version.pk is None:
        raise ValidationError({"plan_version": "Store the plan before activating it"})
    return PlanActivation.objects.create(
        plan_version=plan_version,
        effective_from=effective_from,
        activated_by=actor,
        note=note.strip(),
    )
