"""Settings for a developer's machine and `make run`: a throwaway local secret, the demo app.

Debug is off unless DEBUG is set (`DEBUG=1 make run`), so `make run` shows the service's own
error pages (403, 404, 500, an expired form) as a user would see them, not Django's technical
pages; WhiteNoise serves the static files either way.
"""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = env_bool("DEBUG", False)
# Only for local use: production.py refuses to start without SECRET_KEY.
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-family-keywork"  # noqa: F405, S105
WHITENOISE_USE_FINDERS = True
# Pick up a rebuilt stylesheet (frontend/build.sh) without restarting the server.
WHITENOISE_AUTOREFRESH = True

EMBEDDED_APP_ROLE = "keywork_app"

# The demo council and synthetic data (seed_demo, generate_synthetic): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
# `make run` loads the demo council (seed_demo) without --force; debug pages stay off.
DEMO_DATA_ALLOWED = True
# The demo's users (demo.council, each with a known authenticator secret) sign in without the
# second step, and the sign-in page says so (DEMO_TWO_FACTOR=1 asks them for it too).
# Production never allows it (production.py).
TWO_FACTOR_SKIP_CALLABLE = (
    None if env_bool("DEMO_TWO_FACTOR", False) else "demo.council.skips_second_factor"
)

# The embedded default runs as two roles like production: `migrate` as the cluster's owner
# (postgres), then `setup_database_roles` grants the application's role, which everything
# else connects as (history and the access log are append-only to it).
if not os.environ.get("DATABASE_URL"):
    MIGRATION_DATABASE = dict(DATABASES["default"])  # noqa: F405
    DATABASES["default"] = {**DATABASES["default"], "USER": EMBEDDED_APP_ROLE}  # noqa: F405
