"""Referrals factories: partner data files and their rows, applied by `referrals.services`.

The import keeps every row as received with what became of it, so files are made the way a data
officer makes them: the CSV text goes through `import_file_apply`, which checks, matches and
applies it and stores the file and its rows. The default is a term's school attendance for one
child the service can match by person reference.
"""

from __future__ import annotations

import csv
import io

import factory
from factory.django import DjangoModelFactory

from families.services import system_actor
from referrals.models import ImportFile
from referrals.services import import_file_apply

from .families import ChildFactory

ATTENDANCE_COLUMNS = ("person_ref", "academic_year", "term", "possible_sessions", "absent_sessions")


def attendance_row(person, **values) -> dict[str, str]:
    """One school attendance row about the person (95% in autumn 2015/16 unless given)."""
    row = {
        "person_ref": person.reference,
        "academic_year": "2015/16",
        "term": "autumn",
        "possible_sessions": "120",
        "absent_sessions": "6",
    }
    return {**row, **{k: str(v) for k, v in values.items()}}


def csv_text(rows: list[dict[str, str]], columns=ATTENDANCE_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


class ImportFileFactory(DjangoModelFactory):
    """A school attendance file applied by `import_file_apply` (by the system unless given):
    one valid row about `person` (a new child unless given), so the file is applied."""

    class Meta:
        model = ImportFile

    class Params:
        person = factory.SubFactory(ChildFactory)
        rows = factory.LazyAttribute(lambda o: [attendance_row(o.person)])

    kind = ImportFile.Kind.SCHOOL_ATTENDANCE
    filename = factory.Sequence(lambda n: f"attendance-{n}.csv")
    source_name = "Oxfordshire schools attendance return"
    content = factory.LazyAttribute(lambda o: csv_text(o.rows))
    partial = False
    actor = factory.LazyFunction(system_actor)

    @classmethod
    def _create(cls, model_class, *, actor, kind, filename, source_name, content, partial):
        return import_file_apply(
            actor=actor,
            kind=kind,
            filename=filename,
            content=content.encode("utf-8"),
            source_name=source_name,
            partial=partial,
        )


def _rows_with_errors(o) -> list[dict[str, str]]:
    """One valid row, then two a partner got wrong: a term that does not exist, and more
    sessions missed than there were."""
    return [
        attendance_row(o.person),
        attendance_row(o.person, term="winter"),
        attendance_row(o.person, term="spring", possible_sessions=120, absent_sessions=130),
    ]


class RejectedImportFileFactory(ImportFileFactory):
    """A whole file refused for its rejected rows: nothing applied, each bad row kept with its
    errors (naming the column) and the valid row kept as not applied."""

    class Params:
        rows = factory.LazyAttribute(_rows_with_errors)


class PartlyAppliedImportFileFactory(RejectedImportFileFactory):
    """The same rows imported with "valid rows only": the valid row applied, the bad ones kept as
    rejected."""

    partial = True
