"""A programme manager projects the caseload and works out Family E's savings; a keyworker prints
a family's case study on one page. Axe on every page, at 1280 and at 320 pixels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.report_costs import extend_demo
from tests import factories as f
from tests.browser.pages import assert_accessible, sign_in, sign_out

pytestmark = pytest.mark.browser

HERTFORDSHIRE = "\n".join(
    [
        "2012-09 39", "2012-12 122", "2013-03 266", "2013-06 100", "2013-09 123", "2013-12 220",
        "2014-03 252", "2014-06 228", "2014-09 0", "2014-12 0", "2015-03 0", "2015-05 0",
    ]
)  # fmt: skip


def check(page) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{page.url} is {wide}px wide at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_projections_cost_savings_and_a_printed_case_study(
    page, live_server, programme_manager, keyworker
):
    extend_demo(families=[], rng=None, synthetic=False, stdout=None)
    family = f.AttachedFamilyFactory(reference="F-990001", name="Okafor", lead_keyworker=keyworker)
    f.MembershipFactory(family=family, person=f.PersonFactory(first_name="Ada", last_name="Okafor"))

    sign_in(page, live_server, programme_manager.username)
    page.goto(live_server.url + "/reports/")
    page.get_by_role("link", name="Projections").click()
    page.get_by_label("Figures I enter").check()
    page.get_by_label("New cases per quarter").fill(HERTFORDSHIRE.replace("2013-03", "2013-3"))
    page.get_by_role("button", name="Project").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Line 3: Enter the quarter as a year and month"
    )
    check(page)
    page.get_by_label("New cases per quarter").fill(HERTFORDSHIRE)
    page.get_by_role("button", name="Project").click()
    expect(page.locator("main")).to_contain_text("700 (quarter ending June 2014)")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    check(page)

    page.goto(live_server.url + "/reports/cost-savings/")
    page.get_by_role("link", name=re.compile("Family E")).click()
    expect(page.locator("main")).to_contain_text("Savings £32,194.00")
    check(page)
    sign_out(page)

    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/{family.reference}/")
    page.get_by_role("link", name="Case study of this family to print").click()
    expect(page.get_by_role("heading", name="Case study: Okafor family")).to_be_visible()
    check(page)
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
