"""Claims pages: parse, authorise (selectors, permissions, the workflow), call one service, render.

Keyworkers see no claims (403). Buttons appear only for who may use them; a forbidden POST is
refused by the service all the same and its message shown in an error summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core.confirm import Confirmation, confirmation, confirmed, dry_run, wants_change
from core.errors import DomainError
from core.forms import add_service_errors
from families.access import shown
from families.models import Family
from families.selectors import family_scope
from outcomes import wording

from . import exports, permissions, presenting, selectors, services, workflow
from .forms import (
    AddClaimForm,
    DraftBatchForm,
    NoteForm,
    PaymentForm,
    ReturnForm,
    ReviewForm,
    SampleForm,
)
from .models import Claim, ClaimBatch
from .workflow import ACTIONS, Status

CLAIMS_PAGE_SIZE = 50
BATCHES_PAGE_SIZE = 20
# The simple moves a batch page posts to `batch_action`, with the service each calls.
SIMPLE_MOVES: dict[str, Callable[..., ClaimBatch]] = {
    "submit_for_audit": services.claim_batch_submit_for_audit,
    "sign_off": services.claim_batch_sign_off,
    "approve": services.claim_batch_approve,
    "submit_to_government": services.claim_batch_submit_to_government,
}
DONE_MESSAGES = {
    "submit_for_audit": "Batch {ref} submitted for audit: the evidence for each claim is frozen",
    "sign_off": "Batch {ref} signed off",
    "approve": "Batch {ref} approved",
    "submit_to_government": "Batch {ref} marked as submitted to government",
    "return": "Batch {ref} returned to draft",
}


def _require(check: bool, message: str = "Your role does not include claims.") -> None:
    if not check:
        raise PermissionDenied(message)


def _run_service(request, form, call: Callable[[dict[str, Any]], Any]) -> Any | None:
    """On a valid POST, call the service; put its errors on the form. None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
    except (DomainError, PermissionDenied) as error:
        form.add_error(None, str(error))
    return None


def _batch(request, reference: str) -> ClaimBatch:
    _require(permissions.can_view_claims(request.user))
    return selectors.claim_batch_get(user=request.user, reference=reference)


def _batch_url(batch: ClaimBatch) -> str:
    return reverse("claims:batch_detail", args=[batch.reference])


# --- dashboard -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def dashboard(request):
    _require(permissions.can_view_claims(request.user))
    summary = selectors.dashboard(user=request.user)
    status = request.GET.get("status", "")
    if status not in Status.LABELS:
        status = ""
    batches = selectors.claim_batch_list(user=request.user, status=status or None)
    page = Paginator(batches, BATCHES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/dashboard.html",
        {
            "summary": summary,
            "page_obj": page,
            "batches": page.object_list,
            "status": status,
            "status_label": Status.LABELS.get(status, ""),
            "may_draft": permissions.can_draft(request.user),
            "is_auditor": permissions.can_audit(request.user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def batch_new(request):
    _require(
        permissions.can_draft(request.user),
        "Only a programme manager or data officer can draft a claim batch.",
    )
    form = DraftBatchForm(request.POST or None)

    def call(data):
        if data["contents"] == "empty":
            return services.claim_batch_create(
                actor=request.user, as_of=data["as_of"], note=data["note"]
            )
        return services.claim_batch_draft(
            actor=request.user, as_of=data["as_of"], note=data["note"]
        )

    batch = _run_service(request, form, call)
    if batch is not None:
        count = batch.claims.count()
        messages.success(
            request,
            f"Batch {batch.reference} drafted with {count} claim{'s' if count != 1 else ''}",
        )
        return redirect(_batch_url(batch))
    return render(
        request, "claims/batch_new.html", {"form": form}, status=400 if form.errors else 200
    )


# --- a batch ---------------------------------------------------------------------------------------


def _render_batch(request, batch: ClaimBatch, *, error_form=None, status: int = 200):
    user = request.user
    claims = selectors.claim_list(user=user, batch=batch)
    show = request.GET.get("show", "")
    if show == "review":
        claims = selectors.claims_to_review(user=user, batch=batch)
    elif show == "rejected":
        claims = claims.filter(status__in=Claim.RELEASED)
    else:
        show = ""
        claims = claims.exclude(status__in=Claim.RELEASED)
    page = Paginator(claims, CLAIMS_PAGE_SIZE).get_page(request.GET.get("page"))
    shown(request, [claim.family for claim in page.object_list])
    actions = selectors.batch_actions(user=user, batch=batch)
    return render(
        request,
        "claims/batch_detail.html",
        {
            "batch": batch,
            "totals": selectors.batch_totals(batch=batch),
            "events": selectors.batch_events(user=request.user, batch=batch),
            "page_obj": page,
            "claims": page.object_list,
            "show": show,
            "actions": actions,
            "may_return": bool(actions & {"return_from_audit", "return_from_approval"}),
            "may_download": batch.status in Status.EXPORTABLE
            and permissions.can_view_evidence(user),
            "may_download_pack": batch.status != Status.DRAFT
            and permissions.can_view_evidence(user),
            "may_view_evidence": permissions.can_view_evidence(user),
            "note_form": NoteForm(),
            "return_form": ReturnForm(),
            "error_form": error_form,
            "action_labels": {name: a.label for name, a in ACTIONS.items()},
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def batch_detail(request, reference: str):
    return _render_batch(request, _batch(request, reference))


def _money(amount) -> str:
    return f"£{amount:,.2f}"


def _claims_phrase(count: int) -> str:
    return f"{count} claim{'s' if count != 1 else ''}"


def _move_confirmation(request, batch: ClaimBatch, action: str) -> Confirmation:
    """What a move will do, in words, for the page that asks the user to confirm it."""
    totals = selectors.batch_totals(batch=batch)
    claims = _claims_phrase(totals["claims"])
    rows = [
        ("Claim batch", batch.reference),
        ("Claim date", f"{batch.as_of.day} {batch.as_of:%B %Y}"),
        ("Claims", f"{claims}, {_money(totals['amount'])}"),
        ("Status now", batch.status_label),
    ]
    cancel = _batch_url(batch)
    form = None
    blocked = ""
    if action == "submit_for_audit":
        heading = f"Submit claim batch {batch.reference} for audit"
        consequences = [
            f"The evidence for each of the {claims} is frozen, with a digest that proves it never changes afterwards.",
            "Auditors are told the batch is waiting for them.",
            "Claims can no longer be added or removed, unless an auditor returns the batch to draft.",
            "You cannot audit or approve a batch you prepared.",
        ]
        label = "Confirm and submit for audit"
    elif action == "sign_off":
        counts = selectors.batch_review_counts(batch=batch)
        heading = f"Sign off claim batch {batch.reference}"
        consequences = []
        if counts["verified"]:
            consequences.append(
                f"{_claims_phrase(counts['verified'])} verified by audit go forward for approval."
            )
        if counts["accepted_with_sample"]:
            consequences.append(
                f"{_claims_phrase(counts['accepted_with_sample'])} outside the audit sample "
                "are accepted with the sample, on your sign-off."
            )
        if counts["rejected"]:
            consequences.append(
                f"{_claims_phrase(counts['rejected'])} rejected by audit stay out of the batch."
            )
        consequences.append(
            "Programme managers are told the batch is waiting for approval. Your name is recorded as the signing auditor."
        )
        if counts["to_review"]:
            blocked = (
                f"You cannot sign off yet: {_claims_phrase(counts['to_review'])} still to review. "
                "Verify or reject each one first"
                + (", or draw an audit sample." if not batch.sample_drawn else ".")
            )
        label = "Confirm and sign off"
        form = NoteForm(request.POST or None)
        form.fields["note"].label = "Sign-off note"
    elif action == "approve":
        heading = f"Approve claim batch {batch.reference}"
        consequences = [
            f"The {claims} ({_money(totals['amount'])}) are approved for submission to government.",
            "The claim return can then be downloaded and sent.",
            "Your name is recorded as the approving manager.",
        ]
        label = "Confirm and approve"
    else:  # submit_to_government
        heading = f"Mark claim batch {batch.reference} as submitted to government"
        consequences = [
            f"The batch is recorded as sent to government with {claims} ({_money(totals['amount'])}).",
            "A programme manager can then record the payment when it arrives.",
        ]
        label = "Confirm it was submitted"
    return confirmation(
        heading=heading,
        caption="Claims",
        confirm_label=label,
        cancel_url=cancel,
        rows=rows,
        consequences=consequences,
        warning="You cannot undo this.",
        form=form,
        blocked=blocked,
        blocked_link=("See the claims to review", f"{cancel}?show=review") if blocked else None,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def batch_action(request, reference: str, action: str):
    """A move of the batch: GET asks the user to confirm what it will do; POST does it."""
    batch = _batch(request, reference)
    if action not in SIMPLE_MOVES and action != "return":
        raise Http404("No such action")
    if request.method != "POST":
        if action == "return":
            return redirect(_batch_url(batch))
        if action not in selectors.batch_actions(user=request.user, batch=batch):
            # The workflow's own reason: the state it is in, or separation of duties.
            try:
                workflow.check_action(
                    action=action,
                    status=batch.status,
                    user=request.user,
                    preparer_ids=selectors.preparer_ids(batch),
                    signer_id=batch.signed_off_by_id,
                )
            except (DomainError, PermissionDenied) as refusal:
                raise PermissionDenied(str(refusal)) from None
            raise PermissionDenied(f"You cannot {ACTIONS[action].label.lower()} this batch now.")
        return render(
            request,
            "includes/confirm_page.html",
            {"confirm": _move_confirmation(request, batch, action)},
        )
    if action == "return":
        form = ReturnForm(request.POST)
        saved = _run_service(
            request,
            form,
            lambda d: services.claim_batch_return(actor=request.user, batch=batch, note=d["note"]),
        )
    else:
        form = NoteForm(request.POST)
        saved = _run_service(
            request,
            form,
            lambda d: SIMPLE_MOVES[action](actor=request.user, batch=batch, note=d["note"]),
        )
    if saved is None:
        batch = selectors.claim_batch_get(user=request.user, reference=reference)
        if action == "return":
            return _render_batch(request, batch, error_form=form, status=400)
        return render(
            request,
            "includes/confirm_page.html",
            {"confirm": _move_confirmation(request, batch, action), "error_form": form},
            status=400,
        )
    messages.success(request, DONE_MESSAGES[action].format(ref=batch.reference))
    return redirect(_batch_url(batch))


@require_http_methods(["GET", "HEAD", "POST"])
def claim_add(request, reference: str):
    batch = _batch(request, reference)
    _require(
        "add_claim" in selectors.batch_actions(user=request.user, batch=batch),
        "Claims can only be added to a draft batch by a programme manager or data officer.",
    )
    form = AddClaimForm(request.POST or None)

    def call(data):
        family = family_scope(user=request.user).filter(reference=data["family_reference"]).first()
        if family is None:
            raise ValidationError(
                {"family": "There is no family with that reference: check it and try again"}
            )
        return services.claim_add(
            actor=request.user, batch=batch, family=family, claim_type=data["claim_type"]
        )

    claim = _run_service(request, form, call)
    if claim is not None:
        messages.success(
            request, f"{claim.get_claim_type_display()} claim for {claim.family.reference} added"
        )
        return redirect(_batch_url(batch))
    return render(
        request,
        "claims/claim_add.html",
        {"batch": batch, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
def claim_remove(request, reference: str, pk: int):
    batch = _batch(request, reference)
    claim = selectors.claim_get(user=request.user, pk=pk)
    if claim.batch_id != batch.pk:
        raise Http404("No such claim in this batch")
    form = NoteForm(request.POST)
    if (
        _run_service(
            request,
            form,
            lambda d: services.claim_remove(actor=request.user, claim=claim, note=d["note"]),
        )
        is None
    ):
        return _render_batch(request, batch, error_form=form, status=400)
    messages.success(
        request, f"Claim for {claim.family.reference} removed: the family can be claimed for again"
    )
    return redirect(_batch_url(batch))


@require_http_methods(["GET", "HEAD", "POST"])
def batch_sample(request, reference: str):
    batch = _batch(request, reference)
    _require(
        "draw_sample" in selectors.batch_actions(user=request.user, batch=batch),
        "Only an auditor who did not prepare the batch can draw its audit sample, while it awaits audit.",
    )
    form = SampleForm(request.POST or None, initial={"percent": 10, "minimum": 5})
    chosen = _run_service(
        request,
        form,
        lambda d: services.claim_batch_draw_sample(
            actor=request.user,
            batch=batch,
            percent=d["percent"],
            minimum=d["minimum"],
            seed=d["seed"],
        ),
    )
    if chosen is not None:
        batch.refresh_from_db()
        messages.success(
            request,
            f"{len(chosen)} claims sampled with seed {batch.sample_seed}: review each one before signing off",
        )
        return redirect(f"{_batch_url(batch)}?show=review")
    return render(
        request,
        "claims/batch_sample.html",
        {
            "batch": batch,
            "form": form,
            "claim_count": selectors.batch_totals(batch=batch)["claims"],
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def batch_payment(request, reference: str):
    """The payment form; a valid form shows what recording it will do; "Confirm" records it."""
    batch = _batch(request, reference)
    _require(
        "record_payment" in selectors.batch_actions(user=request.user, batch=batch),
        "Only a programme manager can record a payment, once the batch has been submitted to government.",
    )
    form = PaymentForm(request.POST or None)

    def record(data):
        return services.claim_batch_record_payment(
            actor=request.user,
            batch=batch,
            amount_received=data["amount_received"],
            paid_on=data["paid_on"],
            rejections=data["rejections"],
            note=data["note"],
        )

    if request.method == "POST" and not wants_change(request):
        if confirmed(request):
            saved = _run_service(request, form, record)
            if saved is not None:
                messages.success(
                    request,
                    f"Payment recorded: batch {batch.reference} is {saved.status_label.lower()}",
                )
                return redirect(_batch_url(batch))
        else:
            preview = _run_service(
                request,
                form,
                lambda data: dry_run(
                    lambda: record(data), inspect=_payment_effects(request.user, batch)
                ),
            )
            if preview is not None:
                return render(
                    request,
                    "includes/confirm_page.html",
                    {"confirm": _payment_confirmation(request, batch, form.cleaned_data, *preview)},
                )
    return render(
        request,
        "claims/batch_payment.html",
        {"batch": batch, "form": form, "totals": selectors.batch_totals(batch=batch)},
        status=400 if form.errors else 200,
    )


def _payment_effects(user, batch: ClaimBatch) -> Callable[[ClaimBatch], dict[str, Any]]:
    """What recording the payment changes (read inside the dry run, before it is undone):
    the claims paid and rejected, and the families whose cases it closes."""
    open_before = {
        c.family_id
        for c in selectors.claim_list(user=user, batch=batch)
        if c.family.status != Family.Status.CLOSED
    }

    def inspect(saved: ClaimBatch) -> dict[str, Any]:
        claims = list(
            selectors.claim_list(user=user, batch=saved).filter(
                status__in=[Claim.Status.PAID, Claim.Status.GOVERNMENT_REJECTED]
            )
        )
        closed = [
            c.family
            for c in claims
            if c.family_id in open_before and c.family.status == Family.Status.CLOSED
        ]
        return {"claims": claims, "closed": closed}

    return inspect


def _payment_confirmation(request, batch, data, saved: ClaimBatch, effects) -> Confirmation:
    paid = [c for c in effects["claims"] if c.status == Claim.Status.PAID]
    refused = [c for c in effects["claims"] if c.status == Claim.Status.GOVERNMENT_REJECTED]
    closed = sorted({f.pk: f for f in effects["closed"]}.values(), key=lambda f: f.reference)
    shown(request, closed[:10] + [c.family for c in refused[:10]], action="previewed a payment")
    consequences = [
        f"The batch becomes {saved.status_label.lower()}: {_claims_phrase(len(paid))} paid"
        + (f", {_claims_phrase(len(refused))} rejected by government" if refused else "")
        + "."
    ]
    if closed:
        names = ", ".join(f"{f.name} family ({f.reference})" for f in closed[:10])
        more = f" and {len(closed) - 10} more" if len(closed) > 10 else ""
        consequences.append(
            f"{len(closed)} famil{'ies' if len(closed) != 1 else 'y'} paid for results or "
            f"continuous employment leave the programme: their cases close, outcomes achieved "
            f"({names}{more})."
        )
        consequences.append("Their keyworkers are told their family's case has closed.")
    for claim in refused[:10]:
        consequences.append(
            f"Claim {claim.pk} for {claim.family.reference} is recorded as rejected by government: "
            f"{claim.rejection_reason}. The family can be claimed for again."
        )
    paid_on = data["paid_on"]
    return confirmation(
        heading=f"Record the payment for claim batch {batch.reference}",
        caption="Claims",
        confirm_label="Confirm and record the payment",
        cancel_url=_batch_url(batch),
        data=request.POST,
        rows=[
            ("Amount received", _money(saved.amount_received)),
            ("Date received", f"{paid_on.day} {paid_on:%B %Y}"),
            ("Claims government rejected", str(len(refused)) if refused else "None"),
        ],
        consequences=consequences,
        warning="You cannot undo this: closed cases stay closed.",
    )


# --- audit -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def audit_queue(request):
    _require(permissions.can_audit(request.user), "The audit queue is for auditors.")
    return render(
        request, "claims/audit_queue.html", {"batches": selectors.audit_queue(user=request.user)}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def claim_evidence(request, pk: int):
    _require(
        permissions.can_view_evidence(request.user), "Your role does not include claim evidence."
    )
    claim = selectors.claim_get(user=request.user, pk=pk)
    batch = claim.batch
    form = ReviewForm(request.POST or None)

    def call(data):
        if data["decision"] == "verify":
            return services.claim_verify(actor=request.user, claim=claim, note=data["reason"])
        return services.claim_reject(actor=request.user, claim=claim, reason=data["reason"])

    reviewed = _run_service(request, form, call)
    if reviewed is not None:
        messages.success(
            request, f"Claim for {claim.family.reference} {reviewed.get_status_display().lower()}"
        )
        next_claim = (
            selectors.claims_to_review(user=request.user, batch=batch).exclude(pk=claim.pk).first()
        )
        if next_claim is not None:
            return redirect("claims:claim_evidence", pk=next_claim.pk)
        return redirect(f"{_batch_url(batch)}?show=review")
    actions = selectors.batch_actions(user=request.user, batch=batch)
    conflict = claim.family_id in services.worked_with(
        user=request.user, family_ids=[claim.family_id]
    )
    may_review = (
        "verify_claim" in actions
        and claim.status == Claim.Status.PENDING
        and not conflict
        and (not batch.sample_drawn or claim.in_sample)
    )
    review = selectors.snapshot_review(claim=claim)
    records, problems = presenting.present(review.evidence, review.result)
    return render(
        request,
        "claims/claim_evidence.html",
        {
            "claim": claim,
            "batch": batch,
            "review": review,
            "frozen_records": records,
            "frozen_problems": problems,
            "frozen_as_of": wording.long_date(review.result.get("as_of")),
            "form": form,
            "may_review": may_review,
            "conflict": conflict and "verify_claim" in actions,
        },
        status=400 if form.errors else 200,
    )


# --- downloads -------------------------------------------------------------------------------------


def _download(request, reference: str, *, pack: bool = False) -> ClaimBatch:
    batch = _batch(request, reference)
    _require(
        permissions.can_view_evidence(request.user), "Your role cannot download claim returns."
    )
    if pack and batch.status == Status.DRAFT:
        raise Http404("The evidence pack exists once the batch is submitted for audit")
    if not pack and batch.status not in Status.EXPORTABLE:
        raise Http404("The claim return can be downloaded once the batch is approved")
    return batch


@require_http_methods(["GET"])
def batch_return_csv(request, reference: str):
    batch = _download(request, reference)
    response = HttpResponse(
        exports.return_csv(user=request.user, batch=batch), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="claim-return-{batch.reference}.csv"'
    return response


@require_http_methods(["GET"])
def batch_return_xlsx(request, reference: str):
    batch = _download(request, reference)
    response = HttpResponse(
        exports.return_xlsx(user=request.user, batch=batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="claim-return-{batch.reference}.xlsx"'
    return response


@require_http_methods(["GET"])
def batch_evidence_pack(request, reference: str):
    batch = _download(request, reference, pack=True)
    response = HttpResponse(
        exports.evidence_pack_pdf(user=request.user, batch=batch), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="evidence-pack-{batch.reference}.pdf"'
    return response
