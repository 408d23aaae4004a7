"""Reading partner data files (docs/interfaces.md §1) and checking each row.

Pure parsing and checking, no writes: `read_table` turns CSV or XLSX bytes into rows of
text keyed by column name, and `check_row` turns one row into clean values or a list of
problems, each naming the column and saying what to do. The services in
`referrals.services` decide what to apply.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from families import identifiers
from families.models import Family, Membership, Person
from outcomes.engine.evidence import EVIDENCE_KINDS, evidence_fields
from outcomes.services.evidence import evidence_clean, evidence_field_required

IDENTITY_COLUMNS = (
    "person_ref",
    "upn",
    "ni_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "postcode",
)

HOUSEHOLD_COLUMNS = (
    "family_ref",
    "person_ref",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "role",
    "relationship",
    "upn",
    "ni_number",
    "address",
    "postcode",
    "locality",
    "member_from",
    "member_to",
    "family_status",
    "identified_on",
    "attached_on",
    "closed_on",
    "closure_reason",
    "keyworker",
)
HOUSEHOLD_REQUIRED = ("family_ref", "person_ref", "first_name", "last_name", "role")

# Every dataset a partner can send: households, and each kind of evidence but judgements
# (a judgement is a keyworker's, never a partner's).
EVIDENCE_DATASETS = tuple(kind for kind in EVIDENCE_KINDS if kind != "judgement")
# Outcomes Star readings (Family Star Plus, My Star) are case records, not evidence: they are
# recorded through `casework.services.star_reading_record`.
STARS = "outcome_stars"
STAR_REQUIRED = ("star", "reading_date", "reading_type")
DATASETS = ("households", *EVIDENCE_DATASETS, STARS)

TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
SEX_WORDS = {
    "f": "female",
    "female": "female",
    "m": "male",
    "male": "male",
    "other": "other",
    "unknown": "unknown",
    "not known": "unknown",
}


class FileProblem(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, no header, a missing column)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, raw values by header name)


# --- reading files -------------------------------------------------------------------------------


def read_table(filename: str, content: bytes) -> Table:
    """The header and non-blank rows of a CSV (UTF-8, BOM or not) or XLSX (first sheet) file."""
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        grid = _xlsx_grid(content)
    else:
        grid = _csv_grid(content)
    if not grid:
        raise FileProblem(["The file is empty: it needs a header row and at least one row of data"])
    header = [str(cell or "").strip() for cell in grid[0]]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise FileProblem(["Row 1 must be a header row naming the columns"])
    seen: dict[str, str] = {}
    for name in header:
        if not name:
            continue
        key = name.lower()
        if key in seen:
            raise FileProblem([f"Row 1: the column {name} appears twice: keep one of them"])
        seen[key] = name
    rows = []
    for index, cells in enumerate(grid[1:], start=2):
        values = {
            name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name
        }
        if not any(v.strip() for v in values.values()):
            continue
        rows.append((index, values))
    return Table(header=[h for h in header if h], rows=rows)


def _csv_grid(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            ["The file is not UTF-8 text: save it as CSV UTF-8 or as an Excel .xlsx file"]
        ) from None
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_grid(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise FileProblem(
            ["The file could not be opened as an Excel .xlsx workbook: check it and try again"]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if (value.hour, value.minute, value.second) == (0, 0, 0)
            else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_header(kind: str, header: list[str]) -> None:
    """Raise FileProblem naming every required column the header lacks."""
    present = {name.lower() for name in header}
    if kind == "households":
        required = HOUSEHOLD_REQUIRED
    elif kind == STARS:
        required = STAR_REQUIRED
        if not present & {*IDENTITY_COLUMNS, "family_ref"}:
            raise FileProblem(
                [
                    "Row 1: add a column that says who each reading is about: family_ref for "
                    "a family's Star, or person_ref, upn, ni_number, or first_name, last_name, "
                    "date_of_birth and postcode for a child's"
                ]
            )
    else:
        required = tuple(
            name for name in evidence_fields(kind) if evidence_field_required(kind, name)
        )
        if not present & set(IDENTITY_COLUMNS):
            raise FileProblem(
                [
                    "Row 1: add a column that identifies the person: person_ref, upn, ni_number, "
                    "or first_name, last_name, date_of_birth and postcode"
                ]
            )
    missing = [name for name in required if name not in present]
    if missing:
        raise FileProblem(
            [f"Row 1: add the column {name}: this kind of file needs it" for name in missing]
        )


# --- checking rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    person_ref: str = ""
    upn: str = ""
    ni_number: str = ""
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""


@dataclass
class CheckedRow:
    row_number: int
    raw: dict[str, str]
    errors: list[dict[str, str]] = field(default_factory=list)
    identity: Identity | None = None
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})


def lowered(raw: dict[str, str]) -> dict[str, str]:
    return {key.strip().lower(): (value or "").strip() for key, value in raw.items()}


def check_row(
    kind: str,
    row_number: int,
    raw: dict[str, str],
    lookups: HouseholdLookups | StarLookups | None = None,
) -> CheckedRow:
    """Clean one row of a dataset, collecting a problem per column."""
    checked = CheckedRow(row_number=row_number, raw=raw)
    cells = lowered(raw)
    if kind == "households":
        _check_household(checked, cells, lookups or HouseholdLookups.load())
        return checked
    if kind == STARS:
        _check_star_reading(checked, cells, lookups or StarLookups.load())
        return checked
    checked.identity = _check_identity(checked, cells)
    data = {name: cells.get(name, "") for name in evidence_fields(kind)}
    try:
        checked.values = evidence_clean(kind, data)
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            for message in messages:
                checked.error(column, message)
    return checked


def _date(checked: CheckedRow, cells: dict[str, str], column: str, label: str) -> date | None:
    text = cells.get(column, "")
    if not text:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        checked.error(
            column, f"Enter the {label} as a real date in the format YYYY-MM-DD, like 2015-09-30"
        )
        return None


def _check_identity(checked: CheckedRow, cells: dict[str, str]) -> Identity:
    upn = identifiers.normalise_upn(cells.get("upn", ""))
    if upn and (problem := identifiers.upn_problem(upn)):
        checked.error("upn", problem)
    ni = identifiers.normalise_ni_number(cells.get("ni_number", ""))
    if ni and (problem := identifiers.ni_number_problem(ni)):
        checked.error("ni_number", problem)
    postcode = cells.get("postcode", "")
    if postcode:
        if problem := identifiers.postcode_problem(postcode):
            checked.error("postcode", problem)
        postcode = identifiers.normalise_postcode(postcode)
    dob = _date(checked, cells, "date_of_birth", "date of birth")
    identity = Identity(
        person_ref=cells.get("person_ref", "").upper(),
        upn=upn,
        ni_number=ni,
        first_name=cells.get("first_name", ""),
        last_name=cells.get("last_name", ""),
        date_of_birth=dob,
        postcode=postcode,
    )
    by_name = (
        identity.first_name and identity.last_name and identity.date_of_birth and identity.postcode
    )
    if (
        not (identity.person_ref or identity.upn or identity.ni_number or by_name)
        and not checked.errors
    ):
        checked.error(
            "person_ref",
            "Give the person's reference, UPN or National Insurance number, or their first name, "
            "last name, date of birth and postcode",
        )
    return identity


# --- households -----------------------------------------------------------------------------------------


@dataclass
class HouseholdLookups:
    """Reference data a households file names: localities and keyworkers (loaded once per file)."""

    localities: dict[str, Any]
    keyworkers: dict[str, Any]

    @classmethod
    def load(cls) -> HouseholdLookups:
        from families.models import Locality, User

        localities = {loc.name.lower(): loc for loc in Locality.objects.all()}
        keyworkers: dict[str, Any] = {}
        for user in User.objects.filter(is_active=True, role=User.Role.KEYWORKER):
            keyworkers[user.username.lower()] = user
            if user.email:
                keyworkers.setdefault(user.email.lower(), user)
        return cls(localities=localities, keyworkers=keyworkers)


def _check_household(checked: CheckedRow, cells: dict[str, str], lookups: HouseholdLookups) -> None:
    v: dict[str, Any] = {}
    for column in HOUSEHOLD_REQUIRED:
        if not cells.get(column):
            label = {
                "family_ref": "family reference",
                "person_ref": "person reference",
                "role": "role (adult or child)",
            }.get(column, column.replace("_", " "))
            checked.error(column, f"Enter the {label}")
    v["family_ref"] = cells.get("family_ref", "").upper()
    v["person_ref"] = cells.get("person_ref", "").upper()
    for column in ("family_ref", "person_ref"):
        if len(v[column]) > 20:
            checked.error(column, "The reference must be 20 characters or fewer")
    v["first_name"] = cells.get("first_name", "")
    v["last_name"] = cells.get("last_name", "")
    v["relationship"] = cells.get("relationship", "")[:80]
    v["address"] = cells.get("address", "")
    role = cells.get("role", "").lower()
    if role and role not in Membership.Role.values:
        checked.error("role", "Enter the role as adult or child")
    v["role"] = role
    sex = cells.get("sex", "").lower()
    if sex and sex not in SEX_WORDS:
        checked.error("sex", "Enter the sex as female, male, other or unknown")
    v["sex"] = SEX_WORDS.get(sex, Person.Sex.UNKNOWN)
    upn = identifiers.normalise_upn(cells.get("upn", ""))
    if upn and (problem := identifiers.upn_problem(upn)):
        checked.error("upn", problem)
    ni = identifiers.normalise_ni_number(cells.get("ni_number", ""))
    if ni and (problem := identifiers.ni_number_problem(ni)):
        checked.error("ni_number", problem)
    v["upn"], v["ni_number"] = upn, ni
    postcode = cells.get("postcode", "")
    if postcode and (problem := identifiers.postcode_problem(postcode)):
        checked.error("postcode", problem)
    v["postcode"] = identifiers.normalise_postcode(postcode) if postcode else ""
    locality = cells.get("locality", "")
    v["locality"] = None
    if locality:
        v["locality"] = lookups.localities.get(locality.lower())
        if v["locality"] is None:
            names = (
                ", ".join(loc.name for loc in lookups.localities.values()) or "none are set up yet"
            )
            checked.error("locality", f"Enter a locality the council uses ({names})")
    for column, label in (
        ("date_of_birth", "date of birth"),
        ("member_from", "date they joined the household"),
        ("member_to", "date they left the household"),
        ("identified_on", "date the family was identified"),
        ("attached_on", "date the family was attached"),
        ("closed_on", "date the case closed"),
    ):
        v[column] = _date(checked, cells, column, label)
    status = cells.get("family_status", "").lower() or Family.Status.IDENTIFIED
    if status not in Family.Status.values:
        checked.error("family_status", "Enter the family status as identified, attached or closed")
    v["family_status"] = status
    reason = cells.get("closure_reason", "").lower().replace(" ", "_")
    if reason and reason not in Family.ClosureReason.values:
        checked.error(
            "closure_reason",
            f"Enter the closure reason as one of: {', '.join(Family.ClosureReason.values)}",
        )
    v["closure_reason"] = reason
    if (
        status == Family.Status.ATTACHED
        and not v["attached_on"]
        and "attached_on" not in _columns(checked)
    ):
        checked.error(
            "attached_on", "Enter the date the family was attached: an attached family needs one"
        )
    if status == Family.Status.CLOSED:
        if not v["closed_on"] and "closed_on" not in _columns(checked):
            checked.error("closed_on", "Enter the date the case closed: a closed family needs one")
        if not reason:
            checked.error("closure_reason", "Enter why the case closed")
    if v["member_from"] and v["member_to"] and v["member_to"] < v["member_from"]:
        checked.error(
            "member_to", "The date they left must be the same as or after the date they joined"
        )
    if v["identified_on"] and v["attached_on"] and v["attached_on"] < v["identified_on"]:
        checked.error(
            "attached_on", "The attachment date must be the same as or after the date identified"
        )
    keyworker = cells.get("keyworker", "")
    v["keyworker"] = None
    if keyworker:
        v["keyworker"] = lookups.keyworkers.get(keyworker.lower())
        if v["keyworker"] is None:
            checked.error(
                "keyworker",
                f"No keyworker has the username or email {keyworker}: check the spelling",
            )
    checked.values = v


def _columns(checked: CheckedRow) -> set[str]:
    return {error["column"] for error in checked.errors}


FAMILY_COLUMNS = (
    "family_status",
    "identified_on",
    "attached_on",
    "closed_on",
    "closure_reason",
    "keyworker",
    "postcode",
    "locality",
)


def check_household_consistency(rows: list[CheckedRow]) -> None:
    """A family's columns repeat on each of its rows: they must agree."""
    first: dict[str, CheckedRow] = {}
    for row in rows:
        if not row.valid:
            continue
        ref = row.values["family_ref"]
        if ref not in first:
            first[ref] = row
            continue
        earlier = first[ref]
        for column in FAMILY_COLUMNS:
            mine = lowered(row.raw).get(column, "")
            theirs = lowered(earlier.raw).get(column, "")
            if mine and theirs and mine.lower() != theirs.lower():
                row.error(
                    column,
                    f"Make this the same as row {earlier.row_number} for family {ref}, or leave it blank",
                )


# --- Outcomes Star readings -----------------------------------------------------------------------


@dataclass
class StarLookups:
    """The Stars the council uses, by lower-case name, with their areas (loaded once per file)."""

    stars: dict[str, Any]

    @classmethod
    def load(cls) -> StarLookups:
        from casework.selectors import star_definition_list

        return cls(stars={d.name.lower(): d for d in star_definition_list()})


def _check_star_reading(checked: CheckedRow, cells: dict[str, str], lookups: StarLookups) -> None:
    """A reading of a Star: which Star, when, baseline or review, who, and a score per area
    (a column named by each area's identifier, for example `physical_health`)."""
    from casework.models import StarDefinition, StarReading
    from casework.stars import score_problems, score_value, star_from

    v: dict[str, Any] = {}
    name = cells.get("star", "")
    definition = lookups.stars.get(name.lower()) if name else None
    if not name:
        checked.error("star", "Enter the Star, for example My Star or Family Star Plus")
    elif definition is None:
        names = ", ".join(d.name for d in lookups.stars.values()) or "none are set up yet"
        checked.error("star", f"Enter a Star the council uses ({names})")
    if not cells.get("reading_date"):
        checked.error("reading_date", "Enter the date the Star was completed")
    v["read_on"] = _date(checked, cells, "reading_date", "date the Star was completed")
    if v["read_on"] and v["read_on"] > timezone.localdate():
        checked.error(
            "reading_date", "The date the Star was completed must be today or in the past"
        )
    kind = cells.get("reading_type", "").lower()
    if kind not in StarReading.Kind.values:
        checked.error("reading_type", "Enter the reading type as baseline or review")
    v["kind"] = kind
    v["family_ref"] = cells.get("family_ref", "").upper()
    checked.values = v
    if definition is None:
        return
    v["definition"] = definition
    if definition.subject == StarDefinition.Subject.FAMILY:
        if not v["family_ref"]:
            checked.error(
                "family_ref",
                f"Enter the family reference: a {definition.name} reading is about the whole family",
            )
    else:
        checked.identity = _check_identity(checked, cells)
    star = star_from(definition)
    for identifier, message in score_problems(star, cells).items():
        checked.error(identifier, message)
    v["scores"] = {
        area.identifier: score_value(cells.get(area.identifier, "")) for area in star.areas
    }
