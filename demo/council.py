"""The demo council: its localities, teams and a demo user for every role."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from families.models import (
    Locality,
    Team,
    User,
)

DEMO_SEED = 2015
DEMO_PASSWORD = "demo-password-2015"  # noqa: S105 - printed for demo sign-in; refused with DEBUG off
DEMO_FAMILY_COUNT = 60

# Oxfordshire's Early Intervention Hub localities and the CEF areas they roll up to. This is
# our reading of the table in paragraph 8 of the 2015 Thriving Families report: the area
# totals add up only this way (North 277 = Banbury 106 + Bicester 68 + West Oxon 103;
# Central 297 = East Oxford 134 + Littlemore 163; South 242 = South East Oxon 118 + South
# West Oxon 124). The counts are the families in each locality, used as weights.
LOCALITIES = {
    "Banbury": (Locality.Area.NORTH, 106),
    "Bicester": (Locality.Area.NORTH, 68),
    "West Oxon": (Locality.Area.NORTH, 103),
    "East Oxford": (Locality.Area.CENTRAL, 134),
    "Littlemore": (Locality.Area.CENTRAL, 163),
    "South East Oxon": (Locality.Area.SOUTH, 118),
    "South West Oxon": (Locality.Area.SOUTH, 124),
}
# One keywork team per area, based at the area's largest hub.
AREA_TEAMS = {
    Locality.Area.NORTH: ("North keywork team", "Banbury"),
    Locality.Area.CENTRAL: ("Central keywork team", "Littlemore"),
    Locality.Area.SOUTH: ("South keywork team", "South West Oxon"),
}


# --- the council, its teams and its people ------------------------------------------------------


@dataclass
class Council:
    localities: dict[str, Locality]
    teams: dict[str, Team]  # by area

    def team_for(self, locality_name: str) -> Team:
        return self.teams[LOCALITIES[locality_name][0]]


def ensure_council() -> Council:
    """The demo council's localities and area teams (created if missing, never duplicated)."""
    localities = {}
    for name, (area, _) in LOCALITIES.items():
        locality, _ = Locality.objects.get_or_create(name=name, defaults={"area": area})
        if locality.area != area:
            locality.area = area
            locality.save(update_fields=["area"])
        localities[name] = locality
    teams = {}
    for area, (team_name, base) in AREA_TEAMS.items():
        team, _ = Team.objects.get_or_create(
            name=team_name, defaults={"locality": localities[base]}
        )
        teams[area] = team
    return Council(localities, teams)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    area: str | None = None
    superuser: bool = False


R = User.Role
A = Locality.Area
DEMO_USERS = [
    DemoUser("keyworker", "Sarah", "Whitfield", R.KEYWORKER, A.CENTRAL),
    DemoUser("keyworker2", "Daniel", "Osei", R.KEYWORKER, A.CENTRAL),
    DemoUser("keyworker_north", "Rachel", "Hartley", R.KEYWORKER, A.NORTH),
    DemoUser("keyworker_south", "Tom", "Brennan", R.KEYWORKER, A.SOUTH),
    # A family support worker named on two of Sarah Whitfield's families (demo.team).
    DemoUser("familyworker", "Amira", "Haddad", R.KEYWORKER, A.CENTRAL),
    DemoUser("teammanager", "Priya", "Sharma", R.TEAM_MANAGER, A.CENTRAL),
    DemoUser("teammanager_north", "Gareth", "Lloyd", R.TEAM_MANAGER, A.NORTH),
    DemoUser("teammanager_south", "Helen", "Ashworth", R.TEAM_MANAGER, A.SOUTH),
    DemoUser("programmemanager", "Jo", "Fenwick", R.PROGRAMME_MANAGER),
    DemoUser("programmemanager2", "Anil", "Mistry", R.PROGRAMME_MANAGER),
    DemoUser("auditor", "Fiona", "Calder", R.AUDITOR),
    DemoUser("dataofficer", "Marek", "Nowicki", R.DATA_OFFICER),
    DemoUser("admin", "Chris", "Doyle", R.ADMINISTRATOR, superuser=True),
]
del R, A


def ensure_demo_users(council: Council, password: str = DEMO_PASSWORD) -> dict[str, User]:
    """A user for every role, all with the demo password. Re-running changes nothing."""
    users = {}
    for spec in DEMO_USERS:
        team = council.teams[spec.area] if spec.area else None
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.council.example",
                "role": spec.role,
                "team": team,
                "is_active": True,
                "is_staff": spec.superuser,
                "is_superuser": spec.superuser,
            },
        )
        if not user.check_password(password):
            validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
        ensure_demo_authenticator(user)
        users[spec.username] = user
    return users


def demo_totp_key(username: str, seed: int = DEMO_SEED) -> bytes:
    """A demo user's authenticator secret: the same for a username on every machine and every
    run, so the README can print it (never a real user's: production refuses the demo)."""
    return hashlib.sha256(f"family-keywork-demo:{seed}:{username}".encode()).digest()[:20]


def demo_totp_secret(username: str) -> str:
    """The secret as typed into an authenticator app (base32, 32 letters and digits)."""
    return base64.b32encode(demo_totp_key(username)).decode().rstrip("=")


def ensure_demo_authenticator(user: User) -> TOTPDevice:
    """Give a demo user one confirmed authenticator with their stable secret."""
    key = demo_totp_key(user.username).hex()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        return TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key)
    if device.key != key:
        device.key = key
        device.save(update_fields=["key"])
    return device


DEMO_USERNAMES = frozenset(spec.username for spec in DEMO_USERS)


def skips_second_factor(user: User) -> bool:
    """The embedded demo (config/settings/dev.py TWO_FACTOR_SKIP_CALLABLE) lets its own users
    sign in without the second step: a demo username whose authenticator has the demo secret."""
    if user.username not in DEMO_USERNAMES:
        return False
    key = demo_totp_key(user.username).hex()
    return TOTPDevice.objects.filter(user=user, confirmed=True, key=key).exists()


def login_table(users: dict[str, User], password: str = DEMO_PASSWORD) -> str:
    """The demo sign-ins as a plain-text table, with each user's authenticator secret."""
    rows = [("Username", "Role", "Team", "Password", "Two-factor secret (base32)")]
    for user in users.values():
        rows.append(
            (
                user.username,
                user.get_role_display(),
                user.team.name if user.team else "-",
                password,
                demo_totp_secret(user.username),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
