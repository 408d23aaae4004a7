"""The service's pages, the administration and the API documentation work under the strict
Content-Security-Policy: nothing on them is blocked (no inline script, style or handler)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def test_no_page_a_journey_visits_breaks_the_policy(page, live_server, programme_manager):
    family = f.FamilyFactory(reference="F-930001", name="Okafor")
    programme_manager.is_staff = programme_manager.is_superuser = True
    programme_manager.save()
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, live_server, programme_manager.username)
    for path in (
        "/",
        f"/families/{family.reference}/",
        "/claims/",
        "/admin/",
        "/admin/families/family/",
        f"/admin/families/family/{family.pk}/change/",
        "/admin/families/user/add/",
        "/api/docs/",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        if path == "/api/docs/":
            page.wait_for_selector("#swagger-ui .info", timeout=30_000)
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], (path, violations)
        assert page.locator("body").inner_text().strip(), path
    assert console == []
