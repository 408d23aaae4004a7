"""Evidence in the words people use: one place for the labels, hints and value words.

Every screen and document that shows evidence reads its words from here: the add-evidence
pages, the family's evidence list and timeline, the outcomes panel, the auditor's view of a
claim's frozen evidence and the evidence pack. Codes (`da_risk_reduced`, `not_applicable`,
`fixed_term`) never reach a person.

- `GROUPS`: the headings the add-evidence page groups kinds under (the programme's problems).
- `KINDS`: each kind of evidence a keyworker records: label, hint, group.
- `JUDGEMENTS`: each professional judgement an outcomes plan reads, keyed by its code: the
  statement it records, the question the form asks, a hint and its group. A test checks that
  every judgement in every shipped plan is here (`tests/unit/test_wording.py`).
- `VALUE_WORDS`: the words for each coded value of a field.
- `evidence_details` / `evidence_when`: a record's values and dates in a line.

Pure Python over plain values, so the claims app can describe a frozen snapshot's dicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# --- groups -----------------------------------------------------------------------------------

# (code, heading): the programme's six problems first, then what some plans add, then the rest.
GROUPS: list[tuple[str, str]] = [
    ("school_attendance", "School attendance and exclusions"),
    ("crime_asb", "Crime and anti-social behaviour"),
    ("children_need_help", "Children who need help"),
    ("worklessness", "Work, benefits and money"),
    ("domestic_abuse", "Domestic abuse"),
    ("health", "Health, drugs and alcohol"),
    ("early_years", "Early years"),
    ("family_relationships", "Family relationships"),
    ("housing", "Housing"),
    ("family", "The family and its members"),
]
GROUP_HEADINGS = dict(GROUPS)


@dataclass(frozen=True)
class KindWords:
    label: str
    hint: str
    group: str


KINDS: dict[str, KindWords] = {
    "school_attendance": KindWords(
        "School attendance for a term",
        "Sessions the school was open for the pupil and sessions missed, from the school",
        "school_attendance",
    ),
    "exclusions": KindWords(
        "Exclusion from school", "A fixed-term or permanent exclusion", "school_attendance"
    ),
    "offences": KindWords(
        "Offence", "An offence a family member committed, proven or not", "crime_asb"
    ),
    "asb_incidents": KindWords(
        "Anti-social behaviour incident",
        "Reported by the police, housing or another agency",
        "crime_asb",
    ),
    "domestic_abuse_callouts": KindWords(
        "Police call-out to domestic abuse",
        "A police call-out to a domestic incident at the household",
        "domestic_abuse",
    ),
    "benefit_spells": KindWords(
        "Benefit claim", "A time on a benefit, still going on or ended", "worklessness"
    ),
    "employment_spells": KindWords(
        "Job", "A job a family member had or has, with hours and earnings", "worklessness"
    ),
    "work_activity": KindWords(
        "Work-related activity",
        "Apprenticeship, work experience, volunteering, training and similar",
        "worklessness",
    ),
    "neet_status": KindWords(
        "Education, employment or training status",
        "For a young person: whether they are in education, employment or training",
        "worklessness",
    ),
    "child_plans": KindWords(
        "Child in Need, Child Protection or looked-after plan",
        "A social care plan for a child, still going on or ended",
        "children_need_help",
    ),
    "treatment": KindWords(
        "Drug or alcohol treatment", "A course of treatment and how it ended", "health"
    ),
    "member_flags": KindWords(
        "Education, health and care plan, young carer or similar",
        "Something about a member that the outcomes plan takes into account",
        "family",
    ),  # grouped with the family's other records
    "judgement": KindWords(
        "Professional judgement", "Your assessment, recorded with its date", "family"
    ),
}


# --- professional judgements ----------------------------------------------------------------


@dataclass(frozen=True)
class JudgementWords:
    """What a judgement records, in words: a statement (lists, headings, the evidence pack),
    the question its form asks, a hint, its group, and words for values other than yes/no."""

    label: str
    question: str
    hint: str
    group: str
    values: dict[str, str] = field(default_factory=dict)


_SCALE = {
    "significant": "Significant",
    "moderate": "Moderate",
    "minor": "Minor",
    "none": "None",
}
_YOUR_JUDGEMENT = "Your professional judgement, recorded with the date you made it"

JUDGEMENTS: dict[str, JudgementWords] = {
    # crime and anti-social behaviour
    "youth_offending_seriousness_reduced": JudgementWords(
        "A young person's offending has become much less serious",
        "Has the seriousness of the young person's offending reduced significantly?",
        "For example, from the youth offending team's review",
        "crime_asb",
    ),
    "adult_offending_seriousness_reduced": JudgementWords(
        "An adult's offending has become much less serious",
        "Has the seriousness of the adult's offending reduced significantly?",
        "For example, from probation's review",
        "crime_asb",
    ),
    # children who need help
    "eha_impact": JudgementWords(
        "Impact of the family's issues in the Early Help Assessment",
        "What level of impact did the Early Help Assessment record?",
        "Significant, moderate, minor or none, as the assessment records it",
        "children_need_help",
        values=_SCALE,
    ),
    "social_worker_deescalation": JudgementWords(
        "A social worker confirms the issues have de-escalated",
        "Has the social worker confirmed that the issues have de-escalated?",
        "Record the date the social worker confirmed it",
        "children_need_help",
    ),
    "child_exploitation_risk": JudgementWords(
        "A child is at risk of exploitation",
        "Is a child at risk of exploitation?",
        "Criminal or sexual exploitation, from your assessment or a partner's",
        "children_need_help",
    ),
    "child_exploitation_risk_reduced": JudgementWords(
        "A child's risk of exploitation has reduced",
        "Has the child's risk of exploitation reduced?",
        _YOUR_JUDGEMENT,
        "children_need_help",
    ),
    # work, benefits and money
    "debt_or_financial_exclusion": JudgementWords(
        "The family has debt, budgeting problems or arrears",
        "Does the family have debt, budgeting problems or arrears?",
        "From your initial assessment",
        "worklessness",
    ),
    "financial_progress": JudgementWords(
        "The family has made real progress with debt and money problems",
        "Has the family made significant progress with debt and financial exclusion?",
        "Usually judged when the case closes or steps down",
        "worklessness",
    ),
    "financial_exclusion_reduced": JudgementWords(
        "The family's risk of financial exclusion has reduced",
        "Has the family's risk of financial exclusion reduced?",
        _YOUR_JUDGEMENT,
        "worklessness",
    ),
    "dwp_five_stages_improved": JudgementWords(
        "A member's rating on the DWP 5 stages to work has improved",
        "Has a family member improved their overall rating on the DWP 5 stages to work assessment?",
        "From the work coach or the assessment itself",
        "worklessness",
    ),
    "employment_skills_engagement_planned": JudgementWords(
        "Plans are in place for continued employment and skills support",
        "Are plans in place for continued engagement with employment and skills support?",
        _YOUR_JUDGEMENT,
        "worklessness",
    ),
    "dwp_assessed_able_to_work": JudgementWords(
        "DWP has assessed a member as able to work",
        "Has DWP assessed the family member as able to work?",
        "From the member's work coach",
        "worklessness",
    ),
    # domestic abuse
    "domestic_abuse_disclosed": JudgementWords(
        "Domestic abuse has been disclosed or assessed",
        "Has domestic abuse been disclosed to you, or assessed by you?",
        _YOUR_JUDGEMENT,
        "domestic_abuse",
    ),
    "da_intervention_completed": JudgementWords(
        "Family members have completed domestic abuse support",
        "Have family members taken part in and completed domestic abuse support?",
        "Family support, victim or perpetrator programmes, or relationship support",
        "domestic_abuse",
    ),
    "da_risk_reduced": JudgementWords(
        "The risk of domestic abuse has reduced, or safety has improved",
        "Does the local risk assessment show a reduced risk or improved safety?",
        "Choose ‘No risk assessment applies’ if the family has not had one",
        "domestic_abuse",
        values={"not_applicable": "No risk assessment applies to this family"},
    ),
    "victim_programme_completed": JudgementWords(
        "Family members have completed a victim programme",
        "Have family members completed a programme for victims of domestic abuse?",
        _YOUR_JUDGEMENT,
        "domestic_abuse",
    ),
    # health, drugs and alcohol
    "mental_health_concern": JudgementWords(
        "A member has a mental health concern",
        "Does a family member have a mental health concern?",
        "From your assessment or a medical diagnosis",
        "health",
    ),
    "mental_health_improved": JudgementWords(
        "A member's mental health has improved, or they have the right support",
        "Has the member's mental health improved, or do they now have treatment or support?",
        _YOUR_JUDGEMENT,
        "health",
    ),
    "alcohol_misuse": JudgementWords(
        "A member is misusing alcohol",
        "Is a family member misusing alcohol?",
        "From your assessment or a medical diagnosis",
        "health",
    ),
    "alcohol_misuse_reduced": JudgementWords(
        "A member's harmful drinking has reduced",
        "Has the member reduced drinking at levels likely to cause harm?",
        _YOUR_JUDGEMENT,
        "health",
    ),
    "drug_misuse": JudgementWords(
        "A member is misusing drugs",
        "Is a family member misusing drugs?",
        "From your assessment or a medical diagnosis",
        "health",
    ),
    "drug_misuse_reduced": JudgementWords(
        "A member has stopped or reduced misusing drugs",
        "Has the member stopped using illegal drugs, or reduced misuse of prescribed drugs?",
        _YOUR_JUDGEMENT,
        "health",
    ),
    "substance_misuse": JudgementWords(
        "An adult has drug or alcohol problems",
        "Does the adult have drug or alcohol problems?",
        "Your assessment of the member, recorded with the date",
        "health",
    ),
    "substance_misuse_reduced": JudgementWords(
        "A member's drug or alcohol use has reduced",
        "Has the member's drug or alcohol use reduced?",
        _YOUR_JUDGEMENT,
        "health",
    ),
    "health_condition": JudgementWords(
        "A member has a long-term or lifestyle-related health condition",
        "Does a family member have a long-term or lifestyle-related health condition?",
        "From your assessment or another professional's",
        "health",
    ),
    "health_condition_managed": JudgementWords(
        "A member manages their health condition better, or has made healthier choices",
        "Does the member manage their long-term condition better, or have they made healthier lifestyle choices?",
        _YOUR_JUDGEMENT,
        "health",
    ),
    "health_need": JudgementWords(
        "Level of the family's mental and physical health needs",
        "How significant are the family's health needs?",
        "Significant, moderate, minor or none",
        "health",
        values=_SCALE,
    ),
    "health_needs_addressed": JudgementWords(
        "The family's health needs are being addressed",
        "Are the family's health needs being addressed?",
        _YOUR_JUDGEMENT,
        "health",
    ),
    # early years
    "early_years_development_concern": JudgementWords(
        "There is a concern about a young child's development",
        "Is there a concern about a young child's development?",
        "For example, from the health visitor's check",
        "early_years",
    ),
    "early_years_development_on_track": JudgementWords(
        "A young child's development is on track",
        "Is the young child's development now on track?",
        "For example, from the health visitor's check",
        "early_years",
    ),
    # family relationships
    "family_relationships_concern": JudgementWords(
        "There is a concern about relationships in the family",
        "Is there a concern about relationships in the family?",
        "For example, parental conflict",
        "family_relationships",
    ),
    "family_relationships_improved": JudgementWords(
        "Relationships in the family have improved",
        "Have relationships in the family improved?",
        _YOUR_JUDGEMENT,
        "family_relationships",
    ),
    # housing
    "housing_risk": JudgementWords(
        "The family is at risk of losing their home",
        "Is the family at risk of losing their home, or in unsuitable housing?",
        "For example, arrears, a notice to quit or overcrowding",
        "housing",
    ),
    "housing_secure": JudgementWords(
        "The family's housing is secure",
        "Is the family's housing now secure?",
        _YOUR_JUDGEMENT,
        "housing",
    ),
    # the family as a whole
    "lead_worker_progress_confirmed": JudgementWords(
        "The lead worker confirms progress across all the family's problems",
        "Has the family made progress across all its problems, likely to last, with support reducing?",
        "The lead worker's confirmation that a results claim needs",
        "family",
    ),
    "high_cost": JudgementWords(
        "The family is a high cost to services",
        "Is the family a high cost to services?",
        "For example, frequent police call-outs or child protection involvement",
        "family",
    ),
    "expectant_parent": JudgementWords(
        "A member of the family is expecting a baby",
        "Is a member of the family expecting a baby?",
        "A family with no children counts as a programme family when a parent is expecting",
        "family",
    ),
}

# Words for values any judgement may take.
JUDGEMENT_VALUES: dict[str, str] = {
    "yes": "Yes",
    "no": "No",
    **_SCALE,
    "not_applicable": "Not applicable",
}


def _humane(code: str) -> str:
    text = str(code).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """ "The risk …" → "the risk …", keeping acronyms ("DWP has …")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def judgement_words(code: str) -> JudgementWords:
    """The words for a judgement; one an uploaded plan invents gets words made from its code."""
    if code in JUDGEMENTS:
        return JUDGEMENTS[code]
    statement = _humane(code)
    return JudgementWords(statement, f"{statement}?", _YOUR_JUDGEMENT, "family")


def judgement_value_words(code: str, value: Any) -> str:
    """A judgement's value in words: "No risk assessment applies to this family", "Yes"."""
    value = str(value)
    words = JUDGEMENTS.get(code)
    if words and value in words.values:
        return words.values[value]
    return JUDGEMENT_VALUES.get(value.lower(), _humane(value))


def has_words(code: str, value: str | None = None) -> bool:
    """Whether a judgement (and a value of it) has words written for it, not made from codes."""
    if code not in JUDGEMENTS:
        return False
    return value is None or value in JUDGEMENTS[code].values or value in JUDGEMENT_VALUES


# --- field and value words --------------------------------------------------------------------

FIELD_LABELS: dict[str, str] = {
    "academic_year": "Academic year",
    "term": "Term",
    "possible_sessions": "Possible sessions",
    "absent_sessions": "Sessions missed",
    "school": "School",
    "start_date": "Start date",
    "end_date": "End date",
    "exclusion_type": "Type of exclusion",
    "sessions": "Sessions excluded",
    "offence_date": "Date of the offence",
    "proven": "Proven",
    "serious": "Serious",
    "description": "Description",
    "incident_date": "Date of the incident",
    "sanction": "Sanction",
    "source": "Reported by",
    "callout_date": "Date of the call-out",
    "child_present": "Child present",
    "civil_injunction_support": "In support of a civil injunction",
    "benefit": "Benefit",
    "out_of_work": "Out-of-work benefit",
    "hours_per_week": "Hours a week",
    "monthly_earnings": "Monthly earnings",
    "activity": "Activity",
    "status": "Status",
    "plan": "Plan",
    "category": "Primary reason",
    "substance": "Treatment for",
    "outcome": "Outcome",
    "flag": "Flag",
    "code": "Judgement",
    "value": "Judgement recorded",
    "recorded_on": "Date of the judgement",
}

VALUE_WORDS: dict[str, dict[str, str]] = {
    "term": {"autumn": "Autumn", "spring": "Spring", "summer": "Summer"},
    "exclusion_type": {"fixed_term": "Fixed-term", "permanent": "Permanent"},
    "source": {"police": "Police", "housing": "Housing", "other": "Another agency"},
    "benefit": {
        "JSA": "Jobseeker's Allowance",
        "ESA": "Employment and Support Allowance",
        "IS": "Income Support",
        "IB": "Incapacity Benefit",
        "UC": "Universal Credit",
        "OTHER": "Another benefit",
    },
    "activity": {
        "apprenticeship": "Apprenticeship",
        "work_experience": "Work experience",
        "volunteering": "Volunteering",
        "permitted_work": "Permitted work",
        "work_choice": "Work Choice",
        "training": "Training",
    },
    "status": {
        "neet": "Not in education, employment or training (NEET)",
        "eet": "In education, employment or training",
    },
    "plan": {
        "CIN": "Child in Need plan",
        "CP": "Child Protection plan",
        "LAC": "Looked after child",
    },
    "category": {
        "neglect": "Neglect",
        "physical_abuse": "Physical abuse",
        "emotional_abuse": "Emotional abuse",
        "sexual_abuse": "Sexual abuse",
    },
    "substance": {"drug": "Drugs", "alcohol": "Alcohol"},
    "outcome": {
        "completed": "Completed",
        "dropped_out": "Dropped out",
        "ongoing": "Still in treatment",
    },
    "flag": {
        "ehcp": "Education, health and care plan",
        "young_carer": "Young carer",
        "high_cost": "High cost to services",
    },
}

# The order a record's fields are described in (the rest follow, alphabetically).
_FIELD_ORDER = list(FIELD_LABELS)


def long_date(value: date | str | None) -> str:
    """A date as people write it: "3 February 2016" (ISO text accepted)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {value:%B %Y}"


def value_words(name: str, value: Any, *, kind: str = "", code: str = "") -> str:
    """One field's value in words: dates written out, yes or no, codes as their names."""
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if kind == "judgement" and name == "code":
        return judgement_words(str(value)).label
    if kind == "judgement" and name == "value":
        return judgement_value_words(code, value)
    if name.endswith("_date") or name == "recorded_on":
        return long_date(value)
    if name == "monthly_earnings":
        return f"£{float(value):,.2f}"
    if name == "hours_per_week":
        return f"{float(value):g}"
    words = VALUE_WORDS.get(name, {})
    text = str(value)
    if text in words:
        return words[text]
    if text.upper() in words:
        return words[text.upper()]
    return text if " " in text or not text.islower() else _humane(text)


def field_rows(kind: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """Each field of a record as (label, value in words), in a sensible order. Fields left
    blank are left out, except an open spell's end: "Still going on"."""
    code = str(data.get("code", ""))
    names = sorted(
        data, key=lambda n: (_FIELD_ORDER.index(n) if n in _FIELD_ORDER else len(_FIELD_ORDER), n)
    )
    rows = []
    for name in names:
        value = data[name]
        label = FIELD_LABELS.get(name, _humane(name))
        if value is None or value == "":
            if name == "end_date" and kind in SPELL_KINDS:
                rows.append((label, "Still going on"))
            continue
        rows.append((label, value_words(name, value, kind=kind, code=code)))
    return rows


def kind_label(kind: str, data: dict[str, Any] | None = None) -> str:
    """What a record is: "Offence", or for a judgement the statement it records."""
    if kind == "judgement" and data and data.get("code"):
        return judgement_words(str(data["code"])).label
    words = KINDS.get(kind)
    return words.label if words else _humane(kind)


_REPORTED_BY = {"police": "the police", "housing": "housing", "other": "another agency"}


def _yes(value: Any) -> str:
    return "yes" if value else "no"


def _word(name: str, data: dict[str, Any]) -> str:
    return value_words(name, data.get(name))


def evidence_details(kind: str, data: dict[str, Any]) -> str:
    """A record's values in a line: "Spring term 2015/16: 118 possible sessions, 4 missed (96.6% attendance)".

    Shown beside `kind_label` (for a judgement, its statement), so a judgement's line is its value.
    """
    d = data
    if kind == "school_attendance":
        possible = d.get("possible_sessions") or 0
        absent = d.get("absent_sessions") or 0
        pct = 100 * (possible - absent) / possible if possible else 0
        school = f" at {d['school']}" if d.get("school") else ""
        return (
            f"{_word('term', d)} term {d.get('academic_year')}{school}: {possible} possible "
            f"sessions, {absent} missed ({pct:.1f}% attendance)"
        )
    if kind == "exclusions":
        sessions = f", {d['sessions']} sessions" if d.get("sessions") is not None else ""
        return f"{_word('exclusion_type', d)}{sessions}"
    if kind == "offences":
        text = f"{'Proven' if d.get('proven', True) else 'Not proven'}, {'serious' if d.get('serious') else 'not serious'}"
        return f"{text}: {d['description']}" if d.get("description") else text
    if kind == "asb_incidents":
        source = str(d.get("source") or "other")
        text = f"Reported by {_REPORTED_BY.get(source.lower(), source)}"
        return f"{text}; sanction: {d['sanction']}" if d.get("sanction") else text
    if kind == "domestic_abuse_callouts":
        text = f"Child present: {_yes(d.get('child_present'))}"
        if d.get("civil_injunction_support"):
            text += "; in support of a civil injunction"
        return text
    if kind == "judgement":
        code = str(d.get("code", ""))
        # The record's label is the judgement's statement: its details are the value.
        return judgement_value_words(code, d.get("value", ""))
    parts = []
    for name in ("benefit", "activity", "status", "plan", "category", "substance", "flag"):
        if d.get(name):
            parts.append(_word(name, d))
    if kind == "treatment" and d.get("outcome"):
        parts.append(_word("outcome", d).lower())
    if kind == "benefit_spells" and not d.get("out_of_work", True):
        parts.append("in-work benefit")
    if kind == "employment_spells":
        if d.get("hours_per_week") is not None:
            parts.append(f"{float(d['hours_per_week']):g} hours a week")
        if d.get("monthly_earnings") is not None:
            parts.append(f"£{float(d['monthly_earnings']):,.2f} a month")
    return ", ".join(parts)


SPELL_KINDS = frozenset(
    {
        "benefit_spells",
        "employment_spells",
        "work_activity",
        "neet_status",
        "child_plans",
        "treatment",
        "member_flags",
    }
)
_EVENT_DATE_FIELDS = {
    "exclusions": "start_date",
    "offences": "offence_date",
    "asb_incidents": "incident_date",
    "domestic_abuse_callouts": "callout_date",
    "judgement": "recorded_on",
}


def evidence_when(
    kind: str, data: dict[str, Any], event_date: Any = None, end_date: Any = None
) -> str:
    """When a record happened: "3 February 2016", "From 6 January 2014 (open)", "… to …"."""
    if kind in SPELL_KINDS:
        start, end = long_date(data.get("start_date")), long_date(data.get("end_date"))
        return f"{start} to {end}" if end else f"From {start} (still going on)"
    if kind == "school_attendance":
        start, end = long_date(event_date), long_date(end_date)
        return f"{start} to {end}" if start and end else ""
    if kind in _EVENT_DATE_FIELDS:
        return long_date(data.get(_EVENT_DATE_FIELDS[kind]) or event_date)
    return long_date(event_date)
