"""The auditor's evidence page and the evidence pack name each member exactly as written (any
alphabet), write dates out and give values in words."""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from claims import sample_data, services
from claims.tariffs import ensure_national_tariffs
from outcomes.models import Evidence
from tests import factories as f

pytestmark = pytest.mark.django_db

AS_OF = date(2016, 9, 30)
NAMES = ["Zoë Nowak", "Emre Şahin", "Ołeńka Kowalczyk", "Дмитрий Иванов"]


def _evidence(kind, person, data, event_date, **extra):
    return Evidence.objects.create(
        kind=kind,
        person=person,
        data=data,
        event_date=event_date,
        content_digest=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
        source=extra.pop("source", Evidence.Source.PARTNER_FILE),
        source_name=extra.pop("source_name", "Schools census"),
        **extra,
    )


@pytest.fixture
def batch(programme_manager, second_programme_manager, auditor, keyworker):
    ensure_national_tariffs()
    family = f.AttachedFamilyFactory(name="Nowak", reference="F-700001")
    people = []
    for name in NAMES:
        first, last = name.split(" ")
        person = f.PersonFactory(first_name=first, last_name=last)
        f.MembershipFactory(family=family, person=person)
        people.append(person)
    zoe, emre, olenka, dmitri = people
    records = [
        _evidence(
            "school_attendance",
            zoe,
            {
                "academic_year": "2015/16",
                "term": "spring",
                "possible_sessions": 118,
                "absent_sessions": 4,
            },
            date(2016, 1, 4),
            end_date=date(2016, 3, 24),
        ),
        _evidence(
            "judgement",
            emre,
            {"code": "da_risk_reduced", "value": "not_applicable", "recorded_on": "2016-02-03"},
            date(2016, 2, 3),
            source=Evidence.Source.KEYWORKER,
            source_name="",
            recorded_by=keyworker,
        ),
        _evidence(
            "benefit_spells",
            olenka,
            {"benefit": "ESA", "start_date": "2014-01-06", "end_date": None, "out_of_work": True},
            date(2014, 1, 6),
            source_name="DWP",
        ),
        _evidence(
            "offences",
            dmitri,
            {"offence_date": "2015-03-03", "proven": True, "serious": False, "description": ""},
            date(2015, 3, 3),
            source_name="Police",
        ),
    ]
    sample_data.evaluation_for(family, as_of=AS_OF, evidence=records)
    batch = services.claim_batch_draft(actor=programme_manager, as_of=AS_OF)
    services.claim_batch_submit_for_audit(actor=programme_manager, batch=batch)
    for claim in batch.claims.all():
        services.claim_verify(actor=auditor, claim=claim)
    services.claim_batch_sign_off(actor=auditor, batch=batch)
    services.claim_batch_approve(actor=second_programme_manager, batch=batch)
    batch.refresh_from_db()
    return batch


def test_the_evidence_pack_names_every_member_exactly(client_for, batch, auditor):
    response = client_for(auditor).get(
        reverse("claims:batch_evidence_pack", args=[batch.reference])
    )
    assert response.status_code == 200
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = re.sub(r"\s+", " ", text)
    for name in NAMES:
        assert name in flat, name
    assert "?" not in flat.replace("Does the", "")  # no character lost to the PDF's font
    assert "Nowak family (F-700001)" in flat
    assert "Spring term" in flat or "Term: Spring" in flat
    assert "3 February 2016" in flat and "6 January 2014" in flat
    assert "No risk assessment applies to this family" in flat
    assert "Employment and Support Allowance" in flat
    for code in ("not_applicable", "da_risk_reduced", "school_attendance", "ESA;", "2016-02-03"):
        assert code not in flat, code


def test_the_auditor_reads_the_frozen_evidence_in_words(client_for, batch, auditor):
    claim = batch.claims.filter(claim_type="results").get()
    html = (
        client_for(auditor).get(reverse("claims:claim_evidence", args=[claim.pk])).content.decode()
    )
    main = html.split('id="main-content"', 1)[1]
    for name in NAMES:
        assert name in main, name
    assert "The risk of domestic abuse has reduced, or safety has improved" in main
    assert "No risk assessment applies to this family" in main
    assert "3 February 2016" in main and "30 September 2016" in main
    assert "Child present" not in main  # only the fields each record has
    # The evaluation points at the records it used, by number and in words.
    cited = re.search(
        r'href="#record-(\d)">Record (\d): School attendance for a term, Zoë Nowak', main
    )
    assert cited and cited[1] == cited[2]
    assert f'id="record-{cited[1]}"' in main
    for code in ("not_applicable", "da_risk_reduced", "school_attendance #", "2016-02-03"):
        assert code not in main, code


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
