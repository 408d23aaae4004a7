"""What people type: every problem is listed at once, implausible input is refused with a clear
message (in the form and again in the service), and the examples in hints are accepted."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from html import unescape

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

import claims.forms
import families.forms
import outcomes.evidence_forms
import outcomes.forms
from claims import services
from families import identifiers
from families.models import CaseNote, Membership
from families.services import case_note_add, member_add, membership_add
from outcomes.evidence_forms import EvidenceForm, keyworker_choices
from outcomes.models import Evidence
from outcomes.services.evidence import evidence_record
from tests import factories as f

pytestmark = pytest.mark.django_db

FORM_MODULES = [families.forms, outcomes.forms, outcomes.evidence_forms, claims.forms]


def error_summary(response) -> list[str]:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', response.content.decode(), re.S)
    assert match, "the page has no error summary"
    items = re.findall(r"<li>(.*?)</li>", match.group(0), re.S)
    return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", item))).strip() for item in items]


def dates(name: str, day, month, year) -> dict[str, str]:
    return {f"{name}_day": str(day), f"{name}_month": str(month), f"{name}_year": str(year)}


# --- every free-text field has a maximum length ------------------------------------------------


def _form_classes():
    for module in FORM_MODULES:
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def _text_fields(fields):
    for name, field in fields.items():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput):
            yield name, field


def test_every_free_text_field_in_every_form_has_a_maximum_length():
    missing = [
        f"{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in _text_fields(cls.base_fields)
        if not field.max_length
    ]
    # Fields the forms make as they are built: the evidence for each problem, evidence values.
    created = families.forms.FamilyCreateForm(
        teams=f.TeamFactory._meta.model.objects.none(),
        keyworkers=f.KeyworkerFactory._meta.model.objects.none(),
    )
    missing += [
        f"FamilyCreateForm.{n}" for n, fld in _text_fields(created.fields) if not fld.max_length
    ]
    for choice in keyworker_choices():
        form = EvidenceForm(choice=choice.choice, members=[])
        missing += [
            f"{choice.choice}.{n}" for n, fld in _text_fields(form.fields) if not fld.max_length
        ]
    assert missing == []


def test_text_over_the_limit_is_refused_by_the_form_and_by_the_service(
    family, keyworker, client_for
):
    response = client_for(keyworker).post(
        f"/families/{family.reference}/notes/add/",
        {**dates("occurred_on", 3, 2, 2016), "text": "x" * 10_001},
    )
    assert "Note must be 10000 characters or fewer" in error_summary(response)
    with pytest.raises(ValidationError) as refused:
        case_note_add(actor=keyworker, family=family, text="x" * 10_001)
    assert refused.value.message_dict["text"] == ["The note must be 10,000 characters or fewer"]
    assert not CaseNote.objects.exists()


# --- hints' examples are accepted ---------------------------------------------------------------


def test_the_examples_in_the_identifier_hints_are_accepted():
    fields = families.forms.MemberAddForm.base_fields
    ni_example = re.search(r"like (.+)$", str(fields["ni_number"].help_text))[1]
    upn_example = re.search(r"like (\w+)$", str(fields["upn"].help_text))[1]
    assert identifiers.ni_number_problem(ni_example) is None, ni_example
    assert identifiers.upn_problem(upn_example) is None, upn_example
    # The example the error message gives is accepted too.
    example = re.search(r"like (.+)$", identifiers.ni_number_problem("nonsense"))[1]
    assert identifiers.ni_number_problem(example) is None


def test_a_member_added_with_the_hints_examples_is_saved(family, keyworker, client_for):
    fields = families.forms.MemberAddForm.base_fields
    ni_example = re.search(r"like (.+)$", str(fields["ni_number"].help_text))[1]
    response = client_for(keyworker).post(
        f"/families/{family.reference}/members/add/",
        {
            "first_name": "Anna",
            "last_name": "Smith",
            "sex": "female",
            "role": "adult",
            "ni_number": ni_example,
            **dates("start_date", 1, 9, 2015),
        },
    )
    assert response.status_code == 302, error_summary(response)
    assert Membership.objects.get(person__first_name="Anna").person.ni_number == "AB123456C"


# --- every problem at once -----------------------------------------------------------------------


def test_a_member_form_lists_field_errors_and_the_services_rules_together(
    family, keyworker, client_for
):
    response = client_for(keyworker).post(
        f"/families/{family.reference}/members/add/",
        {
            "first_name": "",
            "last_name": "Smith",
            "sex": "male",
            "role": "child",
            "ni_number": "QQ 12 34 56 X",
            **dates("date_of_birth", 4, 5, 1980),
            **dates("start_date", 1, 9, 2015),
        },
    )
    listed = error_summary(response)
    assert "Enter their first name" in listed  # the form's own
    assert any(e.startswith("A child must be 25 or younger when they join") for e in listed)
    assert any("National Insurance number in the right format" in e for e in listed)
    assert len(listed) == 3


def test_a_service_reports_every_problem_in_one_go(family, keyworker):
    with pytest.raises(ValidationError) as refused:
        member_add(
            actor=keyworker,
            family=family,
            first_name="A" * 101,
            last_name="Smith",
            role="child",
            date_of_birth=dt.date(1980, 5, 4),
            start_date=dt.date(1899, 9, 1),
            upn="V80120011500",
            ni_number="QQ123456C",
        )
    problems = refused.value.message_dict
    assert set(problems) == {"first_name", "start_date", "upn", "ni_number"}
    assert problems["start_date"] == [
        "The date they joined must be in 1900 or later: check the year"
    ]


def test_a_child_over_25_is_refused_at_the_boundary(family, keyworker):
    person = f.PersonFactory(first_name="Sam", date_of_birth=dt.date(1990, 9, 2))
    # 25 on the day they join (a care leaver, say): allowed.
    membership_add(
        actor=keyworker, family=family, person=person, role="child", start_date=dt.date(2015, 9, 2)
    )
    older = f.PersonFactory(first_name="Kim", date_of_birth=dt.date(1990, 9, 1))
    with pytest.raises(ValidationError) as refused:  # 26: refused, as a child
        membership_add(
            actor=keyworker,
            family=family,
            person=older,
            role="child",
            start_date=dt.date(2016, 9, 1),
        )
    assert "they were 26" in refused.value.message_dict["role"][0]
    membership_add(  # the same person as an adult: fine
        actor=keyworker, family=family, person=older, role="adult", start_date=dt.date(2016, 9, 1)
    )


def test_an_evidence_form_lists_its_own_errors_and_the_records_rules_together(
    family, keyworker, client_for
):
    child = family.memberships.get(role="child").person
    response = client_for(keyworker).post(
        reverse("outcomes:evidence_add_kind", args=[family.reference, "school_attendance"]),
        {
            "member": child.pk,
            "academic_year": "2015/16",
            "possible_sessions": "100",
            "absent_sessions": "120",
        },
    )
    listed = error_summary(response)
    assert "Select the term" in listed
    assert "The absent sessions must be no more than the possible sessions" in listed


def test_a_payment_with_several_mistakes_lists_them_all(
    client_for, programme_manager, second_programme_manager, auditor, data_officer
):
    batch = f.SubmittedClaimBatchFactory(
        claimable=1,
        preparer=programme_manager,
        auditor=auditor,
        approver=second_programme_manager,
    )
    future = dt.date.today() + dt.timedelta(days=30)
    response = client_for(programme_manager).post(
        reverse("claims:batch_payment", args=[batch.reference]),
        {
            "amount_received": "1.00",
            **dates("paid_on", future.day, future.month, future.year),
            "rejections": "999999: not ours",
        },
    )
    listed = error_summary(response)
    assert "The payment date must be today or in the past" in listed
    assert "Government can only reject claims that were submitted in this batch" in listed


# --- implausible dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "refused"), [("1899", True), ("1900", False)], ids=["1899", "1900"]
)
def test_a_date_before_1900_is_refused_in_every_date_box(
    family, keyworker, client_for, year, refused
):
    response = client_for(keyworker).post(
        f"/families/{family.reference}/notes/add/",
        {**dates("occurred_on", 1, 1, year), "text": "Home visit"},
    )
    if refused:
        assert error_summary(response) == ["Date must be in 1900 or later: check the year"]
    else:
        assert response.status_code == 302


def test_evidence_dated_before_1900_is_refused_by_the_service(family, keyworker):
    child = family.memberships.get(role="child").person
    with pytest.raises(ValidationError) as refused:
        evidence_record(
            actor=keyworker,
            kind="offences",
            data={"offence_date": "1899-12-31", "proven": True},
            person=child,
            source=Evidence.Source.KEYWORKER,
        )
    assert refused.value.message_dict["offence_date"] == [
        "The offence date must be in 1900 or later: check the year"
    ]


def test_closing_before_attachment_is_listed_with_the_forms_own_errors(
    family, team_manager, client_for
):
    before = family.attached_on - dt.timedelta(days=1)
    response = client_for(team_manager).post(
        f"/families/{family.reference}/close/",
        dates("closed_on", before.day, before.month, before.year),
    )
    assert error_summary(response) == [
        "The closure date must be on or after the attachment date",
        "Select why the case is closing",
    ]


def test_the_services_refuse_text_over_its_limit_whatever_calls_them(
    family, keyworker, team_manager, programme_manager
):
    from families.services import consent_record, family_create, intervention_record

    long = "x" * 2001
    with pytest.raises(ValidationError) as refused:
        family_create(
            actor=team_manager, name="Smith", identified_on=dt.date(2016, 1, 4), address="a" * 501
        )
    assert "address" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        consent_record(
            actor=keyworker,
            family=family,
            given_by="Jane Smith",
            share_with=["schools"],
            given_on=dt.date(2016, 1, 4),
            notes=long,
        )
    assert refused.value.message_dict["notes"] == ["Notes must be 2,000 characters or fewer"]
    with pytest.raises(ValidationError) as refused:
        intervention_record(
            actor=keyworker,
            family=family,
            service="school",
            start_date=dt.date(2016, 1, 4),
            notes=long,
            worker_name="w" * 121,
        )
    assert set(refused.value.message_dict) >= {"notes", "worker_name"}
    with pytest.raises(ValidationError) as refused:
        services.claim_batch_create(actor=programme_manager, as_of=dt.date(2016, 9, 30), note=long)
    assert "note" in refused.value.message_dict
