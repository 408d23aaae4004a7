"""The family at a glance, the timeline's filters and pages, and the home page of what needs
doing now: what a keyworker reads at the top of a family's page and where they land."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from django.utils import timezone

from families.models import ConsentRecord, FamilyEvent, Notification
from families.services import case_note_add
from tests import factories as f

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def glance(client, family, **query) -> str:
    html = client.get(f"/families/{family.reference}/", query).content.decode()
    start = html.index('id="glance-box"')
    return html[start : html.index("</section>", start)]


def glance_row(box: str, key: str) -> str:
    start = box.index(f'id="glance-{key}"')
    end = box.find('<div class="govuk-summary-list__row"', start + 1)
    return box[start : end if end != -1 else len(box)]


# --- each problem's outcome and progress ---------------------------------------------------------


@pytest.fixture
def oxfordshire(programme_manager):
    """Attached 1 September 2015; domestic abuse met on 1 March 2016 (6 months with no call-out),
    school attendance on 22 July 2016 (the third good term ends)."""
    f.activate("oxfordshire-phase-2", "2015-04-01")
    return f.oxfordshire_family()


def test_a_problem_in_progress_counts_the_months_and_says_when_it_is_met(
    client_for, programme_manager, oxfordshire
):
    box = glance(client_for(programme_manager), oxfordshire, as_of="2015-12-15")
    row = glance_row(box, "problem-domestic_abuse")
    assert "Progressing" in row
    assert "3 of 6 months since attachment; met on 1 March 2016 if it holds" in text_of(row)
    assert 'max="6" value="3"' in row  # the progress bar
    # The measure still to meet, in the engine's words.
    assert "No domestic abuse call-outs since attachment on 1 September 2015" in text_of(row)
    school = text_of(glance_row(box, "problem-school_attendance"))
    assert "3 of 11 months since attachment; met on 22 July 2016 if it holds" in school


def test_the_day_a_problem_is_met_its_row_says_since_when(
    client_for, programme_manager, oxfordshire
):
    client = client_for(programme_manager)
    before = glance_row(glance(client, oxfordshire, as_of="2016-02-29"), "problem-domestic_abuse")
    assert "5 of 6 months since attachment" in text_of(before)
    met = glance_row(glance(client, oxfordshire, as_of="2016-03-01"), "problem-domestic_abuse")
    assert "Met since 1 March 2016" in text_of(met)
    assert "<progress" not in met


def test_a_problem_not_yet_evidenced_says_what_is_missing(client_for, programme_manager):
    # Worklessness: an adult on ESA since 2014 and no job or work-related activity on record, so
    # the engine has no date to give.
    f.activate("oxfordshire-phase-2", "2015-04-01")
    family, adult, _ = f.household("F-000501")
    f.record(
        "benefit_spells", person=adult, benefit="ESA", start_date="2014-01-06", out_of_work=True
    )
    f.record(
        "domestic_abuse_callouts", family=family, callout_date="2015-07-01", child_present=True
    )
    box = glance(client_for(programme_manager), family, as_of="2016-02-01")
    keys = re.findall(r'id="glance-(problem-\w+)"', box)
    rows = {key: text_of(glance_row(box, key)) for key in keys}
    undated = [text for text in rows.values() if "Not yet evidenced" in text]
    assert undated, rows
    assert all(
        "<progress" not in glance_row(box, k) for k in keys if "Not yet evidenced" in rows[k]
    )


# --- claim state ---------------------------------------------------------------------------------


def test_claim_state_reads_when_the_family_becomes_claimable(
    client_for, programme_manager, oxfordshire
):
    client = client_for(programme_manager)
    before = text_of(glance_row(glance(client, oxfordshire, as_of="2016-07-21"), "claim"))
    assert "Not claimable yet" in before
    assert "Claimable on 22 July 2016 if everything holds" in before
    after = text_of(glance_row(glance(client, oxfordshire, as_of="2016-07-22"), "claim"))
    assert "Claimable: results" in after


def test_claim_state_names_the_batch_and_then_the_payment(client_for, programme_manager):
    claim = f.ClaimFactory()
    client = client_for(programme_manager)
    row = text_of(glance_row(glance(client, claim.family), "claim"))
    assert "In claim batch" in row
    assert f"claim batch {claim.batch.reference}: draft" in row

    paid = f.PaidClaimBatchFactory(claimable=1)
    family = paid.claims.filter(claim_type="results").get().family
    row = text_of(glance_row(glance(client, family), "claim"))
    assert "Claim Paid Significant and sustained progress claim paid on" in row
    assert f"paid on {paid.paid_on:%-d %B %Y} (claim batch {paid.reference})" in row


# --- the family's own rows -------------------------------------------------------------------------


def test_status_lead_team_last_contact_and_consent(client_for, keyworker, team):
    family = f.AttachedFamilyFactory(
        lead_keyworker=keyworker, team=team, attached_on=dt.date(2015, 9, 1)
    )
    client = client_for(keyworker)
    box = glance(client, family)
    assert "Attached to the programme on 1 September 2015" in text_of(glance_row(box, "status"))
    lead = text_of(glance_row(box, "lead"))
    assert keyworker.display_name in lead and f"Team: {team.name}" in lead
    assert "No case note or intervention recorded yet" in text_of(glance_row(box, "last_contact"))
    assert "No consent to share information has been recorded" in text_of(
        glance_row(box, "consent")
    )

    today = timezone.localdate()
    case_note_add(
        actor=keyworker, family=family, occurred_on=today - dt.timedelta(days=3), text="Visit."
    )
    ConsentRecord.objects.create(
        family=family,
        given_by="Jane",
        share_with=["schools", "dwp"],
        given_on=dt.date(2015, 9, 2),
        recorded_by=keyworker,
    )
    box = glance(client, family)
    assert f"{today - dt.timedelta(days=3):%-d %B %Y} (3 days ago)" in text_of(
        glance_row(box, "last_contact")
    )
    consent = text_of(glance_row(box, "consent"))
    assert (
        "Given by Jane on 2 September 2015 for the whole family: Schools and education, Jobcentre Plus and DWP"
        in consent
    )


def test_a_family_with_no_lead_keyworker_says_so(client_for, team_manager, team):
    family = f.FamilyFactory(team=team, lead_keyworker=None)
    row = text_of(glance_row(glance(client_for(team_manager), family), "lead"))
    assert "Not allocated" in row


def test_the_family_page_renders_non_latin_names_exactly(client_for, keyworker):
    family = f.AttachedFamilyFactory(name="Şahin", lead_keyworker=keyworker)
    f.MembershipFactory(family=family, person=f.PersonFactory(first_name="Zoë", last_name="Nowak"))
    html = client_for(keyworker).get(f"/families/{family.reference}/").content.decode()
    assert "Şahin family" in html
    assert "Zoë Nowak" in html
    assert "?ahin" not in html and "Zo?" not in html


# --- the timeline --------------------------------------------------------------------------------


def timeline_of(client, family, **query) -> str:
    html = client.get(f"/families/{family.reference}/", query).content.decode()
    start = html.index('aria-labelledby="timeline"')
    return html[start : html.index("</section>", start)]


def test_the_timeline_pages_by_twenty(client_for, keyworker):
    family = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    FamilyEvent.objects.filter(family=family).delete()
    client = client_for(keyworker)
    for day in range(1, 21):
        f.CaseNoteFactory(
            family=family, occurred_on=dt.date(2016, 1, day), text=f"Note of day {day}."
        )
    page = timeline_of(client, family)
    assert page.count('class="app-timeline__entry"') == 20
    assert "govuk-pagination" not in page  # twenty fit on one page
    f.CaseNoteFactory(family=family, occurred_on=dt.date(2015, 12, 31), text="The oldest note.")
    first = timeline_of(client, family)
    assert first.count('class="app-timeline__entry"') == 20
    assert "The oldest note." not in first
    assert "Showing 1 to 20 of 21 entries." in text_of(first)
    assert 'href="?page=2#timeline"' in first
    second = timeline_of(client, family, page=2)
    assert second.count('class="app-timeline__entry"') == 1
    assert "The oldest note." in second
    everything = timeline_of(client, family, page="all")
    assert everything.count('class="app-timeline__entry"') == 21


def test_the_timeline_filters_by_type_and_by_who_recorded_it(
    client_for, keyworker, other_keyworker, team_manager
):
    family = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    f.CaseNoteFactory(family=family, author=keyworker, text="Alice's visit.")
    f.CaseNoteFactory(family=family, author=team_manager, text="The manager's call.")
    f.InterventionFactory(family=family)
    FamilyEvent.objects.create(
        family=family,
        kind=FamilyEvent.Kind.MEMBER_LEFT,
        occurred_on=dt.date(2016, 1, 1),
        summary="Sam Smith left the household",
        actor=team_manager,
    )
    client = client_for(keyworker)
    notes = text_of(timeline_of(client, family, type="note"))
    assert "Alice's visit." in notes and "The manager's call." in notes
    assert "Sam Smith left the household" not in notes
    left = text_of(timeline_of(client, family, type="member_left"))
    assert "Sam Smith left the household" in left and "Alice's visit." not in left
    assert "Member left the household" in left  # the kind in words, never its code
    by_manager = text_of(timeline_of(client, family, who=team_manager.pk))
    assert "The manager's call." in by_manager and "Sam Smith left the household" in by_manager
    assert "Alice's visit." not in by_manager
    assert f"written by {team_manager.display_name}" in by_manager
    both = text_of(timeline_of(client, family, type="note", who=team_manager.pk))
    assert "The manager's call." in both and "Sam Smith" not in both
    nothing = text_of(timeline_of(client, family, type="closed"))
    assert "Nothing on the timeline matches these filters." in nothing
    # A filter value that is not a type or a worker shows everything.
    assert "Alice's visit." in text_of(timeline_of(client, family, type="nonsense", who="x"))


def test_the_timeline_filters_by_a_family_member_who_was_there(client_for, keyworker):
    family = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    mum = f.MembershipFactory(family=family, person=f.PersonFactory(first_name="Ana")).person
    son = f.ChildMembershipFactory(family=family, person=f.PersonFactory(first_name="Leo")).person
    stranger = f.PersonFactory(first_name="Not", last_name="Here")
    with_mum = f.CaseNoteFactory(family=family, author=keyworker, text="Visit with Ana.")
    with_mum.present.add(mum)
    both = f.CaseNoteFactory(family=family, author=keyworker, text="Meeting with both.")
    both.present.add(mum, son)
    f.CaseNoteFactory(family=family, author=keyworker, text="Call to the school.")
    FamilyEvent.objects.create(
        family=family,
        kind=FamilyEvent.Kind.MEMBER_ADDED,
        occurred_on=dt.date(2016, 1, 1),
        summary="Leo joined the household",
        actor=keyworker,
    )
    client = client_for(keyworker)
    page = client.get(f"/families/{family.reference}/").content.decode()
    assert f'<option value="{mum.pk}">Ana' in page and f'value="{stranger.pk}"' not in page
    ana = text_of(timeline_of(client, family, member=mum.pk))
    assert "Visit with Ana." in ana and "Meeting with both." in ana
    assert "Call to the school." not in ana and "Leo joined the household" not in ana
    leo = text_of(timeline_of(client, family, member=son.pk))
    assert "Meeting with both." in leo and "Visit with Ana." not in leo
    # Someone who is not a member of this family filters nothing out.
    everyone = text_of(timeline_of(client, family, member=stranger.pk))
    assert "Call to the school." in everyone and "Leo joined the household" in everyone


# --- the home page -------------------------------------------------------------------------------


def near_claim(family, days_ahead: int):
    on = timezone.localdate() + dt.timedelta(days=days_ahead)
    return f.EvaluationFactory(
        family=family,
        claimable_results=False,
        result={
            "results_earliest_on": on.isoformat(),
            "blocking": [{"explanation": "No police call-outs for 6 months (to that date)"}],
            "problems": [],
        },
    )


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_a_keyworkers_home_page_lists_notifications_and_families_near_a_claim(
    client_for, keyworker
):
    soon = f.AttachedFamilyFactory(name="Okafor", lead_keyworker=keyworker)
    near_claim(soon, 31)
    later = f.AttachedFamilyFactory(name="Kowalski", lead_keyworker=keyworker)
    near_claim(later, 32)
    Notification.objects.create(
        user=keyworker,
        family=soon,
        kind=Notification.Kind.BECAME_CLAIMABLE,
        message="The Okafor family can now be claimed for",
        dedupe_key="k1",
    )
    Notification.objects.create(
        user=keyworker,
        kind=Notification.Kind.OTHER,
        message="An old message",
        dedupe_key="k2",
        read_at=timezone.now(),
    )
    page = home(client_for(keyworker))
    assert "What needs doing now" in page
    assert "New notifications 1" in page
    assert "The Okafor family can now be claimed for" in page
    assert "An old message" not in page
    on = timezone.localdate() + dt.timedelta(days=31)
    assert (
        f"Okafor family ({soon.reference}) : claimable on {on:%-d %B %Y} if everything holds"
        in page
    )
    assert "Kowalski family (" not in page.split("Your open families")[0]  # 32 days: not yet
    assert "Your open families" in page and "Kowalski family" in page


def test_a_family_already_claimable_or_past_its_date_is_not_near_a_claim(client_for, keyworker):
    past = f.AttachedFamilyFactory(name="Okafor", lead_keyworker=keyworker)
    near_claim(past, -1)
    f.EvaluationFactory(family=f.AttachedFamilyFactory(name="Novak", lead_keyworker=keyworker))
    page = home(client_for(keyworker))
    assert "None of your families is due to become claimable in the next month." in page


def test_a_team_manager_sees_the_teams_families_and_those_with_no_keyworker(
    client_for, team_manager, keyworker, team, other_team
):
    f.FamilyFactory(team=team, lead_keyworker=None, name="Unallocated")
    f.FamilyFactory(team=other_team, lead_keyworker=None, name="Elsewhere")
    near_claim(f.AttachedFamilyFactory(team=team, lead_keyworker=keyworker, name="Okafor"), 10)
    page = home(client_for(team_manager))
    assert "Your team: what needs doing now" in page
    assert "Families with no lead keyworker 1" in page
    assert "Unallocated family" in page and "Elsewhere" not in page
    assert "Your team's families within a month of a claim 1" in page
    assert f"Lead keyworker: {keyworker.display_name}" in page


def test_a_keyworker_has_no_unallocated_panel(client_for, keyworker):
    assert "Families with no lead keyworker" not in home(client_for(keyworker))


@pytest.mark.parametrize("role", ["programme_manager", "auditor", "data_officer", "administrator"])
def test_other_roles_land_on_the_caseload(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/families/"
