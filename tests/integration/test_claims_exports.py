"""The claim return (CSV, XLSX) and the evidence pack (PDF): contents, totals, formula
injection, and the access log."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from claims import services
from claims.tariffs import ensure_national_tariffs
from families.models import AccessLog, Family
from tests import factories as f

AS_OF = date(2016, 9, 30)


@pytest.fixture(autouse=True)
def tariffs(db):
    ensure_national_tariffs()


@pytest.fixture
def approved(programme_manager, second_programme_manager, auditor):
    # Claimable, with its child's attendance (95% in every term since attachment) among the
    # evidence. Its attachment fee went in an earlier batch: this one claims its results.
    smith = f.ClaimableFamilyFactory(name="Smith", school_attendance="met", evaluated_on=AS_OF)
    f.ClaimFactory(family=smith, claim_type="attachment")
    # A family name a spreadsheet would run as a formula.
    # A reference brought across from a partner's households file that a spreadsheet would run.
    f.EligibleFamilyFactory(reference='=HYPERLINK("x")', name="Jones", evaluated_on=AS_OF)
    f.EligibleFamilyFactory(name="Brown", evaluated_on=AS_OF)
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=batch)
    services.claim_batch_draw_sample(actor=auditor, batch=batch, percent="34", minimum=1, seed=5)
    for claim in batch.claims.filter(in_sample=True):
        services.claim_verify(actor=auditor, claim=claim)
    services.claim_batch_sign_off(actor=auditor, batch=batch)
    services.claim_batch_approve(actor=second_programme_manager, batch=batch)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
def test_csv_return(client_for, approved, programme_manager):
    response = client_for(programme_manager).get(
        reverse("claims:batch_return_csv", args=[approved.reference])
    )
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="claim-return-{approved.reference}.csv"'
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [f"Claim return {approved.reference}", "Claim date 2016-09-30"]
    header = rows[1]
    assert header[:4] == ["Family reference", "Claim type", "Programme phase", "Attached on"]
    assert header[-2:] == ["Amount (£)", "Status"]
    body = [r for r in rows[2:] if not r[0].startswith("Total")]
    assert len(body) == 3
    assert '\'=HYPERLINK("x")' in [r[0] for r in body]
    results = next(r for r in body if r[1] == "Significant and sustained progress")
    school = (
        header.index("School attendance (problem)")
        if "School attendance (problem)" in header
        else None
    )
    if school is not None:
        assert results[school].startswith("met 20")
    assert results[-2] == "800.00"
    assert rows[-1][0] == "Total" and rows[-1][1] == "3 claims" and rows[-1][-1] == "2800.00"
    assert ["Total: Attachment fee", "2 claims"] == rows[-3][:2] and rows[-3][-1] == "2000.00"


@pytest.mark.django_db
def test_xlsx_return_has_numbers_and_no_formulas(client_for, approved, programme_manager):
    response = client_for(programme_manager).get(
        reverse("claims:batch_return_xlsx", args=[approved.reference])
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    body = [r for r in rows[2:] if not r[0].startswith("Total")]
    assert '\'=HYPERLINK("x")' in [r[0] for r in body]
    amounts = sorted(Decimal(str(r[-2])) for r in body)
    assert amounts == [Decimal("800"), Decimal("1000"), Decimal("1000")]
    assert rows[-1][0] == "Total" and Decimal(str(rows[-1][-1])) == Decimal("2800")
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}"


@pytest.mark.django_db
def test_exports_are_logged_for_each_family(client_for, approved, data_officer):
    client = client_for(data_officer)
    client.get(reverse("claims:batch_return_csv", args=[approved.reference]))
    client.get(reverse("claims:batch_evidence_pack", args=[approved.reference]))
    logs = AccessLog.objects.filter(user=data_officer, via=AccessLog.Via.EXPORT)
    families = set(approved.claims.values_list("family_id", flat=True))
    assert {log.family_id for log in logs if "CSV" in log.action} == families
    assert {log.family_id for log in logs if "PDF" in log.action} == families
    assert logs.count() == 2 * len(families)


@pytest.mark.django_db
def test_return_not_before_approval(client_for, programme_manager, auditor):
    f.ClaimableFamilyFactory(evaluated_on=AS_OF)
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    client = client_for(auditor)
    assert client.get(reverse("claims:batch_return_csv", args=[batch.reference])).status_code == 404
    assert (
        client.get(reverse("claims:batch_evidence_pack", args=[batch.reference])).status_code == 404
    )


@pytest.mark.django_db
def test_evidence_pack_pdf(client_for, approved, auditor):
    response = client_for(auditor).get(
        reverse("claims:batch_evidence_pack", args=[approved.reference])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    families = list(Family.objects.filter(claims__batch=approved).distinct().order_by("reference"))
    assert len(reader.pages) == 1 + len(families)  # a cover page and a page per family
    cover = reader.pages[0].extract_text()
    assert f"claim batch {approved.reference}" in cover
    assert "seed 5" in cover and "£2,800.00" in cover
    text = "\n".join(page.extract_text() for page in reader.pages[1:])
    for family in families:
        assert family.reference in text
    for claim in approved.claims.all():
        assert claim.snapshot.digest in text.replace("\n", "")
    assert "digest verified" in text
    assert f"Verified by {auditor}" in text or "accepted with the batch sign-off" in text
    # The frozen records in words: no codes, values labelled, dates written out.
    assert "School attendance for a term – Liam Smith" in text  # the member, by name
    assert "Sessions missed: 6" in text and "Term: Summer" in text
    assert "school_attendance" not in text and "absent_sessions" not in text
