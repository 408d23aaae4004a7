"""Adding evidence in the words keyworkers use: kinds grouped by problem, judgements as
statements and questions, values in words; no code ever on the page."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from families.services import system_actor
from outcomes import wording
from outcomes.models import Evidence
from outcomes.services.plans import plan_activate, plans_load_shipped

pytestmark = pytest.mark.django_db

# What a code looks like on a page: two or more lower-case words joined by underscores.
CODE = re.compile(r">[^<]*\b[a-z]+_[a-z_]+\b[^<]*<")


def activate(slug: str) -> None:
    versions = {v.slug: v for v in plans_load_shipped(actor=system_actor())}
    plan_activate(
        actor=system_actor(), plan_version=versions[slug], effective_from=date(2015, 4, 1)
    )


def visible_text(html: str) -> str:
    body = html.split('id="main-content"', 1)[1]
    return re.sub(r"<[^>]+>", " ", body)


def test_the_choice_page_groups_kinds_by_problem_with_labels_and_hints(
    family, keyworker, client_for
):
    activate("worcestershire-2015-16")
    html = (
        client_for(keyworker)
        .get(reverse("outcomes:evidence_add", args=[family.reference]))
        .content.decode()
    )
    text = visible_text(html)
    headings = re.findall(r'<h2 class="govuk-heading-m" id="group-([a-z_]+)">', html)
    assert headings[:6] == [
        "school_attendance",
        "crime_asb",
        "children_need_help",
        "worklessness",
        "domestic_abuse",
        "health",
    ]
    # The plan in force reads this judgement: it is listed under domestic abuse, in words.
    domestic = html.split('id="group-domestic_abuse"')[1].split("<h2")[0]
    assert "Police call-out to domestic abuse" in domestic
    assert "The risk of domestic abuse has reduced, or safety has improved" in domestic
    assert "A police call-out to a domestic incident at the household" in domestic
    # Judgements only other plans read are tucked away, still reachable.
    other = html.split('id="group-other"')[1]
    assert "A young child&#x27;s development is on track" in other
    for code in ("da risk reduced", "da_risk_reduced", "Not_applicable", "not_applicable"):
        assert code not in text
    assert not CODE.search(html.split('id="main-content"', 1)[1].replace('href="', ""))


def test_a_judgement_form_asks_its_question_with_values_in_words(family, keyworker, client_for):
    activate("worcestershire-2015-16")
    client = client_for(keyworker)
    url = reverse(
        "outcomes:evidence_add_kind", args=[family.reference, "judgement:da_risk_reduced"]
    )
    html = client.get(url).content.decode()
    assert "The risk of domestic abuse has reduced, or safety has improved</h1>" in html
    assert "Does the local risk assessment show a reduced risk or improved safety?" in html
    assert "No risk assessment applies to this family" in html
    assert "not applicable" not in visible_text(html).lower().replace("no risk assessment", "")
    response = client.post(
        url,
        {
            "member": "family",
            "value": "not_applicable",
            "recorded_on_day": "3",
            "recorded_on_month": "2",
            "recorded_on_year": "2016",
        },
        follow=True,
    )
    page = response.content.decode()
    assert Evidence.objects.get(kind="judgement").data["value"] == "not_applicable"
    assert (
        "Judgement (the risk of domestic abuse has reduced, or safety has improved) recorded"
        in page
    )
    # The evidence list says it in words too, with the date written out.
    assert "No risk assessment applies to this family" in page
    assert "3 February 2016" in page


def test_every_choice_on_the_page_has_a_form(family, keyworker, client_for):
    client = client_for(keyworker)
    html = client.get(reverse("outcomes:evidence_add", args=[family.reference])).content.decode()
    links = re.findall(r'href="(/outcomes/families/[^"]+/evidence/add/[^"]+/)"', html)
    assert len(links) >= len(wording.KINDS) - 1 + 5
    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
        text = visible_text(page.content.decode())
        assert "_" not in re.sub(r"\s+", " ", text.split("Cancel")[0]), link
