"""A keyworker records that consent was withdrawn; a data officer prepares a subject access
export for one of the family's members, asked first for the reason and confirmation."""

from __future__ import annotations

from datetime import date

import pytest

from families import services
from privacy.models import SubjectAccessExport
from tests.browser.pages import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser


def test_consent_withdrawal_and_a_subject_access_export(
    page, live_server, keyworker, data_officer, family
):
    services.consent_record(
        actor=keyworker,
        family=family,
        given_by="Jane Smith",
        share_with=["schools"],
        given_on=date(2015, 5, 1),
    )
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/F-900001/#consent")
    page.get_by_role("link", name="Record withdrawal").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record that consent was withdrawn"
    page.get_by_role("button", name="Save withdrawal").click()
    assert (
        "Enter the date consent was withdrawn" in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Save withdrawal").click()
    assert (
        "Withdrawn on 3 Feb 2016 by Jane Smith"
        in page.locator("#consent ~ table, section").all_inner_texts().__str__()
    )
    sign_out(page)

    sign_in(page, live_server, data_officer.username)
    page.goto(f"{live_server.url}/families/F-900001/")
    page.get_by_role("link", name="Subject access export for Tom Smith").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Subject access export"
    assert_accessible(page)
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size(size)
    page.get_by_role("button", name="Download the export").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the reason for the export" in summary
    assert "Confirm that the export answers a request you are handling" in summary
    assert_accessible(page)
    page.get_by_label("Why are you preparing this export?").fill("Request of 1 December 2026")
    page.get_by_label("JSON (machine-readable)").check()
    page.get_by_label("I confirm this export").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the export").click()
    assert download.value.suggested_filename.endswith(".json")
    assert SubjectAccessExport.objects.get().reason == "Request of 1 December 2026"
    # The page now lists the export, with its reason.
    page.goto(page.url)
    assert "Request of 1 December 2026" in page.locator("table").inner_text()
    assert_accessible(page)
