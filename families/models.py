"""Families, the people in them, and the work done with them.

A family's lifecycle: identified (it has enough of the programme's problems) → attached
(a keyworker starts work; the attachment date starts the outcomes clock) → closed (with a
closure reason). Household membership is dated: who was in the family at attachment and at
a claim date can differ.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.history import tracked


class Locality(models.Model):
    """An area the council organises its work by (Oxfordshire: an Early Intervention hub)."""

    class Area(models.TextChoices):
        NORTH = "north", "North"
        CENTRAL = "central", "Central"
        SOUTH = "south", "South"

    name = models.CharField(max_length=80, unique=True)
    area = models.CharField(max_length=20, choices=Area.choices, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name


@tracked()
class Team(models.Model):
    """A keywork team; team managers see their team's families."""

    name = models.CharField(max_length=120, unique=True)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@tracked(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who signs in. Their role decides what they may see and do."""

    class Role(models.TextChoices):
        KEYWORKER = "keyworker", "Keyworker"
        TEAM_MANAGER = "team_manager", "Team manager"
        PROGRAMME_MANAGER = "programme_manager", "Programme manager"
        AUDITOR = "auditor", "Auditor"
        DATA_OFFICER = "data_officer", "Data officer"
        ADMINISTRATOR = "administrator", "Administrator"
        # Automated work (the nightly check, partner files and plans loaded by command, the
        # demo data) acts as the one system user, so history names it; it cannot sign in.
        SYSTEM = "system", "System (automated work)"

    role = models.CharField(max_length=30, choices=Role.choices, default=Role.KEYWORKER)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Problem(models.Model):
    """One of the programme's family problems (reference data; codes are a stable interface)."""

    code = models.CharField(max_length=40, primary_key=True)
    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=80)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.short_title


@tracked()
class Family(models.Model):
    """A household worked with as a whole. Lifecycle: identified → attached → closed."""

    class Status(models.TextChoices):
        IDENTIFIED = "identified", "Identified"
        ATTACHED = "attached", "Attached"
        CLOSED = "closed", "Closed"

    class ClosureReason(models.TextChoices):
        OUTCOMES_ACHIEVED = "outcomes_achieved", "Outcomes achieved"
        MOVED_AWAY = "moved_away", "Moved away"
        DISENGAGED = "disengaged", "Disengaged"
        STEPPED_DOWN = "stepped_down", "Stepped down to universal services"
        ESCALATED = "escalated", "Escalated to social care"
        OTHER = "other", "Other"

    # Which moves the lifecycle allows, in one place (services enforce it).
    TRANSITIONS = {
        Status.IDENTIFIED: {Status.ATTACHED, Status.CLOSED},
        Status.ATTACHED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    # Reopening a closed case is the one move back, made only by `family_reopen` (a manager,
    # with a reason): to attached if the family had been attached, otherwise to identified.
    REOPENS = {Status.CLOSED: {Status.ATTACHED, Status.IDENTIFIED}}

    reference = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120, help_text="How the family is known, usually a surname.")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    locality = models.ForeignKey(Locality, null=True, blank=True, on_delete=models.PROTECT)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="families"
    )
    lead_keyworker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="led_families"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    identified_on = models.DateField()
    attached_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "families"
        constraints = [
            models.CheckConstraint(
                name="family_attached_has_date",
                condition=Q(status="identified")
                | Q(attached_on__isnull=False)
                | Q(status="closed"),
            ),
            models.CheckConstraint(
                name="family_closed_has_date_and_reason",
                condition=~Q(status="closed")
                | (Q(closed_on__isnull=False) & ~Q(closure_reason="")),
            ),
            models.CheckConstraint(
                name="family_dates_in_order",
                condition=(
                    Q(attached_on__isnull=True) | Q(attached_on__gte=models.F("identified_on"))
                )
                & (Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("identified_on"))),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "lead_keyworker"]),
            models.Index(fields=["team", "status"]),
            # Caseload search: case-insensitive reference and name-prefix lookups.
            models.Index(Upper("reference"), name="family_reference_upper"),
            models.Index(
                OpClass(Upper("name"), name="text_pattern_ops"), name="family_name_prefix"
            ),
            models.Index(
                OpClass("postcode", name="varchar_pattern_ops"), name="family_postcode_prefix"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} family ({self.reference})"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


@tracked()
class FamilyWorker(models.Model):
    """A worker named on a family besides its lead keyworker; they see it in their caseload.

    Lifecycle: named (a row) → removed (the row goes; the family's timeline keeps both)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="named_workers")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="named_on")
    added_on = models.DateField(default=date.today)
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "user"], name="family_worker_unique")
        ]


@tracked()
class Person(models.Model):
    """Someone who is, or was, a member of a family. Identifiers are validated by services."""

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        UNKNOWN = "unknown", "Not known"

    reference = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    upn = models.CharField("Unique Pupil Number", max_length=13, blank=True, db_index=True)
    ni_number = models.CharField(
        "National Insurance number", max_length=9, blank=True, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(Upper("reference"), name="person_reference_upper"),
            models.Index(
                OpClass(Upper("first_name"), name="text_pattern_ops"),
                name="person_first_name_prefix",
            ),
            models.Index(
                OpClass(Upper("last_name"), name="text_pattern_ops"), name="person_last_name_prefix"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["upn"], condition=~Q(upn=""), name="person_upn_unique"),
            models.UniqueConstraint(
                fields=["ni_number"], condition=~Q(ni_number=""), name="person_ni_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@tracked()
class Membership(models.Model):
    """A person's time in a family's household, from a date until an end date (open while current)."""

    class Role(models.TextChoices):
        ADULT = "adult", "Adult"
        CHILD = "child", "Child"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    relationship = models.CharField(max_length=80, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(
                name="membership_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
            # One open membership of a person in a family at a time.
            models.UniqueConstraint(
                fields=["family", "person"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open",
            ),
        ]

    def is_current(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)


@tracked()
class FamilyProblem(models.Model):
    """A problem a family was identified with: when, on what evidence or referral."""

    class Source(models.TextChoices):
        REFERRAL = "referral", "Referral"
        PARTNER_DATA = "partner_data", "Partner data"
        KEYWORKER = "keyworker", "Keyworker assessment"
        OUTCOMES_PLAN = "outcomes_plan", "Outcomes plan indicators"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="problems")
    problem = models.ForeignKey(Problem, on_delete=models.PROTECT)
    identified_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.KEYWORKER)
    evidence = models.TextField(blank=True, help_text="What the identification rests on.")
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["problem__number"]
        constraints = [
            models.UniqueConstraint(fields=["family", "problem"], name="family_problem_unique")
        ]


@tracked()
class Intervention(models.Model):
    """A service that worked with the family, who, and from when to when."""

    class Service(models.TextChoices):
        THRIVING_FAMILIES = "thriving_families", "Thriving Families keywork team"
        EARLY_INTERVENTION = "early_intervention", "Early Intervention"
        SOCIAL_CARE = "social_care", "Children's social care"
        YOUTH_OFFENDING = "youth_offending", "Youth Offending Service"
        SCHOOL = "school", "School"
        JOBCENTRE_PLUS = "jobcentre_plus", "Jobcentre Plus"
        HOUSING = "housing", "Housing"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        OTHER_PARTNER = "other_partner", "Other partner organisation"

    # The council's own services (the Oxfordshire "who worked with the families" table).
    COUNCIL_SERVICES = (
        Service.THRIVING_FAMILIES,
        Service.EARLY_INTERVENTION,
        Service.SOCIAL_CARE,
        Service.YOUTH_OFFENDING,
    )

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="interventions")
    service = models.CharField(max_length=30, choices=Service.choices)
    worker_name = models.CharField(max_length=120, blank=True)
    worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="intervention_end_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            )
        ]


@tracked()
class CaseNote(models.Model):
    """A keyworker's progress log entry. Corrections are new notes; notes are never edited.

    A sensitive note's text is read only by the family's lead keyworker, its author and managers
    (`families.selectors.notes_visible_to`); everyone else who sees the family sees that it exists.
    """

    class Kind(models.TextChoices):
        VISIT = "visit", "Visit"
        CALL = "call", "Phone call"
        MEETING = "meeting", "Meeting"
        LETTER = "letter", "Letter"
        OTHER = "other", "Other"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    occurred_on = models.DateField()
    text = models.TextField()
    sensitive = models.BooleanField(default=False)
    present = models.ManyToManyField("Person", blank=True, related_name="+")
    present_others = models.CharField(
        max_length=300, blank=True, help_text="Others who were there, as written by the author."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["family", "-occurred_on"])]


def case_file_storage():
    """Case note files live under MEDIA_ROOT, outside the web root; no URL serves them directly
    (`families.views_team.note_file` checks who may see them)."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage()


@tracked()
class CaseNoteFile(models.Model):
    """A file (a letter, an assessment) attached to a case note. Never changed once stored."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="case-notes/%Y/%m/", storage=case_file_storage)
    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


@tracked()
class StepChange(models.Model):
    """A family stepped up to children's social care, or stepped down from it, on a date.

    The latest record is the family's current step; records are never edited."""

    class Direction(models.TextChoices):
        UP = "up", "Stepped up to children's social care"
        DOWN = "down", "Stepped down to early help"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="step_changes")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    occurred_on = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-created_at", "-id"]
        indexes = [models.Index(fields=["family", "-occurred_on"])]


@tracked()
class PartnerProfessional(models.Model):
    """A professional from another agency in the team around the family, from a date until an end
    date (current while open)."""

    class Agency(models.TextChoices):
        SCHOOL = "school", "School or college"
        HEALTH = "health", "Health"
        POLICE = "police", "Police"
        HOUSING = "housing", "Housing"
        PROBATION = "probation", "Probation"
        OTHER = "other", "Other agency"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=120)
    organisation = models.CharField(max_length=200)
    agency = models.CharField(max_length=20, choices=Agency.choices)
    role = models.CharField("Role or job title", max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    is_lead_professional = models.BooleanField(default=False)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["to_date", "-is_lead_professional", "name", "id"]
        constraints = [
            models.CheckConstraint(
                name="partner_to_after_from",
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
            ),
            # One current lead professional among the partners at a time.
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(is_lead_professional=True, to_date__isnull=True),
                name="partner_one_current_lead",
            ),
        ]

    @property
    def is_current(self) -> bool:
        return self.to_date is None


@tracked()
class ConsentRecord(models.Model):
    """What a family (or one member) agreed to share, with whom, when, and who recorded it.

    Lifecycle: given → withdrawn (on a date, by someone, recorded by a worker). A withdrawn
    record is never given again: fresh consent is a new record. A person whose consent is
    withdrawn and not given again (`families.selectors.people_with_consent_withdrawn`) gets no
    new partner evidence and is left out of what the council shares."""

    class Party(models.TextChoices):
        SCHOOLS = "schools", "Schools and education"
        HEALTH = "health", "Health services"
        POLICE = "police", "Police"
        SOCIAL_CARE = "social_care", "Children's social care"
        DWP = "dwp", "Jobcentre Plus and DWP"
        HOUSING = "housing", "Housing"
        YOUTH_OFFENDING = "youth_offending", "Youth Offending Service"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_by = models.CharField(
        max_length=120, help_text="Who gave consent, as they named themselves."
    )
    share_with = ArrayField(models.CharField(max_length=30, choices=Party.choices))
    given_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.CharField(
        max_length=120, blank=True, help_text="Who withdrew consent, as they named themselves."
    )
    withdrawal_recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-id"]
        indexes = [
            models.Index(
                fields=["person"], condition=Q(withdrawn_on__isnull=False), name="consent_withdrawn"
            )
        ]

    def share_with_labels(self) -> list[str]:
        labels = dict(self.Party.choices)
        return [labels.get(code, code) for code in self.share_with]


class FamilyEvent(models.Model):
    """Append-only log of what happened to a family and who did it; feeds the timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", "Family record created"
        PROBLEM_IDENTIFIED = "problem_identified", "Problem identified"
        ATTACHED = "attached", "Attached to the programme"
        CLOSED = "closed", "Closed"
        KEYWORKER_CHANGED = "keyworker_changed", "Lead keyworker changed"
        MEMBER_ADDED = "member_added", "Member joined the household"
        MEMBER_LEFT = "member_left", "Member left the household"
        INTERVENTION_STARTED = "intervention_started", "Intervention recorded"
        INTERVENTION_ENDED = "intervention_ended", "Intervention ended"
        CONSENT_RECORDED = "consent_recorded", "Consent recorded"
        CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"
        EVIDENCE_RECORDED = "evidence_recorded", "Evidence recorded"
        OUTCOME_CHANGED = "outcome_changed", "Outcome status changed"
        CLAIM = "claim", "Claim"
        WORKER_NAMED = "worker_named", "Worker named on the family"
        WORKER_REMOVED = "worker_removed", "Worker no longer named on the family"
        PARTNER_JOINED = "partner_joined", "Partner professional joined the team"
        PARTNER_LEFT = "partner_left", "Partner professional left the team"
        STEPPED_UP = "stepped_up", "Stepped up to children's social care"
        STEPPED_DOWN = "stepped_down", "Stepped down to early help"
        REOPENED = "reopened", "Case reopened"
        TRANSFERRED = "transferred", "Moved to another team"
        # The family plan (casework): assessments, goals and actions, reviews.
        ASSESSMENT = "assessment", "Early help assessment"
        PLAN = "plan", "Family plan"
        REVIEW = "review", "Plan review"
        # Privacy operations: the record was anonymised under the retention schedule.
        ANONYMISED = "anonymised", "Record anonymised under the retention schedule"

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField()
    summary = models.CharField(max_length=300)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["family", "-occurred_on"])]


class AccessLog(models.Model):
    """Who read which family record, when and how. Append-only; kept for audit."""

    class Via(models.TextChoices):
        PAGE = "page", "Web page"
        API = "api", "API"
        EXPORT = "export", "Export"

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=10, choices=Via.choices)
    action = models.CharField(max_length=80)
    path = models.CharField(max_length=300, blank=True)
    # When the read happened: now, as it is written (the demo writes its past reads as they were).
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["family", "-at"])]


class Notification(models.Model):
    """A message to a user in the app (and by email where configured), e.g. a family became claimable.

    Lifecycle: unread → read.
    """

    class Kind(models.TextChoices):
        BECAME_CLAIMABLE = "became_claimable", "Family became claimable"
        FELL_BACK = "fell_back", "Family is no longer claimable"
        BATCH_DRAFTED = "batch_drafted", "Claim batch drafted"
        BATCH_ACTION = "batch_action", "Claim batch needs action"
        CASE_MOVED = "case_moved", "Family allocated or moved"
        AUDIT_TRAIL_BROKEN = "audit_trail_broken", "Audit trail check failed"
        OTHER = "other", "Other"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    message = models.CharField(max_length=400)
    url = models.CharField(max_length=300, blank=True)
    # Makes a notification idempotent: the same event never notifies twice.
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]


class SecurityEvent(models.Model):
    """Something that happened to someone's sign-in: a password accepted or refused, a lockout,
    a second factor set up or used, a session or API token ended. Written by families.security
    only, never changed or deleted (an administrator reads them in the admin)."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Password accepted"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in refused"
        LOCKED_OUT = "locked_out", "Locked out after repeated failures"
        SECOND_FACTOR_PASSED = "second_factor_passed", "Two-factor code accepted"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Two-factor code refused"
        SECOND_FACTOR_SKIPPED = "second_factor_skipped", "Demo user: second step skipped"
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor authentication set up"
        RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
        RECOVERY_CODES_ISSUED = "recovery_codes_issued", "Recovery codes issued"
        SIGNED_OUT = "signed_out", "Signed out"
        SESSION_EXPIRED = "session_expired", "Session ended by time limit"
        ACCOUNT_DISABLED = "account_disabled", "Account disabled: sessions and tokens ended"
        TOKEN_ISSUED = "token_issued", "API token issued"
        TOKEN_REVOKED = "token_revoked", "API token revoked"
        TOKEN_EXPIRED = "token_expired", "Expired API token refused"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What was typed on the sign-in form, when no user matched (or before one is known).
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "families_securityevent"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.username} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A security event is never changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A security event is never deleted.")


class AuditChainLink(models.Model):
    """One entry in the hash chain over the audit trail: every access-log entry and every row
    history event, in the order they were written. Append-only.

    Written only by the database (`families_audit_chain_append`, an AFTER INSERT statement
    trigger on each audited table, under an advisory lock so concurrent writers chain one after
    another):
    ``content_hash`` is the SHA-256 of the audited row's canonical JSON (its ``columns``) and
    ``hash`` the SHA-256 of the previous entry's hash with this entry's source and content
    hash. `families.services.audit_chain` verifies it.
    """

    position = models.BigIntegerField(unique=True)
    source = models.CharField(max_length=100, help_text="the audited table")
    source_id = models.BigIntegerField()
    columns = ArrayField(models.TextField())
    content_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["source", "source_id"])]

    def __str__(self) -> str:
        return f"Audit entry {self.position} ({self.source} {self.source_id})"
