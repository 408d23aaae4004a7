"""A keyworker's day: find a family in the caseload, write a case note, see it on the timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from families.models import CaseNote
from tests.browser.pages import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_keyworker_writes_a_note_and_sees_it_on_the_timeline(page, live_server, keyworker, family):
    page.goto(f"{live_server.url}/sign-in/")
    assert_accessible(page)
    sign_in(page, live_server, keyworker.username)

    # Signing in lands on the home page; the caseload is in the navigation.
    assert page.get_by_role("heading", level=1).inner_text() == "What needs doing now"
    page.get_by_role("link", name="My caseload").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My caseload"
    assert_accessible(page)

    page.get_by_role("link", name="F-900001").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Smith family"
    assert_accessible(page)

    page.get_by_role("button", name="Write a case note").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Write a case note"
    assert_accessible(page)
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("Note", exact=True).fill(
        "Phone call with mum: Tom went to school every day this week."
    )
    page.get_by_role("button", name="Save note").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Smith family"
    assert (
        page.locator(".govuk-notification-banner--success").inner_text().endswith("Case note added")
    )
    timeline = page.locator("section", has=page.locator("#timeline"))
    entry = timeline.locator("li", has_text="Tom went to school every day this week")
    assert entry.count() == 1
    assert "3 February 2016" in entry.inner_text()
    assert keyworker.display_name in entry.inner_text()
    assert_accessible(page)


def test_a_note_with_mistakes_shows_what_to_fix_and_saves_nothing(
    page, live_server, keyworker, family
):
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/{family.reference}/notes/add/")
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    page.get_by_label("Day").fill(str(tomorrow.day))
    page.get_by_label("Month").fill(str(tomorrow.month))
    page.get_by_label("Year").fill(str(tomorrow.year))
    page.get_by_role("button", name="Save note").click()

    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert "Enter the note" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    # The summary's link takes the user to the box to fix.
    summary.get_by_role("link", name="Enter the note").click()
    assert page.evaluate("document.activeElement.id") == "id_text"

    page.get_by_label("Note", exact=True).fill("Visit planned for next week.")
    page.get_by_role("button", name="Save note").click()
    assert (
        "The date of the note must be today or in the past"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    assert not CaseNote.objects.filter(family=family).exists()


def test_keyworker_records_a_visit_with_who_was_there_and_a_letter(
    page, live_server, keyworker, family, tmp_path
):
    letter = tmp_path / "school-letter.pdf"
    letter.write_bytes(b"%PDF-1.4\n% a letter from the school\n")
    sign_in(page, live_server, keyworker.username)
    page.goto(f"{live_server.url}/families/{family.reference}/")
    page.get_by_role("button", name="Write a case note").click()
    page.get_by_label("Visit", exact=True).check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("Jane Smith").check()
    page.get_by_label("Note", exact=True).fill("Home visit: we went through the school's letter.")
    page.get_by_label("Attach files (optional)").set_input_files(str(letter))
    assert_accessible(page)
    page.get_by_role("button", name="Save note").click()
    assert (
        page.locator(".govuk-notification-banner--success").inner_text().endswith("Case note added")
    )
    note = CaseNote.objects.get(family=family)
    assert (note.kind, [p.first_name for p in note.present.all()]) == ("visit", ["Jane"])

    page.get_by_role("link", name="All case notes and files").click()
    entry = page.locator("li", has_text="we went through the school's letter")
    assert "Visit" in entry.first.inner_text() and "Jane Smith" in entry.first.inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="school-letter.pdf").click()
    assert download.value.suggested_filename == "school-letter.pdf"
    assert open(download.value.path(), "rb").read() == letter.read_bytes()
