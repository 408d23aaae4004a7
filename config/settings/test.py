"""Settings for the test suite: real PostgreSQL (DATABASE_URL or embedded), fast hashing."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_bool

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Uploaded case files go to a scratch folder, never the working copy.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "family-keywork-test-media"
# Serve static files from the source folders (no collectstatic needed for the live server).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tests run tasks in-process unless a test starts a real worker (which sets this to false).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)

# The demo council and synthetic data (seed_demo, generate_synthetic): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

# Test processes running side by side (`pytest -n`) keep their own cache keys, so one's
# single-flight lock for the nightly check is not another's.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405

# Tests sign in with both factors, as production does (tests/conftest.py gives force_login'd
# clients a verified authenticator; tests/browser/pages.py sign_in types its code).
TWO_FACTOR_REQUIRED = True
TWO_FACTOR_SKIP_CALLABLE = None
