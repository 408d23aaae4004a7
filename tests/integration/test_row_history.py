"""Row history kept by PostgreSQL triggers: a bulk update, raw SQL and a delete are recorded,
with who did it, and a user's password hash never enters history."""

from __future__ import annotations

import pghistory
import pytest
from django.db import connection

from claims.models import Claim
from families.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def changes(model, pk, label=None):
    events = model.row_changes.rel.related_model.objects.filter(pgh_obj_id=pk)
    return events.filter(pgh_label=label) if label else events


def test_a_queryset_update_on_a_claim_leaves_a_history_row():
    claim = f.ClaimFactory()
    before = changes(Claim, claim.pk, "update").count()
    Claim.objects.filter(pk=claim.pk).update(in_sample=True)
    after = changes(Claim, claim.pk, "update")
    assert after.count() == before + 1
    assert after.order_by("-pgh_id").first().in_sample is True


def test_a_raw_update_on_a_claim_leaves_a_history_row_naming_who_did_it(programme_manager):
    claim = f.ClaimFactory()
    before = changes(Claim, claim.pk, "update").count()
    with pghistory.context(user=programme_manager.pk, task="test"):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE claims_claim SET in_sample = true WHERE id = %s", [claim.pk])
    latest = changes(Claim, claim.pk, "update").order_by("-pgh_id").first()
    assert changes(Claim, claim.pk, "update").count() == before + 1
    assert latest.in_sample is True
    assert latest.pgh_context.metadata["user"] == programme_manager.pk


def test_a_delete_leaves_one_history_row():
    family = f.FamilyFactory()
    member = f.MembershipFactory(family=family)
    model, pk = type(member), member.pk
    member.delete()
    deleted = changes(model, pk, "delete")
    assert deleted.count() == 1
    assert deleted.get().family_id == family.pk


def test_a_users_password_hash_and_last_sign_in_never_enter_history():
    user = f.KeyworkerFactory(username="kw_hist")
    user.set_password("a long enough password")
    user.save()
    event_model = User.row_changes.rel.related_model
    field_names = {field.name for field in event_model._meta.fields}
    assert "password" not in field_names and "last_login" not in field_names
    assert "username" in field_names
    assert changes(User, user.pk).exists()


def test_a_change_made_through_the_api_with_a_token_names_its_user(team_manager, keyworker):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from families.models import Family

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=team_manager).key}")
    response = client.post(
        "/api/v1/families/",
        {"name": "Evans", "identified_on": "2016-01-12", "lead_keyworker": keyworker.username},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = changes(Family, Family.objects.get(name="Evans").pk, "insert").get()
    assert created.pgh_context.metadata["user"] == team_manager.pk
    assert created.pgh_context.metadata["url"] == "/api/v1/families/"


def test_a_bulk_change_to_a_family_plan_or_a_star_reading_leaves_a_history_row():
    from casework.models import Action, StarReading
    from tests.factories.stars import FAMILY_STAR, star_reading

    action = f.ActionFactory(goal=f.GoalFactory(plan=f.FamilyPlanFactory()))
    Action.objects.filter(pk=action.pk).update(text="Attend the parenting course")
    assert changes(Action, action.pk, "update").get().text == "Attend the parenting course"
    family = action.goal.plan.family
    reading = star_reading(
        family=family,
        name=FAMILY_STAR,
        read_on=family.identified_on,
        recorded_by=f.KeyworkerFactory(),
    )
    StarReading.objects.filter(pk=reading.pk).delete()
    assert changes(StarReading, reading.pk, "delete").count() == 1
