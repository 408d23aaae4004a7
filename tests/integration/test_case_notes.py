"""Case notes: their type, who was there, sensitive notes (who reads them on the page, in the
timeline and through the API), and attached files (what is accepted, and who may download)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from families import selectors, services
from families.models import AccessLog, CaseNote, CaseNoteFile
from tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a letter\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def members(family):
    return [m.person for m in family.memberships.select_related("person")]


def test_a_visit_note_with_who_was_there_and_a_letter(keyworker, family, members):
    note = services.case_note_add(
        actor=keyworker,
        family=family,
        kind="visit",
        occurred_on=dt.date(2016, 2, 3),
        text="Home visit.",
        present=members[:1],
        present_others="Ms Patel, school family support worker",
        files=[upload("letter.pdf", PDF), upload("plan.txt", b"Attendance plan")],
    )
    assert note.get_kind_display() == "Visit"
    assert list(note.present.all()) == members[:1]
    assert sorted(CaseNoteFile.objects.filter(note=note).values_list("name", flat=True)) == [
        "letter.pdf",
        "plan.txt",
    ]
    stored = note.files.get(name="letter.pdf")
    assert stored.content_type == "application/pdf"
    assert stored.file.read() == PDF


def test_every_problem_with_a_note_and_its_files_is_given_at_once(keyworker, family):
    outsider = f.PersonFactory()
    with override_settings(CASE_FILE_MAX_BYTES=100):
        with pytest.raises(ValidationError) as error:
            services.case_note_add(
                actor=keyworker,
                family=family,
                kind="chat",
                text="",
                present=[outsider],
                files=[
                    upload("run.exe", b"MZ..."),
                    upload("letter.pdf", b"not a pdf"),
                    upload("scan.png", PNG + b"x" * 200),
                    upload("notes.txt", b"ok"),
                ],
            )
    errors = error.value.message_dict
    assert set(errors) == {"kind", "text", "present", "files"}
    assert errors["files"] == [
        "run.exe must be a PDF, Word (DOCX or DOC), OpenDocument text (ODT), JPG, PNG or TXT file",
        "letter.pdf is not a real PDF file: choose another file",
        "scan.png must be smaller than 0MB",
    ]
    assert not CaseNote.objects.exists() and not CaseNoteFile.objects.exists()


def test_a_file_just_under_the_limit_is_kept_and_one_just_over_refused(keyworker, family):
    with override_settings(CASE_FILE_MAX_BYTES=len(PNG)):
        services.case_note_add(
            actor=keyworker, family=family, text="Scan", files=[upload("ok.png", PNG)]
        )
        with pytest.raises(ValidationError, match="must be smaller than"):
            services.case_note_add(
                actor=keyworker, family=family, text="Scan", files=[upload("big.png", PNG + b"x")]
            )


def test_the_form_shows_every_file_problem_in_the_error_summary(client_for, keyworker, family):
    response = client_for(keyworker).post(
        f"/families/{family.reference}/notes/add/",
        {
            "kind": "letter",
            "occurred_on_day": "3",
            "occurred_on_month": "2",
            "occurred_on_year": "2016",
            "text": "Letter from school",
            "files": [upload("a.exe", b"MZ"), upload("b.pdf", b"nope")],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "a.exe must be a PDF" in page and "b.pdf is not a real PDF file" in page
    assert not CaseNote.objects.exists()


# --- sensitive notes -----------------------------------------------------------------------------

READERS = {
    "keyworker": True,  # the lead keyworker
    "team_manager": True,
    "programme_manager": True,
    "named_worker": False,
    "auditor": False,
    "administrator": False,
}


@pytest.fixture
def named_worker(team, family):
    return f.NamedWorkerFactory(family=family, user=f.KeyworkerFactory(team=team)).user


@pytest.fixture
def sensitive(family, team_manager):
    return f.SensitiveCaseNoteFactory(family=family, author=team_manager)


@pytest.mark.parametrize(("role", "reads"), READERS.items())
def test_who_reads_a_sensitive_note_on_the_page_in_the_timeline_and_api(
    request, client_for, api_for, family, sensitive, role, reads
):
    user = request.getfixturevalue(role)
    text = sensitive.text
    [note] = selectors.case_note_list(user=user, family=family)
    assert (note.visible_text == text) is reads
    assert note.text_withheld is not reads
    [entry] = [
        e
        for e in selectors.family_timeline_page(family=family, user=user).object_list
        if e.kind == "note"
    ]
    assert (entry.text == text) is reads
    assert "(sensitive)" in entry.title
    page = client_for(user).get(f"/families/{family.reference}/notes/").content.decode()
    assert (text in page) is reads
    assert "Sensitive" in page
    assert (
        text in client_for(user).get(f"/families/{family.reference}/").content.decode()
    ) is reads
    api = api_for(user).get(f"/api/v1/families/{family.reference}/notes/").json()
    [row] = api["results"]
    assert (row["text"] == text, row["text_withheld"], row["sensitive"]) == (reads, not reads, True)
    listed = api_for(user).get("/api/v1/notes/").json()["results"]
    assert (listed[0]["text"] == text) is reads


def test_the_author_of_a_sensitive_note_reads_their_own(named_worker, family):
    services.case_note_add(actor=named_worker, family=family, text="Disclosure", sensitive=True)
    [note] = selectors.case_note_list(user=named_worker, family=family)
    assert note.visible_text == "Disclosure"


def test_without_a_user_the_timeline_shows_no_sensitive_text(family, sensitive):
    [entry] = [
        e
        for e in selectors.family_timeline_page(family=family, user=None).object_list
        if e.kind == "note"
    ]
    assert sensitive.text not in entry.text


# --- downloading files ---------------------------------------------------------------------------


@pytest.fixture
def letter(keyworker, family):
    note = services.case_note_add(
        actor=keyworker, family=family, text="Letter", files=[upload("letter.pdf", PDF)]
    )
    return note, note.files.get()


def file_url(family, note, stored):
    return f"/families/{family.reference}/notes/{note.pk}/files/{stored.pk}/"


def test_a_file_downloads_as_an_attachment_and_the_access_is_logged(
    client_for, keyworker, family, letter
):
    note, stored = letter
    response = client_for(keyworker).get(file_url(family, note, stored))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLog.objects.filter(
        user=keyworker, family=family, action=f"downloaded case note file {stored.pk}"
    ).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("keyworker", 200),
        ("team_manager", 200),
        ("auditor", 200),
        ("other_keyworker", 404),
        ("other_team_manager", 404),
    ],
)
def test_only_those_who_see_the_family_download_its_files(
    request, client_for, family, letter, role, expected
):
    note, stored = letter
    response = client_for(request.getfixturevalue(role)).get(file_url(family, note, stored))
    assert response.status_code == expected


def test_a_file_on_a_sensitive_note_is_refused_to_those_who_may_not_read_it(
    client_for, keyworker, named_worker, team_manager, family
):
    note = services.case_note_add(
        actor=team_manager,
        family=family,
        text="Disclosure",
        sensitive=True,
        files=[upload("statement.txt", b"What was said")],
    )
    url = file_url(family, note, note.files.get())
    assert client_for(named_worker).get(url).status_code == 403
    assert client_for(keyworker).get(url).status_code == 200


def test_a_file_from_another_familys_note_is_not_found_through_this_family(
    client_for, keyworker, family, letter
):
    note, stored = letter
    mine = f.AttachedFamilyFactory(lead_keyworker=keyworker)
    assert client_for(keyworker).get(file_url(mine, note, stored)).status_code == 404


def test_files_are_stored_outside_the_web_root(settings, letter):
    _, stored = letter
    path = stored.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert not any(path.startswith(str(d)) for d in settings.STATICFILES_DIRS)
