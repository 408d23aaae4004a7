"""A claim round across roles: a programme manager drafts a batch and submits it for audit, an
auditor draws a sample, reviews the sampled claims and signs off, another programme manager
approves and downloads the return. axe finds nothing on each page."""

from __future__ import annotations

import csv
import io

import pytest

from claims.models import ClaimBatch
from claims.tariffs import ensure_national_tariffs
from claims.workflow import Status
from tests import factories as f
from tests.browser.pages import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_claim_round_across_roles(
    page, live_server, programme_manager, second_programme_manager, auditor
):
    ensure_national_tariffs()
    f.ClaimableFamilyFactory.create_batch(4)  # evaluated on 30 September 2016

    # A programme manager drafts the batch.
    sign_in(page, live_server, programme_manager.username)
    page.goto(f"{live_server.url}/claims/")
    assert page.get_by_role("heading", level=1).inner_text() == "Claims"
    assert_accessible(page)
    page.get_by_role("button", name="Draft a claim batch").click()
    assert_accessible(page)
    page.get_by_role("button", name="Draft the batch").click()  # nothing filled in: errors
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Day").fill("30")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Draft the batch").click()
    batch = ClaimBatch.objects.get()
    assert page.get_by_text(f"Batch {batch.reference} drafted with 8 claims").is_visible()
    assert page.locator("#batch-total").inner_text() == "£7,200.00"
    assert_accessible(page)
    page.get_by_role("button", name="Submit for audit").click()
    # A confirmation page says what submitting does before anything happens.
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Submit claim batch {batch.reference} for audit"
    )
    assert (
        "The evidence for each of the 8 claims is frozen"
        in page.locator("#consequences").inner_text()
    )
    assert_accessible(page)
    assert ClaimBatch.objects.get(pk=batch.pk).status == Status.DRAFT
    page.get_by_role("button", name="Confirm and submit for audit").click()
    assert page.get_by_text("submitted for audit").first.is_visible()
    # The preparer is not offered the auditor's or approver's buttons.
    assert page.get_by_role("button", name="Sign off the batch").count() == 0
    assert_accessible(page)
    sign_out(page)

    # An auditor samples, reviews every sampled claim and signs off.
    sign_in(page, live_server, auditor.username)
    page.goto(f"{live_server.url}/claims/audit/")
    assert_accessible(page)
    page.get_by_role("link", name=batch.reference).click()
    page.get_by_role("button", name="Draw an audit sample").click()
    assert_accessible(page)
    page.get_by_label("Percentage of claims to sample").fill("25")
    page.get_by_label("Sample at least this many claims").fill("2")
    page.get_by_label("Seed").fill("2015")
    page.get_by_role("button", name="Draw the sample").click()
    assert page.get_by_text("2 claims sampled with seed 2015").is_visible()
    assert_accessible(page)
    page.locator("table a.govuk-link").first.click()
    for _ in range(2):
        assert page.locator("#digest-check").get_by_text("Digest verified").is_visible()
        assert_accessible(page)
        page.get_by_label("Yes, verify the claim").check()
        page.get_by_role("button", name="Save and continue").click()
    assert page.get_by_text("There are no claims left to review.").is_visible()
    page.get_by_role("button", name="Sign off the batch").click()
    assert (
        "6 claims outside the audit sample are accepted with the sample"
        in page.locator("#consequences").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Sign-off note").fill("Sample clean")
    page.get_by_role("button", name="Confirm and sign off").click()
    assert (
        page.locator(".govuk-notification-banner")
        .get_by_text(f"Batch {batch.reference} signed off")
        .is_visible()
    )
    assert_accessible(page)
    sign_out(page)

    # Another programme manager approves and downloads the return.
    sign_in(page, live_server, second_programme_manager.username)
    page.goto(f"{live_server.url}/claims/batches/{batch.reference}/")
    page.get_by_role("button", name="Approve the batch").click()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and approve").click()
    assert (
        page.locator(".govuk-notification-banner")
        .get_by_text(f"Batch {batch.reference} approved")
        .is_visible()
    )
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Claim return (CSV)").click()
    path = download_info.value.path()
    rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8-sig").read())))
    assert rows[-1][0] == "Total" and rows[-1][-1] == "7200.00"
    assert ClaimBatch.objects.get(pk=batch.pk).status == Status.APPROVED
    page.goto(f"{live_server.url}/claims/")
    assert_accessible(page)
