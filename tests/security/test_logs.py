"""No personal data in logs: a search's terms (a name, a postcode) in a query string never
reach the gunicorn access log or Django's own log lines."""

from __future__ import annotations

import datetime as dt
import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

from config.logging import StripQueryStrings

ROOT = Path(__file__).resolve().parents[2]
TERMS = ("Okonkwo", "OX4", "1AB", "2014-03-02")
QUERY = "q=Okonkwo&postcode=OX4+1AB&date_of_birth=2014-03-02"


def test_the_gunicorn_access_log_has_the_path_but_not_the_search(tmp_path):
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for name in ("accesslog", "access_log_format"):
        config.set(name, settings[name])
    log_file = tmp_path / "access.log"
    config.set("accesslog", str(log_file))
    logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/families/?{QUERY}",
        "PATH_INFO": "/families/",
        "QUERY_STRING": QUERY,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_REFERER": f"https://keywork.example/families/?{QUERY}",
        "HTTP_USER_AGENT": "Firefox",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=512)
    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(seconds=0.1))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    assert '"GET /families/ HTTP/1.1" 200 512' in line
    for term in TERMS:
        assert term not in line


def test_django_log_lines_lose_their_query_strings():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s %s',
        (f"GET /families/?{QUERY} HTTP/1.1", 200, 512), None,
    )  # fmt: skip
    assert StripQueryStrings().filter(record)
    assert record.getMessage() == '"GET /families/ HTTP/1.1" 200 512'


def test_every_log_handler_strips_query_strings(settings):
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("no_query_strings" in h.get("filters", []) for h in handlers.values())
    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
