"""Reads for privacy operations: everything held about a person (a subject access export).

`subject_access_record` gathers it in a fixed number of queries whatever the amount held, as
plain JSON-ready data. Every case note about the person's families is included in full, sensitive
ones too (the export is prepared by a data officer or an administrator), and each is marked for
the redaction review that must happen before anything is released: a family's notes usually
speak of other people as well.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from casework.models import Action, Assessment, Goal, Review
from claims.models import Claim
from families.models import (
    AccessLog,
    CaseNote,
    CaseNoteFile,
    ConsentRecord,
    Family,
    FamilyEvent,
    FamilyProblem,
    Intervention,
    Membership,
    PartnerProfessional,
    Person,
    StepChange,
)
from outcomes.models import Evidence
from referrals.models import ImportRow

SENSITIVE_REVIEW = "Sensitive note: check with the lead keyworker before release"
THIRD_PARTY_REVIEW = "May contain information about other people: review for redaction"


def person_for_subject_access(*, key: str) -> Person:
    """A person by reference (P-000123) or number, or Http404."""
    key = (key or "").strip()
    person = Person.objects.filter(reference__iexact=key).first()
    if person is None and key.isdigit():
        person = Person.objects.filter(pk=int(key)).first()
    if person is None:
        raise Http404("No person has that reference")
    return person


def subject_access_export_list(*, person: Person):
    """The exports already prepared for a person, newest first, with who prepared them."""
    from .models import SubjectAccessExport

    return SubjectAccessExport.objects.filter(person=person).select_related("prepared_by")


def _d(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _name(user) -> str:
    return user.display_name if user is not None else ""


def subject_access_record(*, person: Person) -> dict[str, Any]:
    """Everything held about the person, as JSON-ready data (a fixed number of queries)."""
    memberships = list(
        Membership.objects.filter(person=person)
        .select_related("family__lead_keyworker", "family__team", "family__locality")
        .order_by("start_date", "id")
    )
    families: dict[int, Family] = {m.family_id: m.family for m in memberships}
    family_ids = list(families)
    others = {}
    for m in (
        Membership.objects.filter(family_id__in=family_ids)
        .exclude(person=person)
        .select_related("person")
    ):
        others.setdefault(m.family_id, set()).add(m.person.full_name)

    record: dict[str, Any] = {
        "prepared_at": _d(timezone.now()),
        "person": {
            "reference": person.reference,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": _d(person.date_of_birth),
            "sex": person.get_sex_display(),
            "unique_pupil_number": person.upn,
            "national_insurance_number": person.ni_number,
            "recorded_on": _d(person.created_at),
        },
        "families": [],
    }
    for family in families.values():
        record["families"].append(
            {
                "reference": family.reference,
                "name": family.name,
                "address": family.address,
                "postcode": family.postcode,
                "locality": str(family.locality) if family.locality_id else "",
                "team": str(family.team) if family.team_id else "",
                "lead_keyworker": _name(family.lead_keyworker),
                "status": family.get_status_display(),
                "identified_on": _d(family.identified_on),
                "attached_on": _d(family.attached_on),
                "closed_on": _d(family.closed_on),
                "closure_reason": family.get_closure_reason_display()
                if family.closure_reason
                else "",
                "other_members": sorted(others.get(family.pk, ())),
                "memberships": [
                    {
                        "role": m.get_role_display(),
                        "relationship": m.relationship,
                        "from": _d(m.start_date),
                        "until": _d(m.end_date),
                        "why_left": m.end_reason,
                    }
                    for m in memberships
                    if m.family_id == family.pk
                ],
            }
        )

    refs = {f.pk: f.reference for f in families.values()}
    record["evidence"] = [
        {
            "about": "this person"
            if e.person_id == person.pk
            else f"family {refs.get(e.family_id)}",
            "kind": e.get_kind_display(),
            "record": str(e.record_key),
            "version": e.version,
            "current": e.is_current,
            "date": _d(e.event_date),
            "end_date": _d(e.end_date),
            "details": e.data,
            "source": e.get_source_display(),
            "source_name": e.source_name,
            "source_file": e.source_file,
            "recorded_by": _name(e.recorded_by),
            "recorded_at": _d(e.recorded_at),
            "correction_reason": e.correction_reason,
        }
        for e in Evidence.objects.filter(
            Q(person=person) | Q(family_id__in=family_ids, person__isnull=True)
        )
        .select_related("recorded_by")
        .order_by("kind", "record_key", "version")
    ]
    record["problems"] = [
        {
            "family": refs[p.family_id],
            "problem": p.problem.short_title,
            "identified_on": _d(p.identified_on),
            "source": p.get_source_display(),
            "what_it_rests_on": p.evidence,
        }
        for p in FamilyProblem.objects.filter(family_id__in=family_ids).select_related("problem")
    ]
    record["case_notes"] = []
    notes = (
        CaseNote.objects.filter(family_id__in=family_ids)
        .select_related("author")
        .prefetch_related(
            Prefetch("present", queryset=Person.objects.order_by("first_name")),
            Prefetch("files", queryset=CaseNoteFile.objects.order_by("uploaded_at", "id")),
        )
        .order_by("occurred_on", "created_at")
    )
    for note in notes:
        present = [p.full_name for p in note.present.all()]
        review = [SENSITIVE_REVIEW] if note.sensitive else []
        if (
            others.get(note.family_id)
            or note.present_others
            or any(p.pk != person.pk for p in note.present.all())
        ):
            review.append(THIRD_PARTY_REVIEW)
        record["case_notes"].append(
            {
                "family": refs[note.family_id],
                "date": _d(note.occurred_on),
                "type": note.get_kind_display(),
                "author": _name(note.author),
                "sensitive": note.sensitive,
                "text": note.text,
                "present": present,
                "others_present": note.present_others,
                "files": [f.name for f in note.files.all()],
                "this_person_was_present": any(p.pk == person.pk for p in note.present.all()),
                "review_before_release": review,
            }
        )
    record["interventions"] = [
        {
            "family": refs[i.family_id],
            "service": i.get_service_display(),
            "worker": i.worker_name or _name(i.worker),
            "from": _d(i.start_date),
            "until": _d(i.end_date),
            "notes": i.notes,
        }
        for i in Intervention.objects.filter(family_id__in=family_ids).select_related("worker")
    ]
    record["consents"] = [
        {
            "family": refs[c.family_id],
            "covers": c.person.full_name if c.person_id else "The whole family",
            "given_by": c.given_by,
            "share_with": c.share_with_labels(),
            "given_on": _d(c.given_on),
            "withdrawn_on": _d(c.withdrawn_on),
            "withdrawn_by": c.withdrawn_by,
            "notes": c.notes,
        }
        for c in ConsentRecord.objects.filter(
            Q(person=person) | Q(family_id__in=family_ids, person__isnull=True)
        ).select_related("person")
    ]
    record["assessments"] = [
        {
            "family": refs[a.family_id],
            "version": a.version,
            "completed_on": _d(a.completed_on),
            "strengths": a.strengths,
            "family_view": a.family_view,
            "worries": a.worries,
            "contributors": a.contributors,
            "review_before_release": [THIRD_PARTY_REVIEW],
        }
        for a in Assessment.objects.filter(family_id__in=family_ids).order_by("family", "version")
    ]
    record["plan"] = [
        {
            "family": refs[g.plan.family_id],
            "goal": g.text,
            "status": g.get_status_display(),
            "actions": [
                f"{a.text} ({a.assignee}, due {_d(a.due_on)}"
                + (f", done {_d(a.done_on)})" if a.done_on else ")")
                for a in g.actions.all()
            ],
            "review_before_release": [THIRD_PARTY_REVIEW],
        }
        for g in Goal.objects.filter(plan__family_id__in=family_ids)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("assigned_user", "assigned_person"),
            )
        )
        .order_by("plan__family_id", "pk")
    ]
    record["reviews"] = [
        {
            "family": refs[r.plan.family_id],
            "held_on": _d(r.held_on),
            "attended": r.attended,
            "notes": r.notes,
            "review_before_release": [THIRD_PARTY_REVIEW],
        }
        for r in Review.objects.filter(plan__family_id__in=family_ids).select_related("plan")
    ]
    record["steps"] = [
        {
            "family": refs[s.family_id],
            "date": _d(s.occurred_on),
            "step": s.get_direction_display(),
            "reason": s.reason,
        }
        for s in StepChange.objects.filter(family_id__in=family_ids)
    ]
    record["partner_professionals"] = [
        {
            "family": refs[p.family_id],
            "name": p.name,
            "organisation": p.organisation,
            "role": p.role,
            "from": _d(p.from_date),
            "until": _d(p.to_date),
        }
        for p in PartnerProfessional.objects.filter(family_id__in=family_ids)
    ]
    record["timeline"] = [
        {
            "family": refs[e.family_id],
            "date": _d(e.occurred_on),
            "what": e.get_kind_display(),
            "summary": e.summary,
            "by": _name(e.actor),
        }
        for e in FamilyEvent.objects.filter(family_id__in=family_ids)
        .select_related("actor")
        .order_by("occurred_on", "created_at")
    ]
    record["earlier_versions_of_the_person"] = [
        {
            "changed_at": _d(h.history_date),
            "first_name": h.first_name,
            "last_name": h.last_name,
            "date_of_birth": _d(h.date_of_birth),
            "unique_pupil_number": h.upn,
            "national_insurance_number": h.ni_number,
        }
        for h in person.history.order_by("history_date")
    ]
    record["star_readings"] = _star_readings(person, family_ids, refs)
    record["claims"] = []
    for claim in (
        Claim.objects.filter(family_id__in=family_ids)
        .select_related("batch", "snapshot")
        .order_by("batch__as_of", "pk")
    ):
        cited = claim.snapshot_id is not None and any(
            e.get("person_id") == person.pk for e in (claim.snapshot.payload.get("evidence") or [])
        )
        record["claims"].append(
            {
                "family": refs[claim.family_id],
                "batch": claim.batch.reference,
                "claim_date": _d(claim.batch.as_of),
                "type": claim.get_claim_type_display(),
                "status": claim.get_status_display(),
                "amount": f"{claim.amount:.2f}",
                "cites_this_person": cited,
            }
        )
    record["partner_data_rows"] = [
        {
            "file": row.file.filename,
            "kind": row.file.get_kind_display(),
            "row": row.row_number,
            "received": _d(row.file.created_at),
            "status": row.get_status_display(),
            "as_received": row.raw,
        }
        for row in ImportRow.objects.filter(matched_person=person)
        .select_related("file")
        .order_by("file__created_at", "row_number")
    ]
    record["access_log"] = [
        {
            "family": refs[entry.family_id],
            "at": _d(entry.at),
            "who": _name(entry.user),
            "how": entry.get_via_display(),
            "what": entry.action,
        }
        for entry in AccessLog.objects.filter(family_id__in=family_ids)
        .select_related("user")
        .order_by("at", "id")
    ]
    return record


def _star_readings(person: Person, family_ids: list[int], refs: dict[int, str]) -> list[dict]:
    """Outcomes Star readings about the person or their families (two queries), where this
    version of the service records them (`casework.StarReading`)."""
    try:
        reading_model = apps.get_model("casework", "StarReading")
    except LookupError:
        return []
    readings = (
        reading_model.objects.filter(
            Q(person=person) | Q(family_id__in=family_ids, person__isnull=True)
        )
        .select_related("definition")
        .prefetch_related("scores__area")
        .order_by("read_on", "id")
    )
    return [
        {
            "family": refs.get(r.family_id, ""),
            "star": r.definition.name,
            "about": "this person" if r.person_id else "the whole family",
            "read_on": _d(r.read_on),
            "kind": r.get_kind_display(),
            "scores": {score.area.name: score.score for score in r.scores.all()},
        }
        for r in readings
    ]


# Each part of the export in words, in the order the PDF prints them.
SECTIONS = [
    ("families", "Families and household membership"),
    ("evidence", "Evidence (every version)"),
    ("problems", "Problems identified"),
    ("case_notes", "Case notes"),
    ("interventions", "Interventions"),
    ("consents", "Consent to share information"),
    ("assessments", "Early help assessments"),
    ("plan", "Family plan: goals and actions"),
    ("reviews", "Plan reviews"),
    ("steps", "Steps up and down"),
    ("partner_professionals", "Professionals in the team around the family"),
    ("timeline", "Timeline of the family's record"),
    ("earlier_versions_of_the_person", "Earlier versions of the person's details"),
    ("star_readings", "Outcomes Star readings"),
    ("claims", "Claims"),
    ("partner_data_rows", "Partner data rows"),
    ("access_log", "Who has read the family's record"),
]
