"""Production settings refuse to start without a secret and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests allow Django's async-unsafe calls in this process; a deployment never does.
    dropped = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.production"})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "x9!Kq2@vL7#mP4$wR8^tZ1&yB6*nC3(dF5)gH0_jJ-kM=uN+sQ[eT]aV{bW}cX|zY",
            "ALLOWED_HOSTS": "keywork.example.gov.uk",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_make_run_settings_load_the_demo_without_force_and_keep_debug_pages_off():
    """`make run` seeds the demo council with debug off; anywhere else needs --force."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "from demo.seeding import refuse_in_production as r; "
        "print(settings.DEBUG, r(False) is None)"
    )
    dev = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dev.stdout.split() == ["False", "True"], dev.stdout + dev.stderr


def _compose_environment() -> dict[str, str]:
    """The web container's environment as docker-compose.yml sets it, defaults filled in."""
    import re

    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = {}
    for name, value in compose["x-app"]["environment"].items():
        value = str(value)
        # ${NAME:-default} takes its default; ${NAME:?message} must be given (the .env file).
        value = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: m[2], value)
        value = re.sub(r"\$\{(\w+):\?[^}]*\}", "", value)
        env[name] = value
    return env


def test_production_as_docker_compose_runs_it_passes_the_deployment_checks_with_no_warnings():
    env = _compose_environment()
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    env["SECRET_KEY"] = "k" * 20 + "Q7#v!2pL@9xZ$4mR^8wT&1yB*6nC(3dF)5gH"
    env["DATABASE_URL"] = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    env["REDIS_URL"] = ""
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_HSTS_SECONDS >= 365 * 24 * 3600, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS,"
        " s.SECURE_REFERRER_POLICY, s.SECURE_CONTENT_TYPE_NOSNIFF)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout.split() == [
        "False", "True", "True", "True", "True", "True", "True", "True", "DENY", "same-origin", "True"
    ], shown.stdout + shown.stderr  # fmt: skip
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_docker_composes_health_check_passes_while_other_plain_http_requests_do_not():
    """The web container's health check calls http://127.0.0.1:8000/healthz: neither an
    allowed host nor HTTPS. It gets "ok"; any other page from there is still refused."""
    env = _compose_environment()
    env["SECRET_KEY"] = "k" * 20 + "Q7#v!2pL@9xZ$4mR^8wT&1yB*6nC(3dF)5gH"
    env["DATABASE_URL"] = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    env["REDIS_URL"] = ""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "c = Client(HTTP_HOST='127.0.0.1:8000'); "
        "h = c.get('/healthz'); p = c.get('/sign-in/'); "
        "s = Client(HTTP_HOST='localhost').get('/sign-in/'); "
        "print(h.status_code, h.content.decode(), p.status_code, s.status_code)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.stdout.split() == ["200", "ok", "400", "301"], shown.stdout + shown.stderr
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "urlopen('http://127.0.0.1:8000/healthz')" in compose
