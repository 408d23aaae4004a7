"""The embedded default: a PostgreSQL cluster inside the checkout when no DATABASE_URL is set.

`make run` and `make test` then need nothing but Python. The cluster lives in `.pgdata/`
and keeps running between commands (pgserver shares one server per data folder).
"""

from __future__ import annotations

from pathlib import Path


def embedded_database(base_dir: Path) -> dict:
    """Start (or reuse) the embedded cluster and return a Django DATABASES entry for it."""
    import pgserver  # imported lazily: production never loads it

    data_dir = base_dir / ".pgdata"
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        # pgserver listens on a Unix socket in its data folder.
        "HOST": str(server.pgdata),
        "PORT": "",
    }
