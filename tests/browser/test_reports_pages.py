"""The programme reports in a browser: a programme manager filters the dashboard, reads who
worked with the families and is asked for a purpose before exporting identifiers; each page
passes axe and reflows at 320 CSS pixels (wide tables scroll inside their own box)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from families.models import Family, Intervention
from reports.models import IdentificationTarget
from tests.browser.pages import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def assert_reflows(page) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} is {width}px wide at 320px"
    page.set_viewport_size({"width": 1024, "height": 768})


def test_a_programme_manager_reads_the_reports(page, live_server, programme_manager, family):
    IdentificationTarget.objects.create(
        year_start=date(2015, 4, 1), label="2015 to 2016", families_to_identify=3
    )
    Intervention.objects.create(
        family=family, service=Intervention.Service.SOCIAL_CARE, start_date=date(2015, 5, 1)
    )
    Family.objects.create(reference="F-910001", name="Ng", identified_on=date(2016, 5, 1))
    sign_in(page, live_server, programme_manager.username)

    page.goto(f"{live_server.url}/reports/dashboard/")
    page.get_by_label("Programme year", exact=True).select_option(label="2015 to 2016")
    page.get_by_label("Locality", exact=True).select_option(label=family.locality.name)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert "year=2015" in page.url and f"locality={family.locality.pk}" in page.url
    row = page.locator("table").first.locator("tbody tr").first
    assert row.locator("th").inner_text() == "2015 to 2016"
    assert page.locator("svg.app-chart").count() >= 4
    assert_accessible(page)
    assert_reflows(page)
    # The first table downloads with the filters chosen.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=False).first.click()
    saved = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert download.value.suggested_filename.endswith(".csv")
    assert "2015 to 2016" in saved

    page.goto(f"{live_server.url}/reports/services/")
    assert page.get_by_role("row", name="Just social care").is_visible()
    assert_accessible(page)
    assert_reflows(page)

    page.goto(f"{live_server.url}/reports/returns/")
    page.get_by_role("button", name="Export identifiers (CSV)").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "Enter why you are exporting the identifiers" in summary.inner_text()
    assert_accessible(page)
    assert_reflows(page)
