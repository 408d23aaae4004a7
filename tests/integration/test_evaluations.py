"""Evaluating families from the database: worked families for each shipped plan, end to end
through `run_eligibility --json`; repeating changes nothing; snapshots cost constant queries."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.models import FamilyEvent
from families.services import system_actor
from outcomes.models import EligibilityRun, Evaluation, Evidence
from outcomes.selectors.evaluations import current_evaluation, near_miss_list, what_if
from outcomes.selectors.plans import plan_in_force
from outcomes.services.evaluations import families_evaluate, family_evaluate
from outcomes.services.plans import plan_upload
from outcomes.snapshot import evidence_digest, family_snapshots
from tests import factories as f
from tests.factories import (
    activate,
    national_family,
    oxfordshire_family,
    record,
    run_json,
    supporting_families_family,
    worcestershire_family,
)

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def outcomes_of(payload: dict) -> dict[str, str]:
    return {p["code"]: p["outcome"] for p in payload["problems"]}


# --- worked families, one per shipped plan -------------------------------------------------------


def test_oxfordshire_family_end_to_end():
    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family()
    payload = run_json("--as-of", "2016-09-30", "--family", family.reference)
    assert payload["family"] == "F-000123"
    assert payload["plan"] == {"slug": "oxfordshire-phase-2", "version": "2015-1"}
    assert payload["eligible"] is True
    assert outcomes_of(payload) == {
        "crime_asb": "not_identified",
        "school_attendance": "met",
        "children_need_help": "not_identified",
        "worklessness": "not_identified",
        "domestic_abuse": "met",
        "health": "not_identified",
    }
    school = next(p for p in payload["problems"] if p["code"] == "school_attendance")
    assert school["met_since"] == "2016-07-22"
    attendance_criterion = next(c for c in school["criteria"] if c["id"] == "attendance-above-90")
    assert attendance_criterion["status"] == "met"
    used = {e["id"] for e in attendance_criterion["evidence"]}
    after = set(
        Evidence.objects.filter(
            kind="school_attendance", data__academic_year="2015/16"
        ).values_list("pk", flat=True)
    )
    assert used == after
    assert payload["claimable"] == {"results": True, "continuous_employment": False}
    assert payload["blocking"] == []
    assert set(payload) == {
        "family",
        "as_of",
        "plan",
        "eligible",
        "problems",
        "claimable",
        "blocking",
    }


def test_oxfordshire_family_before_the_summer_term_ends_is_progressing():
    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family()
    payload = run_json("--as-of", "2016-07-21", "--family", family.reference)
    assert outcomes_of(payload)["school_attendance"] == "progressing"
    assert payload["claimable"]["results"] is False
    assert [b["problem"] for b in payload["blocking"]] == ["school_attendance"]


def test_worcestershire_family_end_to_end():
    activate("worcestershire-2015-16", "2015-04-01")
    family = worcestershire_family()
    payload = run_json("--as-of", "2016-09-30")
    assert payload["plan"] == {"slug": "worcestershire-2015-16", "version": "2015-16"}
    (evaluation,) = [e for e in payload["evaluations"] if e["family"] == family.reference]
    assert evaluation["eligible"] is True
    assert outcomes_of(evaluation)["crime_asb"] == "met"
    assert outcomes_of(evaluation)["school_attendance"] == "met"
    assert evaluation["claimable"]["results"] is True


def test_worcestershire_threshold_falls_to_10_percent_from_april_2016():
    # 12% absence: below 15% (claims before April 2016) but not below 10% (claims from then).
    activate("worcestershire-2015-16", "2015-04-01")
    family = worcestershire_family(absence_after=12)
    attendance_after = outcomes_of(run_json("--as-of", "2016-09-30", "--family", family.reference))
    assert attendance_after["school_attendance"] == "not_met"


def test_national_phase_1_family_end_to_end():
    activate("national-phase-1", "2012-04-01")
    family = national_family()
    payload = run_json("--as-of", "2016-09-30", "--family", family.reference)
    assert payload["plan"]["slug"] == "national-phase-1"
    outcomes = outcomes_of(payload)
    assert payload["eligible"] is True  # three problems
    assert outcomes["crime_asb"] == "met"
    assert outcomes["school_attendance"] == "met"
    assert outcomes["worklessness"] not in ("met", "not_identified")
    assert payload["claimable"] == {"results": True, "continuous_employment": False}


def test_supporting_families_example_family_end_to_end():
    activate("supporting-families-2022-example", "2022-04-01")
    family = supporting_families_family()
    payload = run_json("--as-of", "2023-09-30", "--family", family.reference)
    outcomes = outcomes_of(payload)
    assert payload["eligible"] is True
    assert outcomes["crime_asb"] == "met"
    assert outcomes["school_attendance"] == "met"
    assert outcomes["worklessness"] not in ("met", "not_identified")
    assert payload["claimable"]["results"] is False
    # Either continuous employment or work-related activity would do: one thing is missing.
    assert {b["problem"] for b in payload["blocking"]} == {"worklessness"}
    assert {b["criterion"] for b in payload["blocking"]} == {"into-work", "work-related-activity"}
    assert Evaluation.objects.get(family=family).blocking_count == 1


# --- storing -----------------------------------------------------------------------------------


def test_repeating_an_evaluation_changes_nothing():
    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family()
    first, changed = family_evaluate(actor=system_actor(), family=family, as_of=D("2016-09-30"))
    assert changed is True
    counts = (
        Evaluation.objects.count(),
        FamilyEvent.objects.filter(kind="outcome_changed").count(),
    )
    again, changed_again = family_evaluate(
        actor=system_actor(), family=family, as_of=D("2016-09-30")
    )
    assert (again.pk, changed_again) == (first.pk, False)
    run_json("--as-of", "2016-09-30")
    assert (
        Evaluation.objects.count(),
        FamilyEvent.objects.filter(kind="outcome_changed").count(),
    ) == counts
    assert current_evaluation(family=family).pk == first.pk


def test_new_evidence_makes_a_new_current_evaluation_and_reports_the_change():
    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family()
    summary = families_evaluate(actor=system_actor(), family_ids=[family.pk], as_of=D("2016-09-30"))
    assert summary["became_claimable"] == [family.pk]
    assert summary["claimable_changed"] == [(family.pk, True)]
    # A second call-out in August 2016: domestic abuse is no longer met, nor the claim.
    record("domestic_abuse_callouts", family=family, callout_date="2016-08-01", child_present=True)
    summary = families_evaluate(actor=system_actor(), family_ids=[family.pk], as_of=D("2016-09-30"))
    assert (summary["evaluated"], summary["changed"], summary["failed"]) == (1, 1, 0)
    assert summary["no_longer_claimable"] == [family.pk]
    assert summary["claimable_changed"] == [(family.pk, False)]
    assert Evaluation.objects.filter(family=family).count() == 2
    current = current_evaluation(family=family)
    assert current.claimable_results is False
    assert Evaluation.objects.filter(family=family, is_current=True).count() == 1
    event = FamilyEvent.objects.filter(family=family, kind="outcome_changed").first()
    assert "No longer claimable" in event.summary


def test_digest_covers_the_evidence_used():
    activate("oxfordshire-phase-2", "2015-04-01")
    family = oxfordshire_family()
    snapshot = family_snapshots([family.pk])[family.pk]
    refs = [(r.kind, r.id) for r in snapshot.evidence]
    digest = evidence_digest(snapshot, refs)
    assert digest == evidence_digest(snapshot, list(reversed(refs)))
    assert digest != evidence_digest(snapshot, refs[:-1])
    # An unrelated record (not used) does not change the digest of what was used.
    record("offences", person=f.PersonFactory(), offence_date="2016-01-01")
    assert evidence_digest(family_snapshots([family.pk])[family.pk], refs) == digest


def test_run_eligibility_records_the_run_and_skips_closed_families():
    activate("oxfordshire-phase-2", "2015-04-01")
    open_family = oxfordshire_family()
    closed = f.FamilyFactory(
        reference="F-000999",
        status="closed",
        closed_on=D("2016-01-01"),
        closure_reason="moved_away",
    )
    payload = run_json("--as-of", "2016-09-30")
    assert [e["family"] for e in payload["evaluations"]] == [open_family.reference]
    assert not Evaluation.objects.filter(family=closed).exists()
    run = EligibilityRun.objects.get()
    assert (run.status, run.families_evaluated, run.trigger) == ("finished", 1, "command")
    assert run.plan_version == plan_in_force(on=D("2016-09-30"))


def test_run_eligibility_without_a_plan_in_force_says_so():
    from django.core.management.base import CommandError

    oxfordshire_family()
    with pytest.raises(CommandError, match="No outcomes plan is in force"):
        call_command("run_eligibility", "--as-of", "2016-09-30", stdout=StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_eligibility", "--as-of", "30/09/2016", stdout=StringIO())


# --- constant queries -----------------------------------------------------------------------------


def _families(n: int, start: int):
    return [worcestershire_family(f"F-{start + i:06d}") for i in range(n)]


def test_snapshots_and_batch_evaluation_take_constant_queries():
    activate("worcestershire-2015-16", "2015-04-01")
    few = [fam.pk for fam in _families(3, 500)]
    many = [fam.pk for fam in _families(30, 600)]
    with CaptureQueriesContext(connection) as small:
        snapshots = family_snapshots(few)
    with CaptureQueriesContext(connection) as large:
        family_snapshots(many)
    assert len(small) == len(large) == 3
    assert len(snapshots[few[0]].evidence) == 10  # 6 terms, 3 ASB incidents, 1 judgement
    with CaptureQueriesContext(connection) as small:
        families_evaluate(actor=system_actor(), family_ids=few, as_of=D("2016-09-30"))
    with CaptureQueriesContext(connection) as large:
        families_evaluate(actor=system_actor(), family_ids=many, as_of=D("2016-09-30"))
    assert len(small) == len(large)


# --- near misses and what-if -------------------------------------------------------------------------


def test_near_miss_list_is_scoped_and_names_the_blocking_criterion(
    keyworker, other_keyworker, programme_manager
):
    activate("supporting-families-2022-example", "2022-04-01")
    mine = supporting_families_family("F-000401", keyworker=keyworker)
    theirs = supporting_families_family("F-000402", keyworker=other_keyworker)
    families_evaluate(actor=system_actor(), family_ids=[mine.pk, theirs.pk], as_of=D("2023-09-30"))
    rows = near_miss_list(user=keyworker)
    assert [r.family.reference for r in rows] == ["F-000401"]
    assert rows[0].problem == "worklessness"
    assert len(rows[0].needed) == 2  # continuous employment, or 13 weeks of work-related activity
    assert [r.family.reference for r in near_miss_list(user=programme_manager)] == [
        "F-000401",
        "F-000402",
    ]
    assert [
        r.family.reference
        for r in near_miss_list(user=programme_manager, keyworker=other_keyworker.pk)
    ] == ["F-000402"]


def test_what_if_lists_families_whose_status_would_change_under_a_stricter_plan(
    administrator, programme_manager
):
    worcs = activate("worcestershire-2015-16", "2015-04-01")
    text = worcs.yaml_text.replace('version: "2015-16"', 'version: "2015-16-strict"').replace(
        "value: 10}", "value: 5}"
    )
    strict = plan_upload(actor=administrator, yaml_text=text)
    worcestershire_family("F-000201", absence_after=8)  # 8%: below 10%, not below 5%
    worcestershire_family("F-000202", absence_after=3)  # below both
    report = what_if(user=programme_manager, plan_a=worcs, plan_b=strict, as_of=D("2016-09-30"))
    assert report.cohort == 2
    assert (report.claimable_a, report.claimable_b) == (2, 1)
    assert [r.family.reference for r in report.rows] == ["F-000201"]
    assert any("not met" in change for change in report.rows[0].changes)
    assert Evaluation.objects.count() == 0  # nothing stored


def test_worcestershire_claim_needs_the_lead_workers_judgement_a_near_miss(programme_manager):
    activate("worcestershire-2015-16", "2015-04-01")
    family = worcestershire_family(lead_worker_judgement=False)
    payload = run_json("--as-of", "2016-09-30", "--family", family.reference)
    assert outcomes_of(payload)["crime_asb"] == outcomes_of(payload)["school_attendance"] == "met"
    assert payload["claimable"]["results"] is False
    assert [(b["problem"], b["criterion"]) for b in payload["blocking"]] == [
        (None, "lead-worker-judgement")
    ]
    (row,) = near_miss_list(user=programme_manager)
    assert (row.family, row.problem) == (family, None)
