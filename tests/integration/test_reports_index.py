"""The Reports section: who reaches it, and the header link that leads there."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

READERS = ["programme_manager", "team_manager", "data_officer", "auditor"]
OTHERS = ["keyworker", "administrator"]


@pytest.mark.parametrize("role", READERS)
def test_report_readers_open_the_reports_index_from_the_header(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    response = client.get("/reports/")
    assert response.status_code == 200
    assert b'<h1 class="govuk-heading-l">Reports</h1>' in response.content
    page = response.content.decode()
    for title, url in [
        ("Programme dashboard", "/reports/dashboard/"),
        ("Who worked with the families", "/reports/services/"),
        ("National returns", "/reports/returns/"),
        ("Projections", "/reports/projections/"),
        ("Cost savings", "/reports/cost-savings/"),
        ("Outcome Stars", "/reports/stars/"),
    ]:
        assert f'href="{url}">{title}</a>' in page, title
    assert b'href="/reports/"' in client.get("/", follow=True).content


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_are_refused_and_see_no_link(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get("/reports/").status_code == 403
    assert b'href="/reports/"' not in client.get("/", follow=True).content
