"""Families factories: users of every role, families, people, household membership and case work.

`FamilyFactory` and `AttachedFamilyFactory` write plain rows (no row history, no timeline): most
tests need a family to exist, not its past. `FamilyWithHistoryFactory` and its attached and
closed states go through `families.services`, so the row history and the family's timeline
hold what the service records, as they would for a family a manager had entered.
"""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from families import services
from families.models import (
    CaseNote,
    Family,
    FamilyProblem,
    FamilyWorker,
    Intervention,
    Locality,
    Membership,
    PartnerProfessional,
    Person,
    Problem,
    StepChange,
    Team,
    User,
)
from families.services import system_actor

PASSWORD = "correct-horse-battery"


class LocalityFactory(DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ("name",)

    name = factory.Iterator(["Banbury", "Bicester", "East Oxford", "Littlemore"])
    area = Locality.Area.NORTH


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Keywork team {n}")
    locality = factory.SubFactory(LocalityFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@council.example")
    role = User.Role.KEYWORKER
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class KeyworkerFactory(UserFactory):
    role = User.Role.KEYWORKER


class TeamManagerFactory(UserFactory):
    role = User.Role.TEAM_MANAGER


class ProgrammeManagerFactory(UserFactory):
    role = User.Role.PROGRAMME_MANAGER
    team = None


class AuditorFactory(UserFactory):
    role = User.Role.AUDITOR
    team = None


class DataOfficerFactory(UserFactory):
    role = User.Role.DATA_OFFICER
    team = None


class AdministratorFactory(UserFactory):
    role = User.Role.ADMINISTRATOR
    team = None
    is_staff = True
    is_superuser = True


class FamilyFactory(DjangoModelFactory):
    """An identified family led by a keyworker. Use `AttachedFamilyFactory` for one in the programme."""

    class Meta:
        model = Family
        django_get_or_create = ("reference",)

    reference = factory.Sequence(lambda n: f"F-9{n:05d}")
    name = factory.Faker("last_name", locale="en_GB")
    address = factory.Faker("street_address", locale="en_GB")
    postcode = factory.Iterator(["OX4 1AB", "OX16 5QT", "OX26 6HX", "OX4 4XP", "OX14 3DP"])
    locality = factory.SubFactory(LocalityFactory)
    lead_keyworker = factory.SubFactory(KeyworkerFactory)
    team = factory.LazyAttribute(lambda f: f.lead_keyworker.team if f.lead_keyworker else None)
    status = Family.Status.IDENTIFIED
    identified_on = dt.date(2015, 4, 1)


class AttachedFamilyFactory(FamilyFactory):
    status = Family.Status.ATTACHED
    attached_on = dt.date(2015, 5, 1)


class FamilyWithHistoryFactory(FamilyFactory):
    """An identified family created through `families.services.family_create`, by `actor` (the
    system, as for a family brought across from a partner's households file, unless given): its
    row history and its "identified" timeline event exist. Attached and closed families go on
    through `family_attach` and `family_close`, so each move is recorded as the service records it.
    Each is a new family: a reference already held is refused, as the service refuses it.
    """

    actor = factory.LazyFunction(system_actor)

    @classmethod
    def _create(
        cls,
        model_class,
        *,
        actor,
        status,
        attached_on=None,
        closed_on=None,
        closure_reason=Family.ClosureReason.OUTCOMES_ACHIEVED,
        **fields,
    ):
        family = services.family_create(actor=actor, **fields)
        if status in (Family.Status.ATTACHED, Family.Status.CLOSED) and attached_on is not None:
            family = services.family_attach(actor=actor, family=family, attached_on=attached_on)
        if status == Family.Status.CLOSED:
            family = services.family_close(
                actor=actor, family=family, closed_on=closed_on, reason=closure_reason
            )
        return family


class AttachedFamilyWithHistoryFactory(FamilyWithHistoryFactory):
    """A family identified and then attached to the programme through the services."""

    status = Family.Status.ATTACHED
    attached_on = dt.date(2015, 5, 1)


class ClosedFamilyWithHistoryFactory(AttachedFamilyWithHistoryFactory):
    """A family identified, attached and then closed (outcomes achieved unless given) through the services."""

    status = Family.Status.CLOSED
    closed_on = dt.date(2016, 12, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    reference = factory.Sequence(lambda n: f"P-9{n:05d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(1985, 3, 14)
    sex = Person.Sex.UNKNOWN


class ChildFactory(PersonFactory):
    date_of_birth = dt.date(2006, 9, 2)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    family = factory.SubFactory(FamilyFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.ADULT
    start_date = dt.date(2015, 4, 1)


class ChildMembershipFactory(MembershipFactory):
    person = factory.SubFactory(ChildFactory)
    role = Membership.Role.CHILD


def problem(code: str) -> Problem:
    return Problem.objects.get(code=code)


class FamilyProblemFactory(DjangoModelFactory):
    class Meta:
        model = FamilyProblem

    family = factory.SubFactory(FamilyFactory)
    problem = factory.LazyFunction(lambda: problem("school_attendance"))
    identified_on = dt.date(2015, 4, 1)
    evidence = "Attendance below 90% over three consecutive terms"


class InterventionFactory(DjangoModelFactory):
    class Meta:
        model = Intervention

    family = factory.SubFactory(FamilyFactory)
    service = Intervention.Service.THRIVING_FAMILIES
    worker_name = factory.Faker("name", locale="en_GB")
    start_date = dt.date(2015, 5, 1)


class CaseNoteFactory(DjangoModelFactory):
    class Meta:
        model = CaseNote

    family = factory.SubFactory(FamilyFactory)
    author = factory.LazyAttribute(lambda n: n.family.lead_keyworker)
    occurred_on = dt.date(2015, 6, 1)
    text = "Home visit: talked through the school's attendance letter with mum."


class SensitiveCaseNoteFactory(CaseNoteFactory):
    """A note only the lead keyworker, its author and managers may read."""

    kind = CaseNote.Kind.VISIT
    sensitive = True
    text = "Mum disclosed that her ex-partner has been coming to the house."


class NamedWorkerFactory(DjangoModelFactory):
    """A keyworker named on a family besides its lead keyworker (in the family's team)."""

    class Meta:
        model = FamilyWorker

    family = factory.SubFactory(AttachedFamilyFactory)
    user = factory.SubFactory(
        KeyworkerFactory, team=factory.LazyAttribute(lambda u: u.factory_parent.family.team)
    )
    added_on = dt.date(2015, 6, 1)


class PartnerProfessionalFactory(DjangoModelFactory):
    """A current professional from another agency in the team around the family."""

    class Meta:
        model = PartnerProfessional

    family = factory.SubFactory(AttachedFamilyFactory)
    name = factory.Faker("name", locale="en_GB")
    organisation = "Cherwell School"
    agency = PartnerProfessional.Agency.SCHOOL
    role = "Designated safeguarding lead"
    email = "dsl@cherwell.example.org"
    from_date = dt.date(2015, 5, 1)
    recorded_by = factory.LazyAttribute(lambda p: p.family.lead_keyworker)


class LeadProfessionalFactory(PartnerProfessionalFactory):
    is_lead_professional = True


class StepChangeFactory(DjangoModelFactory):
    """A step up to children's social care (`StepDownFactory`: a step down)."""

    class Meta:
        model = StepChange

    family = factory.SubFactory(AttachedFamilyFactory)
    direction = StepChange.Direction.UP
    occurred_on = dt.date(2015, 9, 1)
    reason = "Strategy meeting decided on a child protection enquiry."
    recorded_by = factory.SubFactory(ProgrammeManagerFactory)


class StepDownFactory(StepChangeFactory):
    direction = StepChange.Direction.DOWN
    occurred_on = dt.date(2016, 1, 4)
    reason = "Child protection plan ended; early help continues."
