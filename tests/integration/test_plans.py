"""Outcomes plans: shipped plans stored once and never changed, uploads validated with the place
in the file named, and the plan in force decided by activation dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from families.services import system_actor
from outcomes.models import PlanActivation, PlanVersion
from outcomes.selectors.plans import engine_plan, plan_in_force, term_calendar
from outcomes.services import plans as plan_services
from outcomes.services.plans import (
    ShippedPlanChanged,
    plan_activate,
    plan_upload,
    plans_load_shipped,
)

PLANS_DIR = Path(plan_services.__file__).resolve().parent.parent / "plans"
SHIPPED = sorted(p.stem for p in PLANS_DIR.glob("*.yaml"))
WORCS = (PLANS_DIR / "worcestershire-2015-16.yaml").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def test_every_shipped_plan_is_stored_once_and_loading_again_changes_nothing():
    first = plans_load_shipped(actor=system_actor())
    assert sorted(v.slug for v in first) == SHIPPED
    assert all(v.source == PlanVersion.Source.SHIPPED for v in first)
    again = plans_load_shipped(actor=system_actor())
    assert [v.pk for v in again] == [v.pk for v in first]
    assert PlanVersion.objects.count() == len(SHIPPED)


def test_a_changed_shipped_file_with_the_same_version_is_refused(monkeypatch, tmp_path):
    plans_load_shipped(actor=system_actor())
    changed = WORCS.replace("value: 15}", "value: 12}")
    (tmp_path / "worcestershire-2015-16.yaml").write_text(changed, encoding="utf-8")
    monkeypatch.setattr(plan_services, "PLANS_DIR", tmp_path)
    stored = PlanVersion.objects.get(slug="worcestershire-2015-16")
    with pytest.raises(ShippedPlanChanged, match="never changes"):
        plans_load_shipped(actor=system_actor())
    stored.refresh_from_db()
    assert stored.yaml_text == WORCS


def test_administrator_uploads_a_new_version(administrator):
    text = WORCS.replace('version: "2015-16"', 'version: "2015-16-strict"').replace(
        "value: 15}", "value: 10}"
    )
    version = plan_upload(actor=administrator, yaml_text=text)
    assert (version.slug, version.version, version.source) == (
        "worcestershire-2015-16",
        "2015-16-strict",
        "uploaded",
    )
    assert version.uploaded_by == administrator
    assert engine_plan(version).parameter("absence_threshold").value_on(date(2015, 9, 1)) == 10


def test_upload_errors_name_the_place_in_the_file(administrator):
    broken = WORCS.replace("min_problems: 2", "min_problems: lots")
    with pytest.raises(ValidationError) as error:
        plan_upload(actor=administrator, yaml_text=broken)
    messages = error.value.message_dict["yaml_text"]
    assert any("min_problems" in m for m in messages)
    assert PlanVersion.objects.count() == 0


def test_upload_of_text_that_is_not_yaml_names_the_line(administrator):
    with pytest.raises(ValidationError) as error:
        plan_upload(actor=administrator, yaml_text="slug: x\nproblems: [unclosed\n")
    assert "line" in " ".join(error.value.message_dict["yaml_text"])


def test_a_stored_version_cannot_be_replaced_by_upload(administrator):
    plans_load_shipped(actor=system_actor())
    with pytest.raises(ValidationError, match="never changes"):
        plan_upload(actor=administrator, yaml_text=WORCS.replace("value: 15}", "value: 12}"))


@pytest.mark.parametrize(
    "role", ["keyworker", "team_manager", "programme_manager", "auditor", "data_officer"]
)
def test_only_an_administrator_uploads(role, request):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        plan_upload(actor=user, yaml_text=WORCS)


def test_plan_in_force_by_date_latest_activation_wins_a_tie(
    administrator, programme_manager, keyworker
):
    versions = {v.slug: v for v in plans_load_shipped(actor=system_actor())}
    oxford, worcs = versions["oxfordshire-phase-2"], versions["worcestershire-2015-16"]
    assert plan_in_force(on=date(2016, 1, 1)) is None
    plan_activate(actor=administrator, plan_version=oxford, effective_from=date(2015, 4, 1))
    plan_activate(actor=programme_manager, plan_version=worcs, effective_from=date(2016, 4, 1))
    assert plan_in_force(on=date(2015, 3, 31)) is None
    assert plan_in_force(on=date(2015, 4, 1)) == oxford
    assert plan_in_force(on=date(2016, 3, 31)) == oxford
    assert plan_in_force(on=date(2016, 4, 1)) == worcs
    # A second activation from the same date: the most recent wins.
    plan_activate(
        actor=programme_manager,
        plan_version=oxford,
        effective_from=date(2016, 4, 1),
        note="Changed our minds",
    )
    assert plan_in_force(on=date(2016, 5, 1)) == oxford
    with pytest.raises(PermissionDenied):
        plan_activate(actor=keyworker, plan_version=worcs, effective_from=date(2017, 1, 1))
    assert PlanActivation.objects.count() == 3


def test_activate_plan_command_lists_and_activates(capsys):
    call_command("activate_plan", "--list")
    listed = capsys.readouterr().out
    for slug in SHIPPED:
        assert slug in listed
    call_command(
        "activate_plan",
        "worcestershire-2015-16",
        "--version",
        "2015-16",
        "--effective-from",
        "2015-04-01",
    )
    assert plan_in_force(on=date(2015, 4, 1)).slug == "worcestershire-2015-16"
    call_command("activate_plan", "--list")
    assert "in force today" in capsys.readouterr().out


def test_activate_plan_command_refuses_unknown_plans_and_bad_dates():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No plan"):
        call_command("activate_plan", "no-such-plan")
    with pytest.raises(CommandError, match="no version"):
        call_command("activate_plan", "worcestershire-2015-16", "--version", "1999")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("activate_plan", "worcestershire-2015-16", "--effective-from", "1/4/2016")
    assert PlanActivation.objects.count() == 0


def test_term_dates_override_the_defaults():
    from outcomes.models import TermDate

    assert term_calendar().term("2015/16", "spring").end == date(2016, 3, 31)
    TermDate.objects.create(
        academic_year="2015/16",
        term="spring",
        start_date=date(2016, 1, 5),
        end_date=date(2016, 3, 24),
    )
    assert term_calendar().term("2015/16", "spring").end == date(2016, 3, 24)
