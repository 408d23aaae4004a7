"""Evidence pages for a family: list, add (choose a kind, then its form), correct, history.

Views parse, authorise (a family outside the user's scope is a 404 from `family_get`; a
read-only role gets a 403 on the forms), call one service and render. Reads are logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from families import permissions
from families.access import shown
from families.models import Family, Person
from families.selectors import family_get, membership_list
from outcomes import wording
from outcomes.engine import plan_judgements
from outcomes.evidence_forms import (
    WHOLE_FAMILY,
    EvidenceForm,
    EvidenceKindForm,
    choice_for,
    choice_groups,
    choice_labels,
    initial_from,
)
from outcomes.models import Evidence
from outcomes.selectors.evidence import (
    evidence_details,
    evidence_get,
    evidence_source,
    evidence_versions,
    evidence_when,
    family_evidence_groups,
)
from outcomes.selectors.plans import engine_plan, plan_in_force
from outcomes.services.evidence import evidence_correct, evidence_record


def _family_to_edit(request, reference: str) -> Family:
    family = family_get(user=request.user, reference=reference)
    if not permissions.can_edit_family(request.user, family):
        if family.status == Family.Status.CLOSED:
            raise PermissionDenied(
                "This family's case is closed: its evidence can no longer be changed."
            )
        raise PermissionDenied("Your role can read this family's evidence but not record it.")
    return family


def _log(request, family: Family, action: str) -> None:
    shown(request, [family], action=action)


def _put_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages_ in error.message_dict.items():
        field = {"person": "member"}.get(name, name)
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def wording_group(choice: str) -> str:
    kind, _, code = choice.partition(":")
    return wording.judgement_words(code).group if code else wording.KINDS[kind].group


def _list_url(family: Family) -> str:
    return reverse("outcomes:evidence_list", args=[family.reference])


@require_http_methods(["GET", "HEAD"])
def evidence_list(request, reference):
    family = family_get(user=request.user, reference=reference)
    _log(request, family, "viewed family evidence")
    return render(
        request,
        "outcomes/evidence/evidence_list.html",
        {
            "family": family,
            "evidence_groups": family_evidence_groups(family=family),
            "may_edit_evidence": permissions.can_edit_family(request.user, family),
        },
    )


def _judgements_in_force() -> set[str] | None:
    """The judgement codes the plan in force today reads (None when no plan is in force)."""
    plan_version = plan_in_force(on=timezone.localdate())
    if plan_version is None:
        return None
    return set(plan_judgements(engine_plan(plan_version)))


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_add(request, reference):
    """Step 1: choose what to record, from a list grouped by problem (a link per kind).

    A POST of the kind (the list as a form, for older links and scripts) goes to the same place.
    """
    family = _family_to_edit(request, reference)
    form = EvidenceKindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("outcomes:evidence_add_kind", family.reference, form.cleaned_data["kind"])
    groups, other_judgements = choice_groups(_judgements_in_force())
    return render(
        request,
        "outcomes/evidence/evidence_choose.html",
        {
            "family": family,
            "form": form,
            "groups": groups,
            "other_judgements": other_judgements,
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_add_kind(request, reference, choice):
    """Step 2: the chosen kind's form."""
    family = _family_to_edit(request, reference)
    labels = choice_labels()
    if choice not in labels:
        return redirect("outcomes:evidence_add", family.reference)
    members = membership_list(family=family)
    form = EvidenceForm(request.POST or None, choice=choice, members=members)
    if request.method == "POST" and form.is_valid():
        subject = form.subject()
        person = family_ = None
        if subject == WHOLE_FAMILY:
            family_ = family
        else:
            person = (
                Person.objects.filter(pk=subject, memberships__family=family).distinct().first()
            )
        try:
            record, outcome = evidence_record(
                actor=request.user,
                kind=form.kind,
                data=form.evidence_data(),
                person=person,
                family=family_,
                source=Evidence.Source.KEYWORKER,
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            label = labels[choice]
            if form.kind == "judgement":
                label = f"Judgement ({label[:1].lower()}{label[1:]})"
            if outcome == "unchanged":
                messages.success(request, f"{label} was already recorded: nothing changed")
            else:
                messages.success(request, f"{label} recorded")
            return redirect(_list_url(family))
    return render(
        request,
        "outcomes/evidence/evidence_form.html",
        {
            "family": family,
            "form": form,
            "heading": labels[choice],
            "submit_label": "Save evidence",
            "back_url": reverse("outcomes:evidence_add", args=[family.reference])
            + f"#group-{wording_group(choice)}",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def evidence_correct_view(request, reference, pk):
    family = _family_to_edit(request, reference)
    record = evidence_get(family=family, pk=pk)
    if not record.is_current:
        latest = Evidence.objects.filter(record_key=record.record_key, is_current=True).first()
        if latest is not None:
            return redirect("outcomes:evidence_correct", family.reference, latest.pk)
    _log(request, family, "viewed evidence to correct")
    choice = choice_for(record.kind, record.data)
    form = EvidenceForm(
        request.POST or None, choice=choice, correcting=True, initial=initial_from(record.data)
    )
    if request.method == "POST" and form.is_valid():
        try:
            evidence_correct(
                actor=request.user,
                evidence=record,
                data=form.evidence_data(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            messages.success(
                request,
                f"{wording.kind_label(record.kind, record.data)} corrected: the earlier version is kept in its history",
            )
            return redirect("outcomes:evidence_history", family.reference, record.pk)
    return render(
        request,
        "outcomes/evidence/evidence_form.html",
        {
            "family": family,
            "form": form,
            "record": record,
            "heading": f"Correct a record: {_lower_first(wording.kind_label(record.kind, record.data))}",
            "current_details": evidence_details(record),
            "current_when": evidence_when(record),
            "current_source": evidence_source(record),
            "submit_label": "Save correction",
            "back_url": _list_url(family),
        },
    )


@require_http_methods(["GET", "HEAD"])
def evidence_history(request, reference, pk):
    family = family_get(user=request.user, reference=reference)
    record = evidence_get(family=family, pk=pk)
    _log(request, family, "viewed evidence history")
    versions = evidence_versions(evidence=record)
    rows = [
        {
            "version": v,
            "details": evidence_details(v),
            "when": evidence_when(v),
            "source": evidence_source(v),
        }
        for v in versions
    ]
    current = next((v for v in versions if v.is_current), None)
    return render(
        request,
        "outcomes/evidence/evidence_history.html",
        {
            "family": family,
            "record": record,
            "current": current,
            "kind_label": _lower_first(wording.kind_label(record.kind, record.data)),
            "versions": rows,
            "may_edit_evidence": permissions.can_edit_family(request.user, family),
        },
    )
