"""The team around the family and case movement: who leads, who is named, partner professionals,
step up and down, reopening, moving team, and the unallocated queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import InvalidTransition
from families import selectors, services
from families.models import Family, FamilyEvent, Notification, StepChange
from outcomes.snapshot import family_snapshots
from tests import factories as f

pytestmark = pytest.mark.django_db


def events(family, kind):
    return list(
        FamilyEvent.objects.filter(family=family, kind=kind).values_list("summary", flat=True)
    )


def caseload(user):
    return set(selectors.family_list(user=user).values_list("reference", flat=True))


# --- reallocating the lead keyworker -------------------------------------------------------------


def test_team_manager_reallocates_and_both_keyworkers_are_told(
    team_manager, keyworker, other_keyworker, family
):
    services.family_reallocate(
        actor=team_manager, family=family, keyworker=other_keyworker, reason="Caseload balancing"
    )
    family.refresh_from_db()
    assert family.lead_keyworker == other_keyworker
    assert "F-900001" not in caseload(keyworker)
    assert "F-900001" in caseload(other_keyworker)
    new = Notification.objects.get(user=other_keyworker)
    old = Notification.objects.get(user=keyworker)
    assert "You are now the lead keyworker for the Smith family" in new.message
    assert "has left your caseload" in old.message
    [summary] = events(family, FamilyEvent.Kind.KEYWORKER_CHANGED)
    assert summary == (
        f"{team_manager} changed the lead keyworker from {keyworker} to {other_keyworker}. "
        "Caseload balancing."
    )
    assert family.history.first().lead_keyworker_id == other_keyworker.pk
    assert family.history.first().history_user == team_manager


@pytest.mark.parametrize("role", ["keyworker", "other_team_manager", "auditor"])
def test_only_the_familys_team_manager_or_a_programme_manager_reallocates(
    request, role, other_keyworker, family
):
    with pytest.raises(PermissionDenied):
        services.family_reallocate(
            actor=request.getfixturevalue(role),
            family=family,
            keyworker=other_keyworker,
            reason="Because",
        )
    family.refresh_from_db()
    assert family.lead_keyworker.username == "kw_alice"


def test_programme_manager_may_reallocate(programme_manager, other_keyworker, family):
    services.family_reallocate(
        actor=programme_manager, family=family, keyworker=other_keyworker, reason="Leave"
    )
    family.refresh_from_db()
    assert family.lead_keyworker == other_keyworker


def test_reallocation_refuses_a_keyworker_outside_the_team_the_same_one_and_no_reason(
    programme_manager, keyworker, other_team, family
):
    outsider = f.KeyworkerFactory(team=other_team)
    with pytest.raises(ValidationError) as error:
        services.family_reallocate(
            actor=programme_manager, family=family, keyworker=outsider, reason=""
        )
    assert set(error.value.message_dict) == {"keyworker", "reason"}
    assert "move the family to their team first" in error.value.message_dict["keyworker"][0]
    with pytest.raises(ValidationError, match="already the lead keyworker"):
        services.family_reallocate(
            actor=programme_manager, family=family, keyworker=keyworker, reason="x"
        )


def test_a_closed_family_is_not_reallocated(team_manager, other_keyworker, family):
    services.family_close(
        actor=team_manager, family=family, closed_on=dt.date(2016, 1, 1), reason="moved_away"
    )
    with pytest.raises(PermissionDenied, match="reopen it first"):
        services.family_reallocate(
            actor=team_manager, family=family, keyworker=other_keyworker, reason="x"
        )


def test_a_family_created_without_a_keyworker_waits_in_its_creators_team_queue(
    team_manager, team, keyworker
):
    family = services.family_create(
        actor=team_manager, name="Nowak", identified_on=dt.date(2025, 1, 6)
    )
    assert family.team == team and family.lead_keyworker is None
    assert family.reference in caseload(team_manager)
    overview = selectors.team_overview(user=team_manager, team=team)
    assert [u.reference for u in overview.unallocated] == [family.reference]
    # Allocating needs no reason; the keyworker is told.
    services.family_reallocate(actor=team_manager, family=family, keyworker=keyworker)
    overview = selectors.team_overview(user=team_manager, team=team)
    assert overview.unallocated == []
    assert family.reference in caseload(keyworker)
    [summary] = events(family, FamilyEvent.Kind.KEYWORKER_CHANGED)
    assert summary == f"{team_manager} allocated the family to {keyworker} as lead keyworker."
    assert Notification.objects.filter(user=keyworker, family=family).exists()


def test_team_overview_counts_each_keyworkers_open_families(team_manager, team, keyworker, family):
    f.AttachedFamilyFactory(lead_keyworker=keyworker)
    f.FamilyFactory(
        lead_keyworker=keyworker,
        status="closed",
        closed_on=dt.date(2016, 1, 1),
        closure_reason="moved_away",
    )
    other = f.KeyworkerFactory(team=team)
    f.NamedWorkerFactory(family=family, user=other)
    counts = {
        k.username: (k.open_led, k.open_named)
        for k in selectors.team_overview(user=team_manager, team=team).keyworkers
    }
    assert counts["kw_alice"] == (2, 0)
    assert counts[other.username] == (0, 1)


# --- named workers -------------------------------------------------------------------------------


def test_a_named_worker_sees_the_family_until_removed(team_manager, team, family):
    worker = f.KeyworkerFactory(team=team)
    assert family.reference not in caseload(worker)
    services.family_worker_add(actor=team_manager, family=family, user=worker)
    assert family.reference in caseload(worker)
    assert selectors.family_get(user=worker, reference=family.reference) == family
    services.case_note_add(actor=worker, family=family, text="Met at school.")
    assert Notification.objects.filter(user=worker, family=family).exists()
    services.family_worker_remove(actor=team_manager, family=family, user=worker)
    assert family.reference not in caseload(worker)
    assert events(family, FamilyEvent.Kind.WORKER_NAMED) == [
        f"{team_manager} named {worker} as a worker on the family."
    ]
    assert events(family, FamilyEvent.Kind.WORKER_REMOVED)


def test_naming_refuses_the_lead_another_teams_worker_for_a_team_manager_and_twice(
    team_manager, keyworker, other_team, team, family
):
    with pytest.raises(ValidationError, match="is the lead keyworker already"):
        services.family_worker_add(actor=team_manager, family=family, user=keyworker)
    with pytest.raises(ValidationError, match="in your team"):
        services.family_worker_add(
            actor=team_manager, family=family, user=f.KeyworkerFactory(team=other_team)
        )
    worker = f.KeyworkerFactory(team=team)
    services.family_worker_add(actor=team_manager, family=family, user=worker)
    with pytest.raises(ValidationError, match="already named"):
        services.family_worker_add(actor=team_manager, family=family, user=worker)


def test_a_keyworker_cannot_name_workers(keyworker, other_keyworker, family):
    with pytest.raises(PermissionDenied):
        services.family_worker_add(actor=keyworker, family=family, user=other_keyworker)


def test_a_named_worker_made_lead_is_no_longer_also_named(team_manager, team, family):
    worker = f.NamedWorkerFactory(family=family).user
    services.family_reallocate(actor=team_manager, family=family, keyworker=worker, reason="x")
    assert list(selectors.named_worker_list(family=family)) == []


# --- partner professionals -----------------------------------------------------------------------


def test_keyworker_adds_and_ends_a_partner_professional(keyworker, family):
    partner = services.partner_professional_add(
        actor=keyworker,
        family=family,
        name="Priya Shah",
        organisation="Cherwell School",
        agency="school",
        role="Designated safeguarding lead",
        phone="01865 311035",
        email="p.shah@cherwell.example.org",
        is_lead_professional=True,
        from_date=dt.date(2015, 6, 1),
    )
    assert events(family, FamilyEvent.Kind.PARTNER_JOINED) == [
        "Priya Shah, Designated safeguarding lead (Cherwell School) joined the team around the "
        "family as lead professional."
    ]
    with pytest.raises(ValidationError, match="Priya Shah is the lead professional"):
        services.partner_professional_add(
            actor=keyworker,
            family=family,
            name="Dr Okafor",
            organisation="Oxford Health",
            agency="health",
            is_lead_professional=True,
            from_date=dt.date(2015, 6, 1),
        )
    services.partner_professional_end(actor=keyworker, partner=partner, to_date=dt.date(2016, 1, 1))
    assert selectors.partner_professional_list(family=family)[0].to_date == dt.date(2016, 1, 1)
    # Once the lead has left, another may lead.
    services.partner_professional_add(
        actor=keyworker,
        family=family,
        name="Dr Okafor",
        organisation="Oxford Health",
        agency="health",
        is_lead_professional=True,
        from_date=dt.date(2016, 1, 2),
    )


def test_partner_errors_come_all_at_once(keyworker, family):
    with pytest.raises(ValidationError) as error:
        services.partner_professional_add(
            actor=keyworker,
            family=family,
            name="",
            organisation="",
            agency="vet",
            phone="call me",
            email="not-an-email",
            from_date=dt.date(2014, 1, 1),
        )
    assert set(error.value.message_dict) == {
        "name",
        "organisation",
        "agency",
        "phone",
        "email",
        "from_date",
    }


@pytest.mark.parametrize(
    ("email", "accepted"),
    [
        ("p.shah@cherwell.example.org", True),
        ("p.shah@@cherwell.example.org", False),
        ("p.shah@cherwell", False),
        ("p shah@cherwell.example.org", False),
    ],
)
def test_a_partners_email_must_be_an_address(keyworker, family, email, accepted):
    add = lambda: services.partner_professional_add(  # noqa: E731
        actor=keyworker,
        family=family,
        name="Priya Shah",
        organisation="Cherwell School",
        agency="school",
        email=email,
        from_date=dt.date(2015, 6, 1),
    )
    if accepted:
        assert add().email == email
    else:
        with pytest.raises(ValidationError) as error:
            add()
        assert set(error.value.message_dict) == {"email"}
        assert not family.partners.exists()


def test_read_only_roles_cannot_add_partners(auditor, family):
    with pytest.raises(PermissionDenied):
        services.partner_professional_add(
            actor=auditor,
            family=family,
            name="A",
            organisation="B",
            agency="police",
            from_date=dt.date(2015, 6, 1),
        )


# --- stepping up and down ------------------------------------------------------------------------


def test_step_up_then_down_and_the_current_step(team_manager, family):
    services.family_step_change(
        actor=team_manager,
        family=family,
        direction="up",
        occurred_on=dt.date(2015, 9, 1),
        reason="Strategy meeting.",
    )
    assert selectors.step_label(selectors.current_step(family=family)).startswith(
        "Children's social care"
    )
    with pytest.raises(ValidationError, match="already stepped up"):
        services.family_step_change(
            actor=team_manager,
            family=family,
            direction="up",
            occurred_on=dt.date(2015, 10, 1),
            reason="Again",
        )
    with pytest.raises(ValidationError, match="on or after the last step change"):
        services.family_step_change(
            actor=team_manager,
            family=family,
            direction="down",
            occurred_on=dt.date(2015, 8, 31),
            reason="Plan ended",
        )
    services.family_step_change(
        actor=team_manager,
        family=family,
        direction="down",
        occurred_on=dt.date(2015, 9, 1),
        reason="Plan ended.",
    )
    assert selectors.current_step(family=family).direction == "down"
    assert events(family, FamilyEvent.Kind.STEPPED_DOWN) == [
        "Stepped down from children's social care to early help: Plan ended."
    ]


def test_a_keyworker_cannot_step_a_family_up(keyworker, family):
    with pytest.raises(PermissionDenied):
        services.family_step_change(
            actor=keyworker,
            family=family,
            direction="up",
            occurred_on=dt.date(2015, 9, 1),
            reason="x",
        )


def _snapshot_step_down(family):
    return family_snapshots([family.pk])[family.pk].stepped_down_on


def test_outcomes_read_at_a_step_down_from_the_social_care_the_family_started_at(family):
    # attached 1 May 2015, while the family was at children's social care
    f.StepChangeFactory(family=family, occurred_on=dt.date(2015, 3, 1))
    assert _snapshot_step_down(family) is None  # stepped up: no step down yet
    f.StepDownFactory(family=family, occurred_on=dt.date(2016, 1, 4))
    assert _snapshot_step_down(family) == dt.date(2016, 1, 4)
    # Stepped up again: the step down did not hold, so nothing is read at it.
    f.StepChangeFactory(family=family, occurred_on=dt.date(2016, 3, 1))
    assert _snapshot_step_down(family) is None
    # Down once more: the latest step down counts.
    f.StepDownFactory(family=family, occurred_on=dt.date(2016, 6, 1))
    assert _snapshot_step_down(family) == dt.date(2016, 6, 1)


def test_a_family_escalated_after_attachment_and_stepped_back_is_read_at_closure(family):
    # Attached at early help; up to social care and back down is back to where it started.
    f.StepChangeFactory(family=family, occurred_on=dt.date(2015, 9, 1))
    f.StepDownFactory(family=family, occurred_on=dt.date(2016, 1, 4))
    assert _snapshot_step_down(family) is None


@pytest.mark.parametrize(
    ("stepped_down", "expected"),
    [
        # on the attachment date: how the family came to early help, not progress since
        (dt.date(2015, 5, 1), None),
        (dt.date(2015, 5, 2), dt.date(2015, 5, 2)),  # the day after
    ],
)
def test_a_step_down_on_or_before_attachment_is_not_read(family, stepped_down, expected):
    f.StepChangeFactory(family=family, occurred_on=dt.date(2015, 3, 1))  # at social care
    f.StepDownFactory(family=family, occurred_on=stepped_down)
    assert _snapshot_step_down(family) == expected


def test_a_step_down_with_no_step_up_before_attachment_is_not_read(family):
    f.StepDownFactory(family=family, occurred_on=dt.date(2015, 9, 1))
    assert _snapshot_step_down(family) is None


def test_an_identified_familys_step_down_is_not_read(keyworker):
    family = f.FamilyFactory(lead_keyworker=keyworker)
    f.StepDownFactory(family=family, occurred_on=dt.date(2015, 6, 1))
    assert _snapshot_step_down(family) is None


# --- reopening -----------------------------------------------------------------------------------


def test_reopening_an_attached_case_returns_it_to_attached(team_manager, family):
    services.family_close(
        actor=team_manager, family=family, closed_on=dt.date(2016, 1, 1), reason="moved_away"
    )
    services.family_reopen(actor=team_manager, family=family, reason="The family moved back.")
    family.refresh_from_db()
    assert (family.status, family.closed_on, family.closure_reason) == ("attached", None, "")
    [summary] = events(family, FamilyEvent.Kind.REOPENED)
    assert summary == (
        f"{team_manager} reopened the case, closed on 1 January 2016 (moved away): The family "
        "moved back. The family is attached to the programme again."
    )
    assert family.history.filter(status="closed", closure_reason="moved_away").exists()


def test_reopening_a_case_closed_before_attachment_returns_it_to_identified(team_manager, team):
    family = f.FamilyWithHistoryFactory(actor=team_manager, team=team, lead_keyworker=None)
    services.family_close(
        actor=team_manager, family=family, closed_on=dt.date(2015, 5, 1), reason="disengaged"
    )
    services.family_reopen(actor=team_manager, family=family, reason="Re-engaged.")
    family.refresh_from_db()
    assert family.status == Family.Status.IDENTIFIED


def test_only_reopen_moves_a_closed_family_and_only_managers_reopen(
    team_manager, keyworker, family
):
    assert Family.TRANSITIONS[Family.Status.CLOSED] == set()
    with pytest.raises(InvalidTransition):
        services.family_reopen(actor=team_manager, family=family, reason="Open already")
    services.family_close(
        actor=team_manager, family=family, closed_on=dt.date(2016, 1, 1), reason="moved_away"
    )
    with pytest.raises(InvalidTransition):
        services.family_attach(actor=team_manager, family=family, attached_on=dt.date(2016, 2, 1))
    with pytest.raises(PermissionDenied):
        services.family_reopen(actor=keyworker, family=family, reason="Please")
    with pytest.raises(ValidationError, match="Enter why the case is reopening"):
        services.family_reopen(actor=team_manager, family=family, reason=" ")


# --- moving team ---------------------------------------------------------------------------------


def test_moving_team_leaves_the_family_unallocated_and_tells_both_managers(
    team_manager, other_team_manager, other_team, keyworker, family
):
    services.family_transfer(
        actor=team_manager, family=family, team=other_team, reason="Moved to Banbury."
    )
    family.refresh_from_db()
    assert family.team == other_team and family.lead_keyworker is None
    assert family.reference not in caseload(keyworker)
    assert family.reference not in caseload(team_manager)
    assert family.reference in caseload(other_team_manager)
    assert [
        u.reference
        for u in selectors.team_overview(user=other_team_manager, team=other_team).unallocated
    ] == [family.reference]
    assert "needs a lead keyworker" in Notification.objects.get(user=other_team_manager).message
    assert "moved to South keywork team" in Notification.objects.get(user=team_manager).message
    assert "left your caseload" in Notification.objects.get(user=keyworker).message
    [summary] = events(family, FamilyEvent.Kind.TRANSFERRED)
    assert summary == (
        f"{team_manager} moved the family from North keywork team to South keywork team: "
        "Moved to Banbury. It waits in the team's unallocated queue for a lead keyworker."
    )


def test_a_keyworker_in_the_new_team_stays_lead(programme_manager, other_team, family):
    keyworker = family.lead_keyworker
    keyworker.team = other_team
    keyworker.save()
    services.family_transfer(actor=programme_manager, family=family, team=other_team, reason="x")
    family.refresh_from_db()
    assert family.lead_keyworker == keyworker


@pytest.mark.parametrize("role", ["other_team_manager", "keyworker"])
def test_only_the_current_teams_manager_or_a_programme_manager_moves_a_family(
    request, role, other_team, family
):
    with pytest.raises(PermissionDenied):
        services.family_transfer(
            actor=request.getfixturevalue(role), family=family, team=other_team, reason="x"
        )


def test_moving_to_the_same_team_is_refused(team_manager, team, family):
    with pytest.raises(ValidationError, match="already in North keywork team"):
        services.family_transfer(actor=team_manager, family=family, team=team, reason="x")


def test_step_change_records_are_kept_with_who_recorded_them(team_manager, family):
    step = services.family_step_change(
        actor=team_manager,
        family=family,
        direction="up",
        occurred_on=dt.date(2015, 9, 1),
        reason="Section 47",
    )
    assert StepChange.objects.get(pk=step.pk).recorded_by == team_manager
