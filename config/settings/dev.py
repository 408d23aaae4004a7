"""Settings for a developer's machine and `make run`: debug on, a throwaway local secret."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = env_bool("DEBUG", True)
# Only for local use: production.py refuses to start without SECRET_KEY.
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-family-keywork"  # noqa: F405, S105
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The demo council and synthetic data (seed_demo, generate_synthetic): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
