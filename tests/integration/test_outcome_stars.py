"""Outcomes Star readings on the family: the scale and every area checked, the form with all
its errors at once, the star on the family page, who may record one, and a page whose query
count does not grow with the readings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import StarReading
from casework.services import STAR_CREATED, star_reading_record
from families.models import FamilyEvent
from tests.factories.stars import FAMILY_STAR, MY_STAR, star, star_reading

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def child_of(family):
    return family.memberships.get(role="child").person


def scores_for(name: str, value) -> dict:
    return {a.identifier: value for a in star(name).areas.all()}


def record(actor, family, name, value, **extra):
    definition = star(name)
    person = child_of(family) if definition.subject == "person" else None
    return star_reading_record(
        actor=actor,
        family=family,
        definition=definition,
        person=person,
        read_on=extra.pop("read_on", timezone.localdate() - 10 * DAY),
        kind=extra.pop("kind", "baseline"),
        scores=extra.pop("scores", None) or scores_for(name, value),
        **extra,
    )


@pytest.mark.parametrize(
    ("name", "value", "accepted"),
    [
        (MY_STAR, 0, False),
        (MY_STAR, 1, True),
        (MY_STAR, 5, True),
        (MY_STAR, 6, False),
        (FAMILY_STAR, 0, False),
        (FAMILY_STAR, 1, True),
        (FAMILY_STAR, 10, True),
        (FAMILY_STAR, 11, False),
    ],
)
def test_scores_must_be_on_the_stars_scale(keyworker, family, name, value, accepted):
    if accepted:
        reading, outcome = record(keyworker, family, name, value)
        assert outcome == STAR_CREATED
        assert {s.score for s in reading.scores.all()} == {value}
        assert reading.scores.count() == len(star(name).areas.all())
        return
    with pytest.raises(ValidationError) as raised:
        record(keyworker, family, name, value)
    errors = raised.value.message_dict
    high = 5 if name == MY_STAR else 10
    assert errors["score_physical_health"] == [
        f"Enter a score for Physical health as a whole number from 1 to {high}"
    ]
    assert not StarReading.objects.exists()


def test_every_area_needs_a_score_and_all_problems_show_together(keyworker, family):
    scores = scores_for(FAMILY_STAR, 4)
    del scores["home_and_money"]
    scores["family_routine"] = ""
    with pytest.raises(ValidationError) as raised:
        record(keyworker, family, FAMILY_STAR, 4, scores=scores, kind="neither")
    errors = raised.value.message_dict
    assert errors["score_home_and_money"] == ["Enter a score for Home and money"]
    assert errors["score_family_routine"] == ["Enter a score for Family routine"]
    assert "kind" in errors
    assert not StarReading.objects.exists()


def test_my_star_is_about_a_member_of_the_family(keyworker, family, other_family):
    stranger = f_child(other_family)
    with pytest.raises(ValidationError) as raised:
        star_reading_record(
            actor=keyworker,
            family=family,
            definition=star(MY_STAR),
            person=stranger,
            read_on=timezone.localdate(),
            kind="baseline",
            scores=scores_for(MY_STAR, 3),
        )
    assert raised.value.message_dict["person"] == ["Select a member of this family"]


def f_child(family):
    from tests import factories as f

    return f.ChildMembershipFactory(family=family, person=f.ChildFactory()).person


def test_one_reading_a_day_and_the_timeline_is_told(keyworker, family):
    on = timezone.localdate() - 3 * DAY
    record(keyworker, family, MY_STAR, 2, read_on=on)
    with pytest.raises(ValidationError) as raised:
        record(keyworker, family, MY_STAR, 3, read_on=on, kind="review")
    assert "already recorded" in raised.value.message_dict["read_on"][0]
    event = FamilyEvent.objects.filter(family=family, kind=FamilyEvent.Kind.ASSESSMENT).get()
    assert event.summary == "My Star baseline for Tom Smith recorded"
    assert event.occurred_on == on


def date_fields(name: str, value: dt.date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}


def test_a_keyworker_records_stars_and_sees_them_on_the_family_page(client_for, keyworker, family):
    client = client_for(keyworker)
    my_star = star(MY_STAR)
    url = f"/casework/families/{family.reference}/stars/{my_star.pk}/add/"
    page = client.get(url).content.decode()
    assert "Record a My Star reading" in page
    assert "Feelings and behaviour" in page

    # Everything wrong at once: the error summary lists each problem, nothing is saved.
    response = client.post(url, {**date_fields("read_on", None), "score_friends": "9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    for message in (
        "Select the child or young person the Star is about",
        "Enter the date the Star was completed",
        "Select whether this is a baseline or a review",
        "Select a score for Physical health",
        "Select a score for Friends between 1 and 5",
    ):
        assert message in page
    assert not StarReading.objects.exists()

    tom = child_of(family)
    today = timezone.localdate()
    for kind, on, value in (("baseline", today - 60 * DAY, 2), ("review", today, 4)):
        response = client.post(
            url,
            {
                "person": tom.pk,
                **date_fields("read_on", on),
                "kind": kind,
                **{f"score_{a.identifier}": value for a in my_star.areas.all()},
            },
        )
        assert response.status_code == 302
        assert response.url.endswith("#outcome-stars")

    page = client.get(f"/families/{family.reference}/").content.decode()
    assert "Outcome Stars" in page
    assert "My Star: Tom Smith" in page
    assert 'role="img"' in page and "<polygon" in page
    assert "+2" in page  # each area's change, in the table beside the star
    assert "Record a Family Star Plus reading" in page
    assert "style=" not in page.split('id="outcome-stars"')[1].split("</section>")[0]


# role fixture -> status of the reading form page
FORM_ACCESS = {
    "keyworker": 200,
    "other_keyworker": 404,
    "team_manager": 200,
    "other_team_manager": 404,
    "programme_manager": 200,
    "auditor": 403,
    "data_officer": 403,
    "administrator": 403,
}


@pytest.mark.parametrize(("role", "expected"), FORM_ACCESS.items())
def test_who_may_open_the_reading_form(request, client_for, family, role, expected):
    user = request.getfixturevalue(role)
    url = f"/casework/families/{family.reference}/stars/{star(FAMILY_STAR).pk}/add/"
    assert client_for(user).get(url).status_code == expected
    response = client_for(user).post(url, {"kind": "baseline"})
    assert response.status_code == expected
    assert not StarReading.objects.exists()


def test_signed_out_the_form_asks_to_sign_in(client, family):
    url = f"/casework/families/{family.reference}/stars/{star(FAMILY_STAR).pk}/add/"
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_readers_see_the_stars_without_the_links_to_record(client_for, auditor, keyworker, family):
    star_reading(
        family=family,
        name=FAMILY_STAR,
        read_on=timezone.localdate(),
        scores=5,
        recorded_by=keyworker,
    )
    page = client_for(auditor).get(f"/families/{family.reference}/").content.decode()
    assert "Family Star Plus: The whole family" in page
    assert "Record a Family Star Plus reading" not in page


def add_readings(family, keyworker, count: int, start: int) -> None:
    tom = child_of(family)
    for number in range(start, start + count):
        on = timezone.localdate() - dt.timedelta(days=500 - number)
        kind = "baseline" if number == 0 else "review"
        star_reading(family=family, name=FAMILY_STAR, read_on=on, kind=kind, recorded_by=keyworker)
        star_reading(
            family=family, name=MY_STAR, read_on=on, kind=kind, person=tom, recorded_by=keyworker
        )


def test_family_page_queries_do_not_grow_with_star_readings(
    client_for, keyworker, family, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(keyworker)
    url = f"/families/{family.reference}/"
    add_readings(family, keyworker, 2, 0)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    add_readings(family, keyworker, 18, 2)
    many = count()
    print(f"family page queries with Stars: 2 readings each {few}, 20 each {many}")
    assert few == many


def test_a_stars_scale_cannot_be_narrowed_below_scores_recorded(keyworker, family):
    record(keyworker, family, MY_STAR, 5)
    definition = star(MY_STAR)
    definition.scale_max = 4
    with pytest.raises(ValidationError) as raised:
        definition.full_clean()
    assert "scores outside this scale" in str(raised.value)
    definition.scale_max = 6
    definition.full_clean()


def test_an_administrator_edits_the_stars_in_the_admin(client_for, keyworker, family):
    from tests import factories as f

    superuser = f.AdministratorFactory(username="admin_stars", is_staff=True, is_superuser=True)
    client = client_for(superuser)
    my_star = star(MY_STAR)
    page = client.get(f"/admin/casework/stardefinition/{my_star.pk}/change/").content.decode()
    assert "confidence_and_self_esteem" in page and "Confidence and self-esteem" in page
    assert client.get("/admin/casework/starreading/").status_code == 200
