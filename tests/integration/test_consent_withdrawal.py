"""Consent withdrawal: recorded with its date and who withdrew, shown on the family page, and
honoured by partner imports (the row is rejected with the reason) and by the selector exports use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families import services
from families.models import ConsentRecord, FamilyEvent
from families.selectors import people_with_consent_withdrawn
from families.services import system_actor
from outcomes.models import Evidence
from referrals.models import ImportFile, ImportRow
from referrals.services import import_file_apply, import_rows_retry_unmatched
from tests import factories as f
from tests.factories.referrals import attendance_row, csv_text

pytestmark = pytest.mark.django_db


def _members(family):
    return [m.person for m in family.memberships.select_related("person").order_by("pk")]


def _consent(family, keyworker, *, person=None, given_on=date(2015, 5, 1)):
    return services.consent_record(
        actor=keyworker,
        family=family,
        given_by="Jane Smith",
        share_with=["schools"],
        given_on=given_on,
        person=person,
    )


def _import(rows, *, partial=False, filename="attendance.csv"):
    return import_file_apply(
        actor=system_actor(),
        kind="school_attendance",
        filename=filename,
        content=csv_text(rows).encode(),
        partial=partial,
    )


def test_withdrawal_is_recorded_with_date_and_who(family, keyworker):
    consent = _consent(family, keyworker)
    services.consent_withdraw(
        actor=keyworker, consent=consent, withdrawn_on=date(2016, 2, 1), withdrawn_by="Jane Smith"
    )
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (date(2016, 2, 1), "Jane Smith")
    assert consent.withdrawal_recorded_by == keyworker
    event = FamilyEvent.objects.get(family=family, kind=FamilyEvent.Kind.CONSENT_WITHDRAWN)
    assert (
        event.summary == "Jane Smith withdrew consent to share information about the whole family"
    )


def test_withdrawal_page_records_it_and_the_family_page_shows_it(family, keyworker, client_for):
    consent = _consent(family, keyworker)
    client = client_for(keyworker)
    url = reverse("families:consent_withdraw", args=[family.reference, consent.pk])
    page = client.get(reverse("families:detail", args=[family.reference]))
    assert url in page.content.decode()
    blank = client.post(url, {"withdrawn_by": ""})
    assert "Enter who withdrew consent" in blank.content.decode()
    assert "Enter the date consent was withdrawn" in blank.content.decode()
    done = client.post(
        url,
        {
            "withdrawn_by": "Jane Smith",
            "withdrawn_on_day": "3",
            "withdrawn_on_month": "2",
            "withdrawn_on_year": "2016",
        },
    )
    assert done.status_code == 302
    page = client.get(reverse("families:detail", args=[family.reference])).content.decode()
    assert "Withdrawn on 3 Feb 2016 by Jane Smith" in page
    assert url not in page
    # A withdrawn consent cannot be withdrawn again.
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("keyworker", 200),
        ("other_keyworker", 404),  # not their family: it does not exist for them
        ("team_manager", 200),
        ("other_team_manager", 404),
        ("programme_manager", 200),
        ("auditor", 403),
        ("data_officer", 200),
        ("administrator", 403),
    ],
)
def test_who_may_record_a_withdrawal(family, keyworker, role, status, request, client_for):
    consent = _consent(family, keyworker)
    url = reverse("families:consent_withdraw", args=[family.reference, consent.pk])
    assert client_for(request.getfixturevalue(role)).get(url).status_code == status


def test_a_withdrawal_can_be_recorded_after_the_case_closed(family, keyworker, programme_manager):
    consent = _consent(family, keyworker)
    services.family_close(
        actor=programme_manager, family=family, closed_on=date(2016, 1, 10), reason="moved_away"
    )
    consent.refresh_from_db()
    services.consent_withdraw(actor=keyworker, consent=consent, withdrawn_on=date(2016, 2, 1))
    assert ConsentRecord.objects.get(pk=consent.pk).withdrawn_on == date(2016, 2, 1)


def test_fresh_consent_after_a_withdrawal_ends_it(family, keyworker):
    jane, tom = _members(family)
    consent = _consent(family, keyworker, person=jane)
    services.consent_withdraw(actor=keyworker, consent=consent, withdrawn_on=date(2016, 2, 1))
    withdrawn = people_with_consent_withdrawn()
    assert list(withdrawn) == [jane]
    assert withdrawn.get().consent_withdrawn_on == date(2016, 2, 1)
    # The day before the withdrawal, consent was still in force.
    assert not people_with_consent_withdrawn(on=date(2016, 1, 31)).exists()
    _consent(family, keyworker, person=jane, given_on=date(2016, 3, 1))
    assert not people_with_consent_withdrawn().exists()


def test_a_whole_family_withdrawal_covers_every_member(family, keyworker):
    consent = _consent(family, keyworker)
    services.consent_withdraw(actor=keyworker, consent=consent, withdrawn_on=date(2016, 2, 1))
    assert set(people_with_consent_withdrawn()) == set(_members(family))


def test_an_import_row_for_a_withdrawn_person_is_not_applied(family, keyworker):
    jane, tom = _members(family)
    consent = _consent(family, keyworker, person=tom)
    services.consent_withdraw(actor=keyworker, consent=consent, withdrawn_on=date(2016, 2, 1))
    rows = [attendance_row(tom), attendance_row(jane)]

    whole = _import(rows)
    assert whole.status == ImportFile.Status.REJECTED
    assert not Evidence.objects.exists()
    problem = whole.rows.get(row_number=2).errors[0]["message"]
    assert problem.startswith(f"{tom.reference}: consent to share was withdrawn on 1 February 2016")

    partial = _import(rows, partial=True, filename="again.csv")
    assert partial.status == ImportFile.Status.PARTLY_APPLIED
    assert (partial.rows_applied, partial.rows_rejected) == (1, 1)
    assert list(Evidence.objects.values_list("person", flat=True)) == [jane.pk]


def test_an_unmatched_row_that_later_matches_a_withdrawn_person_is_rejected(family, keyworker):
    stranger = f.ChildFactory.build(reference="P-955555")
    stored = _import([attendance_row(stranger)])
    assert stored.rows_unmatched == 1
    person = f.ChildFactory(reference="P-955555")
    f.ChildMembershipFactory(family=family, person=person)
    consent = _consent(family, keyworker, person=person)
    services.consent_withdraw(
        actor=keyworker, consent=consent, withdrawn_on=timezone.localdate() - timedelta(days=1)
    )
    assert import_rows_retry_unmatched(actor=system_actor()) == 0
    row = ImportRow.objects.get(file=stored)
    assert row.status == ImportRow.Status.REJECTED
    assert "consent to share was withdrawn" in row.errors[0]["message"]
    stored.refresh_from_db()
    assert (stored.rows_unmatched, stored.rows_rejected) == (0, 1)
    assert not Evidence.objects.exists()


def test_consent_given_again_lets_imports_apply(family, keyworker):
    _, tom = _members(family)
    consent = _consent(family, keyworker, person=tom)
    services.consent_withdraw(actor=keyworker, consent=consent, withdrawn_on=date(2016, 2, 1))
    _consent(family, keyworker, person=tom, given_on=date(2016, 3, 1))
    assert _import([attendance_row(tom)]).status == ImportFile.Status.APPLIED
    assert ConsentRecord.objects.count() == 2


def test_the_api_shows_who_withdrew_consent(family, keyworker, api_for):
    consent = _consent(family, keyworker)
    services.consent_withdraw(
        actor=keyworker, consent=consent, withdrawn_on=date(2016, 2, 1), withdrawn_by="Jane Smith"
    )
    body = api_for(keyworker).get(f"/api/v1/consents/{consent.pk}/").json()
    assert (body["withdrawn_on"], body["withdrawn_by"]) == ("2016-02-01", "Jane Smith")
