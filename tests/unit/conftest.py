"""Unit tests need no database: engine cases, workflow tables and pure helpers. A test here that
asks for one (a `django_db` marker, or a fixture that needs the database) fails, saying where it
belongs, so the folder stays fast and free of data set-up."""

from __future__ import annotations

import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server"}


@pytest.fixture(autouse=True)
def _no_database(request):
    if request.node.get_closest_marker("django_db") or DATABASE_FIXTURES & set(
        request.fixturenames
    ):
        pytest.fail(
            f"{request.node.nodeid} uses the database: tests under tests/unit/ must not. "
            "Move it to tests/integration/ (or build its data without the database).",
            pytrace=False,
        )
