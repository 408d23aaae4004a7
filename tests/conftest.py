"""Shared fixtures: a user for every role, signed-in clients, and the families they see."""

from __future__ import annotations

import importlib

import pytest


class _LazyFactories:
    """The factories, imported on first use so the pure engine tests can run without Django."""

    def __getattr__(self, name):
        return getattr(importlib.import_module("tests.factories"), name)


f = _LazyFactories()

TRANSACTIONAL = {"transactional_db", "live_server", "django_db_serialized_rollback"}
_state = {"blocker": None, "emptied": False}


@pytest.fixture(scope="session", autouse=True)
def _remember_db_blocker(django_db_blocker):
    _state["blocker"] = django_db_blocker


def _transactional(item) -> bool:
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        return not issubclass(cls, TestCase)
    marker = item.get_closest_marker("django_db")
    return bool(TRANSACTIONAL & set(getattr(item, "fixturenames", ()))) or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends by emptying every table, the migrations' reference data (the
    problems, the national tariffs) with them."""
    yield
    if _transactional(item):
        _state["emptied"] = True


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    """In one process, Django's order runs transactional tests last; spread over processes
    (`pytest -n`), an ordinary test can follow one. Before it starts, put back what the
    migrations wrote (a transactional test loads the same contents itself as it starts)."""
    if _state["emptied"] and _state["blocker"] is not None and not _transactional(item):
        from tests.reference_data import restore_if_emptied

        with _state["blocker"].unblock():
            restore_if_emptied()
        _state["emptied"] = False
    yield


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(monkeypatch):
    """Every role signs in with a second factor (TWO_FACTOR_REQUIRED): a client signed in with
    `force_login` also gets a confirmed authenticator, marked verified in its session, as
    django_otp.login does after a right code. Tests of the second step itself sign in with the
    password alone (`password_only_client` in tests/integration/test_signin_security.py)."""
    try:
        from django.test.client import ClientMixin
    except ImportError:  # the pure engine tests run without Django
        return

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        if getattr(self, "password_only", False):
            return
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from families.security import AUTHENTICATOR_NAME, confirmed_authenticator

        device = confirmed_authenticator(user) or TOTPDevice.objects.create(
            user=user, name=AUTHENTICATOR_NAME, confirmed=True
        )
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture
def team(db):
    return f.TeamFactory(name="North keywork team")


@pytest.fixture
def other_team(db):
    return f.TeamFactory(name="South keywork team")


@pytest.fixture
def keyworker(team):
    return f.KeyworkerFactory(username="kw_alice", team=team)


@pytest.fixture
def other_keyworker(team):
    return f.KeyworkerFactory(username="kw_bob", team=team)


@pytest.fixture
def team_manager(team):
    return f.TeamManagerFactory(username="tm_north", team=team)


@pytest.fixture
def other_team_manager(other_team):
    return f.TeamManagerFactory(username="tm_south", team=other_team)


@pytest.fixture
def programme_manager(db):
    return f.ProgrammeManagerFactory(username="pm_carol")


@pytest.fixture
def second_programme_manager(db):
    return f.ProgrammeManagerFactory(username="pm_dev")


@pytest.fixture
def auditor(db):
    return f.AuditorFactory(username="audit_erin")


@pytest.fixture
def data_officer(db):
    return f.DataOfficerFactory(username="data_farah")


@pytest.fixture
def administrator(db):
    return f.AdministratorFactory(username="admin_gus")


@pytest.fixture
def family(keyworker):
    """An attached family led by `keyworker`, with an adult and a child."""
    family = f.AttachedFamilyFactory(reference="F-900001", name="Smith", lead_keyworker=keyworker)
    f.MembershipFactory(family=family, person=f.PersonFactory(first_name="Jane", last_name="Smith"))
    f.ChildMembershipFactory(
        family=family, person=f.ChildFactory(first_name="Tom", last_name="Smith")
    )
    return family


@pytest.fixture
def other_family(other_keyworker):
    """A family led by another keyworker in the same team."""
    return f.AttachedFamilyFactory(
        reference="F-900002", name="Jones", lead_keyworker=other_keyworker
    )


def signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def client_for():
    return signed_in


@pytest.fixture
def api_for():
    return api_client
