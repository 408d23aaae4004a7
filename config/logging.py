"""Log filters (settings LOGGING): no query string reaches a log line (docs/security.md)."""

from __future__ import annotations

import logging
import re

# A path followed by a query string, as in a request line: keep the path, drop the query.
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def strip_query_strings(text: str) -> str:
    return _QUERY.sub(r"\1", text)


class StripQueryStrings(logging.Filter):
    """Rewrites each record's message without query strings (runserver's request lines)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        stripped = strip_query_strings(message)
        if stripped != message:
            record.msg, record.args = stripped, ()
        return True
