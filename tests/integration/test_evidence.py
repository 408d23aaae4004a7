"""Evidence: recorded once, corrected as new versions, and the keyworker's pages for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from families.models import AccessLog, FamilyEvent
from outcomes.models import Evidence
from outcomes.selectors.evidence import family_evidence_context
from outcomes.services.evidence import (
    CORRECTED,
    CREATED,
    UNCHANGED,
    evidence_correct,
    evidence_prepare,
    evidence_record,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

ATTENDANCE = {
    "academic_year": "2015/16",
    "term": "autumn",
    "possible_sessions": 140,
    "absent_sessions": 21,
}


def child_of(family):
    return family.memberships.get(role="child").person


def adult_of(family):
    return family.memberships.get(role="adult").person


# --- services --------------------------------------------------------------------------------------


def test_recording_the_same_fact_twice_changes_nothing(family, keyworker):
    tom = child_of(family)
    first, outcome = evidence_record(
        actor=keyworker, kind="school_attendance", data=ATTENDANCE, person=tom, source="keyworker"
    )
    again, outcome_again = evidence_record(
        actor=keyworker,
        kind="school_attendance",
        data={**ATTENDANCE, "term": "Autumn", "possible_sessions": "140"},
        person=tom,
        source="keyworker",
    )
    assert (outcome, outcome_again) == (CREATED, UNCHANGED)
    assert again.pk == first.pk
    assert Evidence.objects.count() == 1
    assert first.event_date == dt.date(2015, 9, 1) and first.end_date == dt.date(2015, 12, 20)
    assert first.natural_key == f"p{tom.pk}|2015/16|autumn"


def test_same_fact_with_different_values_is_a_new_version(family, data_officer):
    tom = child_of(family)
    first, _ = evidence_record(
        actor=data_officer,
        kind="school_attendance",
        data=ATTENDANCE,
        person=tom,
        source="partner_file",
        source_name="Schools",
    )
    second, outcome = evidence_record(
        actor=data_officer,
        kind="school_attendance",
        data={**ATTENDANCE, "absent_sessions": 9},
        person=tom,
        source="partner_file",
        source_name="Schools",
    )
    first.refresh_from_db()
    assert outcome == CORRECTED
    assert (second.version, second.record_key, second.is_current) == (2, first.record_key, True)
    assert first.is_current is False and first.superseded_by == second


def test_a_correction_keeps_version_one_and_shows_who_and_why(family, keyworker, client_for):
    tom = child_of(family)
    original, _ = evidence_record(
        actor=keyworker,
        kind="offences",
        data={"offence_date": "2015-03-03", "description": "Criminal damage"},
        person=tom,
        source="keyworker",
    )
    corrected = evidence_correct(
        actor=keyworker,
        evidence=original,
        data={"offence_date": "2015-03-04", "description": "Criminal damage", "proven": "no"},
        reason="Police record gives the 4th; the charge was not proven",
    )
    original.refresh_from_db()
    assert corrected.version == 2 and corrected.data["proven"] is False
    assert original.is_current is False and original.superseded_by_id == corrected.pk
    assert original.data["offence_date"] == "2015-03-03"  # never edited in place

    page = client_for(keyworker).get(
        reverse("outcomes:evidence_history", args=[family.reference, original.pk])
    )
    text = page.content.decode()
    assert "Police record gives the 4th" in text
    assert "First recorded" in text
    assert text.count(f"Recorded by {escape(keyworker.display_name)}") == 2
    assert "Superseded" in text and "Current" in text


def test_a_correction_needs_a_reason_and_a_change(family, keyworker):
    record, _ = evidence_record(
        actor=keyworker,
        kind="school_attendance",
        data=ATTENDANCE,
        person=child_of(family),
        source="keyworker",
    )
    with pytest.raises(ValidationError) as no_reason:
        evidence_correct(
            actor=keyworker, evidence=record, data={**ATTENDANCE, "absent_sessions": 3}, reason=" "
        )
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError):
        evidence_correct(actor=keyworker, evidence=record, data=ATTENDANCE, reason="No change")
    assert Evidence.objects.count() == 1


def test_partner_data_corrected_by_a_keyworker_is_not_reapplied(family, keyworker, data_officer):
    tom = child_of(family)
    partner = {"offence_date": "2015-03-03", "description": "Theft"}
    received, _ = evidence_record(
        actor=data_officer, kind="offences", data=partner, person=tom, source="partner_file"
    )
    evidence_correct(
        actor=keyworker,
        evidence=received,
        data={**partner, "offence_date": "2015-03-05"},
        reason="Wrong date",
    )
    latest, outcome = evidence_record(
        actor=data_officer, kind="offences", data=partner, person=tom, source="partner_file"
    )
    assert outcome == UNCHANGED and latest.data["offence_date"] == "2015-03-05"
    assert Evidence.objects.filter(is_current=True).count() == 1


def test_invalid_values_name_each_field(family, keyworker):
    with pytest.raises(ValidationError) as error:
        evidence_record(
            actor=keyworker,
            kind="school_attendance",
            data={"academic_year": "2015", "term": "winter", "possible_sessions": "lots"},
            person=child_of(family),
            source="keyworker",
        )
    assert set(error.value.message_dict) == {
        "academic_year",
        "term",
        "possible_sessions",
        "absent_sessions",
    }
    assert Evidence.objects.count() == 0


def test_keyworker_evidence_is_on_the_family_timeline(family, keyworker):
    evidence_record(
        actor=keyworker,
        kind="judgement",
        data={"code": "eha_impact", "value": "moderate", "recorded_on": "2016-01-10"},
        family=family,
        source="keyworker",
    )
    event = FamilyEvent.objects.get(family=family, kind=FamilyEvent.Kind.EVIDENCE_RECORDED)
    assert event.actor == keyworker and "moderate" in event.summary


def test_only_workers_on_the_family_may_record(family, other_keyworker, auditor, data_officer):
    tom = child_of(family)
    for actor in (other_keyworker, auditor):
        with pytest.raises(PermissionDenied):
            evidence_record(
                actor=actor,
                kind="school_attendance",
                data=ATTENDANCE,
                person=tom,
                source="keyworker",
            )
    with pytest.raises(
        PermissionDenied
    ):  # partner files are applied by data officers and administrators
        evidence_record(
            actor=other_keyworker,
            kind="school_attendance",
            data=ATTENDANCE,
            person=tom,
            source="partner_file",
        )
    evidence_record(
        actor=data_officer,
        kind="school_attendance",
        data=ATTENDANCE,
        person=tom,
        source="partner_file",
    )


def test_prepare_matches_what_the_service_stores(family, keyworker):
    tom = child_of(family)
    record, _ = evidence_record(
        actor=keyworker,
        kind="benefit_spells",
        data={"benefit": "esa", "start_date": "2014-01-06"},
        person=tom,
        source="keyworker",
    )
    prepared = evidence_prepare(
        kind="benefit_spells",
        data={"benefit": "ESA", "start_date": dt.date(2014, 1, 6)},
        person_id=tom.pk,
    )
    assert (prepared.natural_key, prepared.content_digest, prepared.data) == (
        record.natural_key,
        record.content_digest,
        record.data,
    )
    assert record.data == {
        "benefit": "ESA",
        "start_date": "2014-01-06",
        "end_date": None,
        "out_of_work": True,
    }


# --- pages -------------------------------------------------------------------------------------------


def add_url(family, choice=None):
    if choice:
        return reverse("outcomes:evidence_add_kind", args=[family.reference, choice])
    return reverse("outcomes:evidence_add", args=[family.reference])


def test_keyworker_chooses_a_kind_then_records_it(family, keyworker, client_for):
    client = client_for(keyworker)
    chosen = client.post(add_url(family), {"kind": "school_attendance"})
    assert chosen.status_code == 302 and chosen.url == add_url(family, "school_attendance")
    tom = child_of(family)
    form = client.get(chosen.url).content.decode()
    assert "Tom Smith" in form and "Possible sessions" in form and "Autumn" in form
    saved = client.post(
        chosen.url,
        {
            "member": tom.pk,
            "academic_year": "2015/16",
            "term": "spring",
            "possible_sessions": "118",
            "absent_sessions": "4",
            "school": "Larkrise",
        },
        follow=True,
    )
    record = Evidence.objects.get()
    assert (record.person, record.source, record.recorded_by) == (tom, "keyworker", keyworker)
    assert record.data["possible_sessions"] == 118
    assert "School attendance for a term recorded" in saved.content.decode()
    assert "96.6% attendance" in saved.content.decode()


def test_errors_are_shown_and_nothing_saved(family, keyworker, client_for):
    response = client_for(keyworker).post(
        add_url(family, "offences"),
        {
            "member": child_of(family).pk,
            "offence_date_day": "31",
            "offence_date_month": "2",
            "offence_date_year": "2015",
            "proven": "yes",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Date of the offence must be a real date" in text
    assert "Select yes if it was a serious offence" in text
    assert Evidence.objects.count() == 0


def test_service_errors_come_back_on_the_form(family, keyworker, client_for):
    response = client_for(keyworker).post(
        add_url(family, "school_attendance"),
        {
            "member": child_of(family).pk,
            "academic_year": "2015/16",
            "term": "autumn",
            "possible_sessions": "100",
            "absent_sessions": "120",
        },
    )
    assert (
        "The absent sessions must be no more than the possible sessions"
        in response.content.decode()
    )
    assert Evidence.objects.count() == 0


def test_judgement_about_the_whole_family(family, keyworker, client_for):
    client_for(keyworker).post(
        add_url(family, "judgement:victim_programme_completed"),
        {
            "member": "family",
            "value": "yes",
            "recorded_on_day": "12",
            "recorded_on_month": "2",
            "recorded_on_year": "2016",
        },
    )
    record = Evidence.objects.get()
    assert record.family == family and record.person is None
    assert record.data == {
        "code": "victim_programme_completed",
        "value": "yes",
        "recorded_on": "2016-02-12",
    }


def test_correct_page_shows_current_values_and_saves_a_version(family, keyworker, client_for):
    tom = child_of(family)
    record, _ = evidence_record(
        actor=keyworker, kind="school_attendance", data=ATTENDANCE, person=tom, source="keyworker"
    )
    url = reverse("outcomes:evidence_correct", args=[family.reference, record.pk])
    client = client_for(keyworker)
    page = client.get(url).content.decode()
    assert "85.0% attendance" in page and 'value="140"' in page
    missing_reason = client.post(url, {**ATTENDANCE, "absent_sessions": "7"})
    assert "Enter why you are correcting the record" in missing_reason.content.decode()
    assert Evidence.objects.count() == 1
    done = client.post(
        url, {**ATTENDANCE, "absent_sessions": "7", "reason": "School sent corrected figures"}
    )
    assert done.status_code == 302
    assert Evidence.objects.get(is_current=True).data["absent_sessions"] == 7
    assert Evidence.objects.count() == 2


@pytest.mark.parametrize("role", ["auditor", "data_officer"])
def test_read_only_roles_get_403_on_forms_but_can_read(
    request, role, family, keyworker, client_for
):
    record, _ = evidence_record(
        actor=keyworker,
        kind="school_attendance",
        data=ATTENDANCE,
        person=child_of(family),
        source="keyworker",
    )
    client = client_for(request.getfixturevalue(role))
    assert client.get(add_url(family)).status_code == 403
    assert client.post(add_url(family, "offences"), {}).status_code == 403
    assert (
        client.get(
            reverse("outcomes:evidence_correct", args=[family.reference, record.pk])
        ).status_code
        == 403
    )
    listing = client.get(reverse("outcomes:evidence_list", args=[family.reference]))
    assert listing.status_code == 200 and "School attendance" in listing.content.decode()
    assert "Correct<" not in listing.content.decode()


def test_other_keyworker_gets_404(family, other_keyworker, keyworker, client_for):
    record, _ = evidence_record(
        actor=keyworker,
        kind="school_attendance",
        data=ATTENDANCE,
        person=child_of(family),
        source="keyworker",
    )
    client = client_for(other_keyworker)
    for url in (
        add_url(family),
        add_url(family, "offences"),
        reverse("outcomes:evidence_list", args=[family.reference]),
        reverse("outcomes:evidence_correct", args=[family.reference, record.pk]),
        reverse("outcomes:evidence_history", args=[family.reference, record.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_evidence_of_another_family_is_404_through_this_family(
    family, other_family, keyworker, client_for, data_officer
):
    stranger = f.MembershipFactory(family=other_family).person
    record, _ = evidence_record(
        actor=data_officer,
        kind="offences",
        data={"offence_date": "2015-01-01"},
        person=stranger,
        source="partner_file",
    )
    url = reverse("outcomes:evidence_history", args=[family.reference, record.pk])
    assert client_for(keyworker).get(url).status_code == 404


def test_reads_are_logged(family, keyworker, client_for):
    client_for(keyworker).get(reverse("outcomes:evidence_list", args=[family.reference]))
    assert AccessLog.objects.filter(
        user=keyworker, family=family, action="viewed family evidence"
    ).exists()


def test_family_panel_lists_evidence_by_member_with_source_for_editors_only(
    family, keyworker, auditor, data_officer, django_assert_max_num_queries
):
    from django.template.loader import render_to_string
    from django.utils.html import escape

    from referrals.services import import_file_apply

    tom = child_of(family)
    tom.upn = "G931200115001"
    tom.save()
    import_file_apply(
        actor=data_officer,
        kind="offences",
        filename="police.csv",
        content=b"upn,offence_date,description\nG931200115001,2015-02-01,Theft\n",
        source_name="Thames Valley Police",
    )
    evidence_record(
        actor=keyworker,
        kind="judgement",
        data={"code": "eha_impact", "value": "minor", "recorded_on": "2016-01-10"},
        family=family,
        source="keyworker",
    )
    with django_assert_max_num_queries(4):
        html = render_to_string(
            "outcomes/_family_evidence.html", family_evidence_context(family=family, user=keyworker)
        )
    assert "Tom Smith" in html and "The whole family" in html
    assert "police.csv, row 2" in html and "Thames Valley Police" in html
    # As the page writes it: a name such as O'Sullivan is HTML-escaped.
    assert f"Recorded by {escape(keyworker.display_name)}" in html
    assert "Correct" in html and "History" in html
    assert (
        render_to_string(
            "outcomes/_family_evidence.html", family_evidence_context(family=family, user=auditor)
        ).strip()
        == ""
    )


def test_panel_queries_do_not_grow_with_evidence(
    family, keyworker, data_officer, django_assert_max_num_queries
):
    from django.template.loader import render_to_string

    tom, jane = child_of(family), adult_of(family)
    for day in range(1, 15):
        evidence_record(
            actor=data_officer,
            kind="asb_incidents",
            data={"incident_date": f"2015-01-{day:02d}"},
            person=tom,
            source="partner_file",
        )
        evidence_record(
            actor=data_officer,
            kind="offences",
            data={"offence_date": f"2015-02-{day:02d}"},
            person=jane,
            source="partner_file",
        )
    with django_assert_max_num_queries(4):
        render_to_string(
            "outcomes/_family_evidence.html", family_evidence_context(family=family, user=keyworker)
        )


# --- demo data ----------------------------------------------------------------------------------------


def test_demo_evidence_matches_the_service_and_is_written_once(keyworker):
    import random

    from demo import evidence as demo

    families = []
    for n in range(6):
        family = f.AttachedFamilyFactory(
            reference=f"F-8000{n}",
            lead_keyworker=keyworker,
            identified_on=dt.date(2015, 6, 1),
            attached_on=dt.date(2015, 7, 1),
        )
        f.MembershipFactory(
            family=family,
            start_date=dt.date(2010, 1, 1),
            person=f.PersonFactory(ni_number=f"AB12345{n}C"),
        )
        f.ChildMembershipFactory(
            family=family, start_date=dt.date(2010, 1, 1), person=f.ChildFactory(upn="")
        )
        for code in ("crime_asb", "worklessness", "domestic_abuse", "health"):
            f.FamilyProblemFactory(family=family, problem=f.problem(code))
        families.append(family)
    demo.extend_demo(families=families, rng=random.Random(1), synthetic=True, stdout=None)
    records = list(Evidence.objects.all())
    assert {"benefit_spells", "domestic_abuse_callouts", "treatment", "judgement", "offences"} <= {
        r.kind for r in records
    }
    for record in records[:20]:  # the bulk path stores what the service would
        prepared = evidence_prepare(
            kind=record.kind,
            data=record.data,
            person_id=record.person_id,
            family_id=record.family_id,
        )
        assert (prepared.natural_key, prepared.content_digest) == (
            record.natural_key,
            record.content_digest,
        )
    count = len(records)
    demo.extend_demo(families=families, rng=random.Random(1), synthetic=True, stdout=None)
    assert Evidence.objects.count() == count


def test_every_judgement_a_shipped_plan_reads_can_be_recorded(family, keyworker, client_for):
    # Worcestershire's results claim needs the lead worker's confirmation of progress.
    page = client_for(keyworker).get(reverse("outcomes:evidence_add", args=[family.reference]))
    assert "judgement:lead_worker_progress_confirmed" in page.content.decode()
    response = client_for(keyworker).post(
        reverse(
            "outcomes:evidence_add_kind",
            args=[family.reference, "judgement:lead_worker_progress_confirmed"],
        ),
        {
            "member": "family",
            "value": "yes",
            "recorded_on_day": "1",
            "recorded_on_month": "6",
            "recorded_on_year": "2016",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Evidence.objects.get(kind="judgement", family=family)
    assert record.data["code"] == "lead_worker_progress_confirmed"
