"""Evidence in the words people use: every judgement a shipped plan reads has its own words,
and records are described without codes."""

from __future__ import annotations

import re

import pytest

from outcomes import wording
from outcomes.engine import plan_judgements, shipped_plans

SHIPPED = shipped_plans()
# A judgement any shipped plan reads, with a value it recognises: one case each.
READ = sorted(
    {
        (slug, code, value)
        for slug, plan in SHIPPED.items()
        for code, values in plan_judgements(plan).items()
        for value in (values or ("yes",))
    }
)
CODE_LIKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_the_shipped_plans_read_judgements():
    assert len(SHIPPED) >= 4
    assert len({code for _, code, _ in READ}) >= 30


@pytest.mark.parametrize(("slug", "code", "value"), READ)
def test_every_judgement_a_shipped_plan_reads_has_words_of_its_own(slug, code, value):
    assert wording.has_words(code), f"{slug} reads judgement {code!r}: add it to JUDGEMENTS"
    assert wording.has_words(code, value), f"{slug}: value {value!r} of {code!r} has no words"
    words = wording.judgement_words(code)
    for text in (words.label, words.question, words.hint):
        assert text and text[0].isupper(), text
        assert not CODE_LIKE.search(text), f"{code}: {text!r} reads like a code"
    assert words.question.endswith("?")
    assert words.group in wording.GROUP_HEADINGS
    shown = wording.judgement_value_words(code, value)
    assert shown[0].isupper() and "_" not in shown


def test_a_value_of_not_applicable_is_said_in_words():
    assert (
        wording.judgement_value_words("da_risk_reduced", "not_applicable")
        == "No risk assessment applies to this family"
    )
    assert wording.judgement_value_words("eha_impact", "moderate") == "Moderate"
    assert wording.judgement_words("da_risk_reduced").label == (
        "The risk of domestic abuse has reduced, or safety has improved"
    )


def test_a_judgement_an_uploaded_plan_invents_still_reads_without_underscores():
    words = wording.judgement_words("tenancy_sustained")
    assert words.label == "Tenancy sustained"
    assert not wording.has_words("tenancy_sustained")
    assert wording.judgement_value_words("tenancy_sustained", "partly_met") == "Partly met"


def test_every_kind_a_keyworker_records_has_a_label_hint_and_group():
    for kind, words in wording.KINDS.items():
        assert words.label and words.hint, kind
        assert words.group in wording.GROUP_HEADINGS, kind


@pytest.mark.parametrize(
    ("kind", "data", "details"),
    [
        (
            "school_attendance",
            {
                "academic_year": "2015/16",
                "term": "spring",
                "possible_sessions": 118,
                "absent_sessions": 4,
            },
            "Spring term 2015/16: 118 possible sessions, 4 missed (96.6% attendance)",
        ),
        ("exclusions", {"start_date": "2016-02-03", "exclusion_type": "fixed_term"}, "Fixed-term"),
        (
            "asb_incidents",
            {"incident_date": "2016-02-03", "source": "police", "sanction": "ABC"},
            "Reported by the police; sanction: ABC",
        ),
        (
            "benefit_spells",
            {"benefit": "ESA", "start_date": "2014-01-06", "out_of_work": True},
            "Employment and Support Allowance",
        ),
        (
            "treatment",
            {"substance": "alcohol", "start_date": "2015-05-01", "outcome": "dropped_out"},
            "Alcohol, dropped out",
        ),
        ("child_plans", {"plan": "CP", "start_date": "2015-05-01"}, "Child Protection plan"),
        (
            "judgement",
            {"code": "da_risk_reduced", "value": "not_applicable", "recorded_on": "2016-02-03"},
            "No risk assessment applies to this family",
        ),
    ],
)
def test_records_are_described_in_words(kind, data, details):
    assert wording.evidence_details(kind, data) == details


def test_dates_are_written_out_and_spells_say_whether_they_go_on():
    assert wording.long_date("2016-02-03") == "3 February 2016"
    assert wording.evidence_when("offences", {"offence_date": "2016-02-03"}) == "3 February 2016"
    assert (
        wording.evidence_when("benefit_spells", {"start_date": "2014-01-06", "end_date": None})
        == "From 6 January 2014 (still going on)"
    )


def test_each_field_of_a_frozen_record_is_a_label_and_words():
    rows = wording.field_rows(
        "domestic_abuse_callouts",
        {"callout_date": "2016-02-03", "child_present": True, "civil_injunction_support": False},
    )
    assert rows == [
        ("Date of the call-out", "3 February 2016"),
        ("Child present", "Yes"),
        ("In support of a civil injunction", "No"),
    ]
    judgement = wording.field_rows(
        "judgement", {"code": "eha_impact", "value": "significant", "recorded_on": "2015-09-01"}
    )
    assert judgement == [
        ("Judgement", "Impact of the family's issues in the Early Help Assessment"),
        ("Judgement recorded", "Significant"),
        ("Date of the judgement", "1 September 2015"),
    ]
