"""Uploads: only the file types a page takes, within their size; a stored file only ever
comes back as a download (never shown as a page); exports never carry a live formula."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from reports.tables import Table, table_csv, table_xlsx

pytestmark = pytest.mark.django_db

HTML = b"<html><script>alert(document.cookie)</script></html>"


def note(**extra):
    return {
        "kind": "letter",
        "occurred_on_day": "3",
        "occurred_on_month": "2",
        "occurred_on_year": "2016",
        "text": "Letter from school",
        **extra,
    }


def test_a_text_file_holding_html_downloads_as_plain_text_never_a_page(keyworker, family):
    client = Client()
    client.force_login(keyworker)
    upload = SimpleUploadedFile("notes.txt", HTML, content_type="text/html")
    response = client.post(f"/families/{family.reference}/notes/add/", note(files=[upload]))
    assert response.status_code == 302
    stored = family.notes.get().files.get()
    download = client.get(f"/families/{family.reference}/notes/{stored.note_id}/files/{stored.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/plain"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "run.exe", "noextension"])
def test_file_types_a_note_does_not_take_are_refused(name, keyworker, family):
    client = Client()
    client.force_login(keyworker)
    upload = SimpleUploadedFile(name, HTML)
    response = client.post(f"/families/{family.reference}/notes/add/", note(files=[upload]))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not family.notes.exists()


@pytest.mark.parametrize("name", ["plan.html", "plan.txt", "plan.exe"])
def test_a_plan_file_must_be_yaml(name, administrator):
    client = Client()
    client.force_login(administrator)
    upload = SimpleUploadedFile(name, b"slug: x\n")
    response = client.post("/outcomes/plans/upload/", {"plan_file": upload})
    assert response.status_code == 200
    assert "The plan file must be a YAML file (.yaml or .yml)" in response.content.decode()


def test_a_request_bigger_than_the_limit_is_refused_before_it_is_read(keyworker, family, settings):
    client = Client()
    client.force_login(keyworker)
    response = client.post(
        f"/families/{family.reference}/notes/add/",
        note(),
        CONTENT_LENGTH=str(settings.REQUEST_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert not family.notes.exists()


def test_report_downloads_neutralise_formulas():
    table = Table(
        slug="families",
        title="Families",
        columns=["Family", "Count"],
        rows=[['=HYPERLINK("http://evil.example","x")', 3], ["@SUM(A1)", 4], ["Okafor", 5]],
    )
    text = table_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text and "\nOkafor,5" in text.replace("\r", "")
    with zipfile.ZipFile(io.BytesIO(table_xlsx(table))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
