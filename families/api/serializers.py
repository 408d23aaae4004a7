"""Serializers for the family record API.

Output serializers render records the user may already see. Input serializers check the
shape of a request (types, choices, dates, references the user may name) and hand plain
values to ONE service; every business rule lives in families.services.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from families import selectors
from families.models import (
    CaseNote,
    ConsentRecord,
    Family,
    FamilyProblem,
    Intervention,
    Locality,
    Membership,
    Person,
    Problem,
    Team,
    User,
)

UNKNOWN_FAMILY = "Unknown family: check the reference, or ask a manager to add you to the family"


# --- references a request may name --------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class ScopedFamilyField(serializers.SlugRelatedField):
    """A family named by reference, looked up only among families the user may see.

    A reference outside the user's scope gets the same answer as one that does not exist, so
    the API never reveals whether a family exists.
    """

    default_error_messages = {
        "does_not_exist": UNKNOWN_FAMILY,
        "invalid": UNKNOWN_FAMILY,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "reference")
        super().__init__(**kwargs)

    def get_queryset(self):
        return selectors.family_scope(user=self.context["request"].user)


@extend_schema_field(OpenApiTypes.STR)
class KeyworkerField(serializers.SlugRelatedField):
    """A keyworker named by username, among those the user may allocate work to."""

    default_error_messages = {
        "does_not_exist": "Select a keyworker by username: {value} is not a keyworker you can allocate to",
        "invalid": "Select a keyworker by username",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "username")
        super().__init__(**kwargs)

    def get_queryset(self):
        return selectors.keyworker_list(user=self.context["request"].user)


@extend_schema_field(OpenApiTypes.STR)
class ScopedPersonField(serializers.SlugRelatedField):
    """A person named by reference, among the members of families the user may see."""

    default_error_messages = {
        "does_not_exist": "Unknown person: give the reference of a member of the family",
        "invalid": "Unknown person: give the reference of a member of the family",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "reference")
        super().__init__(**kwargs)

    def get_queryset(self):
        families = selectors.family_scope(user=self.context["request"].user)
        return Person.objects.filter(memberships__family__in=families).distinct()


# The family's status is a plain string in the schema, its values in the description. Other
# apps have fields named "status" with other choices; as an enum, the shared name collides in
# the schema (drf-spectacular warns) unless settings name it in ENUM_NAME_OVERRIDES.
@extend_schema_field(
    {
        "type": "string",
        "description": "Where the family is in its lifecycle: identified, attached or closed.",
    }
)
class FamilyStatusField(serializers.ChoiceField):
    pass


class UserSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = ["username", "name"]
        read_only_fields = fields


class LocalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Locality
        fields = ["id", "name"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = ["id", "name"]
        read_only_fields = fields


# --- families -----------------------------------------------------------------------------------


class FamilyProblemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="problem_id", read_only=True)
    title = serializers.CharField(source="problem.short_title", read_only=True)

    class Meta:
        model = FamilyProblem
        fields = ["code", "title", "identified_on", "source"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "reference",
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "upn",
            "ni_number",
        ]
        read_only_fields = fields


class FamilySerializer(serializers.ModelSerializer):
    """A family as a list row: what a caseload shows."""

    url = serializers.HyperlinkedIdentityField(
        view_name="family-detail", lookup_field="reference", read_only=True
    )
    locality = LocalitySerializer(read_only=True)
    team = TeamSerializer(read_only=True)
    lead_keyworker = UserSummarySerializer(read_only=True)
    problems = FamilyProblemSerializer(many=True, read_only=True)
    member_count = serializers.IntegerField(
        read_only=True, help_text="People in the household now (open memberships)."
    )
    status = FamilyStatusField(choices=Family.Status.choices, read_only=True)

    class Meta:
        model = Family
        fields = [
            "url",
            "reference",
            "name",
            "address",
            "postcode",
            "locality",
            "team",
            "lead_keyworker",
            "status",
            "identified_on",
            "attached_on",
            "closed_on",
            "closure_reason",
            "problems",
            "member_count",
            "updated_at",
        ]
        read_only_fields = fields


class FamilyMembershipSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "person", "role", "relationship", "start_date", "end_date", "end_reason"]
        read_only_fields = fields


class FamilyDetailSerializer(FamilySerializer):
    """A family with its household, past and present."""

    memberships = FamilyMembershipSerializer(many=True, read_only=True)

    class Meta(FamilySerializer.Meta):
        fields = [*FamilySerializer.Meta.fields, "memberships"]
        read_only_fields = fields


class ProblemInputSerializer(serializers.Serializer):
    code = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Problem.objects.all(),
        error_messages={"does_not_exist": "Unknown problem code {value}"},
    )
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class FamilyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    identified_on = serializers.DateField()
    address = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)
    locality = serializers.PrimaryKeyRelatedField(
        queryset=Locality.objects.all(), required=False, allow_null=True, default=None
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), required=False, allow_null=True, default=None
    )
    lead_keyworker = KeyworkerField(required=False, allow_null=True, default=None)
    problems = ProblemInputSerializer(many=True, required=False, default=list)

    def validate_problems(self, value):
        codes = [item["code"].code for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError("Give each problem once")
        return value


class FamilyAttachSerializer(serializers.Serializer):
    attached_on = serializers.DateField()
    keyworker = KeyworkerField(required=False, allow_null=True, default=None)


class FamilyCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    closure_reason = serializers.ChoiceField(choices=Family.ClosureReason.choices)


# --- members ------------------------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    person = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "family",
            "person",
            "role",
            "relationship",
            "start_date",
            "end_date",
            "end_reason",
        ]
        read_only_fields = fields


class MemberCreateSerializer(serializers.Serializer):
    family = ScopedFamilyField()
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    start_date = serializers.DateField()
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(
        choices=Person.Sex.choices, required=False, default=Person.Sex.UNKNOWN
    )
    upn = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    ni_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    relationship = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=80
    )


class MembershipEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


# --- interventions ------------------------------------------------------------------------------


class InterventionSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    worker = UserSummarySerializer(read_only=True)
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = Intervention
        fields = [
            "id",
            "family",
            "service",
            "worker_name",
            "worker",
            "start_date",
            "end_date",
            "notes",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class InterventionCreateSerializer(serializers.Serializer):
    family = ScopedFamilyField()
    service = serializers.ChoiceField(choices=Intervention.Service.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    worker_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=120
    )
    worker = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        error_messages={
            "does_not_exist": "Unknown worker: give the username of someone who signs in"
        },
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class InterventionEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()


# --- case notes ---------------------------------------------------------------------------------


class CaseNoteSerializer(serializers.ModelSerializer):
    """A note as read through `families.selectors.notes_visible_to`: a sensitive note's text is
    withheld from those who may not read it (`text_withheld` says so)."""

    family = serializers.CharField(source="family.reference", read_only=True)
    author = UserSummarySerializer(read_only=True)
    text = serializers.CharField(source="visible_text", read_only=True)
    text_withheld = serializers.BooleanField(read_only=True)

    class Meta:
        model = CaseNote
        fields = [
            "id",
            "family",
            "author",
            "kind",
            "occurred_on",
            "sensitive",
            "text",
            "text_withheld",
            "created_at",
        ]
        read_only_fields = fields


class CaseNoteCreateSerializer(serializers.Serializer):
    family = ScopedFamilyField()
    text = serializers.CharField(
        help_text="The note. Notes are never edited: add a new note to correct one."
    )
    occurred_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Defaults to today."
    )
    kind = serializers.ChoiceField(
        choices=CaseNote.Kind.choices, required=False, default=CaseNote.Kind.OTHER
    )
    sensitive = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Only the lead keyworker, the author and managers read a sensitive note's text.",
    )


# --- consent ------------------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    family = serializers.CharField(source="family.reference", read_only=True)
    person = serializers.CharField(
        source="person.reference", read_only=True, allow_null=True, default=None
    )
    share_with = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentRecord.Party.choices), read_only=True
    )
    recorded_by = UserSummarySerializer(read_only=True)

    class Meta:
        model = ConsentRecord
        fields = [
            "id",
            "family",
            "person",
            "given_by",
            "share_with",
            "given_on",
            "withdrawn_on",
            "withdrawn_by",
            "notes",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields


class ConsentCreateSerializer(serializers.Serializer):
    family = ScopedFamilyField()
    person = ScopedPersonField(required=False, allow_null=True, default=None)
    given_by = serializers.CharField(max_length=120)
    share_with = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentRecord.Party.choices), allow_empty=False
    )
    given_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")
