"""The auditor's evidence page and the evidence pack name each member exactly as written (any
alphabet), write dates out and give values in words."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from claims import services
from claims.tariffs import ensure_national_tariffs
from families.models import Person
from tests import factories as f

pytestmark = pytest.mark.django_db

AS_OF = date(2016, 9, 30)
NAMES = ["Zoë Nowak", "Emre Şahin", "Ołeńka Kowalczyk", "Дмитрий Иванов"]


@pytest.fixture
def batch(programme_manager, second_programme_manager, auditor):
    ensure_national_tariffs()
    # A family the Oxfordshire plan says can be claimed for, its members named in four alphabets.
    family = f.ClaimableFamilyFactory(name="Nowak", reference="F-700001", school_attendance="met")
    people = Person.objects.filter(memberships__family=family)
    people.filter(first_name="Kerry").update(first_name="Zoë")
    people.filter(first_name="Liam").update(first_name="Emre", last_name="Şahin")
    for name in NAMES[2:]:
        first, last = name.split(" ")
        f.MembershipFactory(family=family, person=f.PersonFactory(first_name=first, last_name=last))
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=batch)
    for claim in batch.claims.all():
        services.claim_verify(actor=auditor, claim=claim)
    services.claim_batch_sign_off(actor=auditor, batch=batch)
    services.claim_batch_approve(actor=second_programme_manager, batch=batch)
    batch.refresh_from_db()
    return batch


LONG_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{4}\b"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODES = (
    "asb_incidents",
    "domestic_abuse_callouts",
    "school_attendance",
    "child_present",
    "absent_sessions",
)


def test_the_evidence_pack_names_every_member_exactly(client_for, batch, auditor):
    response = client_for(auditor).get(
        reverse("claims:batch_evidence_pack", args=[batch.reference])
    )
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", " ", text)
    for name in NAMES:
        assert name in flat, name
    assert "?" not in flat  # no character lost to the PDF's font
    assert "Nowak family (F-700001)" in flat
    assert "School attendance for a term – Emre Şahin" in flat
    assert "Anti-social behaviour incident – Zoë Nowak" in flat
    assert "Police call-out to domestic abuse – The whole family" in flat
    assert "Child present: Yes" in flat and "Sessions missed:" in flat
    assert LONG_DATE.search(flat) and not ISO_DATE.search(flat.split("SHA-256")[0])
    for code in CODES:
        assert code not in flat, code


def test_the_auditor_reads_the_frozen_evidence_in_words(client_for, batch, auditor):
    claim = batch.claims.filter(claim_type="results").get()
    html = (
        client_for(auditor).get(reverse("claims:claim_evidence", args=[claim.pk])).content.decode()
    )
    main = html.split('id="main-content"', 1)[1]
    for name in NAMES[:2]:  # the members the frozen evidence is about
        assert name in main, name
    assert "Police call-out to domestic abuse: The whole family" in main
    assert LONG_DATE.search(main) and "30 September 2016" in main
    # The evaluation points at the records it used, by number and in words.
    cited = re.search(
        r'href="#record-(\d+)">Record (\d+): School attendance for a term, Emre Şahin', main
    )
    assert cited and cited[1] == cited[2]
    assert f'id="record-{cited[1]}"' in main
    assert not ISO_DATE.search(re.sub(r"<[^>]+>", " ", main))
    for code in CODES:
        assert code not in re.sub(r"<[^>]+>", " ", main), code


def test_the_family_page_and_evidence_list_name_every_member_exactly(client_for, keyworker):
    family = f.AttachedFamilyFactory(name="Şahin", reference="F-700002", lead_keyworker=keyworker)
    for name in NAMES:
        first, last = name.split(" ")
        f.MembershipFactory(family=family, person=f.PersonFactory(first_name=first, last_name=last))
    client = client_for(keyworker)
    for url in (
        f"/families/{family.reference}/",
        f"/outcomes/families/{family.reference}/evidence/add/benefit_spells/",
    ):
        html = client.get(url).content.decode("utf-8")
        assert "Şahin family" in html, url
        for name in NAMES:
            assert name in html, (url, name)
